// Names the bootstrap gives what it creates: fixed and derived from the project, so the stack files and the program
// can name them. No dependencies: the program imports this at `pulumi up` (the permissions boundary's ARN).

export const BOOTSTRAP_NAMES = {
    /** KMS alias of the stack-secrets key (the stack files' `secretsprovider: awskms://alias/<this>?region=<region>`). */
    secretsKeyAlias: "pulumi-secure-ai-secrets",
    previewRole: "pulumi-secure-ai-preview",
    deployRole: (stack: string) => `pulumi-secure-ai-deploy-${stack}`,
    /**
     * The customer managed policy every role of the stack must carry as its permissions boundary: the deploy role
     * may create and change roles only with it (iam:PermissionsBoundary), and may never change it.
     */
    permissionsBoundary: (stack: string) => `pulumi-secure-ai-boundary-${stack}`,
    /** Globally unique: account and region in the name. */
    stateBucket: (account: string, region: string) => `pulumi-secure-ai-state-${account}-${region}`,
    accessLogBucket: (account: string, region: string) => `pulumi-secure-ai-state-logs-${account}-${region}`,
} as const;

/** IAM ARN of a customer managed policy (Service Authorization Reference, IAM resource type `policy`). */
export function permissionsBoundaryArn(partition: string, accountId: string, stack: string): string {
    return `arn:${partition}:iam::${accountId}:policy/${BOOTSTRAP_NAMES.permissionsBoundary(stack)}`;
}

/**
 * What the program names its own S3 buckets, IAM roles and IAM policies: `secure-ai-<stack>-<id>-<7 random hex>`
 * (Pulumi auto-naming: the logical name, "-", then 7 random hex characters; pulumi/pulumi-aws-native
 * provider/pkg/provider/autonaming.go getDefaultName, the suffix the project's mocks reproduce; config/load.ts keeps
 * stack names short enough that the suffix is never cut). The deploy role's patterns name each id and the exact
 * suffix length (`?` matches one character in IAM ARNs), so stack `dev`'s patterns never match stack `dev-eu`'s
 * names: test/bootstrap.test.ts holds every synthesized name to its own stack's patterns only.
 */
export const PROGRAM_NAMES = {
    // `config`: AWS Config's delivery bucket, on the stack that owns the account guardrails (baseline/baseline.ts).
    bucketPurposes: ["training-data", "model-artifacts", "audit", "access-logs", "config"],
    roles: ["malware-scan", "cloudtrail-logs", "flow-logs", "training", "inference", "config"],
    policies: ["sagemaker-vpc-guard"],
    autonameSuffix: "???????",
} as const;

/** `secure-ai-<stack>-<id>-???????`: one auto-named physical name of the stack (stack `*` for every stack). */
export function autonamePattern(stack: string, id: string): string {
    return `secure-ai-${stack}-${id}-${PROGRAM_NAMES.autonameSuffix}`;
}
