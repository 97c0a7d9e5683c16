// Fixed (hourly or monthly) list prices of what the stack deploys. Usage charges (GB processed, log ingestion,
// requests, CloudTrail data events) depend on traffic and are not estimated.
//
// Region: us-east-1. Recorded: 2026-11-30, from AWS's public pricing pages (AWS Network Firewall pricing, Amazon VPC
// pricing for NAT gateways and public IPv4 addresses, AWS PrivateLink pricing, AWS KMS pricing). Other regions cost
// more or less: read the figures as an order of magnitude (the report and the diff name the priced region).

export const PRICE_REGION = "us-east-1";
export const PRICE_DATE = "2026-11-30";
export const PRICE_SOURCE = "AWS pricing pages: Network Firewall, Amazon VPC (NAT gateway, public IPv4), PrivateLink, KMS";
export const HOURS_PER_MONTH = 730;

export interface Price {
    /** What one unit is. */
    readonly unit: string;
    readonly usdPerHour?: number;
    readonly usdPerMonth?: number;
}

export const PRICES = {
    firewallEndpoint: { unit: "Network Firewall endpoint (one per AZ)", usdPerHour: 0.395 },
    natGateway: { unit: "NAT gateway", usdPerHour: 0.045 },
    publicIpv4: { unit: "public IPv4 address (Elastic IP)", usdPerHour: 0.005 },
    interfaceEndpoint: { unit: "interface endpoint, per AZ (subnet)", usdPerHour: 0.01 },
    kmsKey: { unit: "customer managed KMS key", usdPerMonth: 1 },
} as const satisfies Readonly<Record<string, Price>>;

export type PriceKey = keyof typeof PRICES;

/** Monthly cost of `count` units at 730 hours. */
export function monthly(key: PriceKey, count: number): number {
    const price: Price = PRICES[key];
    return count * ((price.usdPerHour ?? 0) * HOURS_PER_MONTH + (price.usdPerMonth ?? 0));
}
