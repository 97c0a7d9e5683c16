// Runs the rendered rules in the real Suricata 7 engine: syntax check (-T) and pcap replay in simulated IPS
// mode, with the firewall policy's default actions emulated by appended rules.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import type { RuleVariables } from "../firewall/rules";
import { pcapFile, type Endpoint } from "./pcap";

/** aws:drop_established as a rule: established packets that no pass rule let through are dropped. */
export const EMULATED_DEFAULT_ACTIONS = [
    'drop ip any any -> any any (msg:"emulated aws:drop_established"; flow:established; sid:9999001; rev:1;)',
];

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
        stream: { "checksum-validation": "no" },
    };
    return `%YAML 1.1\n---\n${stringify(doc)}`;
}

function workspace(rules: string, variables: RuleVariables): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-ai-suricata-"));
    fs.writeFileSync(path.join(dir, "suricata.yaml"), config(variables));
    fs.writeFileSync(path.join(dir, "rules.rules"), rules);
    return dir;
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
    const dir = workspace(rules, variables);
    const result = run(dir, ["-T"]);
    return result.status === 0 ? undefined : result.output;
}

export interface Flow {
    readonly name: string;
    readonly client: Endpoint;
    readonly server: Endpoint;
    readonly packets: readonly number[][];
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
    alert?: { action?: string; signature_id?: number };
}

/** Replays every flow (in one pcap) with --simulate-ips and reports, per flow and direction, whether anything dropped. */
export function replay(rules: string, variables: RuleVariables, flows: readonly Flow[]): Map<string, Verdict & { sids: number[] }> {
    const dir = workspace(`${rules.trimEnd()}\n${EMULATED_DEFAULT_ACTIONS.join("\n")}\n`, variables);
    const pcap = path.join(dir, "traffic.pcap");
    fs.writeFileSync(pcap, pcapFile(flows.flatMap((f) => f.packets)));
    const result = run(dir, ["-r", pcap, "--runmode", "single", "-k", "none", "--simulate-ips"]);
    if (result.status !== 0) {
        throw new Error(`suricata replay failed:\n${result.output}`);
    }
    const events = fs
        .readFileSync(path.join(dir, "eve.json"), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as EveEvent);
    const verdicts = new Map<string, Verdict & { sids: number[] }>();
    for (const flow of flows) {
        const same = (a: Endpoint, ipAddress?: string, port?: number) => a.ip === ipAddress && (port === undefined || a.port === port);
        const blocked = events.filter((e) => e.event_type === "alert" && e.alert?.action === "blocked");
        const toServer = blocked.filter((e) => same(flow.client, e.src_ip, e.src_port) && same(flow.server, e.dest_ip, e.dest_port));
        const toClient = blocked.filter((e) => same(flow.server, e.src_ip, e.src_port) && same(flow.client, e.dest_ip, e.dest_port));
        verdicts.set(flow.name, {
            toServerDropped: toServer.length > 0,
            toClientDropped: toClient.length > 0,
            sids: [...new Set([...toServer, ...toClient].map((e) => e.alert?.signature_id ?? 0))],
        });
    }
    return verdicts;
}
