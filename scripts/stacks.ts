// `npm run -s stacks`: the stacks the workflows preview and deploy, as JSON, from the stack files (a new
// Pulumi.<stack>.yaml needs no workflow edit). Deploy order: disposable stacks (`secure-ai:baseline.protectData:
// false`) before protected ones, each group by name, so a change reaches dev before prod.
// `npm run -s stacks -- --secrets-provider <stack>`: the `secretsprovider` that stack's file commits.
import * as fs from "node:fs";
import { parse as parseYaml } from "yaml";
import { committedSecretsProvider } from "../bootstrap/config";
import { stackNameProblem } from "../config/load";
import { stackFiles, type StackFile } from "../offline/synth";

/** True unless the stack file sets protectData: false (the config's default is true). */
export function isProtected(file: StackFile): boolean {
    const doc = parseYaml(fs.readFileSync(file.file, "utf8")) as { config?: Record<string, { protectData?: unknown } | undefined> } | null;
    return doc?.config?.["secure-ai:baseline"]?.protectData !== false;
}

export function deployOrder(files: readonly StackFile[] = stackFiles()): string[] {
    return [...files].sort((a, b) => Number(isProtected(a)) - Number(isProtected(b)) || a.stack.localeCompare(b.stack)).map((f) => f.stack);
}

/** One line per stack file whose name the program refuses (the workflows would otherwise run it and fail later). */
export function badStackNames(files: readonly StackFile[] = stackFiles()): string[] {
    return files.flatMap((f) => {
        const problem = stackNameProblem(f.stack);
        return problem === undefined ? [] : [`Pulumi.${f.stack}.yaml: stack ${problem}`];
    });
}

function main(argv: readonly string[]): number {
    const bad = badStackNames();
    if (bad.length > 0) {
        process.stderr.write(`${bad.join("\n")}\n`);
        return 1;
    }
    if (argv.length === 0) {
        process.stdout.write(`${JSON.stringify(deployOrder())}\n`);
        return 0;
    }
    const file = stackFiles().find((f) => f.stack === argv[1]);
    if (argv[0] !== "--secrets-provider" || argv.length !== 2 || file === undefined) {
        process.stderr.write(`usage: npm run -s stacks [-- --secrets-provider <stack>] (stacks: ${stackFiles().map((f) => f.stack).join(", ")})\n`);
        return 2;
    }
    const url = committedSecretsProvider(file);
    if (url === undefined) {
        process.stderr.write(`Pulumi.${file.stack}.yaml commits no secretsprovider (see README, Deploying for real)\n`);
        return 1;
    }
    process.stdout.write(`${url}\n`);
    return 0;
}

if (require.main === module) {
    process.exit(main(process.argv.slice(2)));
}
