// `npm run mutate`: Stryker over the security core (stryker.config.json), then the score per file and per folder
// with the justified equivalent mutants (mutation/equivalent-mutants.json) taken out, and every survivor listed.
// Exits non-zero when a folder scores under the target, or an equivalent-mutant entry no longer matches a mutant.
//
//   npm run mutate                              # the whole core, incrementally (only changed code and tests rerun)
//   npm run mutate -- --mutate firewall/rules.ts  # one file or folder (any Stryker CLI option passes through)
//   npm run mutate -- --report-only             # recompute the scores from the last report, no Stryker run
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const REPORT = path.join(ROOT, "reports", "mutation", "mutation.json");
const EQUIVALENTS = path.join(ROOT, "mutation", "equivalent-mutants.json");
/** Share of non-equivalent mutants that must be killed in each folder. */
export const TARGET = 0.85;

/** A mutant the tests cannot kill because it does not change behaviour, with why. */
export interface Equivalent {
    readonly file: string;
    readonly mutator: string;
    /** The code Stryker replaced, exactly as in the source (matched instead of a line number, which moves). */
    readonly original: string;
    readonly replacement: string;
    readonly reason: string;
}

interface ReportMutant {
    readonly id: string;
    readonly mutatorName: string;
    readonly replacement?: string;
    readonly status: string;
    readonly location: { readonly start: { line: number; column: number }; readonly end: { line: number; column: number } };
}
interface Report {
    readonly files: Readonly<Record<string, { readonly source: string; readonly mutants: readonly ReportMutant[] }>>;
}

/** The source text a mutant replaced (Stryker's lines are 1-based, columns 1-based). */
export function originalText(source: string, m: ReportMutant): string {
    const lines = source.split("\n");
    const { start, end } = m.location;
    if (start.line === end.line) {
        return (lines[start.line - 1] ?? "").slice(start.column - 1, end.column - 1);
    }
    const first = (lines[start.line - 1] ?? "").slice(start.column - 1);
    const middle = lines.slice(start.line, end.line - 1);
    const last = (lines[end.line - 1] ?? "").slice(0, end.column - 1);
    return [first, ...middle, last].join("\n");
}

export interface Score {
    readonly killed: number;
    readonly survived: number;
    readonly equivalent: number;
    readonly ignored: number;
    /** killed / (killed + survived); timeouts count as killed, no coverage as survived (Stryker's own rules). */
    readonly score: number;
}

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

export function score(report: Report, equivalents: readonly Equivalent[]) {
    const used = new Set<Equivalent>();
    const perFile = new Map<string, Score>();
    const survivors: string[] = [];
    for (const [file, { source, mutants }] of Object.entries(report.files)) {
        let killed = 0;
        let survived = 0;
        let equivalent = 0;
        let ignored = 0;
        for (const m of mutants) {
            if (DETECTED.has(m.status)) {
                killed++;
                continue;
            }
            if (!UNDETECTED.has(m.status)) {
                ignored++; // CompileError, RuntimeError, Ignored (static mutants, see stryker.config.json)
                continue;
            }
            const original = originalText(source, m);
            const match = equivalents.find((e) => e.file === file && e.mutator === m.mutatorName && e.original === original && e.replacement === (m.replacement ?? ""));
            if (match !== undefined) {
                used.add(match);
                equivalent++;
                continue;
            }
            survived++;
            survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${JSON.stringify(original)} -> ${JSON.stringify(m.replacement ?? "")}`);
        }
        perFile.set(file, { killed, survived, equivalent, ignored, score: killed + survived === 0 ? 1 : killed / (killed + survived) });
    }
    const perFolder = new Map<string, Score>();
    for (const [file, s] of perFile) {
        const folder = file.split("/")[0] ?? file;
        const f = perFolder.get(folder) ?? { killed: 0, survived: 0, equivalent: 0, ignored: 0, score: 1 };
        const killed = f.killed + s.killed;
        const survived = f.survived + s.survived;
        perFolder.set(folder, { killed, survived, equivalent: f.equivalent + s.equivalent, ignored: f.ignored + s.ignored, score: killed + survived === 0 ? 1 : killed / (killed + survived) });
    }
    const mutated = new Set(Object.keys(report.files));
    const stale = equivalents.filter((e) => !used.has(e) && mutated.has(e.file));
    return { perFile, perFolder, survivors, stale };
}

function table(title: string, rows: Map<string, Score>): string {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const lines = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) =>
        `${name.padEnd(32)} ${pct(s.score).padStart(7)}  killed ${String(s.killed).padStart(4)}  survived ${String(s.survived).padStart(3)}  equivalent ${String(s.equivalent).padStart(3)}  not run ${s.ignored}`,
    );
    return [`${title}`, ...lines].join("\n");
}

function main(argv: readonly string[]): number {
    const reportOnly = argv.includes("--report-only");
    if (!reportOnly) {
        // Mocha 12's CLI files end in .cjs (see mutation/mocha12-cjs.cjs): every Stryker process (the checker and
        // test runner workers too) loads the mocha runner plugin, so the hook goes in NODE_OPTIONS.
        const hook = `--require ${JSON.stringify(path.join(ROOT, "mutation", "mocha12-cjs.cjs"))}`;
        const stryker = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js"), "run", ...argv], {
            cwd: ROOT,
            stdio: "inherit",
            env: { ...process.env, NODE_OPTIONS: [process.env["NODE_OPTIONS"], hook].filter((x) => x !== undefined && x !== "").join(" ") },
        });
        if (stryker.status !== 0) {
            console.error(`stryker exited with ${stryker.status ?? stryker.signal}`);
            return 2;
        }
    }
    const report = JSON.parse(fs.readFileSync(REPORT, "utf8")) as Report;
    const equivalents = JSON.parse(fs.readFileSync(EQUIVALENTS, "utf8")) as Equivalent[];
    for (const e of equivalents) {
        if (e.reason.trim().length < 20) {
            console.error(`mutation/equivalent-mutants.json: ${e.file} ${e.mutator} ${JSON.stringify(e.original)} needs a reason`);
            return 1;
        }
    }
    const { perFile, perFolder, survivors, stale } = score(report, equivalents);
    console.log(`\n${table("score per file (killed / (killed + survived), equivalents excluded)", perFile)}\n`);
    console.log(`${table("score per folder", perFolder)}\n`);
    console.log(survivors.length === 0 ? "survivors: none" : `survivors (${survivors.length}):\n  ${survivors.join("\n  ")}`);
    let status = 0;
    if (stale.length > 0) {
        console.log(`\nequivalent-mutant entries that match no mutant any more (remove or update them):\n  ${stale.map((e) => `${e.file} ${e.mutator} ${JSON.stringify(e.original)}`).join("\n  ")}`);
        status = 1;
    }
    const low = [...perFolder.entries()].filter(([, s]) => s.score < TARGET);
    if (low.length > 0) {
        console.log(`\nunder the ${TARGET * 100}% target: ${low.map(([f, s]) => `${f} ${(s.score * 100).toFixed(1)}%`).join(", ")}`);
        status = 1;
    }
    return status;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
