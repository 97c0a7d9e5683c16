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

/** What the command prints and its exit status: the deploy order, or one stack file's secrets provider. */
export function stacksCommand(argv: readonly string[], files: readonly StackFile[] = stackFiles()): { status: number; stdout?: string; stderr?: string } {
    const bad = badStackNames(files);
    if (bad.length > 0) {
        return { status: 1, stderr: `${bad.join("\n")}\n` };
    }
    const names = files.map((f) => f.stack).join(", ");
    if (argv.length === 0) {
        return { status: 0, stdout: `${JSON.stringify(deployOrder(files))}\n` };
    }
    if (argv[0] !== "--secrets-provider" || argv.length !== 2) {
        return { status: 2, stderr: `usage: npm run -s stacks [-- --secrets-provider <stack>] (stacks: ${names})\n` };
    }
    const file = files.find((f) => f.stack === argv[1]);
    if (file === undefined) {
        return { status: 2, stderr: `no stack file Pulumi.${argv[1] ?? ""}.yaml for --secrets-provider (stacks: ${names})\n` };
    }
    const url = committedSecretsProvider(file);
    if (url === undefined) {
        return { status: 1, stderr: `Pulumi.${file.stack}.yaml commits no secretsprovider (see README, Deploying for real)\n` };
    }
    return { status: 0, stdout: `${url}\n` };
}

if (require.main === module) {
    const { status, stdout, stderr } = stacksCommand(process.argv.slice(2));
    process.stdout.write(stdout ?? "");
    process.stderr.write(stderr ?? "");
    process.exitCode = status;
}
