// `secure-ai:quotas`: the account's values of the adjustable AWS quotas the stack is checked against. Leave a key
// out to use AWS's default; set it only after Service Quotas has raised it for the account and region.
import { z } from "zod";
import { ADJUSTABLE_QUOTA_IDS, QUOTAS, type AdjustableQuotaId } from "../aws/quotas";
import { quote, strictObject } from "./fields";

function quotaField(id: AdjustableQuotaId) {
    const quota = QUOTAS[id];
    const max = quota.ceiling;
    const bound = max === undefined ? "" : ` to ${max}`;
    const message = (input: unknown) =>
        `${quote(input)} is not a value of the quota "${quota.name}" (integer 1${bound}; AWS's default is ${quota.awsDefault})`;
    const base = z
        .number({ error: (issue) => message(issue.input) })
        .int({ error: (issue) => message(issue.input) })
        .min(1, { error: (issue) => message(issue.input) });
    // Quotas AWS raises without a published ceiling have no maximum here.
    return (max === undefined ? base : base.max(max, { error: (issue) => message(issue.input) })).default(quota.awsDefault);
}

export const quotasSchema = strictObject(
    Object.fromEntries(ADJUSTABLE_QUOTA_IDS.map((id) => [id, quotaField(id)])) as Record<AdjustableQuotaId, ReturnType<typeof quotaField>>,
    Object.fromEntries(
        ADJUSTABLE_QUOTA_IDS.map((id) => [id, `the account's value of "${QUOTAS[id].name}" once Service Quotas has raised it (AWS's default: ${QUOTAS[id].awsDefault})`]),
    ) as Record<AdjustableQuotaId, string>,
);

export type QuotasConfig = z.output<typeof quotasSchema>;
