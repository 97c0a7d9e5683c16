// Fixed (hourly or monthly) list prices of what the stack deploys. Usage charges (GB processed, log ingestion,
// requests, CloudTrail data events) depend on traffic and are not estimated.
//
// Region: us-east-1. Recorded: 2026-11-30, from AWS's public pricing pages (AWS Network Firewall pricing, Amazon VPC
// pricing for NAT gateways and public IPv4 addresses, AWS PrivateLink pricing, AWS KMS pricing). Other regions cost
// more or less: read the figures as an order of magnitude (the report and the diff name the priced region).

export const PRICE_REGION = "us-east-1";
export const PRICE_DATE = "2026-11-30";
export const PRICE_SOURCE = "AWS pricing pages: Network Firewall, Amazon VPC (NAT gateway, public IPv4), PrivateLink, KMS, Route 53 (DNS Firewall)";
export const HOURS_PER_MONTH = 730;

export interface Price {
    /** What one unit is. */
    readonly unit: string;
    readonly usdPerHour?: number;
    readonly usdPerMonth?: number;
}

const NAT_GATEWAY_HOURLY = 0.045;

export const PRICES = {
    firewallEndpoint: { unit: "Network Firewall endpoint (one per AZ)", usdPerHour: 0.395 },
    natGateway: { unit: "NAT gateway", usdPerHour: NAT_GATEWAY_HOURLY },
    // AWS Cost and Usage Reports User Guide, "Discount details" (discount/BundledDiscount): "If you create a NAT
    // gateway with AWS Network Firewall, then the standard NAT gateway processing and per-hour usage charges are
    // waived on a one-to-one basis with the firewall's processing per GB and usage hours." Counted as
    // min(NAT gateways, firewall endpoints) NAT gateway hours a month, credited.
    natGatewayWaived: { unit: "NAT gateway hours waived one-to-one with firewall endpoint hours (bundled discount)", usdPerHour: -NAT_GATEWAY_HOURLY },
    publicIpv4: { unit: "public IPv4 address (Elastic IP)", usdPerHour: 0.005 },
    interfaceEndpoint: { unit: "interface endpoint, per AZ (subnet)", usdPerHour: 0.01 },
    kmsKey: { unit: "customer managed KMS key", usdPerMonth: 1 },
    // Route 53 pricing, DNS Firewall (as AWS's own agent-toolkit-for-aws skill "Blocking Malicious Domains with
    // Route 53 DNS Firewall" restates it, commit d6ad2e4, 2026-08-20): $0.0005 per domain per month in custom
    // domain lists (managed lists are free); DNS Firewall Advanced $0.16 per hour per rule group containing one or
    // more Advanced rules, per VPC association.
    dnsFirewallDomain: { unit: "DNS Firewall custom domain list entry", usdPerMonth: 0.0005 },
    dnsFirewallAdvanced: { unit: "DNS Firewall Advanced (rule group with Advanced rules, per VPC association)", usdPerHour: 0.16 },
} as const satisfies Readonly<Record<string, Price>>;

/** Usage-based charges the stack incurs, named with their list price; traffic decides the amount, so none is estimated. */
export const USAGE_PRICES: readonly { readonly what: string; readonly price: string; readonly source: string }[] = [
    { what: "DNS Firewall queries (every query of the VPC, once a rule group is associated)", price: "$0.60 per million (first billion a month), then $0.40", source: "Route 53 pricing, DNS Firewall" },
    { what: "Resolver query logs, Network Firewall ALERT/FLOW logs, flow logs and CloudTrail delivered to CloudWatch Logs", price: "CloudWatch Logs ingestion and storage per GB", source: "Amazon CloudWatch pricing" },
    { what: "GuardDuty Malware Protection for S3 (training-data uploads)", price: "per GB scanned and per object scanned", source: "Amazon GuardDuty pricing, Malware Protection for S3" },
    { what: "GuardDuty (guardrails stack): CloudTrail, VPC flow and DNS logs analyzed, S3 data events, AI Protection events", price: "per million events and per GB analyzed", source: "Amazon GuardDuty pricing" },
    { what: "Amazon Inspector ECR scanning (guardrails stack)", price: "per image scanned on push and per rescan", source: "Amazon Inspector pricing" },
    { what: "Security Hub FSBP checks (guardrails stack)", price: "per security check and per finding ingested", source: "AWS Security Hub pricing" },
    { what: "AWS Config (guardrails stack)", price: "per configuration item recorded and per rule evaluation", source: "AWS Config pricing" },
    { what: "Network Firewall traffic processed", price: "per GB", source: "AWS Network Firewall pricing" },
    { what: "NAT gateway data processed", price: "per GB, waived one-to-one with the GB the firewall processes (bundled discount)", source: "Amazon VPC pricing; AWS Cost and Usage Reports User Guide, Discount details" },
    { what: "CloudTrail data events on the AI buckets", price: "per 100,000 events", source: "AWS CloudTrail pricing" },
];

/**
 * Fixed charges the stack can incur whose figure this table has no AWS source for: the report names them, with the
 * count, and leaves them out of the total rather than guess.
 */
export const UNPRICED_FIXED = {
    // AWS News Blog, "Introducing VPC encryption controls: enforce encryption in transit within and across VPCs in a
    // Region" (2025-11): "VPC encryption controls is free of cost until March 1, 2026. The VPC pricing page will be
    // updated with details as we get closer to that date." The Amazon VPC User Guide's "Pricing" section points to
    // Amazon VPC pricing; its figure is not recorded here.
    vpcEncryptionControl: {
        unit: "VPC with a control",
        what: "VPC encryption controls",
        terms: 'charged since 2026-03-01 (free before: AWS News Blog, "Introducing VPC encryption controls") at the rate Amazon VPC pricing states, which this table does not record, so not in the total',
    },
} as const;

export type PriceKey = keyof typeof PRICES;

/** Monthly cost of `count` units at 730 hours. */
export function monthly(key: PriceKey, count: number): number {
    const price: Price = PRICES[key];
    return count * ((price.usdPerHour ?? 0) * HOURS_PER_MONTH + (price.usdPerMonth ?? 0));
}
