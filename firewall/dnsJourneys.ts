// DNS journeys: what a workload in the stack's VPC asks the VPC resolver, and what must happen. Data, derived from
// the stack's config (never pinned values), decided by decideDnsQuery over the DNS Firewall resources as
// synthesized or deployed. The journey catalogue reads these records as they are.
import { parseDomain } from "../config/domains";
import type { StackConfig } from "../config/load";
import type { DnsQuery } from "./dnsDecision";
import { managedListIntent } from "./dns";
import { MANAGED_DOMAIN_LIST_HOLDS, MANAGED_DOMAIN_LIST_NAMES, type ManagedDomainListName } from "./managedDomainLists";

export interface DnsJourney {
    readonly name: string;
    /** The tier the query comes from (every tier asks the same VPC resolver). */
    readonly who: "training" | "services";
    readonly query: DnsQuery;
    readonly expected: { readonly outcome: "resolves" | "blocked"; readonly rule: string; readonly logged: true };
    /** Why this is the right outcome. */
    readonly why: string;
}

/** A name no allowlist can contain (RFC 2606 reserves .invalid), standing in for an attacker's domain. */
const ATTACKER_ZONE = "attacker.invalid";

/**
 * Names standing in for entries of AWS's managed lists. AWS does not publish the lists ("AWS Managed Domain Lists
 * cannot be downloaded or browsed", Route 53 Developer Guide, "Managed Domain Lists"), so that a list holds a name is
 * a premise of the journey, stated here as data (the query's `onManagedList`); what the journeys prove is what the
 * stack's rules do with a name AWS lists, not what AWS lists.
 */
export const MANAGED_LIST_MEMBERS: Readonly<Record<ManagedDomainListName, string>> = {
    AWSManagedDomainsMalwareDomainList: `payload-cdn.${ATTACKER_ZONE}`,
    AWSManagedDomainsBotnetCommandandControl: `c2-beacon.${ATTACKER_ZONE}`,
    AWSManagedDomainsAggregateThreatList: `ransom-keys.${ATTACKER_ZONE}`,
    AWSManagedDomainsAmazonGuardDutyThreatList: `xmr-pool.${ATTACKER_ZONE}`,
};

/**
 * The IP-based private host name of the tenth address of the VPC CIDR: `ip-10-20-0-10.ec2.internal` in us-east-1,
 * `ip-10-20-0-10.<region>.compute.internal` elsewhere (Amazon EC2 User Guide, "Amazon EC2 instance hostname types").
 */
function ec2HostName(cidr: string, region: string): string {
    const [a, b, c] = cidr.split(".");
    return `ip-${a}-${b}-${c}-10.${region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`}`;
}

export function dnsJourneys(config: StackConfig): DnsJourney[] {
    const region = config.region;
    const domains = config.firewall.egress.allowedDomains.map(parseDomain);
    const journeys: DnsJourney[] = [
        {
            name: "training resolves the STS endpoint (interface endpoint private DNS)",
            who: "training",
            query: { name: `sts.${region}.amazonaws.com` },
            expected: { outcome: "resolves", rule: "allowAwsServiceNames", logged: true },
            why: "AWS APIs are reached through the VPC's endpoints, whose names AWS answers",
        },
        {
            name: "training resolves its S3 bucket's regional name (gateway endpoint)",
            who: "training",
            query: { name: `secure-ai-training-data-0a1b2c3.s3.${region}.amazonaws.com.` },
            expected: { outcome: "resolves", rule: "allowAwsServiceNames", logged: true },
            why: "training data is read through the S3 gateway endpoint",
        },
        {
            name: "training resolves a peer's EC2 private host name (multi-node training)",
            who: "training",
            query: { name: ec2HostName(config.network.cidr, region) },
            expected: { outcome: "resolves", rule: "allowAwsServiceNames", logged: true },
            why: "training hosts reach each other by the private DNS names AWS gives them",
        },
        {
            name: "training's query for an unlisted domain is blocked and logged",
            who: "training",
            query: { name: `exfil-6e6f7468696e67.${ATTACKER_ZONE}` },
            expected: { outcome: "blocked", rule: "blockEverythingElse", logged: true },
            why: "a name outside the allowlists is an exfiltration channel through the resolver",
        },
        {
            name: "services' query for an unlisted domain is blocked and logged",
            who: "services",
            query: { name: `www.${ATTACKER_ZONE}` },
            expected: { outcome: "blocked", rule: "blockEverythingElse", logged: true },
            why: "the resolver answers only what the stack needs",
        },
    ];
    for (const domain of domains) {
        const allowed = domain.includeSubdomains ? `files.${domain.name}` : domain.name;
        journeys.push(
            {
                name: `training resolves the allowlisted ${allowed}`,
                who: "training",
                query: { name: allowed },
                expected: { outcome: "resolves", rule: "allowEgressDomains", logged: true },
                why: "the egress allowlist is resolvable (Network Firewall then passes it by SNI and Host)",
            },
            {
                name: `a look-alike of ${domain.name} under another zone is blocked`,
                who: "training",
                query: { name: `${domain.name}.${ATTACKER_ZONE}` },
                expected: { outcome: "blocked", rule: "blockEverythingElse", logged: true },
                why: "a suffix match would be a bypass",
            },
        );
        if (!domain.includeSubdomains) {
            journeys.push({
                name: `a subdomain of the exact entry ${domain.name} is blocked`,
                who: "training",
                query: { name: `x.${domain.name}` },
                expected: { outcome: "blocked", rule: "blockEverythingElse", logged: true },
                why: "an exact entry allows that name only",
            });
        }
    }
    const wildcard = domains.find((d) => d.includeSubdomains);
    if (wildcard !== undefined && config.firewall.dns.threatConfidence !== "off") {
        journeys.push({
            name: `a DNS tunnel under the allowlisted wildcard .${wildcard.name} is blocked by DNS Firewall Advanced`,
            who: "training",
            query: { name: `aGVsbG8gd29ybGQ.dGhpcyBpcyBkYXRh.${wildcard.name}`, looksLike: "DNS_TUNNELING" },
            expected: { outcome: "blocked", rule: "blockDnsTunneling", logged: true },
            why: "a wildcard admits names the attacker can choose if they control any host under it",
        });
    }
    const blocked = config.firewall.dns.managedDomainLists;
    for (const list of MANAGED_DOMAIN_LIST_NAMES) {
        const on = blocked.includes(list);
        journeys.push({
            name: `a name on ${list} is blocked${on ? " by its rule" : " (list opted out: the name is not allowlisted)"}`,
            who: "training",
            query: { name: MANAGED_LIST_MEMBERS[list], onManagedList: list },
            expected: { outcome: "blocked", rule: on ? managedListIntent(list) : "blockEverythingElse", logged: true },
            why: on ? `AWS lists it as one of the ${MANAGED_DOMAIN_LIST_HOLDS[list]}` : "without the managed rule, the default block still refuses a name no allowlist holds",
        });
    }
    const first = MANAGED_DOMAIN_LIST_NAMES.find((list) => blocked.includes(list));
    if (first !== undefined) {
        journeys.push({
            name: `a malware bucket's S3 name on ${first} is blocked before AWS's names are allowed`,
            who: "training",
            query: { name: `payload-drop-4f1c.s3.${region}.amazonaws.com`, onManagedList: first },
            expected: { outcome: "blocked", rule: managedListIntent(first), logged: true },
            why: "AWS's regional names are allowed for the endpoints, but not the ones AWS itself lists as threats",
        });
        if (wildcard !== undefined) {
            journeys.push({
                name: `a name on ${first} under the allowlisted wildcard .${wildcard.name} is blocked`,
                who: "training",
                query: { name: `cdn-7f3a.${wildcard.name}`, onManagedList: first },
                expected: { outcome: "blocked", rule: managedListIntent(first), logged: true },
                why: "AWS's threat intelligence wins over the allowlist",
            });
        }
    }
    return journeys;
}
