// `npm run plan -- <stack> [--format text|markdown] [--diff <git-ref>] [--journeys] [--destroy [--outputs <file>]]`: runs the real program for
// Pulumi.<stack>.yaml under mocks that answer like AWS and prints what it would deploy (text, the default), a review
// report for a pull request (markdown), what an edit of the stack's YAML since a git ref changes (diff), or every
// journey of journeys/catalogue.ts walked through the synthesized stack, each step with its verdict and the resource
// that decided it (journeys; exits 1 when any outcome differs from its expectation), or
// what `pulumi destroy` would do and the steps that work (destroy; from the deployment's recorded outputs when given).
// No credentials, no Pulumi CLI, nothing deployed. Exits non-zero with the config error on bad config.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parsePlanArguments as parse, type PlanOptions, USAGE } from "./planArgs";
import { PROJECT_ROOT, rawConfigFromYaml, readStackConfig, StackFileError, stackFiles } from "./stackFiles";

// The arguments and the stack's name are checked first, with nothing but these loaded: a usage error is one line, at
// once. The config, the synthesis and the program's SDKs (about 2 s to load) are required where a run uses them.
type Synth = typeof import("./synth");
type Config = typeof import("../config/load");

/** The stack's YAML at a git ref; undefined when the file did not exist there. */
function yamlAt(ref: string, stack: string): string | undefined {
    try {
        execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: PROJECT_ROOT, stdio: "ignore" });
    } catch {
        throw new StackFileError(`--diff ${ref}: no such git ref in this repository (a commit, branch or tag, e.g. origin/main)`);
    }
    const file = path.relative(execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: PROJECT_ROOT, encoding: "utf8" }).trim(), path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`));
    try {
        return execFileSync("git", ["show", `${ref}:${file}`], { cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (/exists on disk, but not in|does not exist in/.test(message)) {
            return undefined;
        }
        throw new Error(`git cannot read Pulumi.${stack}.yaml at ${ref}: ${message.split("\n").slice(-2).join(" ").trim()}`);
    }
}

/** The diff of the stack's YAML at `ref` against the working tree's. */
async function diff(stack: string, ref: string, format: PlanOptions["format"]): Promise<number> {
    // Loaded only here: the diff reads the registry schemas (and their validator) the plain plan never needs.
    const { diffContext, diffSyntheses, diffWarnings, renderDiff } = require("./diff") as typeof import("./diff");
    const { synthesize } = require("./synth") as Synth;
    const { loadConfig } = require("../config/load") as Config;
    const text = yamlAt(ref, stack);
    const after = await synthesize({ stack });
    if (after.error !== undefined) {
        process.stderr.write(`${after.error.message}\n`);
        return 1;
    }
    const beforeRaw = text === undefined ? undefined : rawConfigFromYaml(text, `Pulumi.${stack}.yaml at ${ref}`);
    const before = beforeRaw === undefined ? undefined : await synthesize({ stack, config: beforeRaw });
    if (before === undefined || before.error !== undefined) {
        // Nothing to compare with: every resource is new.
        const why = before === undefined ? `Pulumi.${stack}.yaml does not exist at ${ref}` : `the config at ${ref} does not load: ${before.error?.message.split("\n")[0] ?? ""}`;
        process.stdout.write(renderDiff(stack, ref, diffSyntheses({ ...after, resources: [] }, after), [`${why}: every resource is new`], { format }));
        return 0;
    }
    const changes = diffSyntheses(before, after);
    const afterRaw = readStackConfig(stack);
    const context = diffContext(beforeRaw ?? {}, afterRaw, before, after, format);
    process.stdout.write(renderDiff(stack, ref, changes, diffWarnings(before, loadConfig(afterRaw, stack), changes), context));
    return 0;
}

/** The outputs `pulumi stack output --json` wrote (an object of output name -> value). */
function readOutputs(file: string, stack: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new StackFileError(`--outputs ${file}: no such file (write it with \`pulumi stack output --stack ${stack} --json > ${file}\`)`);
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new StackFileError(`--outputs ${file}: not JSON (write it with \`pulumi stack output --stack ${stack} --json > ${file}\`)`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new StackFileError(`--outputs ${file}: not a JSON object of stack outputs`);
    }
    return value as Record<string, unknown>;
}

/** What `pulumi destroy` would do: of the deployment the outputs describe, or of the stack file when none are given. */
async function destroy(stack: string, outputsPath: string | undefined): Promise<number> {
    // A missing or unreadable outputs file is reported before the program loads.
    const given = outputsPath === undefined ? undefined : { file: outputsPath, outputs: readOutputs(outputsPath, stack) };
    const { deployedConfig, foreignOutputs, planDestroy, renderDestroy } = require("./destroy") as typeof import("./destroy");
    const { synthesize } = require("./synth") as Synth;
    const raw = readStackConfig(stack);
    let synthesis;
    let basis: import("./destroy").DestroyBasis = { kind: "stack file" };
    if (given === undefined) {
        synthesis = await synthesize({ stack });
    } else {
        const { file, outputs } = given;
        const foreign = foreignOutputs(outputs, file, stack);
        if (foreign !== undefined) {
            throw new StackFileError(foreign);
        }
        const deployed = deployedConfig(raw, outputs, stack);
        if (deployed === undefined) {
            process.stdout.write(`pulumi destroy of stack ${stack}\n\n${file} describes no deployment (a stack never deployed, or destroyed, has no outputs): \`pulumi destroy\` deletes nothing.\n`);
            return 0;
        }
        basis = { kind: "outputs", file, differences: deployed.differences };
        synthesis = await synthesize({ stack, config: deployed.config, deployedOutputs: outputs });
    }
    if (synthesis.error !== undefined) {
        process.stderr.write(`${synthesis.error.message}\n`);
        return 1;
    }
    process.stdout.write(renderDestroy(planDestroy(synthesis, basis)));
    return 0;
}

async function main(argv: readonly string[]): Promise<number> {
    // Pulumi records a stack trace for every resource it registers; mapping each through tsx's source maps costs
    // more than the rest of the plan. The plan prints config errors, not stacks, so it runs without them.
    process.setSourceMapsEnabled(false);
    const known = stackFiles().map((s) => s.stack);
    const options = parse(argv);
    if (typeof options === "string") {
        process.stderr.write(`${options}\n${USAGE}   (stacks: ${known.join(", ")})\n`);
        return 2;
    }
    const { stack } = options;
    if (!known.includes(stack)) {
        process.stderr.write(`no stack file Pulumi.${stack}.yaml (stacks: ${known.join(", ")})\n`);
        return 2;
    }
    if (options.diff !== undefined) {
        return diff(stack, options.diff, options.format);
    }
    if (options.destroy) {
        return destroy(stack, options.outputs);
    }
    const { awsResources, synthesize } = require("./synth") as Synth;
    const { loadConfig } = require("../config/load") as Config;
    const synthesis = await synthesize({ stack });
    if (synthesis.error !== undefined) {
        process.stderr.write(`${synthesis.error.message}\n`);
        process.stderr.write(`\n${awsResources(synthesis).length} AWS resources registered before the error.\n`);
        return 1;
    }
    if (options.journeys) {
        // Loaded only here: the journeys load the IAM engine and, where installed, run Suricata.
        const { stackFacts } = require("../journeys/facts") as typeof import("../journeys/facts");
        const { renderJourneys, runJourneys } = require("../journeys/run") as typeof import("../journeys/run");
        const run = await runJourneys(stackFacts(synthesis), loadConfig(readStackConfig(stack), stack));
        process.stdout.write(renderJourneys(run, options.verbose));
        return run.holds ? 0 : 1;
    }
    if (options.format === "markdown") {
        const { renderMarkdownReport } = require("./report") as typeof import("./report");
        const { stackFacts } = require("../journeys/facts") as typeof import("../journeys/facts");
        const { runJourneys } = require("../journeys/run") as typeof import("../journeys/run");
        const config = loadConfig(readStackConfig(stack), stack);
        process.stdout.write(renderMarkdownReport(synthesis, config, await runJourneys(stackFacts(synthesis), config)));
    } else {
        const { renderPlan } = require("./render") as typeof import("./render");
        process.stdout.write(renderPlan(synthesis));
    }
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
        // A stack file or ref the user got wrong is one line; anything else is a bug, with its stack.
        process.stderr.write(`${error instanceof StackFileError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    },
);
