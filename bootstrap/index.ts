// secure-ai-bootstrap: run once per AWS account, with a local backend, before the pipeline's first run. Creates what
// the workflows assume: the S3 state bucket (versioned, SSE-KMS, TLS only, no public access, access logged), the
// KMS key for stack secrets (the stack files' `secretsprovider: awskms://alias/...`), GitHub's OIDC provider, a
// preview role for the repository's pull requests and a deploy role per stack for its GitHub environment. Its
// outputs are the repository variables the workflows read.
import * as aws from "../aws/pulumiAws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucketPolicy, tlsOnlyBucketPolicy } from "../baseline/bucketPolicies";
import { LockedBucket } from "../baseline/bucket";
import { readRawConfig } from "../config/load";
import { loadBootstrapConfig, BOOTSTRAP_PROJECT } from "./config";
import { githubTrustPolicy, GITHUB_OIDC, previewSubject, deploySubject } from "./github";
import { boundaryPolicy, BOOTSTRAP_NAMES, deployPolicy, LONGEST_ARNS, planPolicySplit, previewPolicy, PROGRAM_TYPES, splitPolicy } from "./permissions";

/** Kept this long: noncurrent state versions (every `pulumi up` writes one) and access logs. */
const STATE_HISTORY_DAYS = 365;
const ACCESS_LOG_DAYS = 365;

export = async () => {
    const config = loadBootstrapConfig(readRawConfig());
    const provider = new aws.Provider("aws", {
        region: config.region as aws.Region,
        ...(config.profile === undefined ? {} : { profile: config.profile }),
        defaultTags: { tags: { project: BOOTSTRAP_PROJECT, "managed-by": "pulumi" } },
    });
    const opts = { provider };
    const keep = { provider, protect: true, retainOnDelete: true };
    const identity = await aws.getCallerIdentity({}, opts);
    const partition = (await aws.getPartition({}, opts)).partition;
    const account = identity.accountId;
    const region = config.region;

    const secretsKey = new aws.kms.Key(
        "stack-secrets",
        { description: "secure-ai: encrypts the Pulumi stacks' secrets (awskms:// secrets provider)", enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 },
        keep,
    );
    new aws.kms.Alias("stack-secrets", { name: `alias/${BOOTSTRAP_NAMES.secretsKeyAlias}`, targetKeyId: secretsKey.keyId }, keep);

    const stateBucketName = BOOTSTRAP_NAMES.stateBucket(account, region);
    const stateBucketArn = `arn:${partition}:s3:::${stateBucketName}`;
    const accessLogs = new LockedBucket(
        "state-access-logs",
        {
            namePrefix: "pulumi-secure-ai",
            bucketName: BOOTSTRAP_NAMES.accessLogBucket(account, region),
            purpose: "state-access-logs",
            encryption: "SSE-S3",
            noncurrentVersionExpirationDays: ACCESS_LOG_DAYS,
            objectExpirationDays: ACCESS_LOG_DAYS,
            policy: (arn) => arn.apply((a) => JSON.stringify(accessLogBucketPolicy({ bucketArn: a, accountId: account, deletionExemptArn: undefined }, [{ bucketArn: stateBucketArn, prefix: "state/" }]))),
            protect: true,
        },
        opts,
    );
    const state = new LockedBucket(
        "state",
        {
            namePrefix: "pulumi-secure-ai",
            bucketName: stateBucketName,
            purpose: "pulumi-state",
            encryption: { kmsKeyArn: secretsKey.arn },
            noncurrentVersionExpirationDays: STATE_HISTORY_DAYS,
            objectExpirationDays: undefined,
            policy: (arn) => arn.apply((a) => JSON.stringify(tlsOnlyBucketPolicy(a))),
            protect: true,
        },
        opts,
    );
    state.logTo(accessLogs, "state/");
    // Pulumi's DIY backend writes .pulumi/meta.yaml (version 1: project-scoped stacks) on the first login to an empty
    // bucket (pulumi/pulumi, pkg/backend/diy/meta.go, ensurePulumiMeta). Written here, so the read-only preview role
    // can log in before the first deploy has written anything.
    new aws.s3.BucketObjectv2("state-layout", { bucket: state.bucketName, key: ".pulumi/meta.yaml", content: "version: 1\n", contentType: "application/yaml" }, { ...keep, dependsOn: [state] });

    const oidc =
        config.githubOidcProviderArn === undefined
            ? new aws.iam.OpenIdConnectProvider("github", { url: GITHUB_OIDC.url, clientIdLists: [GITHUB_OIDC.audience] }, keep)
            : { arn: pulumi.output(config.githubOidcProviderArn) };

    const arns = secretsKey.arn.apply((secretsKeyArn) => ({ partition, account, region, stateBucketArn, secretsKeyArn }));
    const preview = new aws.iam.Role(
        "preview",
        { name: BOOTSTRAP_NAMES.previewRole, description: `secure-ai: pull-request previews of ${config.repository}`, assumeRolePolicy: oidc.arn.apply((p) => JSON.stringify(githubTrustPolicy(p, previewSubject(config.repository)))) },
        opts,
    );
    new aws.iam.RolePolicy("preview", { role: preview.name, policy: arns.apply(async (a) => JSON.stringify(await previewPolicy(a, PROGRAM_TYPES, [...new Set(Object.values(config.targets).map((t) => t.region))].sort()))) }, opts);

    const deployRoleArns: Record<string, pulumi.Output<string>> = {};
    for (const stack of config.stacks) {
        const target = config.targets[stack];
        if (target === undefined) {
            throw new Error(`stack ${stack} has no target: loadBootstrapConfig builds one per stack file`);
        }
        // The permissions boundary every role of the stack carries (the program sets it; the deploy role may create
        // or change a role only with it, and may never change the boundary itself).
        new aws.iam.Policy(
            `boundary-${stack}`,
            {
                name: BOOTSTRAP_NAMES.permissionsBoundary(stack),
                description: `secure-ai: permissions boundary of every role stack ${stack} creates`,
                policy: arns.apply((a) => JSON.stringify(boundaryPolicy({ ...a, region: target.region }, stack))),
            },
            opts,
        );
        const role = new aws.iam.Role(
            `deploy-${stack}`,
            {
                name: BOOTSTRAP_NAMES.deployRole(stack),
                description: `secure-ai: pulumi up of stack ${stack} from ${config.repository}'s ${stack} environment`,
                assumeRolePolicy: oidc.arn.apply((p) => JSON.stringify(githubTrustPolicy(p, deploySubject(config.repository, stack)))),
            },
            opts,
        );
        // Customer managed policies, split by statement: the deploy permissions exceed a role's inline limit. The
        // split is planned before any ARN is known (on the longest ARNs), so the policies exist at preview.
        // Built from this stack's own resource types (its stack file's config), not every type the program knows.
        const types = target.types;
        const groups = await deployPolicy(LONGEST_ARNS, stack, { ...target, region: LONGEST_ARNS.region }).then((d) => planPolicySplit(d, 0));
        groups.forEach((_, part) => {
            const managed = new aws.iam.Policy(
                `deploy-${stack}-${part + 1}`,
                {
                    name: `${BOOTSTRAP_NAMES.deployRole(stack)}-${part + 1}`,
                    description: `secure-ai: pulumi up of stack ${stack}, part ${part + 1} of ${groups.length}`,
                    policy: arns.apply(async (a) => JSON.stringify(splitPolicy(await deployPolicy(a, stack, target), groups)[part])),
                },
                opts,
            );
            new aws.iam.RolePolicyAttachment(`deploy-${stack}-${part + 1}`, { role: role.name, policyArn: managed.arn }, opts);
        });
        deployRoleArns[stack] = role.arn;
    }

    // Exactly the repository variables the workflows read (Settings > Secrets and variables > Actions > Variables).
    return {
        AWS_REGION: region,
        PULUMI_BACKEND_URL: `s3://${stateBucketName}?region=${region}`,
        AWS_PREVIEW_ROLE_ARN: preview.arn,
        AWS_DEPLOY_ROLE_ARNS: pulumi.jsonStringify(deployRoleArns),
    };
};
