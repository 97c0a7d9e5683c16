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

/**
 * VPC Block Public Access modes (@pulumi/aws 7.48.0 ec2/vpcBlockPublicAccessOptions.d.ts, internetGatewayBlockMode:
 * "block-bidirectional", "block-ingress", "off"; Amazon VPC User Guide, "Block public access to VPCs and subnets").
 * The schema names them all so that a stack file naming one gets the reason it is refused (the superRefine below).
 */
export const VPC_BLOCK_PUBLIC_ACCESS_MODES = ["off", "block-bidirectional", "block-ingress"] as const;

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
    .string({ error: (issue) => `${quote(issue.input)} is not an instance family (such as "p6-b200")` })
    .refine((value) => FAMILY_PATTERN.test(value), {
        error: (issue) => `${quote(issue.input)} is not an instance family (lower-case EC2 family such as "p6-b200" or "trn1n"; no "ml." prefix, no size)`,
    })
    .refine((value) => !LOCAL_STORAGE_FAMILIES.includes(value), {
        error: (issue) => `${quote(issue.input)} is already a local-storage family of the built-in table (baseline/instanceStorage.ts)`,
    });

/** An email address as SNS takes it for the email protocol (one @, a dotted domain, no spaces). */
const EMAIL_ADDRESS = /^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * Domains reserved for documentation and testing (RFC 2606, "Reserved Top Level DNS Names": the second-level names
 * example.com, example.net and example.org, and the top-level names .test, .example, .invalid and .localhost).
 * Mail to them is never delivered: an alert address there is a placeholder, and its alerts would reach nobody.
 */
export const RESERVED_MAIL_DOMAINS = ["example.com", "example.net", "example.org"] as const;
export const RESERVED_TOP_LEVEL_DOMAINS = ["test", "example", "invalid", "localhost"] as const;

/** The reserved name an address's domain falls under, or undefined for a deliverable domain. */
export function reservedMailDomain(address: string): string | undefined {
    const domain = address.slice(address.lastIndexOf("@") + 1).toLowerCase();
    const under = (name: string) => domain === name || domain.endsWith(`.${name}`);
    const tld = RESERVED_TOP_LEVEL_DOMAINS.find(under);
    return RESERVED_MAIL_DOMAINS.find(under) ?? (tld === undefined ? undefined : `.${tld}`);
}

const emailAddress = z
    .string({ error: (issue) => `${quote(issue.input)} is not an email address` })
    .superRefine((value, ctx) => {
        if (!EMAIL_ADDRESS.test(value)) {
            ctx.addIssue({ code: "custom", input: value, message: `${quote(value)} is not an email address (name@domain, such as your security team's list)` });
            return;
        }
        const reserved = reservedMailDomain(value);
        if (reserved !== undefined) {
            ctx.addIssue({
                code: "custom",
                input: value,
                message:
                    `${quote(value)} is under ${reserved}, which RFC 2606 reserves for documentation (example.com, example.net, example.org; ` +
                    `.test, .example, .invalid, .localhost): mail to it is never delivered. List an address your team reads, or leave ` +
                    `alertEmails out and subscribe to the stack output findingAlertTopicArn`,
            });
        }
    });

/** The longest log object expiration, and so the longest audit log lock. */
const MAX_LOG_DAYS = 3650;

/** What `auditLogLockDays` may be, every error about it ends with this. */
const LOCK_ALLOWED =
    "allowed: no auditLogLockDays (the default: no lock), or, on a stack with protectData: true, a whole number of days from 1 to logObjectExpirationDays";
function lockAllowed(logObjectExpirationDays: number): string {
    return `${LOCK_ALLOWED} (${logObjectExpirationDays} here)`;
}

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
    logObjectExpirationDays: days("log object expiration", 1, MAX_LOG_DAYS, 365),
    auditLogLockDays: z
        .number({ error: (issue) => `${quote(issue.input)} is not a whole number of days (${LOCK_ALLOWED})` })
        .int({ error: (issue) => `${quote(issue.input)} is not a whole number of days (${LOCK_ALLOWED})` })
        .min(1, { error: (issue) => `${quote(issue.input)} days locks nothing: the retention runs from when each log version is written (${LOCK_ALLOWED})` })
        .max(MAX_LOG_DAYS, { error: (issue) => `${quote(issue.input)} is longer than logObjectExpirationDays can be (${MAX_LOG_DAYS}) (${LOCK_ALLOWED})` })
        .optional(),
    breakGlassRoleName: roleName.default("secure-ai-break-glass"),
    recordManagementEvents: flag(true),
    manageAccountGuardrails: flag(false),
    localStorageInstanceFamilies: z.array(instanceFamily).superRefine(uniqueItems<string>()).default([]),
    alertEmails: z.array(emailAddress).superRefine(uniqueItems<string>((e) => e.toLowerCase())).default([]),
    vpcBlockPublicAccess: z
        .enum(VPC_BLOCK_PUBLIC_ACCESS_MODES, { error: (issue) => `${quote(issue.input)} is not a VPC Block Public Access mode (${VPC_BLOCK_PUBLIC_ACCESS_MODES.join(", ")})` })
        .default("off"),
    vpcBlockPublicAccessExclusions: z.boolean({ error: (issue) => `${quote(issue.input)} is not true or false` }).optional(),
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
        "opt-in, IRREVERSIBLE: S3 Object Lock (COMPLIANCE mode) default retention of every new audit log version, in days (1 to logObjectExpirationDays; protectData: true only); once deployed Object Lock cannot be turned off, no one (root included) deletes a locked version before it ends, so the bucket cannot be deleted before then; versions written before it was set are not locked (S3 Batch Operations can lock them); default: no lock",
    breakGlassRoleName:
        "name of the break-glass role the stack creates when protectData is true (trusted by this account's principals with MFA, no permissions attached): the log buckets exempt it, by its unique role id, from their denies on changing their policy, lifecycle, versioning, replication or Object Lock settings, and deleting them (no one, it included, writes into them); a role deleted and re-created under this name is not exempt",
    recordManagementEvents: "the stack trail also records this region's management events (turn off if an organization trail does)",
    manageAccountGuardrails: "this stack owns EBS default encryption, the S3 account public access block, IMDSv2 defaults, GuardDuty, Inspector (ECR), Security Hub (FSBP), AWS Config and the finding alerts for its account and region; set it on one stack per account and region only",
    localStorageInstanceFamilies:
        "instance families with local instance storage besides the built-in table (EC2 family names such as p6-b200; check the Amazon EC2 Instance Types guide's instance store specifications): the SageMaker guard lets their jobs run without a volume key, which SageMaker refuses on them",
    alertEmails:
        "email addresses subscribed to the high-severity finding alerts (GuardDuty, Inspector, Security Hub, malware scans) of the stack that owns the account guardrails; each must confirm; optional: without any, findings go to the SNS topic of the output findingAlertTopicArn, which you subscribe to yourself (output findingAlertSubscribeCommand); documentation domains (RFC 2606: example.com/.net/.org, .test, .example, .invalid, .localhost) are refused",
    vpcBlockPublicAccess:
        "VPC Block Public Access (account-wide): only off is accepted, and this program never sets the account's mode. AWS documents that under either mode traffic through a Network Firewall is blocked even if the subnet containing its endpoints is excluded (Amazon VPC User Guide, VPC BPA basics), and all of this stack's internet traffic crosses its firewall; whether a VPC-level exclusion restores it is not documented",
    vpcBlockPublicAccessExclusions:
        "only false (or unset) is accepted: the program creates no exclusion. AWS documents that excluding the subnet containing firewall endpoints does not restore traffic through a Network Firewall (Amazon VPC User Guide, VPC BPA basics); whether a VPC-level exclusion does is not documented",
}).superRefine((baseline, ctx) => {
    // Every packet between the internet and this stack's VPC crosses its Network Firewall (the ingress allowlist is
    // never empty, so there is always an internet path). AWS (Amazon VPC User Guide, "VPC BPA basics", AWS service
    // impact and support): "AWS Network Firewall: All inbound and outbound traffic is blocked even if the subnet
    // containing firewall endpoints is excluded." The same page says nothing about a VPC-level exclusion (documented
    // neither way), and says the same "even if ... is excluded" of Gateway Load Balancer endpoints. So the issue's
    // design (exclude this stack's public and firewall subnets) is documented not to work, nothing documented makes a
    // mode safe, and the program turns no mode on; a user who wants one checks the paths with Reachability Analyzer in
    // a sandbox first.
    if (baseline.vpcBlockPublicAccess !== "off") {
        ctx.addIssue({
            code: "custom",
            path: ["vpcBlockPublicAccess"],
            input: baseline.vpcBlockPublicAccess,
            message: `${quote(baseline.vpcBlockPublicAccess)} ` +
                'is not turned on by this program: all of this stack\'s internet traffic crosses its Network Firewall, and AWS documents that under VPC Block Public Acc' +
                'ess "All inbound and outbound traffic is blocked even if the subnet containing firewall endpoints is excluded" (Amazon VPC User Guide, "VPC BPA basics' +
                '"); whether a VPC-level exclusion restores that traffic is not documented. Leave it off (allowed: off), and before anyone turns a mode on by hand wher' +
                'e a stack of this program runs, check the stack\'s paths with Reachability Analyzer in a sandbox account',
        });
    }
    if (baseline.vpcBlockPublicAccessExclusions === true) {
        ctx.addIssue({
            code: "custom",
            path: ["vpcBlockPublicAccessExclusions"],
            input: baseline.vpcBlockPublicAccessExclusions,
            message:
                'true is refused: the program creates no Block Public Access exclusion. Excluding the subnet containing firewall endpoints is documented not to restore' +
                ' traffic through a Network Firewall ("even if the subnet containing firewall endpoints is excluded", Amazon VPC User Guide, "VPC BPA basics"), and whe' +
                'ther a VPC-level exclusion does is not documented. Remove the key (allowed: false, or unset), and check any exclusion made by hand with Reachability A' +
                'nalyzer in a sandbox account first',
        });
    }
    if (baseline.alertEmails.length > 0 && !baseline.manageAccountGuardrails) {
        ctx.addIssue({
            code: "custom",
            path: ["alertEmails"],
            input: baseline.alertEmails,
            message: "finding alerts belong to the stack that owns the account guardrails (set manageAccountGuardrails: true here, or move alertEmails to that stack)",
        });
    }
    const lock = baseline.auditLogLockDays;
    if (lock !== undefined) {
        const allowed = lockAllowed(baseline.logObjectExpirationDays);
        const why: string[] = [];
        if (!baseline.protectData) {
            // A disposable stack's `pulumi destroy` deletes the audit bucket (forceDestroy empties it first); S3
            // refuses to delete a version under COMPLIANCE retention, root included, and the retention cannot be
            // shortened (Amazon S3 User Guide, "How S3 Object Lock works", Retention modes).
            why.push(`${lock} locks audit logs on a stack with protectData: false, whose \`pulumi destroy\` must empty and delete the audit bucket, and S3 refuses to delete a locked version (root included) until its retention ends`);
        }
        // Over the longest log expiration the field's own check has said so.
        if (lock > baseline.logObjectExpirationDays && lock <= MAX_LOG_DAYS) {
            // On a versioned bucket the expiration rule only puts a delete marker over the current version; S3 never
            // removes a version under retention, so the log would stay (and be billed) while no longer readable as
            // the current object (Amazon S3 User Guide, "Expiring objects" and "How S3 Object Lock works").
            why.push(
                `${lock} is longer than logObjectExpirationDays (${baseline.logObjectExpirationDays}): at expiration the lifecycle rule hides each log behind a delete marker while Object Lock keeps (and S3 bills) its version until the lock ends`,
            );
        }
        for (const message of why) {
            ctx.addIssue({ code: "custom", path: ["auditLogLockDays"], input: lock, message: `${message} (${allowed})` });
        }
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

/**
 * Days every new audit log version is locked (S3 Object Lock, COMPLIANCE mode); undefined: no lock. An explicit
 * opt-in, never a default: Object Lock cannot be turned off once on (Amazon S3 User Guide, "Configuring S3 Object
 * Lock"), and its default retention applies to versions put after it is set only ("Locking objects with Object
 * Lock": existing objects need S3 Batch Operations, "Object Lock retention").
 */
export function auditLogLockDays(baseline: Pick<BaselineConfig, "auditLogLockDays">): number | undefined {
    return baseline.auditLogLockDays;
}
