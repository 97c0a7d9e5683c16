// Reusable zod field schemas. Every message names the bad value and says what is allowed.
import { distance } from "fastest-levenshtein";
import { z } from "zod";
import { isNetworkAddress, networkForm, parseCidr, type Cidr } from "./cidr";

/**
 * A strict object: an unknown key is an error listing the allowed keys (typos must not be ignored). Every key carries
 * its description, which the JSON Schema for editors and the config table of docs/config.md are generated from.
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, descriptions: { readonly [K in keyof T]: string }) {
    const allowed = Object.keys(shape).join(", ");
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
        (shape as Record<string, z.ZodType>)[key] = (shape[key] as unknown as z.ZodType).describe(descriptions[key]);
    }
    const keys = Object.keys(shape);
    return z.strictObject(shape, {
        error: (issue) => {
            if (issue.code !== "unrecognized_keys") {
                return undefined;
            }
            const hints = issue.keys.flatMap((k) => {
                const similar = similarKey(k, keys);
                return similar === undefined ? [] : [issue.keys.length === 1 ? `did you mean ${similar}?` : `${k}: did you mean ${similar}?`];
            });
            return `unknown key (${[...hints, `allowed keys: ${allowed}`].join("; ")})`;
        },
    });
}

/**
 * The allowed key a misspelt one most likely means: the closest by edit distance (fastest-levenshtein), ignoring
 * case, when at most a quarter of its letters (at least one) differ; undefined when none is that close.
 */
export function similarKey(key: string, allowed: readonly string[]): string | undefined {
    let best: { key: string; d: number } | undefined;
    for (const candidate of allowed) {
        const d = distance(key.toLowerCase(), candidate.toLowerCase());
        if (best === undefined || d < best.d) {
            best = { key: candidate, d };
        }
    }
    return best !== undefined && best.d <= Math.max(1, Math.floor(key.length / 4)) ? best.key : undefined;
}

export function quote(value: unknown): string {
    return JSON.stringify(value) ?? String(value);
}

export interface CidrRules {
    readonly minPrefix: number;
    readonly maxPrefix: number;
    /** The field's own check on the parsed network (private, outside the VPC, ...); returns a problem or undefined. */
    readonly check: (cidr: Cidr) => string | undefined;
    /** What is allowed, for messages. */
    readonly allowed: string;
}

/** The shape of a.b.c.d/n, for editors (the loader checks the rest). */
export const CIDR_PATTERN = "^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$";

/** An IPv4 network in CIDR notation with no host bits set and a prefix length in range. */
export function cidrField(rules: CidrRules) {
    return z.string().meta({ pattern: CIDR_PATTERN }).superRefine((value, ctx) => {
        const problem = cidrProblem(value, rules);
        if (problem !== undefined) {
            ctx.addIssue({ code: "custom", message: problem, input: value });
        }
    });
}

export function cidrProblem(value: string, rules: CidrRules): string | undefined {
    const cidr = parseCidr(value);
    if (cidr === undefined) {
        return `${quote(value)} is not a valid IPv4 CIDR (expected a.b.c.d/n; ${rules.allowed})`;
    }
    if (!isNetworkAddress(value)) {
        return `${quote(value)} has host bits set (did you mean ${quote(networkForm(value))}?)`;
    }
    if (cidr.prefixLength < rules.minPrefix || cidr.prefixLength > rules.maxPrefix) {
        return `${quote(value)} has prefix length /${cidr.prefixLength} (${rules.allowed})`;
    }
    return rules.check(cidr);
}

export const portField = z
    .number({ error: (issue) => `${quote(issue.input)} is not a port (integer 1 to 65535)` })
    .int({ error: (issue) => `${quote(issue.input)} is not a port (integer 1 to 65535)` })
    .min(1, { error: (issue) => `${quote(issue.input)} is not a port (integer 1 to 65535)` })
    .max(65535, { error: (issue) => `${quote(issue.input)} is not a port (integer 1 to 65535)` });

/** Reports every element equal to an earlier one, naming both positions. */
export function uniqueItems<T>(key: (item: T) => string = (item) => String(item)) {
    return (items: readonly T[], ctx: z.RefinementCtx): void => {
        const seen = new Map<string, number>();
        items.forEach((item, index) => {
            const k = key(item);
            const first = seen.get(k);
            if (first === undefined) {
                seen.set(k, index);
            } else {
                ctx.addIssue({
                    code: "custom",
                    path: [index],
                    message: `${quote(item)} duplicates entry [${first}] (entries must be unique)`,
                    input: item,
                });
            }
        });
    };
}

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function retentionField(defaultDays: (typeof CLOUDWATCH_RETENTION_DAYS)[number]) {
    // zod (4.6.7) gives the schema's `error` to its refinement's issue too: one message for a wrong type or value.
    return z
        .number({ error: (issue) => retentionMessage(issue.input) })
        .refine((days) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(days))
        .meta({ enum: [...CLOUDWATCH_RETENTION_DAYS] })
        .default(defaultDays);
}

function retentionMessage(input: unknown): string {
    // A quoted number in YAML ("30") is a string: say so, or the allowed list seems to contain it.
    const quoted = typeof input === "string" && input.trim() !== "" && Number.isFinite(Number(input)) ? `, a string: write it without quotes` : "";
    return `${quote(input)} is not a CloudWatch Logs retention period${quoted} (allowed days: ${CLOUDWATCH_RETENTION_DAYS.join(", ")})`;
}
