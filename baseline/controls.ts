// AWS Foundational Security Best Practices controls this program implements, with what enforces each. The tests
// prove every row on every stack (test/baseline.test.ts); the README and the review report show the same table.

export interface FsbpControl {
    readonly id: string;
    readonly title: string;
    /** What this program does about it (the "enforced by" column). */
    readonly proof: string;
}

export const FSBP_CONTROLS: readonly FsbpControl[] = [
    { id: "S3.1", title: "S3 account-level Block Public Access", proof: "all four account settings on, when the stack owns the account guardrails" },
    { id: "S3.5", title: "S3 buckets require SSL", proof: "every bucket policy denies `s3:*` on the bucket and its objects when `aws:SecureTransport` is false" },
    { id: "S3.8", title: "S3 buckets block public access", proof: "every bucket has all four Block Public Access settings" },
    { id: "S3.9", title: "S3 server access logging", proof: "data, models, audit and (on the guardrail-owning stack) AWS Config buckets log to the access-log bucket, each under its own prefix; the access-log bucket's policy admits exactly those sources" },
    { id: "S3.12", title: "ACLs not used to manage access", proof: "every bucket is BucketOwnerEnforced (ACLs disabled)" },
    { id: "S3.13", title: "S3 lifecycle configurations", proof: "every bucket expires noncurrent versions and aborts incomplete uploads; log buckets expire objects after `logObjectExpirationDays`" },
    { id: "S3.14", title: "S3 versioning", proof: "every bucket is versioned" },
    { id: "S3.17", title: "S3 buckets encrypted with KMS keys", proof: "data, models, audit and AWS Config buckets default to SSE-KMS with the stack key and a bucket key; the access-log bucket uses SSE-S3 because S3 delivers server access logs only there; SSE-C is blocked everywhere" },
    { id: "KMS.2", title: "IAM principals' inline policies do not allow decryption on all keys", proof: "role policies grant KMS actions on the stack key's ARN only" },
    { id: "KMS.4", title: "KMS key rotation", proof: "the stack key rotates every 365 days" },
    { id: "IAM.1", title: "No policies with full \"*\" administrative privileges", proof: "no Allow in an identity, trust, bucket or key policy has a `*` or `service:*` action; identity policies name every action exactly" },
    { id: "CloudTrail.2", title: "CloudTrail encryption at rest", proof: "the trail encrypts with the stack key" },
    { id: "CloudTrail.4", title: "CloudTrail log file validation", proof: "log file validation on" },
    { id: "CloudTrail.5", title: "CloudTrail integrated with CloudWatch Logs", proof: "the trail delivers to the KMS-encrypted `/secure-ai/<stack>/cloudtrail` log group through a role limited to that group" },
    { id: "EC2.2", title: "Default security group allows no traffic", proof: "the VPC's default security group is adopted and stripped of every rule" },
    { id: "EC2.6", title: "VPC flow logging", proof: "ALL traffic of the VPC to a KMS-encrypted log group" },
    { id: "EC2.7", title: "EBS default encryption", proof: "on, with the stack key, when the stack owns the account guardrails" },
    { id: "EC2.8", title: "EC2 instances use IMDSv2", proof: "account default `httpTokens: required` for new instances, when the stack owns the account guardrails" },
    { id: "EC2.18", title: "Security groups allow unrestricted incoming traffic only for authorized ports", proof: "no TCP or UDP security group ingress from 0.0.0.0/0 or ::/0 (the one rule from 0.0.0.0/0 is ICMP 3/4 for path MTU discovery on tiers that reach the internet through NAT); the load balancer admits the ingress allowlist's prefix list only" },
    { id: "EC2.19", title: "Security groups do not allow unrestricted access to high-risk ports", proof: "ingress peers are only the allowlist prefix list, the stack's own security groups and, for the interface endpoints, the VPC CIDR; no port is open beyond them (ICMP 3/4 has none)" },
    { id: "NetworkFirewall.2", title: "Network Firewall logging", proof: "ALERT and FLOW logs to KMS-encrypted log groups" },
    { id: "NetworkFirewall.9", title: "Network Firewall deletion protection", proof: "`protections.deletion` (on in prod)" },
    { id: "GuardDuty.1", title: "GuardDuty should be enabled", proof: "a GuardDuty detector with S3 data events and AI Protection, when the stack owns the account guardrails; Security Hub evaluates the FSBP standard there too" },
    { id: "SageMaker.1", title: "SageMaker notebooks without direct internet access", proof: "the exported guard policy denies CreateNotebookInstance unless DirectInternetAccess is Disabled, and every SageMaker create outside the stack's private subnets" },
];

/** Controls that hold only when the stack owns the account guardrails or turns a protection on. */
export function controlApplies(id: string, config: { readonly baseline: { readonly manageAccountGuardrails: boolean }; readonly firewall: { readonly protections: { readonly deletion: boolean } } }): boolean {
    if (["S3.1", "EC2.7", "EC2.8", "GuardDuty.1"].includes(id)) {
        return config.baseline.manageAccountGuardrails;
    }
    if (id === "NetworkFirewall.9") {
        return config.firewall.protections.deletion;
    }
    return true;
}
