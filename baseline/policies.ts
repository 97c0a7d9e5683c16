// Pure policy documents for the baseline: functions of ARN strings, no Pulumi.
import type { AccountScope } from "../policy/scope";
import { policy, type Conditions, type PolicyDocument, type Statement } from "../policy/document";

/** Every CloudWatch log group of the stack lives under this name prefix, so the key policy can name them. */
export function logGroupPrefix(project: string, stack: string): string {
    return `/${project}/${stack}/`;
}

/**
 * Customer-managed key policy: the account administers the key and lets IAM policies grant its use (without
 * this, no role's IAM policy could use the key); CloudWatch Logs may use it only for the stack's log groups and
 * CloudTrail only for the stack's trail, each bound by its encryption context. When the stack owns the account
 * guardrails the key is also the EBS default key and admits EC2 on behalf of the account's principals.
 */
export function keyPolicy(scope: AccountScope, logGroupNamePrefix: string, trailArn: string, ebsDefaultKey: boolean, alertTopicArn?: string): PolicyDocument {
    const root = `arn:${scope.partition}:iam::${scope.accountId}:root`;
    const statements: Statement[] = [
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
        asThisTrail("CloudTrailEncryptsThisStacksTrail", "kms:GenerateDataKey*", trailArn, {
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailArn },
        }),
        // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail": with an S3 Bucket Key on the log
        // bucket (the audit bucket has one), kms:Decrypt is required to create or update the trail.
        asThisTrail("CloudTrailDecryptsForTheBucketKey", "kms:Decrypt", trailArn),
        asThisTrail("CloudTrailDescribesTheKey", "kms:DescribeKey", trailArn),
    ];
    if (alertTopicArn !== undefined) {
        // EventBridge publishes the finding alerts to the topic encrypted with this key, and a service that publishes
        // to an encrypted topic needs kms:Decrypt and kms:GenerateDataKey on its key (SNS Developer Guide, "Configure
        // AWS KMS permissions for AWS services"); bound to the one topic by the encryption context SNS uses,
        // kms:EncryptionContext:aws:sns:topicArn (the form AWS documents for services publishing to encrypted topics,
        // e.g. Amazon GameLift Servers FlexMatch Guide, "Set up an SNS topic with server-side encryption").
        statements.push({
            Sid: "EventBridgePublishesFindingAlerts",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": alertTopicArn } },
        });
    }
    if (ebsDefaultKey) {
        // As the account's EBS default key it must work like aws/ebs: for principals of this account that may use
        // EBS (including service-linked roles such as Auto Scaling's), and only through EC2.
        statements.push({
            Sid: "EbsDefaultEncryptionThroughEc2",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
            Resource: "*",
            Condition: {
                StringEquals: { "kms:CallerAccount": scope.accountId, "kms:ViaService": `ec2.${scope.region}.amazonaws.com` },
            },
        });
    }
    return policy(...statements);
}

/** A key-policy grant to CloudTrail, only when it acts for this stack's trail (`aws:SourceArn`). */
function asThisTrail(sid: string, action: string, trailArn: string, condition: Conditions = {}): Statement {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: action,
        Resource: "*",
        Condition: { ...condition, StringEquals: { "aws:SourceArn": trailArn } },
    };
}

/**
 * Trust policy for a service role, bound to this account by `aws:SourceAccount` (confused-deputy protection).
 * `accountId` is undefined only for a service whose documented trust policy has no source condition.
 */
export function serviceTrustPolicy(services: readonly string[], accountId: string | undefined): PolicyDocument {
    const assume = { Effect: "Allow", Principal: { Service: [...services] }, Action: "sts:AssumeRole" } as const;
    return policy(
        accountId === undefined
            ? { Sid: "Services", ...assume }
            : { Sid: "ServicesOfThisAccount", ...assume, Condition: { StringEquals: { "aws:SourceAccount": accountId } } },
    );
}

/** A log-delivering service (VPC flow logs, CloudTrail) may write only to its own log group. */
export function logDeliveryPolicy(logGroupArn: string): PolicyDocument {
    return policy({
        Sid: "WriteToItsLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
    });
}

/** The service principal GuardDuty Malware Protection for S3 assumes the scan role as. */
export const MALWARE_PROTECTION_PRINCIPAL = "malware-protection-plan.guardduty.amazonaws.com";

/**
 * The scan role's permissions, as the Amazon GuardDuty User Guide lists them ("Create or update IAM role policy",
 * Malware Protection for S3), for one bucket and its SSE-KMS key: GuardDuty's own EventBridge managed rule
 * (DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*), the bucket's EventBridge notifications, reading and tagging
 * objects, writing its validation object, and the key through S3 only.
 */
export function malwareScanRolePolicy(scope: AccountScope, bucketArn: string, keyArn: string): PolicyDocument {
    const rule = `arn:${scope.partition}:events:${scope.region}:${scope.accountId}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`;
    return policy(
        {
            Sid: "AllowManagedRuleToSendS3EventsToGuardDuty",
            Effect: "Allow",
            Action: ["events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets"],
            Resource: rule,
            Condition: { StringLike: { "events:ManagedBy": MALWARE_PROTECTION_PRINCIPAL } },
        },
        { Sid: "AllowGuardDutyToMonitorEventBridgeManagedRule", Effect: "Allow", Action: ["events:DescribeRule", "events:ListTargetsByRule"], Resource: rule },
        {
            Sid: "AllowPostScanTag",
            Effect: "Allow",
            Action: ["s3:PutObjectTagging", "s3:GetObjectTagging", "s3:PutObjectVersionTagging", "s3:GetObjectVersionTagging"],
            Resource: `${bucketArn}/*`,
        },
        { Sid: "AllowEnableS3EventBridgeEvents", Effect: "Allow", Action: ["s3:PutBucketNotification", "s3:GetBucketNotification"], Resource: bucketArn },
        { Sid: "AllowPutValidationObject", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucketArn}/malware-protection-resource-validation-object` },
        { Sid: "AllowCheckBucketOwnership", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
        { Sid: "AllowMalwareScan", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: `${bucketArn}/*` },
        {
            Sid: "AllowDecryptForMalwareScan",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: keyArn,
            Condition: { StringLike: { "kms:ViaService": `s3.${scope.region}.amazonaws.com` } },
        },
    );
}

/**
 * The break-glass role's trust: principals of this account only (the account principal delegates to the account's
 * IAM policies, IAM User Guide, "AWS JSON policy elements: Principal", AWS account principals), and only with MFA:
 * `aws:MultiFactorAuthPresent` is "true" only for credentials authenticated with MFA (IAM User Guide, "AWS global
 * condition context keys", aws:MultiFactorAuthPresent; "Configuring MFA-protected API access"). Nothing is attached
 * to it: whoever uses it attaches, for the time of the repair, the S3 actions the repair needs.
 */
export function breakGlassTrustPolicy(partition: string, accountId: string): PolicyDocument {
    return policy({
        Sid: "AccountPrincipalsWithMfa",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "sts:AssumeRole",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
}
