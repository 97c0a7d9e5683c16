// The deploying account and partition, looked up once by index.ts and passed to every component that writes
// ARNs or account conditions (no literal ARNs, accounts or partitions anywhere).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AccountRef {
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    /**
     * IAM ARN of the identity running `pulumi up` (kept able to manage locked-down buckets). For an assumed role
     * this is the role's ARN, not the per-session `assumed-role/...` ARN, so it does not change between runs.
     */
    readonly deployerArn: pulumi.Output<string>;
}

export function lookupAccount(provider: aws.Provider): AccountRef {
    const identity = aws.getCallerIdentityOutput({}, { provider });
    const partition = aws.getPartitionOutput({}, { provider });
    const session = aws.iam.getSessionContextOutput({ arn: identity.arn }, { provider });
    return { accountId: identity.accountId, partition: partition.partition, deployerArn: session.issuerArn };
}
