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
