// The stack files beside Pulumi.yaml and their config as Pulumi hands it to the program: fs and yaml only, so the
// commands (npm run plan, ...) check their arguments before loading @pulumi/pulumi and the program.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, YAMLError } from "yaml";
import type { RawConfig } from "../config/load";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

export interface StackFile {
    readonly stack: string;
    readonly file: string;
}

/** Every Pulumi.<stack>.yaml beside Pulumi.yaml: a new stack file is synthesized without editing a test. */
export function stackFiles(root = PROJECT_ROOT): StackFile[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f))
        .filter((m): m is RegExpExecArray => m !== null && m[1] !== undefined)
        .map((m) => ({ stack: m[1] ?? "", file: path.join(root, m[0]) }))
        .sort((a, b) => a.stack.localeCompare(b.stack));
}

/** A stack file that cannot be read as YAML (or a ref it cannot be read at): one line, no stack trace. */
export class StackFileError extends Error {
    override readonly name = "StackFileError";
}

/** The raw config Pulumi would hand the program: strings as they are, structured values as JSON text. */
export function rawConfigFromYaml(text: string, file = "stack file"): RawConfig {
    let doc: unknown;
    try {
        doc = parseYaml(text);
    } catch (e) {
        if (e instanceof YAMLError) {
            const [line, col] = [e.linePos?.[0].line, e.linePos?.[0].col];
            const where = line === undefined ? file : `${file}:${line}${col === undefined ? "" : `:${col}`}`;
            throw new StackFileError(`${where}: YAML syntax error: ${e.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? ""}`);
        }
        throw e;
    }
    const config = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>)["config"] : undefined;
    if (config === undefined || config === null) {
        return {};
    }
    if (typeof config !== "object") {
        throw new Error("the stack file's `config` is not a mapping");
    }
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        raw[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return raw;
}

export function readStackConfig(stack: string, root = PROJECT_ROOT): RawConfig {
    const file = stackFiles(root).find((s) => s.stack === stack);
    if (file === undefined) {
        const known = stackFiles(root).map((s) => s.stack).join(", ");
        throw new Error(`no stack file Pulumi.${stack}.yaml (stacks: ${known})`);
    }
    return rawConfigFromYaml(fs.readFileSync(file.file, "utf8"), path.relative(process.cwd(), file.file) || file.file);
}
