// `npm run mutate:named`: the six one-line mutations issue 21 found surviving (mutation/named-mutants.json), each
// applied alone to a copy of the repository (git's tracked files, node_modules linked), must make every test file
// named for it fail. Stryker's generated mutants do not include these exact edits (or they are static), so they
// are kept killed here. The engine suite needs Suricata 7 and runs with CI=true, so a missing engine fails too.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

interface Named {
    readonly name: string;
    readonly file: string;
    readonly find: string;
    readonly replace: string;
    readonly killedBy: readonly string[];
}

function copyRepository(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-ai-named-mutant-"));
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter((f) => f !== "");
    for (const file of files) {
        const from = path.join(ROOT, file);
        if (!fs.existsSync(from)) {
            continue; // deleted in the work tree
        }
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(from, path.join(dir, file));
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    return dir;
}

function main(): number {
    const mutants = JSON.parse(fs.readFileSync(path.join(ROOT, "mutation", "named-mutants.json"), "utf8")) as Named[];
    let survived = 0;
    for (const m of mutants) {
        const dir = copyRepository();
        try {
            const target = path.join(dir, m.file);
            const source = fs.readFileSync(target, "utf8");
            if (source.split(m.find).length !== 2) {
                console.log(`STALE  ${m.name}: "${m.find}" does not occur exactly once in ${m.file}; update mutation/named-mutants.json`);
                survived++;
                continue;
            }
            fs.writeFileSync(target, source.replace(m.find, m.replace));
            for (const spec of m.killedBy) {
                const run = spawnSync(process.execPath, [path.join(dir, "node_modules", "mocha", "bin", "mocha.js"), "--no-config", "--node-option", "import=tsx", "--extension", "ts", "--timeout", "120000", "--reporter", "dot", spec], {
                    cwd: dir,
                    encoding: "utf8",
                    env: { ...process.env, CI: "true" },
                });
                const failing = /(\d+) failing/.exec(run.stdout)?.[1];
                const killed = run.status !== 0 && failing !== undefined;
                console.log(`${killed ? "KILLED " : "SURVIVED"} ${m.name} (${m.file}) by ${spec}${killed ? `: ${failing} failing` : ""}`);
                if (!killed) {
                    survived++;
                }
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    return survived === 0 ? 0 : 1;
}

if (require.main === module) {
    process.exitCode = main();
}
