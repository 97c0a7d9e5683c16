// `npm run check:policies`: IAM Access Analyzer's policy checks on the documents a change would deploy (the offline
// synthesis of the stack), before anything is deployed. Pure extraction and rendering plus the calls; the client is
// passed in, so tests drive it with aws-sdk-client-mock.
//
// Calls (IAM Access Analyzer API Reference; @aws-sdk/client-accessanalyzer 3.1080.0): CheckNoPublicAccess
// (policyDocument, resourceType AWS::S3::Bucket | AWS::KMS::Key), CheckAccessNotGranted (policyDocument, access:
// [{actions, resources}], policyType IDENTITY_POLICY), CheckNoNewAccess (newPolicyDocument, existingPolicyDocument,
// policyType). Each answers result PASS|FAIL, a message and reasons (description, statementIndex, statementId).
import {
    CheckAccessNotGrantedCommand,
    CheckNoNewAccessCommand,
    CheckNoPublicAccessCommand,
    type AccessAnalyzerClient,
    type ReasonSummary,
} from "@aws-sdk/client-accessanalyzer";

/**
 * Actions no role this stack creates may be granted, whatever its workload (README "Who can do what"): deleting
 * data, administering the key, and silencing the trail. Every name is checked against the Service Authorization
 * Reference in the tests.
 */
export const NEVER_GRANTED = {
    "deleting data": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteBucket"],
    "key administration": ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:DisableKeyRotation"],
    "disabling the trail": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"],
} as const;

export interface PlannedDocument {
    /** Pulumi logical name of the resource that carries the document (stable across runs). */
    readonly name: string;
    readonly kind: "bucket policy" | "key policy" | "role policy";
    readonly document: string;
}

export interface ResourceLike {
    readonly type: string;
    readonly name: string;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** The documents of a synthesized stack: every bucket policy, the key policy, every inline role policy. */
export function plannedDocuments(resources: readonly ResourceLike[]): PlannedDocument[] {
    const kinds: Readonly<Record<string, PlannedDocument["kind"]>> = {
        "aws:s3/bucketPolicy:BucketPolicy": "bucket policy",
        "aws:kms/key:Key": "key policy",
        "aws:iam/rolePolicy:RolePolicy": "role policy",
    };
    return resources
        .filter((r) => kinds[r.type] !== undefined && typeof r.inputs["policy"] === "string")
        .map((r) => ({ name: r.name, kind: kinds[r.type] ?? "role policy", document: String(r.inputs["policy"]) }))
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

export interface CheckRow {
    readonly check: "CheckNoPublicAccess" | "CheckAccessNotGranted" | "CheckNoNewAccess";
    readonly document: PlannedDocument;
    readonly result: string;
    readonly message: string;
    readonly reasons: readonly ReasonSummary[];
}

export async function checkPolicies(
    client: AccessAnalyzerClient,
    planned: readonly PlannedDocument[],
    previous: readonly PlannedDocument[] | undefined,
): Promise<CheckRow[]> {
    const rows: CheckRow[] = [];
    const denied = Object.values(NEVER_GRANTED).flat();
    for (const d of planned) {
        if (d.kind !== "role policy") {
            const r = await client.send(new CheckNoPublicAccessCommand({ policyDocument: d.document, resourceType: d.kind === "key policy" ? "AWS::KMS::Key" : "AWS::S3::Bucket" }));
            rows.push({ check: "CheckNoPublicAccess", document: d, result: r.result ?? "?", message: r.message ?? "", reasons: r.reasons ?? [] });
        } else {
            const r = await client.send(new CheckAccessNotGrantedCommand({ policyDocument: d.document, policyType: "IDENTITY_POLICY", access: [{ actions: [...denied] }] }));
            rows.push({ check: "CheckAccessNotGranted", document: d, result: r.result ?? "?", message: r.message ?? "", reasons: r.reasons ?? [] });
        }
        const before = previous?.find((p) => p.name === d.name && p.kind === d.kind);
        if (before !== undefined && before.document !== d.document) {
            const r = await client.send(
                new CheckNoNewAccessCommand({ newPolicyDocument: d.document, existingPolicyDocument: before.document, policyType: d.kind === "role policy" ? "IDENTITY_POLICY" : "RESOURCE_POLICY" }),
            );
            rows.push({ check: "CheckNoNewAccess", document: d, result: r.result ?? "?", message: r.message ?? "", reasons: r.reasons ?? [] });
        }
    }
    return rows;
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The PR comment: one row per check, then every failing check's reasons with the statement they point at. */
export function renderMarkdown(stack: string, rows: readonly CheckRow[], previousNote: string): string {
    const failed = rows.filter((r) => r.result !== "PASS");
    const lines = [
        `### IAM Access Analyzer policy checks: ${stack}`,
        "",
        failed.length === 0 ? `All ${rows.length} checks pass.` : `**${failed.length} of ${rows.length} checks fail.**`,
        "",
        `Never granted to a role: ${Object.entries(NEVER_GRANTED).map(([why, actions]) => `${why} (${actions.map((a) => `\`${a}\``).join(", ")})`).join("; ")}. ${previousNote}`,
        "",
        "| check | document | result | message |",
        "|---|---|---|---|",
        ...rows.map((r) => `| ${r.check} | ${r.document.kind} \`${r.document.name}\` | ${r.result === "PASS" ? "PASS" : `**${cell(r.result)}**`} | ${cell(r.message)} |`),
    ];
    for (const r of failed) {
        lines.push("", `#### ${r.check} ${r.result}: ${r.document.kind} \`${r.document.name}\``, "");
        for (const reason of r.reasons) {
            lines.push(`- statement ${reason.statementId ?? `#${reason.statementIndex ?? "?"}`}: ${reason.description ?? ""}`);
        }
        if (r.reasons.length === 0) {
            lines.push(`- ${r.message}`);
        }
    }
    return `${lines.join("\n")}\n`;
}
