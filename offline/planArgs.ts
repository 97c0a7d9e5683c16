// The arguments of `npm run plan` (offline/plan.ts), parsed without running anything, so tests can check them.

export const USAGE = "usage: npm run plan -- <stack> [--format text|markdown] [--diff <git-ref>] [--journeys [--verbose]] [--destroy [--outputs <file>]]";

export interface PlanOptions {
    readonly stack: string;
    readonly format: "text" | "markdown";
    readonly diff: string | undefined;
    readonly journeys: boolean;
    /** With --journeys: every hop of every packet step, not only of the failing ones. */
    readonly verbose: boolean;
    /** Print what `pulumi destroy` would do instead of what `up` deploys. */
    readonly destroy: boolean;
    /** With --destroy: the deployment's outputs (`pulumi stack output --json`), which decide what is kept. */
    readonly outputs: string | undefined;
}

/** The options, or the problem with the arguments (printed with the usage; exit 2). */
export function parsePlanArguments(argv: readonly string[]): PlanOptions | string {
    let stack: string | undefined;
    let format: "text" | "markdown" = "text";
    let diff: string | undefined;
    let journeys = false;
    let verbose = false;
    let destroy = false;
    let outputs: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--format") {
            const value = argv[++i];
            if (value !== "text" && value !== "markdown") {
                return `--format takes text or markdown, not ${JSON.stringify(value)}`;
            }
            format = value;
        } else if (arg === "--diff") {
            diff = argv[++i];
            if (diff === undefined || diff.startsWith("--")) {
                return "--diff takes a git ref (a commit, branch or tag)";
            }
        } else if (arg === "--journeys") {
            journeys = true;
        } else if (arg === "--destroy") {
            destroy = true;
        } else if (arg === "--outputs") {
            outputs = argv[++i];
            if (outputs === undefined || outputs.startsWith("--")) {
                return "--outputs takes the file `pulumi stack output --json` wrote";
            }
        } else if (arg === "--verbose") {
            verbose = true;
        } else if (arg !== undefined && !arg.startsWith("--") && stack === undefined) {
            stack = arg;
        } else {
            return `unexpected argument ${JSON.stringify(arg)}`;
        }
    }
    if (stack === undefined) {
        return "a stack name is required";
    }
    if (journeys && (diff !== undefined || format !== "text")) {
        return "--journeys prints the journeys only: use it without --diff and --format";
    }
    if (destroy && (journeys || diff !== undefined || format !== "text")) {
        return "--destroy prints what `pulumi destroy` would do: use it without --journeys, --diff and --format";
    }
    if (outputs !== undefined && !destroy) {
        return "--outputs only applies to --destroy";
    }
    if (verbose && !journeys) {
        return "--verbose only applies to --journeys";
    }
    return { stack, format, diff, journeys, verbose, destroy, outputs };
}
