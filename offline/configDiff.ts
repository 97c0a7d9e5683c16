// The config side of `--diff`: what the YAML edit changed, as values (which domain, range or port was added or
// removed; which setting went from what to what). Pure: two raw configs in, change records out.
import type { RawConfig } from "../config/load";

export interface ConfigChange {
    /** Key path such as `secure-ai:firewall.egress.allowedDomains`. */
    readonly path: string;
    /** For lists of plain values: the entries added and removed. */
    readonly added?: readonly string[];
    readonly removed?: readonly string[];
    /** For anything else: the value before and after (undefined: absent). */
    readonly before?: string;
    readonly after?: string;
}

const text = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));
const isPlainList = (value: unknown): value is readonly (string | number | boolean)[] =>
    Array.isArray(value) && value.every((v) => ["string", "number", "boolean"].includes(typeof v));
const isObject = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === "object" && value !== null && !Array.isArray(value);

function walk(path: string, before: unknown, after: unknown, out: ConfigChange[]): void {
    if (JSON.stringify(before) === JSON.stringify(after)) {
        return;
    }
    if ((isPlainList(before) || before === undefined) && (isPlainList(after) || after === undefined) && (before !== undefined || after !== undefined)) {
        const b = (before ?? []).map(String);
        const a = (after ?? []).map(String);
        const added = a.filter((x) => !b.includes(x));
        const removed = b.filter((x) => !a.includes(x));
        // Same entries in another order: show the lists.
        out.push(added.length === 0 && removed.length === 0 ? { path, before: text(before), after: text(after) } : { path, added, removed });
        return;
    }
    if (isObject(before) && isObject(after)) {
        for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
            walk(`${path}.${key}`, before[key], after[key], out);
        }
        return;
    }
    out.push({ path, before: text(before), after: text(after) });
}

function parse(value: string | undefined): unknown {
    if (value === undefined) {
        return undefined;
    }
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** Every changed leaf of the stack config, by key path. */
export function configChanges(before: RawConfig, after: RawConfig): ConfigChange[] {
    const out: ConfigChange[] = [];
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
        walk(key, parse(before[key]), parse(after[key]), out);
    }
    return out;
}

/** Text lines: one per scalar change, and for list changes one line per entry added (+) or removed (-). */
export function renderConfigChanges(changes: readonly ConfigChange[], markdown = false): string[] {
    const code = (s: string) => (markdown ? `\`${s}\`` : s);
    const bullet = markdown ? "- " : "  ";
    const lines: string[] = [];
    for (const c of changes) {
        if (c.added !== undefined || c.removed !== undefined) {
            lines.push(`${bullet}${code(c.path)}:`);
            for (const x of c.added ?? []) {
                lines.push(`${markdown ? "  - " : "    "}+ ${code(x)}`);
            }
            for (const x of c.removed ?? []) {
                lines.push(`${markdown ? "  - " : "    "}- ${code(x)}`);
            }
        } else {
            lines.push(`${bullet}${code(c.path)}: ${code(c.before ?? "(unset)")} -> ${code(c.after ?? "(unset)")}`);
        }
    }
    return lines;
}
