// `secure-ai:firewall`: who may reach the model, where egress may go, what the stateless layer drops, logging
// and protections.
import { z } from "zod";
import { contains, networkOf, overlaps, parseCidr, type Cidr } from "./cidr";
import { domainProblem, redundantDomains } from "./domains";
import { cidrField, cidrProblem, portField, quote, retentionField, strictObject, uniqueItems, type CidrRules } from "./fields";
import { MANAGED_DOMAIN_LIST_NAMES } from "../firewall/managedDomainLists";

/**
 * Source ranges no client of an internet-facing load balancer can have: they are not routed on the internet, so
 * no packet from them arrives through the internet gateway (IANA IPv4 Special-Purpose Address Registry, RFC 6890;
 * RFC 1918 private, RFC 6598 shared address space). Documentation ranges (RFC 5737) stay allowed for examples.
 */
export const NON_CLIENT_RANGES: readonly { readonly cidr: string; readonly what: string }[] = [
    { cidr: "0.0.0.0/8", what: '"this network" (RFC 6890)' },
    { cidr: "10.0.0.0/8", what: "private (RFC 1918)" },
    { cidr: "100.64.0.0/10", what: "carrier-grade NAT shared space (RFC 6598)" },
    { cidr: "127.0.0.0/8", what: "loopback" },
    { cidr: "169.254.0.0/16", what: "link-local" },
    { cidr: "172.16.0.0/12", what: "private (RFC 1918)" },
    { cidr: "192.168.0.0/16", what: "private (RFC 1918)" },
    { cidr: "224.0.0.0/4", what: "multicast" },
    { cidr: "240.0.0.0/4", what: "reserved (including broadcast)" },
];

const NON_CLIENT_NETWORKS = NON_CLIENT_RANGES.map((range) => ({ ...range, network: networkOf(range.cidr) }));

function notAClient(cidr: Cidr): string | undefined {
    const range = NON_CLIENT_NETWORKS.find((r) => contains(r.network, cidr));
    return range === undefined
        ? undefined
        : `${quote(cidr.text)} lies in ${range.cidr}, ${range.what}: no client arrives from it through the internet gateway (list public client ranges)`;
}

function outsideVpc(vpc: Cidr | undefined, what: string) {
    return (cidr: Cidr): string | undefined =>
        vpc !== undefined && overlaps(cidr, vpc)
            ? `${quote(cidr.text)} overlaps the VPC CIDR ${vpc.text} (${what} must be outside the VPC)`
            : undefined;
}

const domainField = z.string().superRefine((value, ctx) => {
    const problem = domainProblem(value);
    if (problem !== undefined) {
        ctx.addIssue({ code: "custom", input: value, message: problem });
    }
});

export const dnsSchema = strictObject(
    {
        threatConfidence: z
            .enum(["HIGH", "MEDIUM", "LOW", "off"], {
                error: (issue) => `${quote(issue.input)} is not a confidence threshold (HIGH, MEDIUM, LOW, or off)`,
            })
            .default("HIGH"),
        managedDomainLists: z
            .array(
                z.enum(MANAGED_DOMAIN_LIST_NAMES, {
                    error: (issue) => `${quote(issue.input)} is not an AWS managed domain list (allowed: ${MANAGED_DOMAIN_LIST_NAMES.join(", ")})`,
                }),
            )
            .superRefine(uniqueItems<string>())
            .default([...MANAGED_DOMAIN_LIST_NAMES]),
    },
    {
        threatConfidence:
            "DNS Firewall Advanced: block queries it classifies as DNS tunnelling or generated domains (DGA, dictionary DGA) at this confidence or above (HIGH, MEDIUM, LOW; applied only when egress.allowedDomains has a .wildcard entry, billed per hour); off: no Advanced rules",
        managedDomainLists:
            "AWS managed DNS Firewall domain lists whose names are blocked (NXDOMAIN) before any allow rule, so a known threat under an allowlisted wildcard or an AWS regional name is still refused (default: all four of AWS's threat lists; [] opts out); the program looks their ids up in the region (route53resolver:ListFirewallDomainLists)",
    },
);

export type DnsConfig = z.output<typeof dnsSchema>;

/**
 * Ranges of one list must not overlap (two CIDRs overlap only when one contains the other): the narrower entry
 * adds nothing, still counts against the security group rule quota (each prefix list entry is a rule per port),
 * and removing the wider one later would not revoke the addresses the narrower one keeps allowing.
 */
function disjointRanges(what: string, why: string, rules: CidrRules) {
    return (list: readonly string[], ctx: z.core.$RefinementCtx<readonly string[]>): void => {
        // Only valid entries take part (the field's own rules): an invalid one is reported for what it is.
        const parsed = list.map((text) => (cidrProblem(text, rules) === undefined ? parseCidr(text) : undefined));
        parsed.forEach((cidr, j) => {
            if (cidr === undefined) {
                return;
            }
            // An exact duplicate is the uniqueness check's to report.
            const i = parsed.findIndex((other, k) => k < j && other !== undefined && other.text !== cidr.text && overlaps(other, cidr));
            const other = parsed[i];
            if (other === undefined) {
                return;
            }
            const relation = contains(other, cidr) ? `lies inside entry [${i}] ${quote(other.text)}` : `contains entry [${i}] ${quote(other.text)}`;
            ctx.addIssue({
                code: "custom",
                path: [j],
                input: cidr.text,
                message: `${quote(cidr.text)} ${relation} (${what} must not overlap: keep the one range you mean; ${why})`,
            });
        });
    };
}

/** `pypi.org` beside `.pypi.org` adds nothing but rules (and a sid) to the stateful group. */
function noRedundantDomains(list: readonly string[], ctx: z.core.$RefinementCtx<readonly string[]>): void {
    for (const r of redundantDomains(list)) {
        ctx.addIssue({
            code: "custom",
            path: [r.index],
            input: r.entry,
            message: `${quote(r.entry)} is already allowed by entry [${r.coveredAt}] ${quote(r.coveredBy)} (${r.coveredBy.slice(1)} and its subdomains): remove it`,
        });
    }
}

/**
 * A denied range that overlaps the ingress allowlist: the stateless group drops it in both directions before the
 * stateful allowlist is consulted (firewall/stateless.ts), so those clients could never connect.
 */
export function deniedIngressProblems(allowed: readonly string[], denied: readonly string[]): { index: number; message: string }[] {
    return denied.flatMap((text, index) => {
        const cidr = parseCidr(text);
        if (cidr === undefined) {
            return [];
        }
        const hit = allowed.findIndex((a) => {
            const other = parseCidr(a);
            return other !== undefined && overlaps(other, cidr);
        });
        return hit < 0
            ? []
            : [{
                  index,
                  message: `${quote(text)} overlaps secure-ai:firewall.ingress.allowedCidrs[${hit}] ${quote(allowed[hit])}: the stateless layer drops those addresses before the allowlist is consulted, so they could never connect (narrow one of the two)`,
              }];
    });
}

export function firewallSchema(vpc: Cidr | undefined) {
    const ingressRules: CidrRules = {
        minPrefix: 8,
        maxPrefix: 32,
        allowed: "prefix /8 to /32; 0.0.0.0/0 and anything broader than /8 are refused, list the client ranges",
        check: (cidr) => outsideVpc(vpc, "ingress sources")(cidr) ?? notAClient(cidr),
    };
    const deniedRules: CidrRules = {
        minPrefix: 8,
        maxPrefix: 32,
        allowed: "prefix /8 to /32",
        check: outsideVpc(vpc, "denied ranges"),
    };
    const ports = z
        .array(portField)
        .min(1, { error: "at least one port is required (such as [443])" })
        .superRefine(uniqueItems<number>());
    return strictObject(
        {
            ingress: strictObject(
                {
                    allowedCidrs: z
                        .array(cidrField(ingressRules))
                        .min(1, { error: "at least one CIDR is required (the client ranges that may reach the model)" })
                        .superRefine(uniqueItems<string>())
                        .superRefine(
                            disjointRanges(
                                "ingress ranges",
                                "the narrower adds nothing but security group rules, and removing the wider would not revoke it",
                                ingressRules,
                            ),
                        ),
                    ports: ports.default([443]),
                },
                {
                    allowedCidrs:
                        "IPv4 CIDRs that may reach the model's load balancer; no host bits, /8 or longer (0.0.0.0/0 is refused), outside the VPC, unique; not a range no internet client can have (private RFC 1918, 100.64/10, loopback, link-local, multicast, reserved, 0/8; documentation ranges are fine); CIDRs x ports within the security group rule quota",
                    ports: "load balancer ports (also opened in the public NACL: at most 16 with egress domains, 18 without, under the default NACL quota)",
                },
            ),
            egress: strictObject(
                {
                    allowedDomains: z
                        .array(domainField)
                        .superRefine(uniqueItems<string>((d) => d.toLowerCase()))
                        .superRefine(noRedundantDomains)
                        .default([]),
                },
                {
                    allowedDomains:
                        "egress allowlist: files.pythonhosted.org (exactly) or .pypi.org (pypi.org and subdomains); lowercase, no wildcards (*.x -> write .x), URLs or ports; labels <= 63, names <= 253; at most 500; empty = no egress, no NAT gateway",
                },
            ).prefault({}),
            deniedCidrs: z.array(cidrField(deniedRules)).superRefine(uniqueItems<string>()).superRefine(disjointRanges("denied ranges", "the narrower adds nothing but stateless rules", deniedRules)).default([]),
            logRetentionDays: retentionField(90),
            dns: dnsSchema.prefault({}),
            protections: strictObject(
                {
                    deletion: z.boolean().default(true),
                    subnetChange: z.boolean().default(true),
                    policyChange: z.boolean().default(true),
                },
                {
                    deletion: "firewall delete protection",
                    subnetChange: "subnet change protection (an AZ change then takes three runs, see Changing availability zones)",
                    policyChange: "policy change protection",
                },
            ).prefault({}),
        },
        {
            ingress: "who may reach the model",
            egress: "where the private tiers may connect",
            deniedCidrs: "ranges the stateless layer drops in both directions (/8 or longer, outside the VPC, at most 100)",
            logRetentionDays: "retention of the ALERT and FLOW log groups and of the DNS query log group (CloudWatch's values only)",
            dns: "Route 53 Resolver DNS Firewall on the VPC (allowlisted and AWS names resolve, everything else is blocked)",
            protections: "the firewall's protections",
        },
    ).superRefine((firewall, ctx) => {
        for (const p of deniedIngressProblems(firewall.ingress.allowedCidrs, firewall.deniedCidrs)) {
            ctx.addIssue({ code: "custom", path: ["deniedCidrs", p.index], input: firewall.deniedCidrs[p.index], message: p.message });
        }
    });
}

export type FirewallConfig = z.output<ReturnType<typeof firewallSchema>>;
