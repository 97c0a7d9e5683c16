// `secure-ai:baseline`: log retention, data protection, key deletion window, serving port, who may assume the
// workload roles and the images they pull, object lifecycles, the stack trail's management events and the
// opt-in account guardrails.
import { z } from "zod";
import { FAMILY_PATTERN, LOCAL_STORAGE_FAMILIES } from "../baseline/instanceStorage";
import { portField, quote, retentionField, strictObject, uniqueItems } from "./fields";

function days(what: string, min: number, max: number, fallback: number) {
    const message = (input: unknown) => `${quote(input)} is not a valid ${what} (integer ${min} to ${max} days)`;
    return z
        .number({ error: (issue) => message(issue.input) })
        .int({ error: (issue) => message(issue.input) })
        .min(min, { error: (issue) => message(issue.input) })
        .max(max, { error: (issue) => message(issue.input) })
        .default(fallback);
}

function flag(fallback: boolean) {
    return z.boolean({ error: (issue) => `${quote(issue.input)} is not true or false` }).default(fallback);
}

/** An AWS service principal such as `sagemaker.amazonaws.com` (roles here are for services, not people). */
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/;

const servicePrincipal = z.string({ error: (issue) => `${quote(issue.input)} is not a service principal (such as "sagemaker.amazonaws.com")` }).refine(
    (value) => SERVICE_PRINCIPAL.test(value),
    { error: (issue) => `${quote(issue.input)} is not a service principal (such as "sagemaker.amazonaws.com"; IAM users, roles and accounts are not allowed)` },
);

function principals() {
    return z
        .array(servicePrincipal)
        .min(1, { error: 'at least one service principal is required (such as ["sagemaker.amazonaws.com"])' })
        .superRefine(uniqueItems<string>())
        .default(["sagemaker.amazonaws.com"]);
}

/** An ECR repository name (lower case, path segments separated by "/"). */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

const repositoryName = z
    .string({ error: (issue) => `${quote(issue.input)} is not an ECR repository name (such as "team/trainer")` })
    .min(2, { error: (issue) => `${quote(issue.input)} is not an ECR repository name (2 to 256 characters)` })
    .max(256, { error: (issue) => `${quote(issue.input)} is not an ECR repository name (2 to 256 characters)` })
    .refine((value) => REPOSITORY_NAME.test(value), {
        error: (issue) => `${quote(issue.input)} is not an ECR repository name (lower-case letters, digits, ".", "_", "-" and "/" between segments; a name, not an ARN or URI)`,
    });

/** An IAM role name (IAM API Reference, CreateRole RoleName: `[\w+=,.@-]+`, 1 to 64 characters). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

const roleName = z
    .string({ error: (issue) => `${quote(issue.input)} is not an IAM role name` })
    .refine((value) => ROLE_NAME.test(value), {
        error: (issue) => `${quote(issue.input)} is not an IAM role name (1 to 64 letters, digits and +=,.@_-; a name, not an ARN)`,
    });

const instanceFamily = z
    .string({ error: (issue) => `${quote(issue.input)} is not an instance family (such as "p5")` })
    .refine((value) => FAMILY_PATTERN.test(value), {
        error: (issue) => `${quote(issue.input)} is not an instance family (lower-case EC2 family such as "p5" or "trn1n"; no "ml." prefix, no size)`,
    })
    .refine((value) => !LOCAL_STORAGE_FAMILIES.includes(value), {
        error: (issue) => `${quote(issue.input)} is already a local-storage family of the built-in table (baseline/instanceStorage.ts)`,
    });

/** An email address as SNS takes it for the email protocol (one @, a dotted domain, no spaces). */
const emailAddress = z
    .string({ error: (issue) => `${quote(issue.input)} is not an email address` })
    .refine((value) => /^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(value), { error: (issue) => `${quote(issue.input)} is not an email address (such as "security@example.com")` });

/** The longest KMS key deletion window; a stack that protects its data keeps it. */
const MAX_KEY_DELETION_WINDOW_DAYS = 30;

export const baselineSchema = strictObject({
    logRetentionDays: retentionField(365),
    protectData: flag(true),
    keyDeletionWindowDays: days("KMS key deletion window", 7, MAX_KEY_DELETION_WINDOW_DAYS, MAX_KEY_DELETION_WINDOW_DAYS),
    servingPort: portField.default(8080),
    trainingPrincipals: principals(),
    inferencePrincipals: principals(),
    imageRepositories: z.array(repositoryName).superRefine(uniqueItems<string>()).default([]),
    noncurrentVersionExpirationDays: days("noncurrent version expiration", 1, 3650, 90),
    logObjectExpirationDays: days("log object expiration", 1, 3650, 365),
    auditLogLockDays: z
        .number({ error: (issue) => `${quote(issue.input)} is not a valid Object Lock retention (integer 1 to 3650 days)` })
        .int({ error: (issue) => `${quote(issue.input)} is not a valid Object Lock retention (integer 1 to 3650 days)` })
        .min(1, { error: (issue) => `${quote(issue.input)} is not a valid Object Lock retention (integer 1 to 3650 days)` })
        .max(3650, { error: (issue) => `${quote(issue.input)} is not a valid Object Lock retention (integer 1 to 3650 days)` })
        .optional(),
    breakGlassRoleName: roleName.default("secure-ai-break-glass"),
    recordManagementEvents: flag(true),
    manageAccountGuardrails: flag(false),
    localStorageInstanceFamilies: z.array(instanceFamily).superRefine(uniqueItems<string>()).default([]),
    alertEmails: z.array(emailAddress).superRefine(uniqueItems<string>((e) => e.toLowerCase())).default([]),
}, {
    logRetentionDays: "retention of the VPC flow log and CloudTrail log groups (CloudWatch's values only)",
    protectData: "protect + retainOnDelete on the key, the log groups and the buckets with their settings, no force-destroy (prod); false lets dev destroy them",
    keyDeletionWindowDays: "KMS key deletion window (7-30; must be 30 when protectData is true)",
    servingPort: "port the model servers listen on (load balancer -> services security group and NACL rules)",
    trainingPrincipals: "service principals that may assume the training role (<name>.amazonaws.com; no users, roles or accounts), unique",
    inferencePrincipals: "the same for the inference role",
    imageRepositories: "ECR repository names in this account and region the workload roles may pull from (names, not ARNs or URIs)",
    noncurrentVersionExpirationDays: "days a noncurrent object version is kept, every bucket (1-3650)",
    logObjectExpirationDays: "days audit and access-log objects are kept (1-3650)",
    auditLogLockDays:
        "S3 Object Lock (COMPLIANCE mode) retention of every audit log object, in days (1 to logObjectExpirationDays); default: logObjectExpirationDays when protectData is true, none otherwise (a disposable stack must be able to empty its audit bucket)",
    breakGlassRoleName:
        "IAM role (in this account) that alone may change the log buckets' policy, lifecycle, versioning, replication or Object Lock settings, or delete them; the role need not exist until it is needed",
    recordManagementEvents: "the stack trail also records this region's management events (turn off if an organization trail does)",
    manageAccountGuardrails: "this stack owns EBS default encryption, the S3 account public access block, IMDSv2 defaults, GuardDuty, Inspector (ECR), Security Hub (FSBP), AWS Config and the finding alerts for its account and region; set it on one stack per account and region only",
    localStorageInstanceFamilies:
        "instance families with local instance storage besides the built-in table (EC2 family names such as p5; check the Amazon EC2 Instance Types guide's instance store specifications): the SageMaker guard lets their jobs run without a volume key, which SageMaker refuses on them",
    alertEmails: "email addresses subscribed to the high-severity finding alerts (GuardDuty, Inspector, Security Hub, malware scans) of the stack that owns the account guardrails; each must confirm",
}).superRefine((baseline, ctx) => {
    if (baseline.alertEmails.length > 0 && !baseline.manageAccountGuardrails) {
        ctx.addIssue({
            code: "custom",
            path: ["alertEmails"],
            input: baseline.alertEmails,
            message: "finding alerts belong to the stack that owns the account guardrails (set manageAccountGuardrails: true here, or move alertEmails to that stack)",
        });
    }
    if (baseline.auditLogLockDays !== undefined && !baseline.protectData) {
        ctx.addIssue({
            code: "custom",
            path: ["auditLogLockDays"],
            input: baseline.auditLogLockDays,
            message: `${baseline.auditLogLockDays} locks audit logs on a stack with protectData: false, whose \`pulumi destroy\` must empty the audit bucket (remove the key, or set protectData: true)`,
        });
    }
    if (baseline.auditLogLockDays !== undefined && baseline.auditLogLockDays > baseline.logObjectExpirationDays) {
        ctx.addIssue({
            code: "custom",
            path: ["auditLogLockDays"],
            input: baseline.auditLogLockDays,
            message: `${baseline.auditLogLockDays} is longer than logObjectExpirationDays (${baseline.logObjectExpirationDays}): the lifecycle rule would expire logs Object Lock still keeps (allowed: 1 to ${baseline.logObjectExpirationDays})`,
        });
    }
    if (baseline.protectData && baseline.keyDeletionWindowDays !== MAX_KEY_DELETION_WINDOW_DAYS) {
        ctx.addIssue({
            code: "custom",
            path: ["keyDeletionWindowDays"],
            input: baseline.keyDeletionWindowDays,
            message:
                `${baseline.keyDeletionWindowDays} is shorter than the ${MAX_KEY_DELETION_WINDOW_DAYS}-day window a stack with ` +
                `protectData: true keeps (set ${MAX_KEY_DELETION_WINDOW_DAYS}, or protectData: false for a disposable stack)`,
        });
    }
});

export type BaselineConfig = z.output<typeof baselineSchema>;

/** Days every audit log object is locked (S3 Object Lock, COMPLIANCE mode); undefined: no lock (disposable stacks). */
export function auditLogLockDays(baseline: Pick<BaselineConfig, "auditLogLockDays" | "protectData" | "logObjectExpirationDays">): number | undefined {
    return baseline.auditLogLockDays ?? (baseline.protectData ? baseline.logObjectExpirationDays : undefined);
}
