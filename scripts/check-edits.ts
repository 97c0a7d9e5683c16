// `npm run check:edits`: proves that valid edits of the stack YAML keep the tests green. It copies the repository
// into a temporary git repository (node_modules linked), applies a generated set of valid edits to the stack files,
// derived from the files themselves (NAT mode, one more AZ, other ingress ranges and ports, other egress domains,
// denied ranges, a new stack file in another region, a renamed stack file), then runs the mocked suites, the
// Suricata suite, and `npm run plan` (text, markdown, `--diff HEAD`) for every stack file of the edited copy.
// Slow (one full test run per round), so it is not part of `npm test`; .ci/run runs it.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument, type Document } from "yaml";
import { COMMERCIAL_REGIONS, zoneNamesOf } from "../aws/regions";
import { PROJECT_ROOT, readStackConfig, stackFiles, synthesize, type StackFile } from "../offline/synth";

/** One edit of one stack file: what a user would write. Returns a description, or undefined when it does not apply. */
type Edit = (doc: Document, ctx: { readonly stack: string }) => string | undefined;

const get = (doc: Document, key: string, field: string): unknown => doc.getIn(["config", key, field]);
const region = (doc: Document): string => String(doc.getIn(["config", "aws:region"]));
const zones = (doc: Document): string[] => {
    const value = doc.getIn(["config", "secure-ai:network", "availabilityZones"]) as { toJSON(): unknown } | undefined;
    const list = value?.toJSON();
    return Array.isArray(list) ? list.map(String) : [];
};
const domains = (doc: Document): string[] => {
    const value = doc.getIn(["config", "secure-ai:firewall", "egress", "allowedDomains"]) as { toJSON(): unknown } | undefined;
    const list = value?.toJSON();
    return Array.isArray(list) ? list.map(String) : [];
};

const EDITS: Readonly<Record<string, Edit>> = {
    "natGateways: single, with egress domains": (doc) => {
        if (domains(doc).length === 0) {
            doc.setIn(["config", "secure-ai:firewall", "egress", "allowedDomains"], [".pypi.org", "files.pythonhosted.org"]);
        }
        doc.setIn(["config", "secure-ai:network", "natGateways"], "single");
        return "natGateways: single";
    },
    "one more availability zone": (doc) => {
        const next = (zoneNamesOf(region(doc)) ?? []).find((z) => !zones(doc).includes(z));
        if (next === undefined) {
            return undefined;
        }
        doc.setIn(["config", "secure-ai:network", "availabilityZones"], [...zones(doc), next]);
        return `availabilityZones + ${next}`;
    },
    "one availability zone fewer": (doc) => {
        const list = zones(doc);
        if (list.length < 2) {
            return undefined;
        }
        doc.setIn(["config", "secure-ai:network", "availabilityZones"], list.slice(1));
        return `availabilityZones - ${list[0] ?? ""}`;
    },
    "other ingress ranges and ports": (doc) => {
        doc.setIn(["config", "secure-ai:firewall", "ingress", "allowedCidrs"], ["192.0.2.0/25", "198.51.100.64/26", "203.0.113.7/32"]);
        doc.setIn(["config", "secure-ai:firewall", "ingress", "ports"], [443, 8443]);
        return "ingress allowedCidrs and ports [443, 8443]";
    },
    "other egress domains and training filtered": (doc) => {
        doc.setIn(["config", "secure-ai:firewall", "egress", "allowedDomains"], [".example.com", "api.example.org", ".github.com"]);
        doc.setIn(["config", "secure-ai:network", "trainingEgress"], "filtered");
        return "allowedDomains [.example.com, api.example.org, .github.com], trainingEgress: filtered";
    },
    "no egress at all": (doc) => {
        doc.setIn(["config", "secure-ai:firewall", "egress", "allowedDomains"], []);
        doc.setIn(["config", "secure-ai:network", "trainingEgress"], "none");
        return "allowedDomains [], trainingEgress: none";
    },
    "denied ranges and a new VPC range": (doc) => {
        doc.setIn(["config", "secure-ai:firewall", "deniedCidrs"], ["45.0.0.0/16", "46.1.2.0/24"]);
        doc.setIn(["config", "secure-ai:network", "cidr"], "172.20.0.0/16");
        return "deniedCidrs [45.0.0.0/16, 46.1.2.0/24], cidr 172.20.0.0/16";
    },
    "protections off, other retention": (doc) => {
        doc.setIn(["config", "secure-ai:firewall", "protections"], { deletion: false, subnetChange: false, policyChange: false });
        doc.setIn(["config", "secure-ai:firewall", "logRetentionDays"], 14);
        return "firewall protections off, logRetentionDays 14";
    },
};

/** A new stack file in another region, made from an existing one. */
function newStackInAnotherRegion(doc: Document, newRegion: string): string {
    const names = zoneNamesOf(newRegion) ?? [];
    doc.setIn(["config", "aws:region"], newRegion);
    doc.setIn(["config", "secure-ai:network", "availabilityZones"], names.slice(0, 2));
    doc.setIn(["config", "secure-ai:network", "cidr"], "10.60.0.0/16");
    return `new stack in ${newRegion} (${names.slice(0, 2).join(", ")})`;
}

interface Round {
    readonly name: string;
    /** Per stack file (by index), the edits applied; plus file operations. */
    readonly apply: (root: string, files: readonly StackFile[]) => string[];
}

function editFile(file: string, edits: readonly Edit[], stack: string): string[] {
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    const done = edits.map((e) => e(doc, { stack })).filter((d): d is string => d !== undefined);
    fs.writeFileSync(file, doc.toString());
    return done.map((d) => `${path.basename(file)}: ${d}`);
}

const editNames = Object.keys(EDITS);
const rounds: Round[] = [
    {
        name: "each stack file gets every other edit",
        apply: (_root, files) =>
            files.flatMap((f, i) => editFile(f.file, editNames.filter((_, j) => j % 2 === i % 2).map((n) => EDITS[n] ?? (() => undefined)), f.stack)),
    },
    {
        name: "each stack file gets the remaining edits",
        apply: (_root, files) =>
            files.flatMap((f, i) => editFile(f.file, editNames.filter((_, j) => j % 2 !== i % 2).map((n) => EDITS[n] ?? (() => undefined)), f.stack)),
    },
    {
        name: "a stack file renamed, and a new stack file in another region",
        apply: (root, files) => {
            const done: string[] = [];
            const first = files[0];
            if (first !== undefined) {
                const renamed = path.join(root, `Pulumi.${first.stack}-renamed.yaml`);
                fs.renameSync(first.file, renamed);
                done.push(`${path.basename(first.file)} renamed to ${path.basename(renamed)}`);
                const doc = parseDocument(fs.readFileSync(renamed, "utf8"));
                const otherRegion = region(doc) === "eu-central-1" ? "ap-southeast-2" : "eu-central-1";
                done.push(`Pulumi.staging.yaml: ${newStackInAnotherRegion(doc, otherRegion)}`);
                fs.writeFileSync(path.join(root, "Pulumi.staging.yaml"), doc.toString());
            }
            return done;
        },
    },
];

function run(cwd: string, command: string, args: readonly string[]): { ok: boolean; tail: string } {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" }, maxBuffer: 64 * 1024 * 1024 });
    const out = `${result.stdout ?? ""}${result.stderr ?? ""}`;
    const summary = out.split("\n").filter((l) => /^\s*\d+ (passing|failing|pending)/.test(l));
    const failures = out.split("\n").filter((l) => /^\s+\d+\) /.test(l)).slice(0, 20);
    return { ok: result.status === 0, tail: [...summary, ...failures].join("\n") || out.trim().split("\n").slice(-5).join("\n") };
}

function copyRepository(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "secure-ai-edits-"));
    const listed = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: PROJECT_ROOT, encoding: "utf8" })
        .split("\0")
        .filter((f) => f !== "" && fs.existsSync(path.join(PROJECT_ROOT, f)));
    for (const file of listed) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(root, file));
    }
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=check-edits", "-c", "user.email=check-edits@localhost", "commit", "-qm", "before the edits");
    return root;
}

let failed = 0;
// `--regions-only`: just the every-region check (fast; the rounds run the whole suites three times).
const rounds_ = process.argv.includes("--regions-only") ? [] : rounds;
for (const round of rounds_) {
    const root = copyRepository();
    const applied = round.apply(root, stackFiles(root));
    process.stdout.write(`\n== ${round.name}\n${applied.map((a) => `  ${a}`).join("\n")}\n`);
    const steps: [string, string, string[]][] = [
        ["mocked suites", "npx", ["mocha"]],
        ["Suricata suite", "npx", ["mocha", "--config", ".mocharc.firewall.json"]],
        ...stackFiles(root).flatMap(({ stack }): [string, string, string[]][] => [
            [`plan ${stack}`, "npx", ["tsx", "offline/plan.ts", stack]],
            [`plan ${stack} --format markdown`, "npx", ["tsx", "offline/plan.ts", stack, "--format", "markdown"]],
            [`plan ${stack} --diff HEAD`, "npx", ["tsx", "offline/plan.ts", stack, "--diff", "HEAD"]],
        ]),
    ];
    for (const [what, command, args] of steps) {
        const result = run(root, command, args);
        process.stdout.write(`  ${result.ok ? "ok  " : "FAIL"} ${what}${result.ok && !what.startsWith("plan") ? `: ${result.tail.split("\n").join("; ")}` : ""}\n`);
        if (!result.ok) {
            failed++;
            process.stdout.write(`${result.tail.split("\n").map((l) => `       ${l}`).join("\n")}\n`);
        }
    }
    fs.rmSync(root, { recursive: true, force: true });
}
/** Every commercial region: the first stack file moved there (its first three zones) synthesizes without error. */
async function everyRegion(): Promise<void> {
    const first = stackFiles()[0];
    if (first === undefined) {
        return;
    }
    process.stdout.write(`\n== ${path.basename(first.file)} moved to each of the ${COMMERCIAL_REGIONS.length} commercial regions\n`);
    const raw = readStackConfig(first.stack);
    const network = JSON.parse(raw["secure-ai:network"] ?? "{}") as Record<string, unknown>;
    const failures: string[] = [];
    for (const region of COMMERCIAL_REGIONS) {
        const zones = (zoneNamesOf(region) ?? []).slice(0, 3);
        const s = await synthesize({ stack: first.stack, config: { ...raw, "aws:region": region, "secure-ai:network": JSON.stringify({ ...network, availabilityZones: zones }) } });
        if (s.error !== undefined) {
            failures.push(`${region}: ${s.error.message}`);
        }
    }
    process.stdout.write(failures.length === 0 ? `  ok   ${COMMERCIAL_REGIONS.length} regions planned\n` : failures.map((f) => `  FAIL ${f}\n`).join(""));
    failed += failures.length;
}

everyRegion().then(
    () => {
        process.stdout.write(`\n${failed === 0 ? "every edit kept the tests and plans green" : `${failed} step(s) failed`}\n`);
        process.exit(failed === 0 ? 0 : 1);
    },
    (e: unknown) => {
        process.stderr.write(`${String(e)}\n`);
        process.exit(1);
    },
);
