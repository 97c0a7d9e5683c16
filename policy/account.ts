// The deploying account and partition, looked up once by index.ts and passed to every component that writes
// ARNs or account conditions (no literal ARNs, accounts or partitions anywhere).
import * as aws from "../aws/pulumiAws";
import * as pulumi from "@pulumi/pulumi";

import type { AccountScope } from "./scope";

export type { AccountScope } from "./scope";

export interface AccountRef {
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    /**
     * IAM ARN of the identity running `pulumi up` (kept able to manage locked-down buckets). For an assumed role
     * this is the role's ARN, not the per-session `assumed-role/...` ARN, so it does not change between runs.
     */
    readonly deployerArn: pulumi.Output<string>;
    /** accountId, partition and the stack's region together, for pure policy builders. */
    readonly scope: pulumi.Output<AccountScope>;
}

export function lookupAccount(provider: aws.Provider, region: string): AccountRef {
    const identity = aws.getCallerIdentityOutput({}, { provider });
    const partition = aws.getPartitionOutput({}, { provider });
    const session = aws.iam.getSessionContextOutput({ arn: identity.arn }, { provider });
    const scope = pulumi
        .all([identity.accountId, partition.partition])
        .apply(([accountId, name]) => ({ accountId, partition: name, region }));
    return { accountId: identity.accountId, partition: partition.partition, deployerArn: session.issuerArn, scope };
}
