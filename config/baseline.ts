// `secure-ai:baseline`: log retention, data protection, key deletion window, serving port. Keys land here only
// with the code that uses them (buckets, trail, roles and guardrails come with the rest of the baseline).
import { z } from "zod";
import { portField, quote, retentionField, strictObject } from "./fields";

function days(what: string, min: number, max: number, fallback: number) {
    const message = (input: unknown) => `${quote(input)} is not a valid ${what} (integer ${min} to ${max} days)`;
    return z
        .number({ error: (issue) => message(issue.input) })
        .int({ error: (issue) => message(issue.input) })
        .min(min, { error: (issue) => message(issue.input) })
        .max(max, { error: (issue) => message(issue.input) })
        .default(fallback);
}

export const baselineSchema = strictObject({
    logRetentionDays: retentionField(365),
    protectData: z.boolean({ error: (issue) => `${quote(issue.input)} is not true or false` }).default(true),
    keyDeletionWindowDays: days("KMS key deletion window", 7, 30, 30),
    servingPort: portField.default(8080),
});

export type BaselineConfig = z.output<typeof baselineSchema>;
