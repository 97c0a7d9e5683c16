// The pure parts of account-level detection (baseline/detection.ts): ARNs, the alert topic's policy and AWS Config's
// delivery policy, as functions of plain values, so policy-size checks and tests use them without the provider SDK.
import { policy, type PolicyDocument } from "../policy/document";

/** AWS Foundational Security Best Practices v1.0.0 (@pulumi/aws 7.48.0 securityhub/standardsSubscription.d.ts). */
export function fsbpStandardArn(partition: string, region: string): string {
    return `arn:${partition}:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
}

/** Only the stack's finding rules may publish to the alert topic (SNS Developer Guide, "Amazon SNS access control"). */
export function alertTopicPolicy(topicArn: string, ruleArns: readonly string[], accountId: string): PolicyDocument {
    return policy({
        Sid: "FindingRulesPublish",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns] }, StringEquals: { "aws:SourceAccount": accountId } },
    });
}

/** The alert topic's ARN from its fixed name (SNS topic ARNs are arn:<partition>:sns:<region>:<account>:<name>). */
export function alertTopicArn(scope: { readonly partition: string; readonly region: string; readonly accountId: string }, name: string): string {
    return `arn:${scope.partition}:sns:${scope.region}:${scope.accountId}:${name}`;
}

/**
 * How to subscribe to the finding alerts without `alertEmails` (AWS CLI Command Reference, `aws sns subscribe`:
 * --topic-arn, --protocol email, --notification-endpoint; the address then confirms, as with `alertEmails`).
 */
export function alertSubscribeCommand(topicArn: string, region: string): string {
    return `aws sns subscribe --region ${region} --topic-arn ${topicArn} --protocol email --notification-endpoint <address>`;
}

/** The AWS managed policy AWS Config's own role uses to read resource configurations (AWS Config Developer Guide,
 * "Permissions for the IAM role assigned to AWS Config"). */
export function configManagedPolicyArn(partition: string): string {
    return `arn:${partition}:iam::aws:policy/service-role/AWS_ConfigRole`;
}

/**
 * What AWS Config's role needs to deliver to the stack's Config bucket, SSE-KMS with the stack key (AWS Config Developer Guide,
 * "Permissions for the Amazon S3 bucket for the AWS Config delivery channel" and "Permissions for the KMS key"):
 * write under AWSLogs/<account>/Config/ with the bucket owner in full control, read the bucket ACL, use the key.
 */
export function configDeliveryPolicy(bucketArn: string, accountId: string, keyArn: string): PolicyDocument {
    return policy(
        {
            Sid: "DeliverConfigurationSnapshotsAndHistory",
            Effect: "Allow",
            Action: "s3:PutObject",
            Resource: `${bucketArn}/AWSLogs/${accountId}/Config/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        { Sid: "CheckTheBucketAcl", Effect: "Allow", Action: "s3:GetBucketAcl", Resource: bucketArn },
        { Sid: "EncryptWithTheStackKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: keyArn },
    );
}
