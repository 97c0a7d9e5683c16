// Runs firewall rules in the real Suricata 7 engine: syntax check (-T) and pcap replay in simulated IPS
// mode, with the firewall policy's default actions emulated by appended rules.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import type { RuleVariables } from "../firewall/rules";
import { pcapFile, type Endpoint } from "./pcap";

/**
 * The policy's stateful default actions are settings, not rules: each is emulated here by rules appended after the
 * rule group, each following a statement of AWS's (Network Firewall Developer Guide, "Strict evaluation order"
 * and the 2026-06-25 announcement of the server-directed application-layer default).
 */
export const EMULATIONS: Readonly<Record<string, readonly string[]>> = {
    // "Drops all packets that are in established connections and don't match a rule": the first payload packet
    // after the handshake, before any application-layer rule has seen a complete ClientHello.
    "aws:drop_established": ['drop ip any any -> any any (msg:"emulated aws:drop_established"; flow:established; sid:9999001; rev:1;)'],
    // "Application drop established (server-directed only)": established packets towards the server that match
    // no rule are dropped once the application layer has been parsed far enough for rules to match (a complete
    // TLS ClientHello, complete HTTP request headers, or any other protocol's data); packets towards the client
    // (window updates, keep-alives, resets) are never dropped by the default.
    "aws:drop_established_app_layer_to_server": [
        'drop tls any any -> any any (msg:"emulated aws:drop_established_app_layer_to_server: TLS after a complete ClientHello"; flow:to_server,established; ssl_state:client_hello; sid:9999011; rev:1;)',
        'drop http any any -> any any (msg:"emulated aws:drop_established_app_layer_to_server: HTTP after complete request headers"; flow:to_server,established; http.header_names; content:"|0d 0a 0d 0a|"; endswith; sid:9999012; rev:1;)',
        'drop tcp any any -> any any (msg:"emulated aws:drop_established_app_layer_to_server: data of any other protocol"; flow:to_server,established; dsize:>0; app-layer-protocol:!tls; app-layer-protocol:!http; sid:9999013; rev:1;)',
    ],
};

/** The emulation rules of a policy's stateful default actions (alert actions are logging only: the drops log). */
export function emulationOf(defaultActions: readonly string[]): string[] {
    return defaultActions.flatMap((action) => {
        if (action.startsWith("aws:alert_")) {
            return [];
        }
        const rules = EMULATIONS[action];
        if (rules === undefined) {
            throw new Error(`no emulation of the default action ${action}`);
        }
        return [...rules];
    });
}

export function suricataVersion(): string | undefined {
    const result = spawnSync("suricata", ["-V"], { encoding: "utf8" });
    return result.status === 0 ? result.stdout.trim() : undefined;
}

function config(variables: RuleVariables): string {
    const addressGroups: Record<string, string> = { EXTERNAL_NET: "!$HOME_NET" };
    for (const [name, cidrs] of Object.entries(variables.ipSets)) {
        addressGroups[name] = `[${cidrs.join(",")}]`;
    }
    const portGroups: Record<string, string> = { HTTP_PORTS: "80", TEREDO_PORTS: "3544", GENEVE_PORTS: "6081", VXLAN_PORTS: "4789" };
    for (const [name, ports] of Object.entries(variables.portSets)) {
        portGroups[name] = `[${ports.join(",")}]`;
    }
    const doc = {
        vars: { "address-groups": addressGroups, "port-groups": portGroups },
        outputs: [{ "eve-log": { enabled: "yes", filetype: "regular", filename: "eve.json", types: ["alert", { drop: { alerts: "yes", flows: "all" } }, "flow"] } }],
        "app-layer": { protocols: { tls: { enabled: "yes", "detection-ports": { dp: 443 } }, http: { enabled: "yes" } } },
        // AWS STRICT_ORDER evaluates rules by position; Suricata by action. Every allow-logging alert precedes its
        // pass and no earlier drop overlaps a later pass, so alert > pass > drop is the order the positions give.
        "action-order": ["alert", "pass", "drop", "reject"],
        stream: { "checksum-validation": "no" },
    };
    return `%YAML 1.1\n---\n${stringify(doc)}`;
}

/**
 * Runs `use` in a new directory holding the engine's config and the rules, and removes the directory afterwards (a
 * replay of the largest allowlists writes about 24 MB there). SECURE_AI_KEEP_SURICATA=1 keeps it and names it on
 * stderr, to read eve.json by hand.
 */
function inWorkspace<T>(rules: string, variables: RuleVariables, use: (dir: string) => T): T {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-ai-suricata-"));
    try {
        fs.writeFileSync(path.join(dir, "suricata.yaml"), config(variables));
        fs.writeFileSync(path.join(dir, "rules.rules"), rules);
        return use(dir);
    } finally {
        if (process.env["SECURE_AI_KEEP_SURICATA"] === "1") {
            process.stderr.write(`Suricata workspace kept: ${dir}\n`);
        } else {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
}

function run(dir: string, extra: readonly string[]): { status: number | null; output: string } {
    const result = spawnSync(
        "suricata",
        ["-c", path.join(dir, "suricata.yaml"), "-S", path.join(dir, "rules.rules"), "-l", dir, "--init-errors-fatal", ...extra],
        { encoding: "utf8" },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** `suricata -T`: the rules and variables load with no error. Returns the engine's output on failure. */
export function checkSyntax(rules: string, variables: RuleVariables): string | undefined {
    return inWorkspace(rules, variables, (dir) => {
        const result = run(dir, ["-T"]);
        return result.status === 0 ? undefined : result.output;
    });
}

export interface Flow {
    readonly name: string;
    /** ICMP has no ports: the flow is matched by addresses alone. */
    readonly icmp?: boolean;
    readonly client: Endpoint;
    readonly server: Endpoint;
    readonly packets: readonly number[][];
}

export interface FlowVerdict extends Verdict {
    /** Sids of the blocking rules. */
    readonly sids: readonly number[];
    /** Alerts that did not block (the allow-logging rules). */
    readonly alerts: readonly { readonly sid: number; readonly msg: string }[];
}

export interface Verdict {
    /** Some client-to-server packet was dropped. */
    readonly toServerDropped: boolean;
    /** Some server-to-client packet was dropped. */
    readonly toClientDropped: boolean;
}

interface EveEvent {
    event_type?: string;
    src_ip?: string;
    src_port?: number;
    dest_ip?: string;
    dest_port?: number;
    alert?: { action?: string; signature_id?: number; signature?: string };
}

/**
 * Replays every flow (in one pcap) with --simulate-ips, the policy's default actions emulated, and reports per flow
 * and direction whether anything dropped, the sids that dropped, and the allow-logging alerts.
 */
export function replay(rules: string, variables: RuleVariables, flows: readonly Flow[], defaultActions: readonly string[]): Map<string, FlowVerdict> {
    const events = inWorkspace(`${rules.trimEnd()}\n${emulationOf(defaultActions).join("\n")}\n`, variables, (dir) => {
        const pcap = path.join(dir, "traffic.pcap");
        fs.writeFileSync(pcap, pcapFile(flows.flatMap((f) => f.packets)));
        const result = run(dir, ["-r", pcap, "--runmode", "single", "-k", "none", "--simulate-ips"]);
        if (result.status !== 0) {
            throw new Error(`suricata replay failed:\n${result.output}`);
        }
        return fs
            .readFileSync(path.join(dir, "eve.json"), "utf8")
            .split("\n")
            .filter((line) => line.trim() !== "")
            .map((line) => JSON.parse(line) as EveEvent);
    });
    // One pass over the events, indexed by direction-aware 4-tuple: linear in events plus flows.
    const key = (srcIp?: string, srcPort?: number, destIp?: string, destPort?: number) => `${srcIp}:${srcPort}>${destIp}:${destPort}`;
    const byTuple = new Map<string, EveEvent[]>();
    for (const e of events) {
        if (e.event_type === "alert") {
            const k = key(e.src_ip, e.src_port, e.dest_ip, e.dest_port);
            const list = byTuple.get(k);
            if (list === undefined) {
                byTuple.set(k, [e]);
            } else {
                list.push(e);
            }
        }
    }
    const verdicts = new Map<string, FlowVerdict>();
    for (const flow of flows) {
        const port = (p: number) => (flow.icmp === true ? undefined : p);
        const toServer = byTuple.get(key(flow.client.ip, port(flow.client.port), flow.server.ip, port(flow.server.port))) ?? [];
        const toClient = byTuple.get(key(flow.server.ip, port(flow.server.port), flow.client.ip, port(flow.client.port))) ?? [];
        const blocked = (list: readonly EveEvent[]) => list.filter((e) => e.alert?.action === "blocked");
        verdicts.set(flow.name, {
            toServerDropped: blocked(toServer).length > 0,
            toClientDropped: blocked(toClient).length > 0,
            sids: [...new Set([...blocked(toServer), ...blocked(toClient)].map((e) => e.alert?.signature_id ?? 0))],
            alerts: [...toServer, ...toClient].filter((e) => e.alert?.action === "allowed").map((e) => ({ sid: e.alert?.signature_id ?? 0, msg: e.alert?.signature ?? "" })),
        });
    }
    return verdicts;
}

/**
 * Replays through both of the firewall's stages: the stateless rules (as Suricata drops, see statelessAsSuricata in
 * test/deployedFirewall.ts), which AWS runs first and apart, then the stateful rules with the policy's default
 * actions. A direction counts as dropped when either stage drops some of its packets.
 */
export function replayStages(
    statelessRules: string,
    rules: string,
    variables: RuleVariables,
    flows: readonly Flow[],
    defaultActions: readonly string[],
): Map<string, FlowVerdict> {
    const first = statelessRules.trim() === "" ? new Map<string, FlowVerdict>() : replay(statelessRules, variables, flows, []);
    const second = replay(rules, variables, flows, defaultActions);
    const verdicts = new Map<string, FlowVerdict>();
    for (const flow of flows) {
        const a = first.get(flow.name);
        const b = second.get(flow.name);
        if (b === undefined) {
            continue;
        }
        verdicts.set(flow.name, {
            toServerDropped: b.toServerDropped || a?.toServerDropped === true,
            toClientDropped: b.toClientDropped || a?.toClientDropped === true,
            sids: [...(a?.sids ?? []), ...b.sids],
            alerts: b.alerts,
        });
    }
    return verdicts;
}
