// npm run verify -- <stack> [--outputs <file>|-] [--timeout-seconds <n>]
// Runs AWS's automated reasoning over the deployed stack (verify/analyze.ts) with the SDK's default credential
// chain. Exit 0: no scope has a finding (a scope over no network interface is printed "not proven") and every
// must-work path that ran is reachable; 1: a finding, an unreachable path or a failed analysis; 2: no credentials,
// bad arguments or unreadable outputs.
import { EC2Client } from "@aws-sdk/client-ec2";
import { PROJECT_ROOT, readStackConfig } from "../offline/synth";
import { verifyStack } from "./analyze";
import { labels, parseOutputs, readOutputs } from "./outputs";

/** The one line printed when the default chain finds nothing (@aws-sdk/credential-provider-node's order). */
export const NO_CREDENTIALS =
    "npm run verify needs AWS credentials from the SDK's default chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), or AWS_PROFILE / the default profile in ~/.aws (SSO included), or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (CI's OIDC role), or an ECS/EC2 instance role; none was found";

export interface CliArgs {
    readonly stack: string;
    readonly outputs: string | undefined;
    readonly timeoutSeconds: number;
}

export function usage(command: string): string {
    return `usage: npm run ${command} -- <stack> [--outputs <file>|-] [--timeout-seconds <n>]`;
}

/** What `--help` prints: the usage line, what the command does and its exit codes. */
export function help(command: string): string {
    return [
        usage(command),
        "Runs Network Access Analyzer over the deployed stack's access scopes and Reachability Analyzer over its must-work paths,",
        "with the AWS SDK's default credentials, in the stack file's region.",
        "  <stack>                 a stack file's name (Pulumi.<stack>.yaml)",
        "  --outputs <file>|-      the stack's outputs as JSON (`pulumi stack output --json`); default: runs that command",
        "  --timeout-seconds <n>   how long to wait for the analyses (default 900)",
        "exit 0: every scope without findings and every path reachable; 1: a finding, an unreachable path or a failed analysis;",
        "2: no credentials, bad arguments or unreadable outputs",
    ].join("\n");
}

export function parseArgs(argv: readonly string[], command: string): CliArgs | string {
    const rest = [...argv];
    let stack: string | undefined;
    let outputs: string | undefined;
    let timeoutSeconds = 900;
    while (rest.length > 0) {
        const arg = rest.shift() ?? "";
        if (arg === "--outputs") {
            outputs = rest.shift();
            if (outputs === undefined) {
                return "--outputs needs a file name or - (standard input)";
            }
        } else if (arg === "--timeout-seconds") {
            timeoutSeconds = Number(rest.shift());
            if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
                return "--timeout-seconds needs a whole number of seconds";
            }
        } else if (arg.startsWith("-")) {
            return `unknown option ${arg}\n${usage(command)}`;
        } else if (stack === undefined) {
            stack = arg;
        } else {
            return `one stack only (got ${stack} and ${arg})`;
        }
    }
    if (stack === undefined) {
        return usage(command);
    }
    return { stack, outputs, timeoutSeconds };
}

/** Resolves the client's credentials once, so a missing chain is one line and not a stack trace later. */
export async function hasCredentials(client: { config: { credentials: () => Promise<unknown> } }): Promise<boolean> {
    try {
        await client.config.credentials();
        return true;
    } catch {
        return false;
    }
}

export interface Io {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
}

/** The command: arguments -> outputs -> credentials -> analyses; returns the exit code. */
export async function runVerify(argv: readonly string[], io: Io, makeClient = (region: string) => new EC2Client({ region }), pollMs = 10_000): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        io.out(help("verify"));
        return 0;
    }
    const args = parseArgs(argv, "verify");
    if (typeof args === "string") {
        io.err(args);
        return 2;
    }
    // Node 20 is this project's pinned runtime (README, Versions); the SDK's notice about its 2027 releases is
    // not this run's news.
    process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
    // Credentials first, in the stack file's region: without them neither `pulumi stack output` (which reads the
    // state backend) nor any analysis can run, and the one line says what to set.
    let region: string;
    try {
        region = readStackConfig(args.stack)["aws:region"] ?? "";
    } catch (e) {
        io.err(e instanceof Error ? e.message : String(e));
        return 2;
    }
    const ec2 = makeClient(region);
    if (!(await hasCredentials(ec2))) {
        io.err(NO_CREDENTIALS);
        return 2;
    }
    let raw: unknown;
    try {
        raw = readOutputs(args.stack, args.outputs, PROJECT_ROOT);
    } catch (e) {
        io.err(`stack ${args.stack}: outputs not readable: ${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}`);
        return 2;
    }
    const parsed = parseOutputs(raw);
    if (parsed.outputs === undefined) {
        io.err(`stack ${args.stack}: ${parsed.problems.join("\n")}`);
        return 2;
    }
    const result = await verifyStack(ec2, parsed.outputs, labels(parsed.outputs), {
        pollMs,
        maxPolls: Math.max(1, Math.ceil((args.timeoutSeconds * 1000) / Math.max(pollMs, 1))),
        print: io.out,
    });
    return result.ok ? 0 : 1;
}

if (require.main === module) {
    runVerify(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(error instanceof Error ? error.message : String(error));
            process.exit(1);
        },
    );
}
