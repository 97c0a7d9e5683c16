// `npm run bootstrap:plan -- <owner/repo> [--region <region>]`: runs bootstrap/index.ts under the project's mocks and
// prints what it would create: every resource, each role's trust subject and permission statements, the registry
// permission names it could not grant, and the outputs (the repository variables). No credentials, no Pulumi CLI.
// The region defaults to the one the stack files' secretsprovider names.
import * as path from "node:path";
import { cloudResources, PROJECT_ROOT, stackFiles, synthesize, type Synthesis } from "../offline/synth";
import { actionsOf, type PolicyDocument } from "../policy/document";
import { BOOTSTRAP_PROJECT, committedSecretsProvider } from "./config";
import { actionsForType, PROGRAM_TYPES, WRITE_HANDLERS } from "./permissions";

const USAGE = "usage: npm run bootstrap:plan -- <owner/repo> [--region <region>]";
export const BOOTSTRAP_PROGRAM = { file: path.join(PROJECT_ROOT, "bootstrap", "index.ts"), project: BOOTSTRAP_PROJECT } as const;

/** The region the stack files' secretsprovider names (the first stack file's), if any. */
export function committedRegion(): string | undefined {
    const first = stackFiles()[0];
    const url = first === undefined ? undefined : committedSecretsProvider(first);
    return url === undefined ? undefined : (new URL(url.replace(/^awskms:\/\//, "https://kms/")).searchParams.get("region") ?? undefined);
}

/** The bootstrap synthesized offline for a repository and region. */
export function synthesizeBootstrap(repository: string | undefined, region: string | undefined, extra: Readonly<Record<string, string>> = {}): Promise<Synthesis> {
    return synthesize({
        stack: "account",
        program: BOOTSTRAP_PROGRAM,
        config: {
            ...(region === undefined ? {} : { "aws:region": region }),
            ...(repository === undefined ? {} : { [`${BOOTSTRAP_PROJECT}:repository`]: repository }),
            ...extra,
        },
    });
}

function statements(text: unknown): string[] {
    const doc = JSON.parse(String(text)) as PolicyDocument;
    return doc.Statement.map((s) => {
        const actions = actionsOf(s);
        const resources = s.Resource === undefined ? [] : typeof s.Resource === "string" ? [s.Resource] : s.Resource;
        const condition = s.Condition === undefined ? "" : ` when ${JSON.stringify(s.Condition)}`;
        return `      ${s.Effect} ${s.Sid}: ${actions.length} action${actions.length === 1 ? "" : "s"} (${actions.slice(0, 4).join(", ")}${actions.length > 4 ? ", ..." : ""}) on ${resources.join(", ") || "(trust)"}${condition}`;
    });
}

export async function renderBootstrapPlan(s: Synthesis): Promise<string> {
    const lines = [`Bootstrap plan (${BOOTSTRAP_PROJECT}, offline under mocked AWS answers)`, ""];
    for (const r of cloudResources(s)) {
        const name = r.inputs["name"] ?? r.inputs["bucket"] ?? r.inputs["url"] ?? r.name;
        lines.push(`  ${r.type}  ${String(name)}`);
        if (r.type === "aws:iam/role:Role") {
            const trust = JSON.parse(String(r.inputs["assumeRolePolicy"])) as PolicyDocument;
            for (const t of trust.Statement) {
                lines.push(`      trusts ${JSON.stringify(t.Principal)} for ${JSON.stringify(t.Condition)}`);
            }
        }
        if (r.type === "aws:iam/rolePolicy:RolePolicy") {
            lines.push(`      ${String(r.inputs["policy"]).length} characters (IAM's limit for a role's inline policies: 10,240)`);
            lines.push(...statements(r.inputs["policy"]));
        }
        if (r.type === "aws:iam/policy:Policy") {
            lines.push(`      ${String(r.inputs["policy"]).length} characters (IAM's limit for a managed policy: 6,144)`);
            lines.push(...statements(r.inputs["policy"]));
        }
    }
    const dropped = new Set<string>();
    for (const type of PROGRAM_TYPES) {
        for (const name of (await actionsForType(type, WRITE_HANDLERS)).unknown) {
            dropped.add(name);
        }
    }
    lines.push("", `Registry permission names the Service Authorization Reference does not know (not granted): ${[...dropped].sort().join(", ") || "none"}`);
    lines.push("", "Outputs (set each as a repository variable):");
    for (const [key, value] of Object.entries(s.outputs)) {
        lines.push(`  ${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
    }
    return `${lines.join("\n")}\n`;
}

/** The repository and region of `npm run bootstrap:plan`, or the problem with the arguments (printed with the usage). */
export function parseBootstrapArguments(argv: readonly string[], defaultRegion: string | undefined): { readonly repository: string; readonly region: string | undefined } | string {
    let repository: string | undefined;
    let region = defaultRegion;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--region") {
            region = argv[++i];
            if (region === undefined || region.startsWith("--")) {
                return `--region takes a region (e.g. us-west-2)\n${USAGE}`;
            }
        } else if (arg !== undefined && !arg.startsWith("--") && repository === undefined) {
            repository = arg;
        } else {
            return `unexpected argument ${JSON.stringify(arg)}\n${USAGE}`;
        }
    }
    // The repository's form (owner/name) is checked with the rest of the config, as one config error.
    return repository === undefined ? `the GitHub repository whose workflows deploy is required\n${USAGE}` : { repository, region };
}

async function main(argv: readonly string[]): Promise<number> {
    const args = parseBootstrapArguments(argv, committedRegion());
    if (typeof args === "string") {
        process.stderr.write(`${args}\n`);
        return 2;
    }
    const { repository, region } = args;
    const s = await synthesizeBootstrap(repository, region);
    if (s.error !== undefined) {
        process.stderr.write(`${s.error.message}\n`);
        return 1;
    }
    process.stdout.write(await renderBootstrapPlan(s));
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(1);
    });
}
