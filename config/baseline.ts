// `secure-ai:baseline`: log retention, data protection, account guardrails, serving port, role principals.
import { z } from "zod";
import { portField, quote, retentionField, strictObject, uniqueItems } from "./fields";

const servicePrincipal = z.string().superRefine((value, ctx) => {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(value)) {
        ctx.addIssue({
            code: "custom",
            input: value,
            message: `${quote(value)} is not an AWS service principal (such as "sagemaker.amazonaws.com" or "ecs-tasks.amazonaws.com")`,
        });
    }
});

function principals(fallback: string[]) {
    return z
        .array(servicePrincipal)
        .min(1, { error: "at least one service principal is required (such as \"sagemaker.amazonaws.com\")" })
        .superRefine(uniqueItems<string>())
        .default(fallback);
}

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
    manageAccountGuardrails: z
        .boolean({ error: (issue) => `${quote(issue.input)} is not true or false` })
        .default(false),
    servingPort: portField.default(8080),
    trainingPrincipals: principals(["sagemaker.amazonaws.com"]),
    inferencePrincipals: principals(["sagemaker.amazonaws.com"]),
    noncurrentVersionExpirationDays: days("noncurrent version expiration", 1, 3650, 90),
    logObjectExpirationDays: days("log object expiration", 90, 3650, 365),
});

export type BaselineConfig = z.output<typeof baselineSchema>;
