// Route 53 Resolver DNS Firewall: what the VPC's resolver may answer, planned from config alone. Pure; the
// DnsFirewall component turns the plan into resources, and dnsDecision.ts evaluates queries against it.
//
// Why: traffic to the Amazon-provided resolver is not inspected by Network Firewall, so without this any workload,
// training included (whatever its routes), can send data out in DNS query names to a domain an attacker serves.
// AWS documents this as DNS Firewall's primary use: "to help prevent DNS exfiltration of your data" (Amazon Route 53
// Developer Guide, "Using DNS Firewall to filter outbound DNS traffic").
import type { DnsConfig } from "../config/firewall";
import { parseDomain } from "../config/domains";
import { MANAGED_DOMAIN_LIST_NAMES, type ManagedDomainListName } from "./managedDomainLists";

/** DNS Firewall rule actions (registry schema AWS::Route53Resolver::FirewallRuleGroup, FirewallRule.Action). */
export type DnsAction = "ALLOW" | "BLOCK" | "ALERT";
/**
 * DNS Firewall Advanced protections and confidence thresholds (@pulumi/aws 7.48.0, route53/resolverFirewallRule.d.ts:
 * dnsThreatProtection "DGA, DICTIONARY_DGA, DNS_TUNNELING", confidenceThreshold "LOW, MEDIUM, HIGH"; ALLOW is not
 * valid for them).
 */
export const DNS_THREAT_PROTECTIONS = ["DNS_TUNNELING", "DGA", "DICTIONARY_DGA"] as const;
export type DnsThreatProtection = (typeof DNS_THREAT_PROTECTIONS)[number];
export const DNS_CONFIDENCE_THRESHOLDS = ["HIGH", "MEDIUM", "LOW"] as const;
export type DnsConfidence = (typeof DNS_CONFIDENCE_THRESHOLDS)[number];

/** A domain list the stack creates: a key the rules refer to, and its entries in DNS Firewall's syntax. */
export interface DnsDomainList {
    readonly key: "aws-service-names" | "egress-allowlist" | "everything";
    readonly domains: readonly string[];
}

export interface DnsRule {
    /** Named intent, also the rule's name in AWS (shown in the query logs as firewall_rule_action's rule). */
    readonly intent: string;
    readonly priority: number;
    readonly action: DnsAction;
    /** A domain list of the plan, an AWS managed list by id, or an Advanced protection. */
    readonly match:
        | { readonly kind: "list"; readonly list: DnsDomainList["key"] }
        | { readonly kind: "managed"; readonly list: ManagedDomainListName; readonly domainListId: string }
        | { readonly kind: "threat"; readonly protection: DnsThreatProtection; readonly confidence: DnsConfidence };
    /** For BLOCK: the answer the workload gets. */
    readonly blockResponse?: "NXDOMAIN";
}

export interface DnsFirewallPlan {
    readonly domainLists: readonly DnsDomainList[];
    /** In priority order (lowest first: DNS Firewall evaluates the lowest priority first and stops at a match). */
    readonly rules: readonly DnsRule[];
    /** FirewallFailOpen: DISABLED means a query DNS Firewall cannot evaluate is blocked (fail closed). */
    readonly failOpen: "DISABLED";
}

/**
 * Names AWS itself answers that the VPC's workloads must resolve, for a region:
 * - `*.<region>.amazonaws.com`: every regional service endpoint, which is what the interface endpoints' private DNS
 *   names are (sts, logs, monitoring, api.ecr, <account>.dkr.ecr, kms, api.sagemaker, runtime.sagemaker ...), and
 *   S3 through the gateway endpoint (s3.<region>.amazonaws.com, <bucket>.s3.<region>.amazonaws.com, including the
 *   prod-<region>-starport-layer-bucket ECR image layers come from). DNS Firewall also filters "VPC endpoint names"
 *   (Route 53 Developer Guide, "Using DNS Firewall to filter outbound DNS traffic"), so without this entry the
 *   endpoints would stop resolving.
 * - `*.<region>.vpce.amazonaws.com`: the endpoint-specific names of interface endpoints.
 * - EC2 private host names, `ip-10-0-0-1.<region>.compute.internal` (`ip-10-0-0-1.ec2.internal` in us-east-1)
 *   (Amazon EC2 User Guide, "Amazon EC2 instance hostname types"); DNS Firewall "can also block requests for public
 *   or private Amazon EC2 instance names" (same Route 53 page).
 * None of these is an exfiltration path: the query goes to AWS's own authoritative servers, never to a server a
 * third party runs. They are exempt from the Advanced protections for the same reason, and because endpoint names
 * such as `vpce-0abc...-x1y2z3` look machine-generated.
 */
export function awsServiceDomains(region: string): string[] {
    const names = [`*.${region}.amazonaws.com`, `*.${region}.vpce.amazonaws.com`, `*.${region}.compute.internal`];
    if (region === "us-east-1") {
        names.push("*.ec2.internal");
    }
    return names;
}

/**
 * One egress allowlist entry in DNS Firewall's domain-list syntax: `.pypi.org` -> `pypi.org` and `*.pypi.org`;
 * `files.pythonhosted.org` -> itself. A domain specification "can optionally start with * (asterisk)" (Route 53
 * Developer Guide, "Managing your own domain lists"); listing the apex beside the wildcard makes the meaning the same
 * as the Network Firewall rule's, whether or not AWS's wildcard also matches the apex.
 */
export function dnsFirewallDomains(entry: string): string[] {
    const domain = parseDomain(entry);
    return domain.includeSubdomains ? [domain.name, `*.${domain.name}`] : [domain.name];
}

/** The rule that blocks one AWS managed list: `block` + the list's name (at most 47 characters; rule names take 64). */
export function managedListIntent(list: ManagedDomainListName): string {
    return `block${list}`;
}

/** Priorities leave gaps so a rule can be inserted without renumbering. */
const PRIORITY = {
    blockManagedDomainLists: 100,
    allowAwsServiceNames: 200,
    blockDnsThreats: 300,
    allowEgressDomains: 400,
    blockEverythingElse: 500,
} as const;

export interface DnsPlanInputs {
    readonly region: string;
    readonly egressAllowedDomains: readonly string[];
    readonly dns: DnsConfig;
    /** The region's AWS managed domain lists, name -> id (ListFirewallDomainLists; firewall/managedDomainLists.ts). */
    readonly managedDomainListIds: ReadonlyMap<string, string>;
}

/**
 * The rule group, in evaluation order:
 * 1. BLOCK the names on AWS's managed threat lists (`secure-ai:firewall.dns.managedDomainLists`, all four by
 *    default), before any ALLOW: a known threat under an allowlisted wildcard (`.github.io`) or under an AWS
 *    regional name (a malware bucket's `<bucket>.s3.<region>.amazonaws.com`) is still refused. Priorities follow
 *    the table of lists, so opting out of one renumbers no other rule.
 * 2. ALLOW the names AWS answers (endpoints, S3, EC2 host names).
 * 3. BLOCK what DNS Firewall Advanced classifies as DNS tunnelling or a generated domain at the configured
 *    confidence (off with `threatConfidence: off`), so an allowlisted wildcard cannot carry a tunnel; only when the
 *    allowlist has a wildcard entry, the one place these rules can change an answer.
 * 4. ALLOW the egress allowlist (the same domains Network Firewall passes by SNI and Host).
 * 5. BLOCK everything else with NXDOMAIN: the stack resolves nothing it does not need.
 */
export function planDnsFirewall(inputs: DnsPlanInputs): DnsFirewallPlan {
    const egress = [...new Set(inputs.egressAllowedDomains.flatMap(dnsFirewallDomains))];
    const domainLists: DnsDomainList[] = [
        { key: "aws-service-names", domains: awsServiceDomains(inputs.region) },
        ...(egress.length > 0 ? [{ key: "egress-allowlist" as const, domains: egress }] : []),
        { key: "everything", domains: ["*"] },
    ];
    const rules: DnsRule[] = [
        ...MANAGED_DOMAIN_LIST_NAMES.filter((list) => inputs.dns.managedDomainLists.includes(list)).map((list): DnsRule => {
            const domainListId = inputs.managedDomainListIds.get(list);
            if (domainListId === undefined) {
                throw new Error(`internal: no id for the AWS managed domain list ${list} (config checking reports a list the region does not offer)`);
            }
            return {
                intent: managedListIntent(list),
                priority: PRIORITY.blockManagedDomainLists + MANAGED_DOMAIN_LIST_NAMES.indexOf(list),
                action: "BLOCK",
                match: { kind: "managed", list, domainListId },
                blockResponse: "NXDOMAIN",
            };
        }),
        { intent: "allowAwsServiceNames", priority: PRIORITY.allowAwsServiceNames, action: "ALLOW", match: { kind: "list", list: "aws-service-names" } },
    ];
    const confidence = inputs.dns.threatConfidence;
    // A tunnel or a generated name needs names the attacker chooses: under this rule order only an allowlisted
    // wildcard (`.example.com`) admits them; everything else is refused by blockEverythingElse anyway. Advanced
    // rules are billed per hour per associated rule group that has any, so they are created only where they can
    // change an answer.
    if (confidence !== "off" && inputs.egressAllowedDomains.some((d) => parseDomain(d).includeSubdomains)) {
        DNS_THREAT_PROTECTIONS.forEach((protection, i) =>
            rules.push({
                intent: `block${protection.split("_").map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join("")}`,
                priority: PRIORITY.blockDnsThreats + 10 * i,
                action: "BLOCK",
                match: { kind: "threat", protection, confidence },
                blockResponse: "NXDOMAIN",
            }),
        );
    }
    if (egress.length > 0) {
        rules.push({ intent: "allowEgressDomains", priority: PRIORITY.allowEgressDomains, action: "ALLOW", match: { kind: "list", list: "egress-allowlist" } });
    }
    rules.push({
        intent: "blockEverythingElse",
        priority: PRIORITY.blockEverythingElse,
        action: "BLOCK",
        match: { kind: "list", list: "everything" },
        blockResponse: "NXDOMAIN",
    });
    return { domainLists, rules, failOpen: "DISABLED" };
}
