// The Baseline component: the stack key, locked-down buckets for AI data and models, the audit trail and flow
// logs, the workload roles and their guard policy, the workload security groups and, when this stack owns them,
// the account guardrails. Policies come from the pure builders beside it.
import * as aws from "../aws/pulumiAws";
import * as pulumi from "@pulumi/pulumi";
import { auditLogLockDays, type BaselineConfig } from "../config/baseline";
import { nameTag, resourceName } from "../network/naming";
import type { AccountRef } from "../policy/account";
import { permissionsBoundaryArn } from "../bootstrap/names";
import { LockedBucket, type LockedBucketArgs } from "./bucket";
import { accessLogBucketPolicy, aiBucketPolicy, auditBucketPolicy, configBucketPolicy } from "./bucketPolicies";
import { AccountDetection, alertTopicArn, configRecorderRole } from "./detection";
import { AccountGuardrails } from "./guardrails";
import { logGroupNaming, type DeployedLogGroups, type LogGroupId } from "./logGroupNames";
import { breakGlassTrustPolicy, keyPolicy, logDeliveryPolicy, logGroupPrefix, MALWARE_PROTECTION_PRINCIPAL, malwareScanRolePolicy, serviceTrustPolicy } from "./policies";
import { WorkloadSecurityGroups } from "./securityGroups";
import { sageMakerVpcGuardPolicy, workloadPolicy, type SageMakerWorkload } from "./workloadPolicies";

/** What the baseline needs from the network. */
export interface BaselineNetwork {
    readonly vpcId: pulumi.Input<string>;
    readonly s3EndpointId: pulumi.Input<string>;
    readonly s3PrefixListId: pulumi.Input<string>;
    readonly endpointSecurityGroupId: pulumi.Input<string>;
    readonly trainingSubnetIds: readonly pulumi.Input<string>[];
    readonly servicesSubnetIds: readonly pulumi.Input<string>[];
    /** The VPC flow log's custom format (network/encryptionControl.ts); undefined: AWS's default format. */
    readonly flowLogFormat?: string;
    /** The VPC encryption control the custom format comes with, when the stack creates one. */
    readonly encryptionControl?: pulumi.Resource;
}

export interface BaselineArgs {
    readonly project: string;
    readonly stack: string;
    readonly baseline: BaselineConfig;
    readonly account: AccountRef;
    readonly network: BaselineNetwork;
    /** The firewall's ingress allowlist, enforced again by the load balancer security group. */
    readonly ingressCidrs: readonly string[];
    readonly ingressPorts: readonly number[];
    /** Tiers routed through the firewall to allowlisted domains. */
    readonly webToInternet: { readonly services: boolean; readonly training: boolean };
    /** The log groups' names as deployed (baseline/logGroupNames.ts). */
    readonly logGroups: DeployedLogGroups;
}

const json = (value: unknown): string => JSON.stringify(value);

export class Baseline extends pulumi.ComponentResource {
    readonly keyArn: pulumi.Output<string>;
    /** Name prefix every log group of the stack must use (the key policy admits only these). */
    readonly logGroupNamePrefix: string;
    readonly trailName: string;
    readonly trailArn: pulumi.Output<string>;
    /** The break-glass role (stacks with protectData only). */
    readonly breakGlassRoleArn: pulumi.Output<string> | undefined;
    readonly flowLogGroupName: pulumi.Output<string>;
    readonly trailLogGroupName: pulumi.Output<string>;
    readonly trainingDataBucket: LockedBucket;
    readonly modelArtifactsBucket: LockedBucket;
    readonly auditBucket: LockedBucket;
    readonly accessLogBucket: LockedBucket;
    /** AWS Config's delivery bucket, when this stack owns the account guardrails. */
    readonly configBucket: LockedBucket | undefined;
    readonly trainingRoleArn: pulumi.Output<string>;
    /** The role GuardDuty Malware Protection scans and tags the training data with. */
    readonly malwareScanRoleArn: pulumi.Output<string>;
    readonly malwareProtectionPlanArn: pulumi.Output<string>;
    readonly inferenceRoleArn: pulumi.Output<string>;
    readonly sageMakerVpcGuardPolicyArn: pulumi.Output<string>;
    readonly securityGroups: WorkloadSecurityGroups;
    /** The finding-alert topic, when this stack owns the account guardrails. */
    readonly alertTopicArn: pulumi.Output<string> | undefined;

    constructor(name: string, args: BaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:baseline:Baseline", name, {}, opts);
        const { baseline, account, network } = args;
        const namePrefix = `${args.project}-${args.stack}`;
        const child = { parent: this };
        // Data, keys and logs survive `pulumi destroy` and are protected from accidental replacement when the
        // stack protects data (prod); dev may tear everything down.
        const protect = baseline.protectData;
        const keep: pulumi.CustomResourceOptions = { parent: this, protect, retainOnDelete: protect };

        this.logGroupNamePrefix = logGroupPrefix(args.project, args.stack);
        this.trailName = namePrefix;
        const scope = account.scope;
        // Every role this stack creates carries the bootstrap's permissions boundary for the stack: the pipeline's
        // deploy role may create and change roles only with it (bootstrap/permissions.ts, iam:PermissionsBoundary).
        const permissionsBoundary = scope.apply((s) => permissionsBoundaryArn(s.partition, s.accountId, args.stack));
        // Known before the trail exists: the key policy and the audit bucket policy name it.
        const trailArn = scope.apply((s) => `arn:${s.partition}:cloudtrail:${s.region}:${s.accountId}:trail/${this.trailName}`);

        // The finding-alert topic's name is fixed so the key policy can name its ARN before the topic exists.
        const alertTopicName = `${namePrefix}-finding-alerts`;

        // --- KMS (FSBP KMS.4: rotation) ---
        const key = new aws.kms.Key(
            resourceName(name, "key"),
            {
                description: `${namePrefix}: encrypts AI data, models, audit trail and logs`,
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: baseline.keyDeletionWindowDays,
                policy: pulumi
                    .all([scope, trailArn])
                    .apply(([s, trail]) =>
                        json(
                            keyPolicy(
                                s,
                                this.logGroupNamePrefix,
                                trail,
                                baseline.manageAccountGuardrails,
                                baseline.manageAccountGuardrails ? alertTopicArn(s, alertTopicName) : undefined,
                            ),
                        ),
                    ),
                tags: nameTag(namePrefix, "key"),
            },
            keep,
        );
        new aws.kms.Alias(resourceName(name, "key"), { name: `alias/${namePrefix}`, targetKeyId: key.keyId }, child);
        this.keyArn = key.arn;

        // --- Malware scanning of the training data (GuardDuty Malware Protection for S3) ---
        // Its own service role (GuardDuty User Guide, "Create or update IAM role policy"), trusted by the Malware
        // Protection service for this account only. Created before the bucket: the bucket policy names it.
        const scanRole = new aws.iam.Role(
            resourceName(namePrefix, "malware-scan"),
            {
                description: `${namePrefix}: GuardDuty Malware Protection scans and tags the training data`,
                assumeRolePolicy: account.accountId.apply((accountId) => json(serviceTrustPolicy([MALWARE_PROTECTION_PRINCIPAL], accountId))),
                permissionsBoundary,
                tags: nameTag(namePrefix, "malware-scan"),
            },
            child,
        );
        this.malwareScanRoleArn = scanRole.arn;

        // --- Buckets ---
        const bucket = (purpose: string, settings: Pick<LockedBucketArgs, "encryption" | "objectExpirationDays" | "policy" | "objectLockDays">) =>
            new LockedBucket(
                resourceName(namePrefix, purpose),
                { namePrefix, purpose, noncurrentVersionExpirationDays: baseline.noncurrentVersionExpirationDays, protect, ...settings },
                child,
            );
        const kms = { kmsKeyArn: key.arn };
        const aiBucket = (purpose: string, scanner: pulumi.Output<string> | undefined) =>
            bucket(purpose, {
                encryption: kms,
                objectExpirationDays: undefined,
                objectLockDays: undefined,
                policy: (bucketArn) =>
                    pulumi
                        .all([bucketArn, key.arn, network.s3EndpointId, account.deployerArn, scope, scanner])
                        .apply(([arn, keyArn, endpoint, deployer, s, scanRoleArn]) =>
                            json(
                                aiBucketPolicy({
                                    bucketArn: arn,
                                    keyArn,
                                    s3EndpointId: endpoint,
                                    deployerArn: deployer,
                                    scope: s,
                                    ...(scanRoleArn === undefined ? {} : { malwareScanRoleArn: scanRoleArn }),
                                }),
                            ),
                        ),
            });
        this.trainingDataBucket = aiBucket("training-data", scanRole.arn);
        this.modelArtifactsBucket = aiBucket("model-artifacts", undefined);

        const scanPolicy = new aws.iam.RolePolicy(
            resourceName(namePrefix, "malware-scan"),
            {
                role: scanRole.id,
                policy: pulumi
                    .all([scope, this.trainingDataBucket.arn, key.arn])
                    .apply(([s, bucketArn, keyArn]) => json(malwareScanRolePolicy(s, bucketArn, keyArn))),
            },
            child,
        );
        // Every new object (and version) of the training data is scanned and tagged GuardDutyMalwareScanStatus.
        // GuardDuty validates the role by writing a test object when the plan is created: the role policy and the
        // bucket policy (which exempts the role from the endpoint rule) must exist first.
        this.malwareProtectionPlanArn = new aws.guardduty.MalwareProtectionPlan(
            resourceName(namePrefix, "training-data-malware-scan"),
            {
                role: scanRole.arn,
                protectedResource: { s3Bucket: { bucketName: this.trainingDataBucket.bucketName } },
                actions: [{ taggings: [{ status: "ENABLED" }] }],
                tags: nameTag(namePrefix, "training-data-malware-scan"),
            },
            { ...child, dependsOn: [scanPolicy, this.trainingDataBucket.policyReady] },
        ).arn;

        // The break-glass role, created by the stack that protects its data, so that the log buckets can exempt it by
        // its unique role id (a role someone else creates under the same name has another id). Deleted by
        // `pulumi destroy` (not retained: its fixed name would collide with the next `up`); from then on only the
        // root user can change the kept buckets' policies (docs/security.md).
        const breakGlass = protect
            ? new aws.iam.Role(
                  resourceName(namePrefix, "break-glass"),
                  {
                      name: baseline.breakGlassRoleName,
                      description: `${namePrefix}: the only principal that may change the log buckets' policies and settings (MFA required, no permissions attached)`,
                      assumeRolePolicy: scope.apply((s) => json(breakGlassTrustPolicy(s.partition, s.accountId))),
                      permissionsBoundary,
                      tags: nameTag(namePrefix, "break-glass"),
                  },
                  { parent: this, protect },
              )
            : undefined;
        this.breakGlassRoleArn = breakGlass?.arn;
        const breakGlassRoleId: pulumi.Output<string | undefined> = breakGlass === undefined ? pulumi.output(undefined) : breakGlass.uniqueId;

        // Log buckets expire objects after logObjectExpirationDays; only a disposable stack's deployer deletes them,
        // and only the break-glass role (or a disposable stack's deployer) changes the settings that could erase them
        // or writes into them.
        const logBucket = (bucketArn: pulumi.Output<string>) =>
            pulumi.all([bucketArn, scope, account.deployerArn, breakGlassRoleId]).apply(([arn, s, deployer, roleId]) => ({
                bucketArn: arn,
                accountId: s.accountId,
                deletionExemptArn: protect ? undefined : deployer,
                guard: { breakGlassRoleId: roleId },
            }));
        this.auditBucket = bucket("audit", {
            encryption: kms,
            objectExpirationDays: baseline.logObjectExpirationDays,
            // Immutable audit trail (COMPLIANCE mode). Not on the access-log bucket: S3 cannot deliver server access
            // logs to a bucket with Object Lock (Amazon S3 User Guide, "Configuring S3 Object Lock").
            objectLockDays: auditLogLockDays(baseline),
            policy: (bucketArn) => pulumi.all([logBucket(bucketArn), trailArn]).apply(([logs, trail]) => json(auditBucketPolicy(logs, trail))),
        });

        // AWS Config's delivery bucket, on the stack that owns the account guardrails: not the audit bucket, because
        // AWS Config does not deliver to a bucket with Object Lock (AWS CloudFormation Template Reference,
        // AWS::Config::DeliveryChannel, Note), and the audit bucket's deny of writes by IAM principals would refuse
        // the recorder's role, which AWS Config writes with. Its role is created first: the bucket policy names it.
        const detectionName = resourceName(name, "detection");
        const configRole = baseline.manageAccountGuardrails ? configRecorderRole(detectionName, namePrefix, account, permissionsBoundary, child) : undefined;
        this.configBucket =
            configRole === undefined
                ? undefined
                : bucket("config", {
                      encryption: kms,
                      objectExpirationDays: baseline.logObjectExpirationDays,
                      objectLockDays: undefined,
                      policy: (bucketArn) =>
                          pulumi.all([logBucket(bucketArn), configRole.arn]).apply(([logs, roleArn]) => json(configBucketPolicy(logs, roleArn))),
                  });

        // Server access logs: S3 delivers them only to an SSE-S3 bucket. Each source writes under its own prefix.
        const sources = [
            { bucket: this.trainingDataBucket, prefix: "training-data/" },
            { bucket: this.modelArtifactsBucket, prefix: "model-artifacts/" },
            { bucket: this.auditBucket, prefix: "audit/" },
            ...(this.configBucket === undefined ? [] : [{ bucket: this.configBucket, prefix: "config/" }]),
        ];
        const sourceArns = pulumi.all(sources.map((s) => s.bucket.arn.apply((bucketArn) => ({ bucketArn, prefix: s.prefix }))));
        this.accessLogBucket = bucket("access-logs", {
            encryption: "SSE-S3",
            objectLockDays: undefined,
            objectExpirationDays: baseline.logObjectExpirationDays,
            policy: (bucketArn) =>
                pulumi.all([logBucket(bucketArn), sourceArns]).apply(([logs, logged]) => json(accessLogBucketPolicy(logs, logged))),
        });
        for (const source of sources) {
            source.bucket.logTo(this.accessLogBucket, source.prefix);
        }

        // --- Audit: CloudTrail (FSBP CloudTrail.2, .4, .5) and VPC flow logs (EC2.6) ---
        const logGroup = (id: string, logName: LogGroupId) =>
            new aws.cloudwatch.LogGroup(
                resourceName(namePrefix, id),
                {
                    ...logGroupNaming(this.logGroupNamePrefix, logName, args.logGroups),
                    retentionInDays: baseline.logRetentionDays,
                    kmsKeyId: key.arn,
                    tags: nameTag(namePrefix, id),
                },
                keep,
            );
        const deliveryRole = (id: string, service: string, bindToAccount: boolean, description: string, group: aws.cloudwatch.LogGroup) => {
            const role = new aws.iam.Role(
                resourceName(namePrefix, id),
                {
                    description,
                    assumeRolePolicy: account.accountId.apply((accountId) =>
                        json(serviceTrustPolicy([service], bindToAccount ? accountId : undefined)),
                    ),
                    permissionsBoundary,
                    tags: nameTag(namePrefix, id),
                },
                child,
            );
            const rolePolicy = new aws.iam.RolePolicy(
                resourceName(namePrefix, id),
                { role: role.id, policy: group.arn.apply((arn) => json(logDeliveryPolicy(arn))) },
                child,
            );
            return { role, rolePolicy };
        };

        const trailLogs = logGroup("cloudtrail", "cloudtrail");
        this.trailLogGroupName = trailLogs.name;
        // CloudTrail's documented trust policy for this role carries no source condition (and CreateTrail rejects a
        // role it cannot assume); a role cannot be passed to another account's trail anyway.
        const trailDelivery = deliveryRole("cloudtrail-logs", "cloudtrail.amazonaws.com", false, "CloudTrail delivery to its one log group", trailLogs);
        const selectors: aws.types.input.cloudtrail.TrailAdvancedEventSelector[] = [];
        if (baseline.recordManagementEvents) {
            selectors.push({ name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] });
        }
        selectors.push({
            name: "Object-level events on the training-data and model-artifacts buckets",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
                {
                    field: "resources.ARN",
                    startsWiths: [this.trainingDataBucket.arn.apply((a) => `${a}/`), this.modelArtifactsBucket.arn.apply((a) => `${a}/`)],
                },
            ],
        });
        const trail = new aws.cloudtrail.Trail(
            resourceName(name, "trail"),
            {
                name: this.trailName,
                s3BucketName: this.auditBucket.bucketName,
                kmsKeyId: key.arn,
                enableLogFileValidation: true,
                enableLogging: true,
                // Region-scoped: account-wide and global-service events belong to the organization's trail.
                isMultiRegionTrail: false,
                includeGlobalServiceEvents: false,
                cloudWatchLogsGroupArn: trailLogs.arn.apply((arn) => `${arn}:*`),
                cloudWatchLogsRoleArn: trailDelivery.role.arn,
                advancedEventSelectors: selectors,
                tags: nameTag(namePrefix, "trail"),
            },
            // CloudTrail checks at creation that it may write to the bucket and the log group.
            { ...child, dependsOn: [this.auditBucket.policyReady, trailDelivery.rolePolicy] },
        );
        this.trailArn = trail.arn;

        const flowLogs = logGroup("flow-logs", "vpc-flow-logs");
        this.flowLogGroupName = flowLogs.name;
        const flowDelivery = deliveryRole("flow-logs", "vpc-flow-logs.amazonaws.com", true, "VPC flow logs delivery to its one log group", flowLogs);
        new aws.ec2.FlowLog(
            resourceName(name, "vpc"),
            {
                vpcId: network.vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: flowLogs.arn,
                iamRoleArn: flowDelivery.role.arn,
                maxAggregationInterval: 60,
                // With VPC encryption controls: AWS's default fields plus the encryption status (Amazon VPC User
                // Guide, "Enforce VPC encryption in transit": "not automatically added to existing flow logs").
                ...(network.flowLogFormat === undefined ? {} : { logFormat: network.flowLogFormat }),
                tags: nameTag(namePrefix, "vpc-flow-log"),
            },
            // After the encryption control: the format's encryption-status field comes with it, and turning it on
            // replaces this flow log (LogFormat is create-only), so where AWS refuses the control (a Region that does
            // not offer it) the update stops before the replacement, with the old flow log still in place.
            { ...child, dependsOn: [flowDelivery.rolePolicy, ...(network.encryptionControl === undefined ? [] : [network.encryptionControl])] },
        );

        // --- Workload security groups ---
        this.securityGroups = new WorkloadSecurityGroups(
            resourceName(name, "sg"),
            {
                namePrefix,
                vpcId: network.vpcId,
                ingressCidrs: args.ingressCidrs,
                ingressPorts: args.ingressPorts,
                servingPort: baseline.servingPort,
                endpointSecurityGroupId: network.endpointSecurityGroupId,
                s3PrefixListId: network.s3PrefixListId,
                webToInternet: args.webToInternet,
            },
            child,
        );

        // --- Workload roles and the SageMaker guard ---
        const workloadRole = (id: string, workload: SageMakerWorkload, principals: readonly string[], access: {
            read: LockedBucket[];
            scanned: LockedBucket[];
            write: LockedBucket[];
            subnetIds: readonly pulumi.Input<string>[];
            securityGroupId: pulumi.Output<string>;
        }) => {
            const role = new aws.iam.Role(
                resourceName(namePrefix, id),
                {
                    description: `${namePrefix} ${id}: ${principals.join(", ")}`,
                    assumeRolePolicy: account.accountId.apply((accountId) => json(serviceTrustPolicy(principals, accountId))),
                    permissionsBoundary,
                    tags: nameTag(namePrefix, id),
                },
                child,
            );
            new aws.iam.RolePolicy(
                resourceName(namePrefix, id),
                {
                    role: role.id,
                    policy: pulumi
                        .all([
                            scope,
                            key.arn,
                            pulumi.all(access.read.map((b) => b.arn)),
                            pulumi.all(access.write.map((b) => b.arn)),
                            pulumi.all(access.scanned.map((b) => b.arn)),
                            network.vpcId,
                            pulumi.all([...access.subnetIds]),
                            access.securityGroupId,
                        ])
                        .apply(([s, keyArn, readBucketArns, writeBucketArns, scannedBucketArns, vpcId, subnetIds, securityGroupId]) =>
                            json(
                                workloadPolicy({
                                    scope: s,
                                    workload,
                                    keyArn,
                                    readBucketArns,
                                    writeBucketArns,
                                    scannedBucketArns,
                                    vpcId,
                                    subnetIds,
                                    securityGroupId,
                                    imageRepositories: baseline.imageRepositories,
                                }),
                            ),
                        ),
                },
                child,
            );
            return role.arn;
        };
        this.trainingRoleArn = workloadRole("training", "TrainingJobs", baseline.trainingPrincipals, {
            read: [this.trainingDataBucket],
            scanned: [this.trainingDataBucket],
            write: [this.modelArtifactsBucket],
            subnetIds: network.trainingSubnetIds,
            securityGroupId: this.securityGroups.trainingId,
        });
        this.inferenceRoleArn = workloadRole("inference", "Endpoints", baseline.inferencePrincipals, {
            read: [this.modelArtifactsBucket],
            scanned: [],
            write: [],
            subnetIds: network.servicesSubnetIds,
            securityGroupId: this.securityGroups.servicesId,
        });
        this.sageMakerVpcGuardPolicyArn = new aws.iam.Policy(
            resourceName(namePrefix, "sagemaker-vpc-guard"),
            {
                description: `${namePrefix}: SageMaker jobs, models and notebooks only in this stack's private subnets, encrypted`,
                policy: pulumi
                    .all([scope, pulumi.all([...network.trainingSubnetIds, ...network.servicesSubnetIds])])
                    .apply(([s, subnetIds]) => json(sageMakerVpcGuardPolicy(s, subnetIds, baseline.localStorageInstanceFamilies))),
                tags: nameTag(namePrefix, "sagemaker-vpc-guard"),
            },
            child,
        ).arn;

        // --- Account guardrails (one stack per account and region) ---
        if (configRole !== undefined && this.configBucket !== undefined) {
            new AccountGuardrails(resourceName(name, "account"), { keyArn: key.arn }, child);
            this.alertTopicArn = new AccountDetection(
                detectionName,
                {
                    namePrefix,
                    account,
                    keyArn: key.arn,
                    alertEmails: baseline.alertEmails,
                    topicName: alertTopicName,
                    configBucketName: this.configBucket.bucketName,
                    configBucketArn: this.configBucket.arn,
                    configBucketReady: this.configBucket.policyReady,
                    configRole,
                },
                child,
            ).alertTopicArn;
        } else {
            this.alertTopicArn = undefined;
        }

        this.registerOutputs({
            keyArn: this.keyArn,
            trailArn: this.trailArn,
            flowLogGroupName: this.flowLogGroupName,
            trainingRoleArn: this.trainingRoleArn,
            inferenceRoleArn: this.inferenceRoleArn,
            sageMakerVpcGuardPolicyArn: this.sageMakerVpcGuardPolicyArn,
        });
    }
}
