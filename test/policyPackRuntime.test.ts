// The policy pack as the Pulumi CLI runs it: the analyzer plugin starts `node <@pulumi/pulumi>/cmd/run-policy-pack
// <engine-address> .` in the pack's directory, appending the pack's runtime options as `-key=value` arguments after
// the script (pulumi/pulumi, pkg/resource/plugin/analyzer_plugin.go: args := {host.ServerAddr(), "."} plus
// "-%s=%s" per runtime option), so PulumiPolicy.yaml's `nodeargs` never reach node. The runtime registers its own
// TypeScript loader (cmd/run-policy-pack/index.js: typeScript: !process.versions.bun) and prints the port of its
// Analyzer gRPC server on stdout. This test starts exactly that and asks the server what it serves.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type { AnalyzerInfo } from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import * as fs from "node:fs";
import { RULES } from "../policy-pack/rules";
import { PROJECT_ROOT } from "../offline/synth";

const PACK = path.join(PROJECT_ROOT, "policy-pack");

/** The node module the analyzer plugin runs, resolved from the pack's directory as the plugin does. */
function runtimeEntry(): string {
    return path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK] }));
}

/** The arguments the analyzer plugin passes: the engine address, ".", then each runtime option as -key=value. */
function pluginArgs(engine: string): string[] {
    const project = parseYaml(fs.readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8")) as { runtime?: { options?: Record<string, unknown> } };
    const options = Object.entries(project.runtime?.options ?? {}).map(([k, v]) => `-${k}=${String(v)}`);
    return [engine, ".", ...options];
}

function firstLine(child: ChildProcess): Promise<string> {
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        child.stdout?.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            const newline = out.indexOf("\n");
            if (newline >= 0) {
                resolve(out.slice(0, newline).trim());
            }
        });
        child.stderr?.on("data", (chunk: Buffer) => {
            err += chunk.toString();
        });
        child.on("exit", (code) => reject(new Error(`the policy pack exited (${String(code)}) before serving:\n${err}${out}`)));
    });
}

describe("policy pack: started by @pulumi/pulumi's policy-pack runtime, as the CLI starts it", () => {
    let child: ChildProcess | undefined;
    after(() => {
        if (child?.pid !== undefined && child.exitCode === null) {
            child.kill();
        }
    });

    it("serves the Analyzer gRPC service with every rule, mandatory, whatever nodeargs say", async () => {
        // No --import on node's own command line: exactly what the language host does with nodeargs for a pack.
        const spawned = spawn(process.execPath, [runtimeEntry(), ...pluginArgs("127.0.0.1:1")], { cwd: PACK, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
        child = spawned;
        const port = await firstLine(spawned);
        expect(port).to.match(/^\d+$/);
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const info = await new Promise<AnalyzerInfo>((resolve, reject) => client.getAnalyzerInfo(new Empty(), (e, r) => (e === null ? resolve(r) : reject(e))));
        client.close();
        expect(info.getName()).to.equal("secure-ai");
        const policies = info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]);
        // EnforcementLevel MANDATORY is 1 in pulumi's analyzer.proto.
        expect(policies).to.deep.equal(RULES.map((r) => [r.name, 1]));
    });
});
