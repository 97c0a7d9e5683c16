// STRICT_ORDER, checked on the rules string as deployed. AWS evaluates stateful rules by position; local Suricata
// (and the engine suite) by action (alert, pass, drop), so the engine cannot see an order mistake. Two properties
// make the two agree and keep allowed traffic logged (Network Firewall Developer Guide, "Evaluation order for
// stateful rule groups": under strict order the first rule that matches with a pass or drop decides):
//   1. every log alert stands directly before the pass it logs (same match, action and sid aside), and every pass
//      that has a log alert has it directly before it: a pass ahead of its alert would end evaluation unlogged;
//   2. no drop stands before a pass whose traffic it could also match: the drop would win on AWS, the pass locally.
import { contains, overlaps, parseCidr, type Cidr } from "../config/cidr";
import type { RuleVariables } from "../firewall/rules";

interface Header {
    readonly index: number;
    readonly action: string;
    readonly protocol: string;
    readonly source: string;
    readonly sourcePort: string;
    readonly destination: string;
    readonly destinationPort: string;
    /** The rule without its action and sid: what an alert and its pass share. */
    readonly body: string;
    readonly msg: string;
}

const HEADER = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+->\s+(\S+)\s+(\S+)\s+\((.*)\)\s*$/;

function parse(rule: string, index: number): Header {
    const m = HEADER.exec(rule);
    if (m === null) {
        throw new Error(`rule ${index + 1} is not "action proto src sport -> dst dport (options)": ${rule}`);
    }
    const [, action = "", protocol = "", source = "", sourcePort = "", destination = "", destinationPort = "", options = ""] = m;
    return {
        index,
        action,
        protocol,
        source,
        sourcePort,
        destination,
        destinationPort,
        body: rule.slice(action.length).replace(/\bsid:\d+;/, "sid:_;"),
        msg: /msg:"([^"]*)"/.exec(options)?.[1] ?? "",
    };
}

/** An address set: the listed CIDRs, or everything but them. */
interface Addresses {
    readonly cidrs: readonly Cidr[];
    readonly negated: boolean;
}

function addresses(text: string, variables: RuleVariables): Addresses {
    if (text === "any") {
        return { cidrs: [], negated: true };
    }
    const named = (name: string): readonly string[] => {
        const list = variables.ipSets[name];
        if (list === undefined) {
            throw new Error(`no ip set ${name}`);
        }
        return list;
    };
    const cidrsOf = (list: readonly string[]) => list.map((c) => parseCidr(c) ?? unknown(c));
    if (text === "$EXTERNAL_NET") {
        return { cidrs: cidrsOf(named("HOME_NET")), negated: true };
    }
    if (text.startsWith("$")) {
        return { cidrs: cidrsOf(named(text.slice(1))), negated: false };
    }
    return unknown(text);
}

function unknown(text: string): never {
    throw new Error(`address or port ${text} is not understood by the order check`);
}

function addressesOverlap(a: Addresses, b: Addresses): boolean {
    if (a.negated && b.negated) {
        return true; // two complements of finite lists always share addresses
    }
    if (!a.negated && !b.negated) {
        return a.cidrs.some((x) => b.cidrs.some((y) => overlaps(x, y)));
    }
    const [positive, negative] = a.negated ? [b, a] : [a, b];
    // Disjoint only when every listed CIDR lies inside the excluded ones.
    return positive.cidrs.some((x) => !negative.cidrs.some((n) => contains(n, x)));
}

function ports(text: string, variables: RuleVariables): readonly number[] | "any" {
    if (text === "any") {
        return "any";
    }
    if (text.startsWith("$")) {
        return variables.portSets[text.slice(1)] ?? unknown(text);
    }
    if (/^\d+$/.test(text)) {
        return [Number(text)];
    }
    // A list of single ports, "[53,853]" (Suricata User Guide, "Rules: Ports": ports grouped in brackets).
    if (/^\[\d+(,\d+)*\]$/.test(text)) {
        return text.slice(1, -1).split(",").map(Number);
    }
    return unknown(text);
}

function portsOverlap(a: readonly number[] | "any", b: readonly number[] | "any"): boolean {
    return a === "any" || b === "any" || a.some((p) => b.includes(p));
}

/** Protocols whose traffic can be the same: ip covers all; tls and http are TCP application layers. */
function protocolsOverlap(a: string, b: string): boolean {
    if (a === b || a === "ip" || b === "ip") {
        return true;
    }
    const tcp = new Set(["tcp", "tls", "http"]);
    return tcp.has(a) && tcp.has(b) && (a === "tcp" || b === "tcp");
}

function matchesOverlap(a: Header, b: Header, variables: RuleVariables): boolean {
    return (
        protocolsOverlap(a.protocol, b.protocol) &&
        addressesOverlap(addresses(a.source, variables), addresses(b.source, variables)) &&
        addressesOverlap(addresses(a.destination, variables), addresses(b.destination, variables)) &&
        portsOverlap(ports(a.sourcePort, variables), ports(b.sourcePort, variables)) &&
        portsOverlap(ports(a.destinationPort, variables), ports(b.destinationPort, variables))
    );
}

/** Every way the rules break the two properties; empty when STRICT_ORDER and action order agree. */
export function strictOrderProblems(rulesString: string, variables: RuleVariables): string[] {
    const rules = rulesString
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"))
        .map(parse);
    const problems: string[] = [];
    const at = (h: Header) => `rule ${h.index + 1} (${h.action} "${h.msg}")`;
    rules.forEach((rule, i) => {
        const next = rules[i + 1];
        const previous = rules[i - 1];
        if (rule.action === "alert" && (next === undefined || next.action !== "pass" || next.body !== rule.body)) {
            problems.push(`${at(rule)} is not directly followed by the pass it logs`);
        }
        const logged = rules.some((r) => r.action === "alert" && r.body === rule.body);
        if (rule.action === "pass" && logged && (previous === undefined || previous.action !== "alert" || previous.body !== rule.body)) {
            problems.push(`${at(rule)} is not directly preceded by its log alert`);
        }
        if (rule.action === "pass") {
            for (const earlier of rules.slice(0, i)) {
                if ((earlier.action === "drop" || earlier.action === "reject") && matchesOverlap(earlier, rule, variables)) {
                    problems.push(`${at(earlier)} comes before ${at(rule)} and can match the same traffic`);
                }
            }
        }
    });
    return problems;
}
