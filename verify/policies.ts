// `npm run check:policies`: IAM Access Analyzer's policy checks on the documents a change would deploy (the offline
// synthesis of the stack), before anything is deployed. Pure extraction and rendering plus the calls; the client is
// passed in, so tests drive it with aws-sdk-client-mock.
//
// Calls (IAM Access Analyzer API Reference; @aws-sdk/client-accessanalyzer 3.1080.0): ValidatePolicy (policyDocument,
// policyType, validatePolicyResourceType; findings paged by nextToken), CheckNoPublicAccess (policyDocument,
// resourceType AWS::S3::Bucket | AWS::KMS::Key | AWS::IAM::AssumeRolePolicyDocument), CheckAccessNotGranted (policyDocument, access:
// [{actions, resources}], policyType IDENTITY_POLICY), CheckNoNewAccess (newPolicyDocument, existingPolicyDocument,
// policyType). Each answers result PASS|FAIL, a message and reasons (description, statementIndex, statementId).
import {
    CheckAccessNotGrantedCommand,
    CheckNoNewAccessCommand,
    CheckNoPublicAccessCommand,
    ValidatePolicyCommand,
    type AccessAnalyzerClient,
    type AccessCheckPolicyType,
    type AccessCheckResourceType,
    type PolicyType,
    type ReasonSummary,
    type ValidatePolicyFinding,
    type ValidatePolicyFindingType,
    type ValidatePolicyResourceType,
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
    readonly kind: DocumentKind;
    readonly document: string;
}

export interface ResourceLike {
    readonly type: string;
    readonly name: string;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * What each kind of document is to IAM Access Analyzer (API Reference): where it comes from (resource type and
 * input), its policyType (ValidatePolicy, CheckNoNewAccess: "Resource policies include trust policies for IAM roles
 * and bucket policies for Amazon S3 buckets"), the validatePolicyResourceType that runs that resource's checks
 * (AWS::S3::Bucket, AWS::IAM::AssumeRolePolicyDocument; none for a KMS key: "to validate a resource policy to attach
 * to a KMS key, do not specify a value"), and the question it is asked: no public access (CheckNoPublicAccess
 * resourceType) for resource policies, none of the never-granted actions (CheckAccessNotGranted) for identity
 * policies. Enums typed by @aws-sdk/client-accessanalyzer 3.1080.0.
 */
const KINDS = {
    "bucket policy": { type: "aws:s3/bucketPolicy:BucketPolicy", input: "policy", policyType: "RESOURCE_POLICY", validateAs: "AWS::S3::Bucket", publicAs: "AWS::S3::Bucket" },
    "key policy": { type: "aws:kms/key:Key", input: "policy", policyType: "RESOURCE_POLICY", validateAs: undefined, publicAs: "AWS::KMS::Key" },
    "trust policy": { type: "aws:iam/role:Role", input: "assumeRolePolicy", policyType: "RESOURCE_POLICY", validateAs: "AWS::IAM::AssumeRolePolicyDocument", publicAs: "AWS::IAM::AssumeRolePolicyDocument" },
    "role policy": { type: "aws:iam/rolePolicy:RolePolicy", input: "policy", policyType: "IDENTITY_POLICY", validateAs: undefined, publicAs: undefined },
    "managed policy": { type: "aws:iam/policy:Policy", input: "policy", policyType: "IDENTITY_POLICY", validateAs: undefined, publicAs: undefined },
} as const satisfies Record<string, { type: string; input: string; policyType: PolicyType & AccessCheckPolicyType; validateAs: ValidatePolicyResourceType | undefined; publicAs: AccessCheckResourceType | undefined }>;

export type DocumentKind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as DocumentKind[];

/** The documents of a synthesized stack: every bucket policy, the key policy, every role's trust policy, inline role policy and customer managed policy. */
export function plannedDocuments(resources: readonly ResourceLike[]): PlannedDocument[] {
    return resources
        .flatMap((r) => {
            const kind = KIND_NAMES.find((k) => KINDS[k].type === r.type);
            const document = kind === undefined ? undefined : r.inputs[KINDS[kind].input];
            return kind === undefined || typeof document !== "string" ? [] : [{ name: r.name, kind, document }];
        })
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

export interface CheckRow {
    readonly check: "ValidatePolicy" | "CheckNoPublicAccess" | "CheckAccessNotGranted" | "CheckNoNewAccess";
    readonly document: PlannedDocument;
    /** PASS or FAIL as AWS answers the Check* calls; for ValidatePolicy FAIL, WARN (findings that do not block) or PASS. */
    readonly result: string;
    readonly message: string;
    readonly reasons: readonly ReasonSummary[];
}

/**
 * ValidatePolicy findings that block: ERROR ("a part of the policy is not functional") and SECURITY_WARNING ("the
 * policy allows access that we consider overly permissive"); WARNING (best practice) and SUGGESTION (style) are
 * reported (API Reference, ValidatePolicyFinding.findingType).
 */
export const BLOCKING_FINDINGS: readonly ValidatePolicyFindingType[] = ["ERROR", "SECURITY_WARNING"];

/** The statement a finding points at: the index after "Statement" in its first location's path. */
function statementIndexOf(f: ValidatePolicyFinding): number | undefined {
    const path = f.locations?.[0]?.path ?? [];
    const at = path.findIndex((e) => e.value === "Statement");
    const next = at < 0 ? undefined : path[at + 1];
    return next?.index;
}

async function validate(client: AccessAnalyzerClient, d: PlannedDocument): Promise<CheckRow> {
    const kind = KINDS[d.kind];
    const findings: ValidatePolicyFinding[] = [];
    let nextToken: string | undefined;
    do {
        const page = await client.send(
            new ValidatePolicyCommand({ policyDocument: d.document, policyType: kind.policyType, ...(kind.validateAs === undefined ? {} : { validatePolicyResourceType: kind.validateAs }), nextToken }),
        );
        findings.push(...(page.findings ?? []));
        nextToken = page.nextToken;
    } while (nextToken !== undefined);
    const blocking = findings.filter((f) => f.findingType !== undefined && BLOCKING_FINDINGS.includes(f.findingType));
    const types = [...new Set(findings.map((f) => f.findingType ?? "?"))].map((t) => `${findings.filter((f) => (f.findingType ?? "?") === t).length} ${t}`);
    return {
        check: "ValidatePolicy",
        document: d,
        result: findings.length === 0 ? "PASS" : blocking.length > 0 ? "FAIL" : "WARN",
        message: findings.length === 0 ? "No findings." : `${findings.length} finding${findings.length === 1 ? "" : "s"}: ${types.join(", ")}.`,
        reasons: findings.map((f) => ({ description: `${f.findingType ?? "?"} ${f.issueCode ?? "?"}: ${f.findingDetails ?? ""}`, statementIndex: statementIndexOf(f) })),
    };
}

export async function checkPolicies(
    client: AccessAnalyzerClient,
    planned: readonly PlannedDocument[],
    previous: readonly PlannedDocument[] | undefined,
): Promise<CheckRow[]> {
    const rows: CheckRow[] = [];
    const denied = Object.values(NEVER_GRANTED).flat();
    for (const d of planned) {
        const kind = KINDS[d.kind];
        rows.push(await validate(client, d));
        if (kind.publicAs !== undefined) {
            const r = await client.send(new CheckNoPublicAccessCommand({ policyDocument: d.document, resourceType: kind.publicAs }));
            rows.push({ check: "CheckNoPublicAccess", document: d, result: r.result ?? "?", message: r.message ?? "", reasons: r.reasons ?? [] });
        } else {
            const r = await client.send(new CheckAccessNotGrantedCommand({ policyDocument: d.document, policyType: "IDENTITY_POLICY", access: [{ actions: [...denied] }] }));
            rows.push({ check: "CheckAccessNotGranted", document: d, result: r.result ?? "?", message: r.message ?? "", reasons: r.reasons ?? [] });
        }
        const before = previous?.find((p) => p.name === d.name && p.kind === d.kind);
        if (before !== undefined && before.document !== d.document) {
            const r = await client.send(new CheckNoNewAccessCommand({ newPolicyDocument: d.document, existingPolicyDocument: before.document, policyType: kind.policyType }));
            rows.push({ check: "CheckNoNewAccess", document: d, result: r.result ?? "?", message: r.message ?? "", reasons: r.reasons ?? [] });
        }
    }
    return rows;
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * Whether a failed check stops the pull request. CheckNoNewAccess FAIL means the document grants access the deployed
 * one did not (IAM Access Analyzer API Reference, CheckNoNewAccess: "Checks whether new access is allowed for an
 * updated policy when compared to the existing policy"), which is what a pull request that widens an allowlist or
 * adds a principal is meant to do: it is reported for review, not blocking. Public access, a never-granted action
 * and a policy that fails validation block.
 */
export function blocks(row: CheckRow): boolean {
    return row.result !== "PASS" && row.result !== "WARN" && row.check !== "CheckNoNewAccess";
}

/** The command's exit code for its checks: 1 when one blocks, else 0 (new access alone is reported, not an error). */
export function exitCodeOf(rows: readonly CheckRow[]): 0 | 1 {
    return rows.some(blocks) ? 1 : 0;
}

/** The hidden first line of a stack's pull-request comment, by which the workflow finds and edits its own comment. */
export function commentMarker(stack: string): string {
    return `<!-- secure-ai check:policies ${stack} -->`;
}

/** The PR comment: one row per check, then every failing check's reasons with the statement they point at. */
export function renderMarkdown(stack: string, rows: readonly CheckRow[], previousNote: string): string {
    const failed = rows.filter((r) => r.result !== "PASS");
    const blocking = failed.filter(blocks);
    const review = failed.filter((r) => !blocks(r) && r.check === "CheckNoNewAccess");
    const warned = failed.filter((r) => !blocks(r) && r.check === "ValidatePolicy");
    const summary =
        failed.length === 0
            ? `All ${rows.length} checks pass.`
            : [
                  blocking.length === 0 ? "" : `**${blocking.length} of ${rows.length} checks fail (blocking).**`,
                  review.length === 0 ? "" : `${review.length} document${review.length === 1 ? " grants" : "s grant"} new access compared with the deployed one${review.length === 1 ? "" : "s"} (CheckNoNewAccess): reported for review, not blocking.`,
                  warned.length === 0 ? "" : `${warned.length} document${warned.length === 1 ? " has" : "s have"} policy validation warnings or suggestions: reported, not blocking.`,
              ]
                  .filter((x) => x !== "")
                  .join(" ");
    const lines = [
        commentMarker(stack),
        `### IAM Access Analyzer policy checks: ${stack}`,
        "",
        summary,
        "",
        `Never granted to a role: ${Object.entries(NEVER_GRANTED).map(([why, actions]) => `${why} (${actions.map((a) => `\`${a}\``).join(", ")})`).join("; ")}. ${previousNote}`,
        "",
        "| check | document | result | message |",
        "|---|---|---|---|",
        ...rows.map((r) => `| ${r.check} | ${r.document.kind} \`${r.document.name}\` | ${r.result === "PASS" ? "PASS" : blocks(r) ? `**${cell(r.result)}**` : `${cell(r.result)} (review)`} | ${cell(r.message)} |`),
    ];
    for (const r of failed) {
        lines.push("", `#### ${r.check} ${r.result}${blocks(r) ? "" : " (review, not blocking)"}: ${r.document.kind} \`${r.document.name}\``, "");
        for (const reason of r.reasons) {
            lines.push(`- statement ${reason.statementId ?? `#${reason.statementIndex ?? "?"}`}: ${reason.description ?? ""}`);
        }
        if (r.reasons.length === 0) {
            lines.push(`- ${r.message}`);
        }
    }
    return `${lines.join("\n")}\n`;
}
