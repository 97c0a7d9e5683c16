// The size of every policy document the stack deploys, computed from the config before anything is registered:
// the same pure builders the components use, fed the longest value each id or ARN can take (ids, account numbers
// and random name suffixes have fixed lengths; the partition follows from the region; the deployer is a role of
// the longest name), so the measure is an upper bound that holds in any account. Measured the way each service measures: IAM does not count white space (IAM User Guide, "IAM and
// AWS STS quotas": "IAM doesn't count white space when calculating the size of a policy against these
// limitations"; IAM API Reference, GetAccountSummary: sizes "in non-whitespace characters"); KMS and S3 count the
// document's bytes (KMS API Reference, PutKeyPolicy: Policy up to 32768 characters; Amazon S3 User Guide,
// "Bucket policies are limited to 20 KB in size").
// The enum module only (the Region enum without the provider SDK's declaration files).
import { Region } from "@pulumi/aws/types/enums";
import type { BaselineConfig } from "../config/baseline";
import type { NetworkConfig } from "../config/network";
import { accessLogBucketPolicy, aiBucketPolicy, auditBucketPolicy, configBucketPolicy, type LogBucketPolicyArgs, type SettingsGuard } from "../baseline/bucketPolicies";
import { LOG_GROUP_IDS } from "../baseline/logGroupNames";
import { alertTopicArn, configDeliveryPolicy } from "../baseline/detectionPolicies";
import { breakGlassTrustPolicy, keyPolicy, logDeliveryPolicy, logGroupPrefix, MALWARE_PROTECTION_PRINCIPAL, malwareScanRolePolicy, serviceTrustPolicy } from "../baseline/policies";
import { sageMakerVpcGuardPolicy, workloadPolicy } from "../baseline/workloadPolicies";
import type { AccountScope } from "../policy/scope";
import type { PolicyDocument } from "../policy/document";

/** The longest unique role id (AROA...) the exemption may carry (IAM API Reference, Role data type: RoleId 16 to 128 characters). */
const LONGEST_ROLE_ID = `AROA${"X".repeat(124)}`;

const LONGEST_REGION = Object.values(Region).reduce((a, b) => (b.length > a.length ? b : a), "");

/** IAM's measure: characters, white space excluded. */
export function iamPolicySize(doc: PolicyDocument | string): number {
    return (typeof doc === "string" ? doc : JSON.stringify(doc)).replace(/\s/g, "").length;
}

/** KMS's and S3's measure: the serialized document's bytes (the program sends it without white space). */
export function resourcePolicyBytes(doc: PolicyDocument): number {
    return Buffer.byteLength(JSON.stringify(doc), "utf8");
}

/**
 * The partition of a region, from its name (AWS General Reference, "AWS partitions": cn- regions are aws-cn,
 * us-gov- regions aws-us-gov, the European Sovereign Cloud's eusc- regions aws-eusc; every other public region aws).
 */
export function partitionOf(region: string): string {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : region.startsWith("eusc-") ? "aws-eusc" : "aws";
}
const ACCOUNT = "123456789012";
/** EC2 ids: prefix + 17 hex digits. */
const ec2Id = (prefix: string, n: number) => `${prefix}-${n.toString(16).padStart(17, "0")}`;
/** An auto-named bucket: logical name `secure-ai-<stack>-<purpose>` + "-" + 7 random characters. */
const BASE = "secure-ai:baseline";
/** A document no config key makes grow (it names fixed principals, the account and the partition). */
const FIXED = { drivenBy: [] as readonly string[], remedy: "" };
const bucketArnIn = (partition: string, stack: string, purpose: string) => `arn:${partition}:s3:::secure-ai-${stack}-${purpose}-abcdefg`;

export interface PolicySize {
    readonly kind: "inline" | "managed" | "trust" | "key" | "bucket";
    readonly subject: string;
    readonly size: number;
    /**
     * Trust policies: the suffix of the logical name of the one role that carries the document (`secure-ai-<stack>-`
     * + role, or `secure-ai-detection-` + role for the account guardrails' roles), so the tests can match every
     * synthesized role to its row.
     */
    readonly role?: string;
    /** The config keys that make this document grow (default: those of its kind, aws/quotas.ts), and what shrinks it. */
    readonly drivenBy?: readonly string[];
    readonly remedy?: string;
}

export interface PolicySizeInputs {
    readonly stack: string;
    readonly region: string;
    readonly network: NetworkConfig;
    readonly baseline: BaselineConfig;
}

/** Every policy document of the stack with its size, as its service measures it. */
export function policySizes(inputs: PolicySizeInputs): PolicySize[] {
    const { stack, region, network, baseline } = inputs;
    const partition = partitionOf(region);
    const scope: AccountScope = { accountId: ACCOUNT, partition, region };
    const keyArn = `arn:${partition}:kms:${region}:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`;
    const trailArn = `arn:${partition}:cloudtrail:${region}:${ACCOUNT}:trail/secure-ai-${stack}`;
    // The deployer: a role of the longest name IAM allows (IAM API Reference, CreateRole: RoleName 1 to 64) under
    // the path IAM Identity Center gives its roles, /aws-reserved/sso.amazonaws.com/<region>/ (IAM Identity Center
    // User Guide, "IAM roles created by IAM Identity Center"), with the longest Region code @pulumi/aws 7.48.0 lists.
    const deployer = `arn:${partition}:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${LONGEST_REGION}/${"r".repeat(64)}`;
    const bucketArn = (purpose: string) => bucketArnIn(partition, stack, purpose);
    const azs = network.availabilityZones.length;
    const subnets = (tier: number) => Array.from({ length: azs }, (_, i) => ec2Id("subnet", tier * 16 + i));
    const buckets = { data: bucketArn("training-data"), models: bucketArn("model-artifacts"), audit: bucketArn("audit"), logs: bucketArn("access-logs"), config: bucketArn("config") };
    const workload = (workloadKind: "TrainingJobs" | "Endpoints", read: string[], scanned: string[], write: string[], tier: number) =>
        workloadPolicy({
            scope,
            workload: workloadKind,
            keyArn,
            readBucketArns: read,
            scannedBucketArns: scanned,
            writeBucketArns: write,
            vpcId: ec2Id("vpc", 1),
            subnetIds: subnets(tier),
            securityGroupId: ec2Id("sg", tier),
            imageRepositories: baseline.imageRepositories,
        });
    const logBucket = (arn: string): LogBucketPolicyArgs & { guard: SettingsGuard } => ({
        bucketArn: arn,
        accountId: ACCOUNT,
        deletionExemptArn: baseline.protectData ? undefined : deployer,
        guard: { breakGlassRoleId: baseline.protectData ? LONGEST_ROLE_ID : undefined },
    });
    // A log group created under namePrefix: the prefix plus the provider's 26-character unique id.
    const longestLogGroup = Math.max(...LOG_GROUP_IDS.map((id) => id.length));
    const logGroupArn = `arn:${partition}:logs:${region}:${ACCOUNT}:log-group:${logGroupPrefix("secure-ai", stack)}${"g".repeat(longestLogGroup)}-${"0".repeat(26)}`;
    // The malware-scan role is auto-named from its logical name (`secure-ai-<stack>-malware-scan` + "-" + 7 characters).
    const scanRoleArn = `arn:${partition}:iam::${ACCOUNT}:role/secure-ai-${stack}-malware-scan-abcdefg`;
    const ai = (arn: string, malwareScanRoleArn?: string) =>
        aiBucketPolicy({ bucketArn: arn, keyArn, s3EndpointId: ec2Id("vpce", 1), deployerArn: deployer, scope, ...(malwareScanRoleArn === undefined ? {} : { malwareScanRoleArn }) });
    const guardrails = baseline.manageAccountGuardrails;
    const topicArn = guardrails ? alertTopicArn(scope, `secure-ai-${stack}-finding-alerts`) : undefined;
    // The AWS Config recorder's role is auto-named from its logical name (`secure-ai-<stack>-config` + "-" + 7
    // characters, baseline/detection.ts configRecorderRole); its bucket exists on the guardrail-owning stack only.
    const configRoleArn = `arn:${partition}:iam::${ACCOUNT}:role/secure-ai-${stack}-config-abcdefg`;
    const accessLogSources = [
        { bucketArn: buckets.data, prefix: "training-data/" },
        { bucketArn: buckets.models, prefix: "model-artifacts/" },
        { bucketArn: buckets.audit, prefix: "audit/" },
        ...(guardrails ? [{ bucketArn: buckets.config, prefix: "config/" }] : []),
    ];
    return [
        { kind: "inline", subject: "training role inline policy", size: iamPolicySize(workload("TrainingJobs", [buckets.data], [buckets.data], [buckets.models], 1)) },
        { kind: "inline", subject: "inference role inline policy", size: iamPolicySize(workload("Endpoints", [buckets.models], [], [], 2)) },
        { kind: "managed", subject: "SageMaker VPC guard managed policy", size: iamPolicySize(sageMakerVpcGuardPolicy(scope, [...subnets(1), ...subnets(2)], baseline.localStorageInstanceFamilies)) },
        { kind: "trust", subject: "training role trust policy", role: "training", size: iamPolicySize(serviceTrustPolicy(baseline.trainingPrincipals, ACCOUNT)), drivenBy: [`${BASE}.trainingPrincipals`], remedy: "list fewer service principals" },
        { kind: "trust", subject: "inference role trust policy", role: "inference", size: iamPolicySize(serviceTrustPolicy(baseline.inferencePrincipals, ACCOUNT)), drivenBy: [`${BASE}.inferencePrincipals`], remedy: "list fewer service principals" },
        { kind: "inline", subject: "log delivery roles' inline policy", size: iamPolicySize(logDeliveryPolicy(logGroupArn)) },
        { kind: "trust", subject: "flow log delivery role trust policy", role: "flow-logs", size: iamPolicySize(serviceTrustPolicy(["vpc-flow-logs.amazonaws.com"], ACCOUNT)), ...FIXED },
        { kind: "trust", subject: "CloudTrail delivery role trust policy", role: "cloudtrail-logs", size: iamPolicySize(serviceTrustPolicy(["cloudtrail.amazonaws.com"], undefined)), ...FIXED },
        { kind: "trust", subject: "malware-scan role trust policy", role: "malware-scan", size: iamPolicySize(serviceTrustPolicy([MALWARE_PROTECTION_PRINCIPAL], ACCOUNT)), ...FIXED },
        { kind: "inline", subject: "malware-scan role inline policy", size: iamPolicySize(malwareScanRolePolicy(scope, buckets.data, keyArn)) },
        // The break-glass role exists on a stack that protects its data only (baseline/baseline.ts); its trust
        // policy names the account and the partition, nothing of the config: the same size in every account.
        ...(baseline.protectData
            ? [{ kind: "trust", subject: "break-glass role trust policy", role: "break-glass", size: iamPolicySize(breakGlassTrustPolicy(partition, ACCOUNT)), ...FIXED } as const]
            : []),
        ...(guardrails
            ? [
                  { kind: "trust", subject: "AWS Config recorder role trust policy", role: "config", size: iamPolicySize(serviceTrustPolicy(["config.amazonaws.com"], ACCOUNT)), ...FIXED } as const,
                  { kind: "inline", subject: "AWS Config delivery inline policy", size: iamPolicySize(configDeliveryPolicy(buckets.config, ACCOUNT, keyArn)) } as const,
              ]
            : []),
        { kind: "key", subject: "stack key policy", size: resourcePolicyBytes(keyPolicy(scope, logGroupPrefix("secure-ai", stack), trailArn, guardrails, topicArn)) },
        { kind: "bucket", subject: "training-data bucket policy", size: resourcePolicyBytes(ai(buckets.data, scanRoleArn)) },
        { kind: "bucket", subject: "model-artifacts bucket policy", size: resourcePolicyBytes(ai(buckets.models)) },
        { kind: "bucket", subject: "audit bucket policy", size: resourcePolicyBytes(auditBucketPolicy(logBucket(buckets.audit), trailArn)) },
        ...(guardrails
            ? [{ kind: "bucket", subject: "AWS Config bucket policy", size: resourcePolicyBytes(configBucketPolicy(logBucket(buckets.config), configRoleArn)) } as const]
            : []),
        { kind: "bucket", subject: "access-log bucket policy", size: resourcePolicyBytes(accessLogBucketPolicy(logBucket(buckets.logs), accessLogSources)) },
    ];
}
