// The firewall's stateful verdict on a flow, from the synthesized rule group and policy. Two judges, one contract:
// the real Suricata 7 engine replaying a crafted pcap of the flow (where `suricata` is installed), or, when it is
// not, an evaluation of the synthesized rules in STRICT_ORDER with the policy's default action. Every verdict says
// which one decided it.
import type { FirewallFact } from "./facts";
import { fragmentationNeeded, httpRequest, httpResponse, icmpPacket, tcpSession, tlsClientHello, tlsServerHello, udpPacket } from "./pcap";
import { replay, suricataVersion, type Flow } from "./suricata";
import { cidrContains } from "./net";

/** A flow as the firewall sees it: addresses after NAT, the application data that names the destination. */
export interface FirewallFlow {
    /** Unique per evaluation (the judge batches flows by it). */
    readonly key: string;
    readonly protocol: "tcp" | "udp" | "icmp";
    readonly client: string;
    readonly clientPort: number;
    readonly server: string;
    readonly serverPort: number;
    readonly tlsSni?: string;
    readonly httpHost?: string;
    readonly icmp?: { readonly type: number; readonly code: number };
}

export interface FirewallVerdict {
    readonly pass: boolean;
    /** The rule (sid and message) or default action that decided. */
    readonly by: string;
}

export interface StatefulJudge {
    /** "Suricata version 7.0.x" or "rule evaluation of the synthesized rules". */
    readonly engine: string;
    verdicts(fw: FirewallFact, flows: readonly FirewallFlow[]): Map<string, FirewallVerdict>;
}

interface ParsedRule {
    readonly action: string;
    readonly protocol: string;
    readonly src: string;
    readonly srcPort: string;
    readonly dst: string;
    readonly dstPort: string;
    readonly options: string;
    readonly sid: string;
    readonly msg: string;
}

const HEADER = /^(\w+)\s+(\w+)\s+(\S+)\s+(\S+)\s+->\s+(\S+)\s+(\S+)\s+\((.*)\)\s*$/;

function parseRules(text: string): ParsedRule[] {
    return text
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#"))
        .map((line) => {
            const m = HEADER.exec(line);
            if (m === null) {
                throw new Error(`not a rule the evaluation reads: ${line}`);
            }
            const options = m[7] ?? "";
            return {
                action: m[1] ?? "",
                protocol: m[2] ?? "",
                src: m[3] ?? "",
                srcPort: m[4] ?? "",
                dst: m[5] ?? "",
                dstPort: m[6] ?? "",
                options,
                sid: /sid:(\d+)/.exec(options)?.[1] ?? "?",
                msg: /msg:"([^"]*)"/.exec(options)?.[1] ?? "",
            };
        });
}

function addressMatches(spec: string, ip: string, fw: FirewallFact): boolean {
    if (spec === "any") {
        return true;
    }
    if (spec.startsWith("!")) {
        return !addressMatches(spec.slice(1), ip, fw);
    }
    if (spec === "$EXTERNAL_NET") {
        return !addressMatches("$HOME_NET", ip, fw);
    }
    if (spec.startsWith("$")) {
        const set = fw.stateful.ipSets[spec.slice(1)];
        if (set === undefined) {
            throw new Error(`rule variable ${spec} is not defined in ${fw.stateful.name}`);
        }
        return set.some((c) => cidrContains(c, ip));
    }
    if (spec.startsWith("[")) {
        return spec.slice(1, -1).split(",").some((s) => addressMatches(s.trim(), ip, fw));
    }
    return cidrContains(spec.includes("/") ? spec : `${spec}/32`, ip);
}

function portMatches(spec: string, port: number, fw: FirewallFact): boolean {
    if (spec === "any") {
        return true;
    }
    if (spec.startsWith("$")) {
        return (fw.stateful.portSets[spec.slice(1)] ?? []).includes(port);
    }
    if (spec.startsWith("[")) {
        return spec.slice(1, -1).split(",").some((s) => portMatches(s.trim(), port, fw));
    }
    return Number(spec) === port;
}

/** A sticky-buffer match of our renderer's forms: dotprefix + content + endswith, or content + startswith + endswith. */
function bufferMatches(options: string, buffer: string, value: string | undefined): boolean {
    const at = options.indexOf(`${buffer};`);
    if (at < 0) {
        return true;
    }
    if (value === undefined) {
        return false;
    }
    const rest = options.slice(at);
    const content = /content:"([^"]*)"/.exec(rest)?.[1] ?? "";
    const nocase = /content:"[^"]*";\s*nocase;/.test(rest) || buffer === "http.host";
    const subject = nocase ? value.toLowerCase() : value;
    const wanted = nocase ? content.toLowerCase() : content;
    if (/dotprefix;/.test(rest.slice(0, rest.indexOf("content:")))) {
        return `.${subject}`.endsWith(wanted);
    }
    return subject === wanted;
}

function ruleMatches(rule: ParsedRule, flow: FirewallFlow, toServer: boolean, fw: FirewallFact): boolean {
    const [src, srcPort, dst, dstPort] = toServer
        ? [flow.client, flow.clientPort, flow.server, flow.serverPort]
        : [flow.server, flow.serverPort, flow.client, flow.clientPort];
    const appProtocol = rule.protocol === "tls" ? flow.tlsSni !== undefined : rule.protocol === "http" ? flow.httpHost !== undefined : true;
    const transport = rule.protocol === "tls" || rule.protocol === "http" ? "tcp" : rule.protocol;
    if ((transport !== "ip" && transport !== flow.protocol) || !appProtocol) {
        return false;
    }
    if (/flow:[^;]*to_server/.test(rule.options) && !toServer) {
        return false;
    }
    const itype = /itype:(\d+)/.exec(rule.options)?.[1];
    const icode = /icode:(\d+)/.exec(rule.options)?.[1];
    if ((itype !== undefined && Number(itype) !== flow.icmp?.type) || (icode !== undefined && Number(icode) !== flow.icmp?.code)) {
        return false;
    }
    const ports = flow.protocol === "icmp" || (portMatches(rule.srcPort, srcPort, fw) && portMatches(rule.dstPort, dstPort, fw));
    return (
        addressMatches(rule.src, src, fw) &&
        addressMatches(rule.dst, dst, fw) &&
        ports &&
        bufferMatches(rule.options, "tls.sni", flow.tlsSni) &&
        bufferMatches(rule.options, "http.host", flow.httpHost)
    );
}

/**
 * STRICT_ORDER as the Network Firewall Developer Guide describes it: rules in order, the first pass or drop decides
 * the flow (alert only logs); a flow no rule decides gets the policy's stateful default action. Only the rule
 * forms this program renders are read (header, flow, tls.sni, http.host, dotprefix, content, startswith, endswith,
 * nocase, itype, icode); any other rule text fails loudly.
 */
export const ruleEvaluation: StatefulJudge = {
    engine: "rule evaluation of the synthesized rules",
    verdicts(fw, flows) {
        const rules = parseRules(fw.stateful.rulesString);
        const out = new Map<string, FirewallVerdict>();
        for (const flow of flows) {
            let verdict: FirewallVerdict | undefined;
            for (const toServer of [true, false]) {
                const rule = rules.find((r) => (r.action === "pass" || r.action === "drop" || r.action === "reject") && ruleMatches(r, flow, toServer, fw));
                if (rule !== undefined) {
                    verdict = { pass: rule.action === "pass", by: `${fw.stateful.name} sid ${rule.sid} (${rule.msg})` };
                    break;
                }
            }
            out.set(flow.key, verdict ?? defaultVerdict(fw, flow));
        }
        return out;
    },
};

/** The policy's stateful default action for a flow no rule decided. */
function defaultVerdict(fw: FirewallFact, flow: FirewallFlow): FirewallVerdict {
    const drop = fw.policy.statefulDefaultActions.find((a) => a.startsWith("aws:drop_"));
    const by = `${fw.policy.name} default action ${drop ?? "(none: pass)"}`;
    if (drop === undefined) {
        return { pass: true, by };
    }
    // drop_strict drops everything; the established families drop a flow once it carries data (every TCP flow of a
    // journey does) or, for UDP, once it is established; a lone ICMP message never establishes a flow.
    const dropped = drop === "aws:drop_strict" || flow.protocol !== "icmp";
    return { pass: !dropped, by };
}

let version: string | undefined | null = null;

/** The real engine: one replay of every flow in one pcap, the policy's default actions emulated (journeys/suricata.ts). */
export function suricataJudge(): StatefulJudge | undefined {
    if (version === null) {
        version = suricataVersion();
    }
    if (version === undefined) {
        return undefined;
    }
    const engine = version.replace(/^This is /, "").replace(/ RELEASE$/, "");
    return {
        engine,
        verdicts(fw, flows) {
            const crafted = flows.map(craft);
            const results = replay(fw.stateful.rulesString, { ipSets: fw.stateful.ipSets, portSets: fw.stateful.portSets }, crafted, fw.policy.statefulDefaultActions);
            const rules = parseRules(fw.stateful.rulesString);
            const out = new Map<string, FirewallVerdict>();
            for (const flow of flows) {
                const r = results.get(flow.key);
                const dropped = r === undefined || r.toServerDropped || r.toClientDropped;
                const sid = r?.sids[0];
                const rule = rules.find((x) => x.sid === String(sid));
                const by = !dropped
                    ? `${engine}: passed`
                    : rule !== undefined
                      ? `${engine}: ${fw.stateful.name} sid ${rule.sid} (${rule.msg})`
                      : `${engine}: ${fw.policy.name} default action ${fw.policy.statefulDefaultActions.join(", ")}`;
                out.set(flow.key, { pass: !dropped, by });
            }
            return out;
        },
    };
}

/** The packets of a flow, as a client and server exchange them. */
function craft(flow: FirewallFlow): Flow {
    const client = { ip: flow.client, port: flow.clientPort };
    const server = { ip: flow.server, port: flow.serverPort };
    if (flow.protocol === "icmp") {
        const type = flow.icmp?.type ?? 8;
        const code = flow.icmp?.code ?? 0;
        // A "fragmentation needed" quotes the packet that did not fit: one from the server side to the client.
        const body = type === 3 && code === 4 ? fragmentationNeeded({ ip: flow.server, port: 40001 }, { ip: "151.101.0.223", port: 443 }, 1400) : [0, 1, 0, 1];
        return { name: flow.key, icmp: true, client: { ip: flow.client, port: 0 }, server: { ip: flow.server, port: 0 }, packets: [icmpPacket(flow.client, flow.server, type, code, body)] };
    }
    if (flow.protocol === "udp") {
        return { name: flow.key, client, server, packets: [udpPacket(client, server, [0xc0, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8])] };
    }
    const exchange =
        flow.tlsSni !== undefined
            ? [{ from: "client" as const, data: tlsClientHello(flow.tlsSni, { postQuantum: true }), mss: 1460 }, { from: "server" as const, data: tlsServerHello() }]
            : flow.httpHost !== undefined
              ? [{ from: "client" as const, data: httpRequest(flow.httpHost) }, { from: "server" as const, data: httpResponse() }]
              : [{ from: "client" as const, data: [...Buffer.from("SSH-2.0-OpenSSH_9.6\r\n")] }, { from: "server" as const, data: [...Buffer.from("SSH-2.0-OpenSSH_9.6\r\n")] }];
    return { name: flow.key, client, server, packets: tcpSession(client, server, exchange) };
}
