// Account-level detection, scanning and evaluation, on the stack that owns the account guardrails (one per account
// and region): GuardDuty, Amazon Inspector for ECR images, Security Hub with the AWS Foundational Security Best
// Practices standard, and an alert path for high-severity findings to a KMS-encrypted SNS topic. The event patterns
// and the topic policy are pure data beside the component.
import * as aws from "../aws/pulumiAws";
import * as pulumi from "@pulumi/pulumi";
import { nameTag, resourceName } from "../network/naming";
import type { AccountRef } from "../policy/account";
import { fsbpStandardArn, alertTopicPolicy, configManagedPolicyArn, configDeliveryPolicy } from "./detectionPolicies";
import { FINDING_RULES } from "./findingRules";
import { serviceTrustPolicy } from "./policies";

export { FINDING_RULES, type FindingRule } from "./findingRules";
export { fsbpStandardArn, alertTopicPolicy, alertTopicArn, alertSubscribeCommand, configManagedPolicyArn, configDeliveryPolicy } from "./detectionPolicies";

/**
 * GuardDuty protection plans this stack turns on (@pulumi/aws 7.48.0 guardduty/detectorFeature.d.ts lists the
 * names):
 * - S3_DATA_EVENTS: object-level activity on every bucket, the training data and models included;
 * - AI_PROTECTION: "GuardDuty analyzes AWS CloudTrail management events and data events of Amazon Bedrock and Amazon
 *   SageMaker AI" (GuardDuty User Guide, "AI Protection finding types"): the SageMaker workload itself.
 * Runtime Monitoring covers EKS, ECS and EC2 only (GuardDuty User Guide, "Runtime Monitoring"), not SageMaker jobs,
 * and its automated agent adds VPC endpoints outside this program, so it is left to accounts that run those.
 */
export const GUARDDUTY_FEATURES = ["S3_DATA_EVENTS", "AI_PROTECTION"] as const;

/** What Inspector scans: the ECR images the workloads pull (`imageRepositories`). */
export const INSPECTOR_RESOURCE_TYPES = ["ECR"] as const;

/**
 * The AWS Config recorder's role, with the AWS managed policy that lets it read resource configurations. Created
 * before the stack's Config delivery bucket, whose policy names it as the only writer (baseline/bucketPolicies.ts
 * configBucketPolicy); AccountDetection then gives it the delivery policy naming that bucket.
 */
export function configRecorderRole(
    name: string,
    namePrefix: string,
    account: AccountRef,
    permissionsBoundary: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
    // Named under the stack's prefix like every role of the stack: the deploy role may create only those.
    const role = new aws.iam.Role(
        resourceName(namePrefix, "config"),
        {
            description: `${namePrefix}: AWS Config recorder`,
            assumeRolePolicy: account.accountId.apply((accountId) => JSON.stringify(serviceTrustPolicy(["config.amazonaws.com"], accountId))),
            permissionsBoundary,
            tags: nameTag(namePrefix, "config"),
        },
        opts,
    );
    new aws.iam.RolePolicyAttachment(
        resourceName(name, "config"),
        { role: role.name, policyArn: account.scope.apply((s) => configManagedPolicyArn(s.partition)) },
        opts,
    );
    return role;
}

export interface AccountDetectionArgs {
    /**
     * AWS Config delivers configuration snapshots and history here: the stack's Config bucket (never the audit
     * bucket, which may have Object Lock), written only by `configRole`.
     */
    readonly configBucketName: pulumi.Input<string>;
    readonly configBucketArn: pulumi.Input<string>;
    /** The Config bucket's policy: PutDeliveryChannel checks that AWS Config may write to the bucket. */
    readonly configBucketReady: pulumi.Resource;
    /** The recorder's role (configRecorderRole). */
    readonly configRole: aws.iam.Role;
    /** The topic's name, fixed: the key policy names its ARN. */
    readonly topicName: string;
    readonly namePrefix: string;
    readonly account: AccountRef;
    /** The stack key: the alert topic is encrypted with it (its key policy admits EventBridge). */
    readonly keyArn: pulumi.Input<string>;
    /** Email addresses subscribed to the alert topic (each must confirm the subscription). */
    readonly alertEmails: readonly string[];
}

export class AccountDetection extends pulumi.ComponentResource {
    readonly alertTopicArn: pulumi.Output<string>;
    readonly guardDutyDetectorId: pulumi.Output<string>;

    constructor(name: string, args: AccountDetectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:baseline:AccountDetection", name, {}, opts);
        const child = { parent: this };
        const { namePrefix, account } = args;

        const detector = new aws.guardduty.Detector(
            resourceName(name, "guardduty"),
            { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES", tags: nameTag(namePrefix, "guardduty") },
            child,
        );
        for (const feature of GUARDDUTY_FEATURES) {
            new aws.guardduty.DetectorFeature(resourceName(name, "guardduty", feature.toLowerCase()), { detectorId: detector.id, name: feature, status: "ENABLED" }, child);
        }
        new aws.inspector2.Enabler(
            resourceName(name, "inspector"),
            { accountIds: [account.accountId], resourceTypes: [...INSPECTOR_RESOURCE_TYPES] },
            child,
        );
        // Security Hub without its default standards (CIS 1.2 among them): exactly FSBP, one finding per control.
        const hub = new aws.securityhub.Account(
            resourceName(name, "securityhub"),
            { enableDefaultStandards: false, controlFindingGenerator: "SECURITY_CONTROL", autoEnableControls: true },
            child,
        );
        new aws.securityhub.StandardsSubscription(
            resourceName(name, "fsbp"),
            { standardsArn: account.scope.apply((s) => fsbpStandardArn(s.partition, s.region)) },
            { ...child, dependsOn: [hub] },
        );

        // AWS Config records the region's resources, which Security Hub's FSBP checks evaluate (most FSBP controls
        // are AWS Config rules that Security Hub manages), and delivers to the stack's Config bucket.
        const configRole = args.configRole;
        const delivery = new aws.iam.RolePolicy(
            resourceName(name, "config-delivery"),
            {
                role: configRole.id,
                policy: pulumi
                    .all([args.configBucketArn, account.accountId, args.keyArn])
                    .apply(([bucketArn, accountId, keyArn]) => JSON.stringify(configDeliveryPolicy(bucketArn, accountId, keyArn))),
            },
            child,
        );
        const recorder = new aws.cfg.Recorder(
            resourceName(name, "config"),
            { name: namePrefix, roleArn: configRole.arn, recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } },
            child,
        );
        const channel = new aws.cfg.DeliveryChannel(
            resourceName(name, "config"),
            { name: namePrefix, s3BucketName: args.configBucketName, s3KmsKeyArn: args.keyArn },
            // PutDeliveryChannel fails with InsufficientDeliveryPolicyException when AWS Config may not write to the
            // bucket (AWS Config API Reference, PutDeliveryChannel): the role policy and the bucket policy go first.
            { ...child, dependsOn: [recorder, delivery, args.configBucketReady] },
        );
        new aws.cfg.RecorderStatus(resourceName(name, "config"), { name: recorder.name, isEnabled: true }, { ...child, dependsOn: [channel] });

        const topic = new aws.sns.Topic(
            resourceName(name, "alerts"),
            { name: args.topicName, displayName: `${namePrefix} security findings`, kmsMasterKeyId: args.keyArn, tags: nameTag(namePrefix, "alerts") },
            child,
        );
        const rules = FINDING_RULES.map((rule) => {
            const r = new aws.cloudwatch.EventRule(
                resourceName(name, "findings", rule.id),
                { description: rule.description, eventPattern: JSON.stringify(rule.eventPattern), tags: nameTag(namePrefix, "findings", rule.id) },
                child,
            );
            new aws.cloudwatch.EventTarget(resourceName(name, "findings", rule.id), { rule: r.name, arn: topic.arn }, child);
            return r;
        });
        new aws.sns.TopicPolicy(
            resourceName(name, "alerts"),
            {
                arn: topic.arn,
                policy: pulumi
                    .all([topic.arn, pulumi.all(rules.map((r) => r.arn)), account.accountId])
                    .apply(([topicArn, ruleArns, accountId]) => JSON.stringify(alertTopicPolicy(topicArn, ruleArns, accountId))),
            },
            child,
        );
        // Keyed by address: reordering the list changes no subscription.
        for (const endpoint of args.alertEmails) {
            new aws.sns.TopicSubscription(resourceName(name, "alerts", endpoint), { topic: topic.arn, protocol: "email", endpoint }, child);
        }

        this.alertTopicArn = topic.arn;
        this.guardDutyDetectorId = detector.id;
        this.registerOutputs({ alertTopicArn: this.alertTopicArn, guardDutyDetectorId: this.guardDutyDetectorId });
    }
}
