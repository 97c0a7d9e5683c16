// `npm run mutate:order`: measures the order of the mutation test files (.mocharc.mutation.cjs `spec`) that costs
// least, and prints it. Under a mutant Stryker runs the tests that reach it in mocha's order and stops at the first
// that fails, so a late killer is paid for by every test before it (docs/mutation.md, "Tests").
//
// 1. times each test of the mutation set with mocha (its JSON reporter);
// 2. runs Stryker over a sample of the core (every tenth line of each mutated file) with bail off, so every test that
//    kills a mutant is known, not only the first;
// 3. searches file orders (moving one file at a time while the cost falls) for the least summed test time, a killed
//    mutant costing its tests up to its first killer, a survivor all of its tests.
//
//   npm run mutate:order              # prints the order, the sample's cost under it and under the current one
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stryker } from "./mutate";

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "reports", "mutation");

interface TestTime {
    readonly fullTitle: string;
    readonly file: string;
    readonly duration?: number;
}
interface SampleReport {
    readonly testFiles: Readonly<Record<string, { readonly tests: readonly { readonly id: string; readonly name: string }[] }>>;
    readonly files: Readonly<Record<string, { readonly mutants: readonly { readonly status: string; readonly coveredBy?: readonly string[]; readonly killedBy?: readonly string[] }[] }>>;
}

/** A mutant of the sample: the tests that reach it (with their time and file) and those that kill it. */
export interface SampledMutant {
    readonly covering: readonly { readonly id: number; readonly file: string; readonly ms: number }[];
    readonly killers: ReadonlySet<number>;
}

/** The summed test time of the sample under a file order: each mutant's tests in that order, up to its first killer. */
export function orderCost(mutants: readonly SampledMutant[], order: readonly string[]): number {
    const position = new Map(order.map((file, i) => [file, i]));
    const at = (file: string) => position.get(file) ?? order.length;
    let total = 0;
    for (const m of mutants) {
        const tests = [...m.covering].sort((a, b) => at(a.file) - at(b.file) || a.id - b.id);
        for (const t of tests) {
            total += t.ms;
            if (m.killers.has(t.id)) {
                break;
            }
        }
    }
    return total;
}

/** From `start`, moves one file at a time to wherever lowers the cost most, until no move lowers it. */
export function cheapestOrder(mutants: readonly SampledMutant[], start: readonly string[]): string[] {
    let best = [...start];
    let cost = orderCost(mutants, best);
    for (let improved = true; improved;) {
        improved = false;
        for (let i = 0; i < best.length; i++) {
            for (let j = 0; j < best.length; j++) {
                if (i === j) {
                    continue;
                }
                const order = [...best];
                const [file] = order.splice(i, 1);
                if (file === undefined) {
                    continue;
                }
                order.splice(j, 0, file);
                const c = orderCost(mutants, order);
                if (c < cost) {
                    best = order;
                    cost = c;
                    improved = true;
                }
            }
        }
    }
    return best;
}

/** Every tenth line of each file Stryker mutates, as Stryker line ranges (`file:line-line`). */
function sampleRanges(mutate: readonly string[]): string[] {
    const files = mutate.filter((p) => !p.startsWith("!"));
    const excluded = new Set(mutate.filter((p) => p.startsWith("!")).map((p) => p.slice(1)));
    const all: string[] = [];
    for (const pattern of files) {
        const match = /^(.*)\/\*\*\/\*\.ts$/.exec(pattern);
        const names = match?.[1] !== undefined
            ? fs.readdirSync(path.join(ROOT, match[1]), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => `${match[1]}/${f}`)
            : [pattern];
        all.push(...names.filter((n) => !excluded.has(n)));
    }
    return all.flatMap((file) => {
        const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").length;
        return Array.from({ length: Math.ceil(lines / 10) }, (_, k) => `${file}:${k * 10 + 4}-${k * 10 + 4}`);
    });
}

function main(): number {
    fs.mkdirSync(OUT, { recursive: true });
    const mochaConfig = path.join(ROOT, ".mocharc.mutation.cjs");
    const current = (require(mochaConfig) as { spec: string[] }).spec;
    const times = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js"), "--config", mochaConfig, "--reporter", "json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (times.status !== 0) {
        console.error(`the mutation test set failed:\n${times.stderr}`);
        return 1;
    }
    const passes = (JSON.parse(times.stdout) as { passes: TestTime[] }).passes;
    const ms = new Map(passes.map((t) => [t.fullTitle, Math.max(t.duration ?? 0, 1)]));

    const base = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as { mutate: string[] } & Record<string, unknown>;
    const sampleReport = path.join(OUT, "order-sample.json");
    const config = { ...base, mutate: sampleRanges(base.mutate), checkers: [], incremental: false, disableBail: true, reporters: ["json", "progress"], jsonReporter: { fileName: path.relative(ROOT, sampleReport) } };
    const configFile = path.join(OUT, "order-sample.config.json");
    fs.writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    if (!stryker([path.relative(ROOT, configFile)])) {
        return 2;
    }
    const report = JSON.parse(fs.readFileSync(sampleReport, "utf8")) as SampleReport;
    const tests = new Map<string, { id: number; file: string; ms: number }>();
    for (const [file, { tests: list }] of Object.entries(report.testFiles)) {
        for (const t of list) {
            tests.set(t.id, { id: Number(t.id), file, ms: ms.get(t.name) ?? 1 });
        }
    }
    const mutants: SampledMutant[] = Object.values(report.files).flatMap((f) => f.mutants)
        .filter((m) => ["Killed", "Survived", "Timeout"].includes(m.status))
        .map((m) => ({
            covering: (m.coveredBy ?? []).flatMap((id) => tests.get(id) ?? []),
            killers: new Set((m.killedBy ?? []).map(Number)),
        }));
    const best = cheapestOrder(mutants, current);
    const seconds = (order: readonly string[]) => `${(orderCost(mutants, order) / 1000).toFixed(1)} s`;
    console.log(`\n${mutants.length} sampled mutants; summed test time in the current order ${seconds(current)}, in the order below ${seconds(best)}`);
    console.log(`const spec = [\n${best.map((f) => `    ${JSON.stringify(f)},`).join("\n")}\n];`);
    return 0;
}

if (require.main === module) {
    process.exitCode = main();
}
