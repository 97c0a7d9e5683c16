// Firewall rules as named intents, rendered to Suricata text by a pure function with stable sids.
//
// Rule order is evaluation order (STRICT_ORDER). Every CIDR and port list is a rule variable, so the rule
// text does not change when an allowlist changes. Only the domain allowlist adds rules (four per domain: a log
// alert and a pass for TLS SNI and for HTTP Host); the group's capacity is sized for the largest allowlist the
// config accepts, so it never changes with the allowlist.
import { createHash } from "node:crypto";
import { parseDomain } from "../config/domains";

/** Variables the rules reference. HOME_NET is the VPC CIDR; EXTERNAL_NET is its negation (AWS's default). */
export interface RuleVariables {
    readonly ipSets: Readonly<Record<string, readonly string[]>>;
    readonly portSets: Readonly<Record<string, readonly number[]>>;
}

export interface RuleInputs {
    readonly vpcCidr: string;
    /** Public subnet CIDRs: where the model's load balancer lives. */
    readonly publicCidrs: readonly string[];
    readonly ingressAllowedCidrs: readonly string[];
    readonly ingressPorts: readonly number[];
    readonly egressAllowedDomains: readonly string[];
}

export interface Rule {
    /** Named intent, e.g. `allowIngressFromAllowlist`. */
    readonly intent: string;
    readonly sid: number;
    readonly text: string;
}

/** Stable sid ranges per intent: a rule keeps its sid when other intents change. */
const SID = {
    allowIngressFromAllowlist: 1_000_100,
    blockQuic: 1_000_200,
    allowPathMtuDiscovery: 1_000_300,
    blockDnsToOtherResolvers: 1_000_400,
    // Per-domain intents: base + the domain's own offset (domainSidOffsets), so a domain's sids follow the domain,
    // not its position in the list.
    logEgressTls: 1_100_000_000,
    allowEgressTls: 1_200_000_000,
    logEgressHttp: 1_300_000_000,
    allowEgressHttp: 1_400_000_000,
    denyUnsolicitedInbound: 1_009_000,
    denyOtherUdp: 1_009_100,
    denyIcmp: 1_009_200,
} as const;

/** A stack may list up to this many egress domains (the stateful group's fixed capacity is sized for them). */
export const MAX_EGRESS_DOMAINS = 500;

/** Sids per domain intent: the offsets a domain's sids take within each intent's range. */
export const DOMAIN_SID_SPAN = 100_000_000;

/**
 * Each allowlist entry's sid offset, derived from the entry itself (SHA-256 of the text, modulo DOMAIN_SID_SPAN), so
 * adding, removing or reordering other entries never changes it: alerts and dashboards keyed by sid keep their
 * meaning. The four rules of one entry share the offset (sid modulo 100,000,000 names the domain). Two entries whose
 * hashes collide (about 1 in 800 for 500 entries, 1 in 500,000 for 20) are resolved in the entries' sorted order:
 * the first keeps its offset, the next takes the following free one.
 */
export function domainSidOffsets(entries: readonly string[]): ReadonlyMap<string, number> {
    const taken = new Set<number>();
    const offsets = new Map<string, number>();
    for (const entry of [...new Set(entries)].sort()) {
        let offset = Number.parseInt(createHash("sha256").update(entry).digest("hex").slice(0, 12), 16) % DOMAIN_SID_SPAN;
        while (taken.has(offset)) {
            offset = (offset + 1) % DOMAIN_SID_SPAN;
        }
        taken.add(offset);
        offsets.set(entry, offset);
    }
    return offsets;
}

export function ruleVariables(inputs: RuleInputs): RuleVariables {
    return {
        ipSets: {
            HOME_NET: [inputs.vpcCidr],
            PUBLIC_NET: [...inputs.publicCidrs],
            INGRESS_ALLOWED: [...inputs.ingressAllowedCidrs],
        },
        portSets: { INGRESS_PORTS: [...inputs.ingressPorts] },
    };
}

function quoteContent(text: string): string {
    // Allowlist entries are validated host names (a-z, 0-9, '-', '.'): nothing needs escaping.
    return `"${text}"`;
}

/** Allowlisted clients may open TCP connections to the load balancer ports in the public subnets. */
export function allowIngressFromAllowlist(): Rule {
    const sid = SID.allowIngressFromAllowlist;
    return {
        intent: "allowIngressFromAllowlist",
        sid,
        text: `pass tcp $INGRESS_ALLOWED any -> $PUBLIC_NET $INGRESS_PORTS (msg:"ingress: allowlisted client to the model load balancer"; sid:${sid}; rev:1;)`,
    };
}

/** QUIC (UDP/443) carries no SNI the firewall can read: drop it so clients fall back to TCP + TLS. */
export function blockQuic(): Rule {
    const sid = SID.blockQuic;
    return {
        intent: "blockQuic",
        sid,
        text: `drop udp $HOME_NET any -> $EXTERNAL_NET 443 (msg:"egress: QUIC blocked, clients fall back to TLS over TCP"; sid:${sid}; rev:1;)`,
    };
}

/** DNS (53) and DNS over TLS / over QUIC (853, RFC 7858 and RFC 9250). */
export const DNS_PORTS = [53, 853] as const;

/**
 * DNS to any resolver but the VPC's own. The Amazon-provided resolver (VPC CIDR base + 2, and 169.254.169.253) is
 * inside HOME_NET and never crosses the firewall, so it is unaffected; DNS Firewall filters what it answers. A
 * workload that asks an outside resolver instead would bypass that filter, so both transports are dropped here by
 * name (without this, UDP/53 fell to the general UDP drop and TCP/53 to the policy's default action; now the
 * intent is explicit, logged under its own message, and replayed in the engine tests).
 */
export function blockDnsToOtherResolvers(): Rule[] {
    const ports = `[${DNS_PORTS.join(",")}]`;
    return (["udp", "tcp"] as const).map((protocol, i) => ({
        intent: "blockDnsToOtherResolvers",
        sid: SID.blockDnsToOtherResolvers + i,
        text: `drop ${protocol} $HOME_NET any -> $EXTERNAL_NET ${ports} (msg:"egress: DNS over ${protocol.toUpperCase()} to a resolver other than the VPC resolver"; sid:${SID.blockDnsToOtherResolvers + i}; rev:1;)`,
    }));
}

/**
 * ICMP "fragmentation needed" (type 3 code 4) towards the VPC: Path MTU discovery. Inside the VPC the MTU is 9001;
 * traffic through an internet gateway is limited to 1500 and oversized packets with Don't Fragment set are dropped
 * with this ICMP message (Amazon EC2 User Guide, "Network maximum transmission unit (MTU) for your EC2 instance").
 * TCP segments normally follow the peer's MSS, but when a path on the internet side is narrower than 1500 only this
 * message keeps large transfers from stalling. It carries no data and opens no flow.
 */
export function allowPathMtuDiscovery(): Rule {
    const sid = SID.allowPathMtuDiscovery;
    return {
        intent: "allowPathMtuDiscovery",
        sid,
        text: `pass icmp $EXTERNAL_NET any -> $HOME_NET any (msg:"path MTU discovery: ICMP fragmentation needed"; itype:3; icode:4; sid:${sid}; rev:1;)`,
    };
}

/**
 * Egress to an allowlisted domain: TLS by SNI on 443, HTTP by Host on 80, each logged by an alert just before its
 * pass (pass rules write no ALERT log, so without it nobody could see which allowed domains were used).
 * `.example.com` uses the dotprefix transform, so it matches example.com and every subdomain but never `notexample.com` or
 * `example.com.evil.net`; an exact name must match the whole field.
 */
export function allowEgressToDomains(domains: readonly string[]): Rule[] {
    if (domains.length > MAX_EGRESS_DOMAINS) {
        throw new Error(`${domains.length} egress domains exceed the ${MAX_EGRESS_DOMAINS} the fixed capacity is sized for`);
    }
    const offsets = domainSidOffsets(domains);
    return domains.flatMap((entry) => {
        const index = offsets.get(entry) ?? 0;
        const domain = parseDomain(entry);
        // SNI is case-insensitive on the wire; Suricata lower-cases http.host itself.
        const match = (nocase: boolean): string => {
            const caseless = nocase ? " nocase;" : "";
            return domain.includeSubdomains
                ? `dotprefix; content:${quoteContent(`.${domain.name}`)};${caseless} endswith;`
                : `content:${quoteContent(domain.name)};${caseless} startswith; endswith;`;
        };
        const tls = `tls $HOME_NET any -> $EXTERNAL_NET 443 (msg:"egress: TLS to ${entry}"; flow:to_server,established; tls.sni; ${match(true)}`;
        const http = `http $HOME_NET any -> $EXTERNAL_NET 80 (msg:"egress: HTTP to ${entry}"; flow:to_server,established; http.host; ${match(false)}`;
        const rule = (intent: string, action: "alert" | "pass", body: string, sid: number): Rule => ({
            intent,
            sid,
            text: `${action} ${body} sid:${sid}; rev:1;)`,
        });
        return [
            rule("logEgressToDomains", "alert", tls, SID.logEgressTls + index),
            rule("allowEgressToDomains", "pass", tls, SID.allowEgressTls + index),
            rule("logEgressToDomains", "alert", http, SID.logEgressHttp + index),
            rule("allowEgressToDomains", "pass", http, SID.allowEgressHttp + index),
        ];
    });
}

/**
 * Everything not allowed above is dropped. TCP from the VPC outward is left to the policy's application-layer
 * default (aws:drop_established_app_layer_to_server), which lets the handshake and an incomplete ClientHello
 * through so the TLS and HTTP rules can read SNI and Host, then drops the connection when none of them passed it.
 * Inbound TCP, UDP and ICMP are dropped outright.
 */
export function denyEverythingElse(): Rule[] {
    return [
        {
            intent: "denyUnsolicitedInbound",
            sid: SID.denyUnsolicitedInbound,
            text: `drop tcp $EXTERNAL_NET any -> $HOME_NET any (msg:"default deny: inbound TCP not from the ingress allowlist"; flow:to_server; sid:${SID.denyUnsolicitedInbound}; rev:1;)`,
        },
        {
            intent: "denyOtherUdp",
            sid: SID.denyOtherUdp,
            text: `drop udp any any -> any any (msg:"default deny: UDP"; sid:${SID.denyOtherUdp}; rev:1;)`,
        },
        {
            intent: "denyIcmp",
            sid: SID.denyIcmp,
            text: `drop icmp any any -> any any (msg:"default deny: ICMP"; sid:${SID.denyIcmp}; rev:1;)`,
        },
    ];
}

/** The rules before the domain rules; none of them depends on an allowlist (lists are rule variables). */
function leadingRules(): Rule[] {
    return [allowIngressFromAllowlist(), blockQuic(), ...blockDnsToOtherResolvers(), allowPathMtuDiscovery()];
}

/** The stateful rules, in evaluation order. */
export function statefulRules(inputs: RuleInputs): Rule[] {
    return [...leadingRules(), ...allowEgressToDomains(inputs.egressAllowedDomains), ...denyEverythingElse()];
}

/** The most stateful rules any accepted config renders: every domain slot used. */
export const MAX_STATEFUL_RULES =
    leadingRules().length + allowEgressToDomains(["example.com"]).length * MAX_EGRESS_DOMAINS + denyEverythingElse().length;

export function renderRules(rules: readonly Rule[]): string {
    return `${rules.map((r) => r.text).join("\n")}\n`;
}
