// `npm run mutate`: Stryker over the security core (stryker.config.json), then the score per file and per folder
// with the justified equivalent mutants (mutation/equivalent-mutants.json) taken out, and every survivor listed.
// Exits non-zero when a folder scores under the target, or an equivalent-mutant entry no longer matches a mutant.
//
// Two Stryker runs (docs/mutation.md, "The TypeScript checker, on the survivors"): the tests under every mutant, with
// no checker; then Stryker's TypeScript checker over the survivors only, and a survivor that does not type-check is
// a compile error, out of the score, as Stryker reports it when the checker runs first. A killed mutant is not
// type-checked and counts as killed, so the score is at least the one Stryker's checker-first run gives (the weekly
// workflow runs that: `npm run mutate -- --checkers typescript`). The checker costs about 1.8 s of CPU a mutant on the
// 2-core machines (all ~3,800 mutants: about an hour), the tests well under 1 s in the order of .mocharc.mutation.cjs.
// The second run reads stryker.config.json and takes only --concurrency (a number) from the command line.
//
//   npm run mutate                              # the whole core, incrementally (only changed code and tests rerun)
//   npm run mutate -- --mutate firewall/rules.ts  # one file or folder (any Stryker CLI option passes through)
//   npm run mutate -- --report-only             # recompute the scores from the last report, no Stryker run
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const REPORT = path.join(ROOT, "reports", "mutation", "mutation.json");
/** The type check of the survivors: its Stryker config and report (reports/ is not committed). */
const TYPECHECK_CONFIG = path.join(ROOT, "reports", "mutation", "typecheck.config.json");
const TYPECHECK_REPORT = path.join(ROOT, "reports", "mutation", "typecheck.json");
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

interface Position {
    readonly line: number;
    readonly column: number;
}
interface ReportMutant {
    readonly id: string;
    readonly mutatorName: string;
    readonly replacement?: string;
    readonly status: string;
    readonly statusReason?: string;
    readonly location: { readonly start: Position; readonly end: Position };
}
interface Report {
    readonly files: Readonly<Record<string, { readonly source: string; readonly mutants: readonly ReportMutant[] }>>;
}

const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/** One mutant across two Stryker runs of the same source: ids differ, file, place, mutator and replacement do not. */
function mutantKey(file: string, m: ReportMutant): string {
    const { start, end } = m.location;
    return `${file}:${start.line}:${start.column}-${end.line}:${end.column} ${m.mutatorName} ${m.replacement ?? ""}`;
}

/**
 * Stryker `mutate` patterns for the survivors of a report: each survivor's own range (`file:line:column-line:column`,
 * Stryker's mutation range syntax), so the type check instruments those mutants (and any nested in their ranges).
 * The report counts lines and columns from 1; a range counts lines from 1 and columns from 0 (Stryker 9.6.1:
 * MUTATION_RANGE_REGEX in core's project-reader.js keeps the column, the instrumenter compares it with Babel's
 * 0-based columns; the report adds 1 in core's object-utils.js).
 */
export function survivorRanges(report: Report): string[] {
    const ranges = new Set<string>();
    for (const [file, { mutants }] of Object.entries(report.files)) {
        for (const m of mutants) {
            if (UNDETECTED.has(m.status)) {
                const { start, end } = m.location;
                ranges.add(`${file}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`);
            }
        }
    }
    return [...ranges];
}

/**
 * The report with every survivor the type check found not to compile turned into a CompileError (with the
 * compiler's message), as Stryker's checker reports a mutant that fails it. Only survivors change: a killed mutant
 * stays killed whether or not it compiles. Returns the new report and how many changed.
 */
export function withCompileErrors(report: Report, typecheck: Report): { report: Report; compileErrors: number; unchecked: number } {
    const checked = new Map<string, ReportMutant>();
    for (const [file, { mutants }] of Object.entries(typecheck.files)) {
        for (const m of mutants) {
            checked.set(mutantKey(file, m), m);
        }
    }
    let compileErrors = 0;
    let unchecked = 0;
    const files = Object.fromEntries(Object.entries(report.files).map(([file, f]) => [file, {
        ...f,
        mutants: f.mutants.map((m) => {
            if (!UNDETECTED.has(m.status)) {
                return m;
            }
            const check = checked.get(mutantKey(file, m));
            if (check === undefined) {
                unchecked++; // stays a survivor: nothing says it does not compile
                return m;
            }
            if (check.status !== "CompileError") {
                return m;
            }
            compileErrors++;
            return { ...m, status: "CompileError", statusReason: check.statusReason ?? "does not type-check" };
        }),
    }]));
    return { report: { ...report, files }, compileErrors, unchecked };
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
    // An entry no survivor matched is stale when its code is gone from the file, or when the run made its mutant and
    // the mutant was killed or did not compile; not when the run left that code out (`--mutate file:lines`).
    const stale = equivalents.filter((e) => {
        const file = report.files[e.file];
        if (used.has(e) || file === undefined) {
            return false;
        }
        const made = file.mutants.some((m) => m.mutatorName === e.mutator && (m.replacement ?? "") === e.replacement && originalText(file.source, m) === e.original);
        return made || !file.source.includes(e.original);
    });
    return { perFile, perFolder, survivors, stale };
}

function table(title: string, rows: Map<string, Score>): string {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const lines = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) =>
        `${name.padEnd(32)} ${pct(s.score).padStart(7)}  killed ${String(s.killed).padStart(4)}  survived ${String(s.survived).padStart(3)}  equivalent ${String(s.equivalent).padStart(3)}  not run ${s.ignored}`,
    );
    return [`${title}`, ...lines].join("\n");
}

/** Runs Stryker (its CLI, with the Mocha 12 hook every Stryker process needs); true when it exited 0. */
export function stryker(args: readonly string[]): boolean {
    // Mocha 12's CLI files end in .cjs (see mutation/mocha12-cjs.cjs): every Stryker process (the checker and
    // test runner workers too) loads the mocha runner plugin, so the hook goes in NODE_OPTIONS.
    const hook = `--require ${JSON.stringify(path.join(ROOT, "mutation", "mocha12-cjs.cjs"))}`;
    const run = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js"), "run", ...args], {
        cwd: ROOT,
        stdio: "inherit",
        env: { ...process.env, NODE_OPTIONS: [process.env["NODE_OPTIONS"], hook].filter((x) => x !== undefined && x !== "").join(" ") },
    });
    if (run.status !== 0) {
        console.error(`stryker exited with ${run.status ?? run.signal}`);
        return false;
    }
    return true;
}

/** The value of a Stryker CLI option given as `--name value` or `--name=value`, if given. */
function option(argv: readonly string[], ...names: readonly string[]): string | undefined {
    for (const [i, arg] of argv.entries()) {
        for (const name of names) {
            if (arg === name) {
                return argv[i + 1];
            }
            if (arg.startsWith(`${name}=`)) {
                return arg.slice(name.length + 1);
            }
        }
    }
    return undefined;
}

/**
 * The second run: Stryker's TypeScript checker (stryker.config.json's checker settings) over the survivors' ranges
 * only. Its test runner is a no-op command: only the check results are read. Returns the survivors that do not
 * type-check, turned into compile errors in the report, or undefined when the check could not run.
 */
function typecheckSurvivors(report: Report, concurrency: number): ReturnType<typeof withCompileErrors> | undefined {
    const ranges = survivorRanges(report);
    if (ranges.length === 0) {
        return { report, compileErrors: 0, unchecked: 0 };
    }
    const base = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as Record<string, unknown>;
    const { mochaOptions: _mocha, testRunnerNodeArgs: _node, $schema: _schema, ...rest } = base;
    const config = {
        ...rest,
        mutate: ranges,
        checkers: ["typescript"],
        testRunner: "command",
        commandRunner: { command: "true" },
        // The no-op runner needs no coverage, and without coverage Stryker cannot tell static mutants apart.
        coverageAnalysis: "off",
        ignoreStatic: false,
        incremental: false,
        // Stryker gives checkers half the concurrency, rounded up: as many checkers as the test run had runners.
        concurrency: Math.max(1, 2 * concurrency - 1),
        reporters: ["json", "progress"],
        jsonReporter: { fileName: path.relative(ROOT, TYPECHECK_REPORT) },
    };
    fs.mkdirSync(path.dirname(TYPECHECK_CONFIG), { recursive: true });
    fs.writeFileSync(TYPECHECK_CONFIG, `${JSON.stringify(config, null, 2)}\n`);
    console.log(`\ntype-checking the ${ranges.length} survivors' ranges (Stryker's TypeScript checker, ${path.relative(ROOT, TYPECHECK_CONFIG)})`);
    if (!stryker([path.relative(ROOT, TYPECHECK_CONFIG)])) {
        return undefined;
    }
    return withCompileErrors(report, JSON.parse(fs.readFileSync(TYPECHECK_REPORT, "utf8")) as Report);
}

function main(argv: readonly string[]): number {
    const reportOnly = argv.includes("--report-only");
    if (!reportOnly) {
        // The tests first, without the checker (unless the caller chose checkers), then the check of the survivors.
        const checkersGiven = option(argv, "--checkers") !== undefined;
        if (!stryker(checkersGiven ? argv : [...argv, "--checkers", ""])) {
            return 2;
        }
        const concurrency = Number(option(argv, "--concurrency", "-c") ?? (JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as { concurrency?: number }).concurrency ?? 2);
        const tested = JSON.parse(fs.readFileSync(REPORT, "utf8")) as Report;
        const checked = typecheckSurvivors(tested, Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 2);
        if (checked === undefined) {
            return 2;
        }
        fs.writeFileSync(REPORT, JSON.stringify(checked.report));
        console.log(`survivors that do not type-check (compile errors, out of the score): ${checked.compileErrors}`);
        if (checked.unchecked > 0) {
            console.error(`${checked.unchecked} survivors were not found by the type check's run; they stay survivors`);
            return 2;
        }
    }
    if (!fs.existsSync(REPORT)) {
        console.error(`no report at ${path.relative(ROOT, REPORT)}: run npm run mutate first`);
        return 2;
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
    // With a checker chosen (the weekly run's `--checkers typescript`), every mutant was type-checked before its tests.
    const checker = option(argv, "--checkers");
    const how = !reportOnly && checker !== undefined && checker !== "" ? "the checker ran first: Stryker's own score" : "killed mutants are not type-checked: at least Stryker's checker-first score";
    console.log(`\n${table(`score per file (killed / (killed + survived), equivalents excluded; ${how})`, perFile)}\n`);
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
