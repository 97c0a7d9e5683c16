// npm run check:policies -- <stack> [--against <git-ref>] [--markdown <file>]
// IAM Access Analyzer checks on the documents this working tree would deploy (offline synthesis): every document
// validated, no public access for every bucket, key and trust policy, no role granted the never-granted actions, and no new access compared with the
// documents of the deployed code (`--against`: main, which the deploy workflow deploys on every push). Prints the
// Markdown for the pull-request comment (and writes it to --markdown). Exit 0 when nothing blocks (new access
// alone is reported for review), 1 when a blocking check fails, 2 no credentials or bad arguments (an unknown stack
// or git ref included); --help prints what it does and exits 0.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AccessAnalyzerClient } from "@aws-sdk/client-accessanalyzer";
import { PROJECT_ROOT, readStackConfig, synthesize } from "../offline/synth";
import { hasCredentials, type Io } from "./cli";
import { checkPolicies, exitCodeOf, plannedDocuments, renderMarkdown, type PlannedDocument, type ResourceLike } from "./policies";

export const USAGE = "usage: npm run check:policies -- <stack> [--against <git-ref>] [--markdown <file>]";
export const NO_CREDENTIALS_POLICIES =
    "npm run check:policies needs AWS credentials from the SDK's default chain (access-analyzer:ValidatePolicy, CheckNoPublicAccess, CheckAccessNotGranted, CheckNoNewAccess): AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), or AWS_PROFILE / the default profile in ~/.aws (SSO included), or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (CI's OIDC role); none was found";

/**
 * The documents the code and YAML at a git ref would deploy: that tree checked out beside this one (git worktree,
 * sharing node_modules) and synthesized by its own offline/synth.ts. Undefined, with why, when it cannot be read.
 */
export function documentsAtRef(stack: string, ref: string): { documents?: PlannedDocument[]; note: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-ai-ref-"));
    try {
        execFileSync("git", ["worktree", "add", "--detach", dir, ref], { cwd: PROJECT_ROOT, stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
        fs.rmSync(dir, { recursive: true, force: true });
        return { note: `No-new-access not checked: git cannot check out ${ref} (${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}).` };
    }
    try {
        fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
        const script =
            'require("./offline/synth").synthesize({ stack: process.argv[1] }).then((s) => { if (s.error) { throw s.error; } process.stdout.write(JSON.stringify(s.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })))); })';
        const out = execFileSync(process.execPath, ["--import", "tsx", "-e", script, stack], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "pipe"] });
        return { documents: plannedDocuments(JSON.parse(out) as ResourceLike[]), note: `No new access is checked against the documents of ${ref}.` };
    } catch (e) {
        return { note: `No-new-access not checked: the stack does not synthesize at ${ref} (${(e instanceof Error ? e.message : String(e)).split("\n").find((l) => l.trim() !== "") ?? ""}).` };
    } finally {
        execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: PROJECT_ROOT, stdio: "ignore" });
    }
}

/** What `--help` prints: the usage line, what the command does and its exit codes (as `npm run verify -- --help`). */
export const POLICIES_HELP = [
    USAGE,
    "Checks with IAM Access Analyzer the policy documents this working tree would deploy (offline synthesis), with the AWS SDK's",
    "default credentials, in the stack file's region: every document validated, no public access, no never-granted action,",
    "and no new access compared with the documents of --against (new access is reported for review, it does not fail).",
    "  <stack>               a stack file's name (Pulumi.<stack>.yaml)",
    "  --against <git-ref>   the deployed code to compare with (the pull-request workflow: origin/<base branch>)",
    "  --markdown <file>     also write the report (the pull-request comment) to this file",
    "exit 0: nothing blocks; 1: a blocking check fails; 2: no credentials, bad arguments, an unknown stack or git ref",
].join("\n");

/** Whether the ref names a commit of this repository (`git rev-parse --verify --quiet <ref>^{commit}`). */
function isCommit(ref: string): boolean {
    try {
        execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: PROJECT_ROOT, stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

export async function runPolicyChecks(argv: readonly string[], io: Io, makeClient = (region: string) => new AccessAnalyzerClient({ region })): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        io.out(POLICIES_HELP);
        return 0;
    }
    const rest = [...argv];
    let stack: string | undefined;
    let against: string | undefined;
    let markdown: string | undefined;
    while (rest.length > 0) {
        const arg = rest.shift() ?? "";
        if (arg === "--against" || arg === "--markdown") {
            const value = rest.shift();
            if (value === undefined) {
                io.err(USAGE);
                return 2;
            }
            arg === "--against" ? (against = value) : (markdown = value);
        } else if (!arg.startsWith("-") && stack === undefined) {
            stack = arg;
        } else {
            io.err(USAGE);
            return 2;
        }
    }
    if (stack === undefined) {
        io.err(USAGE);
        return 2;
    }
    let region: string;
    try {
        region = readStackConfig(stack)["aws:region"] ?? "";
    } catch (e) {
        // An unknown stack (or an unreadable stack file) is a bad argument: one line, as `npm run verify` says it.
        io.err(e instanceof Error ? e.message : String(e));
        return 2;
    }
    // A ref git does not know is a bad argument too, said before anything asks AWS (the comparison would be skipped).
    if (against !== undefined && !isCommit(against)) {
        io.err(`--against ${against}: no such git ref in this repository (fetch it, or name a branch, tag or commit)`);
        return 2;
    }
    process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
    const client = makeClient(region);
    if (!(await hasCredentials(client))) {
        io.err(NO_CREDENTIALS_POLICIES);
        return 2;
    }
    const previous = against === undefined ? { note: "No-new-access not checked (no --against ref)." } : documentsAtRef(stack, against);
    const synthesis = await synthesize({ stack });
    if (synthesis.error !== undefined) {
        io.err(`stack ${stack} does not synthesize: ${synthesis.error.message}`);
        return 2;
    }
    const rows = await checkPolicies(client, plannedDocuments(synthesis.resources), previous.documents);
    const text = renderMarkdown(stack, rows, previous.note);
    if (markdown !== undefined) {
        fs.writeFileSync(markdown, text);
    }
    io.out(text.trimEnd());
    return exitCodeOf(rows);
}

if (require.main === module) {
    runPolicyChecks(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(error instanceof Error ? error.message : String(error));
            process.exit(1);
        },
    );
}
