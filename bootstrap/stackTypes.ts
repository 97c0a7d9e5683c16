// The resource types one stack file's config makes the program register, so each stack's deploy role is built from
// its own stack's types: a stack without account guardrails gets no GuardDuty, Security Hub, AWS Config or SNS
// permissions, a stack without egress no NAT gateway or Elastic IP ones. Pure: the same decisions the components
// make (baseline/baseline.ts: manageAccountGuardrails, auditLogLockDays; network/plan.ts: planEgress;
// baseline/detection.ts: one subscription per alert email). test/bootstrap.test.ts holds every stack file's and
// fixture's synthesis to it.
import { auditLogLockDays } from "../config/baseline";
import type { StackConfig } from "../config/load";
import { planEncryptionControl } from "../network/encryptionControl";
import { planEgress } from "../network/plan";
import { PROGRAM_TYPES } from "./permissions";

/** Registered only by the stack that manages the account guardrails (AccountGuardrails and AccountDetection). */
export const GUARDRAIL_TYPES: readonly string[] = [
    "aws:cfg/deliveryChannel:DeliveryChannel",
    "aws:cfg/recorder:Recorder",
    "aws:cfg/recorderStatus:RecorderStatus",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:ebs/defaultKmsKey:DefaultKmsKey",
    "aws:ebs/encryptionByDefault:EncryptionByDefault",
    "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults",
    "aws:guardduty/detector:Detector",
    "aws:guardduty/detectorFeature:DetectorFeature",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:inspector2/enabler:Enabler",
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    "aws:securityhub/account:Account",
    "aws:securityhub/standardsSubscription:StandardsSubscription",
    "aws:sns/topic:Topic",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
];
/** Registered only where some tier reaches allowlisted domains through NAT. */
export const EGRESS_TYPES: readonly string[] = ["aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway"];
/** Registered only where the audit bucket is object-locked. */
export const OBJECT_LOCK_TYPES: readonly string[] = ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"];
/** Registered only where `secure-ai:network.encryptionControl` is on (network/encryptionControl.ts). */
export const ENCRYPTION_CONTROL_TYPES: readonly string[] = ["aws:ec2/vpcEncryptionControl:VpcEncryptionControl"];
/** One per alert email. */
export const ALERT_EMAIL_TYPES: readonly string[] = ["aws:sns/topicSubscription:TopicSubscription"];

/** The types a stack with this config registers, sorted. */
export function stackTypes(config: StackConfig): string[] {
    const guardrails = config.baseline.manageAccountGuardrails;
    const egress = planEgress(config.network.availabilityZones, config.network.natGateways, config.firewall.egress.allowedDomains.length > 0).natAzs.length > 0;
    const locked = auditLogLockDays(config.baseline) !== undefined;
    const emails = guardrails && config.baseline.alertEmails.length > 0;
    const encryption = planEncryptionControl(config.network).mode !== undefined;
    return PROGRAM_TYPES.filter(
        (t) =>
            (encryption || !ENCRYPTION_CONTROL_TYPES.includes(t)) &&
            (guardrails || !GUARDRAIL_TYPES.includes(t)) &&
            (egress || !EGRESS_TYPES.includes(t)) &&
            (locked || !OBJECT_LOCK_TYPES.includes(t)) &&
            (emails || !ALERT_EMAIL_TYPES.includes(t)),
    );
}
