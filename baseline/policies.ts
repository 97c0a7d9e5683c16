// Pure policy documents for the baseline: functions of ARN strings, no Pulumi.
import type { AccountScope } from "../policy/account";
import { policy, type PolicyDocument } from "../policy/document";

/** Every CloudWatch log group of the stack lives under this name prefix, so the key policy can name them. */
export function logGroupPrefix(project: string, stack: string): string {
    return `/${project}/${stack}/`;
}

/**
 * Customer-managed key policy: the account administers the key and lets IAM policies grant its use (without
 * this, no role's IAM policy could use the key); CloudWatch Logs may use it only for the stack's log groups and
 * CloudTrail only for the stack's trail, each bound by its encryption context.
 */
export function keyPolicy(scope: AccountScope, logGroupNamePrefix: string, trailArn: string): PolicyDocument {
    const root = `arn:${scope.partition}:iam::${scope.accountId}:root`;
    return policy(
        {
            Sid: "AccountAdministersTheKey",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: [
                "kms:Create*",
                "kms:Describe*",
                "kms:Enable*",
                "kms:List*",
                "kms:Put*",
                "kms:Update*",
                "kms:Revoke*",
                "kms:Disable*",
                "kms:Get*",
                "kms:Delete*",
                "kms:TagResource",
                "kms:UntagResource",
                "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion",
                "kms:RotateKeyOnDemand",
            ],
            // In a key policy "*" means this key.
            Resource: "*",
        },
        {
            Sid: "IamPoliciesMayGrantUse",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant"],
            Resource: "*",
        },
        {
            Sid: "CloudWatchLogsForThisStacksLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${scope.region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
                ArnLike: {
                    "kms:EncryptionContext:aws:logs:arn": `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${logGroupNamePrefix}*`,
                },
            },
        },
        {
            Sid: "CloudTrailEncryptsThisStacksTrail",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Condition: {
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailArn },
                StringEquals: { "aws:SourceArn": trailArn },
            },
        },
        {
            Sid: "CloudTrailDescribesTheKey",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:DescribeKey",
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
        },
    );
}

/** Trust policy for a service role, bound to this account (confused-deputy protection). */
export function serviceTrustPolicy(services: readonly string[], accountId: string): PolicyDocument {
    return policy({
        Sid: "ServicesOfThisAccount",
        Effect: "Allow",
        Principal: { Service: [...services] },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
}

/** VPC flow logs may write only to their own log group. */
export function flowLogDeliveryPolicy(logGroupArn: string): PolicyDocument {
    return policy({
        Sid: "WriteToTheFlowLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
    });
}
