// What `pulumi destroy` of a stack would do, from its synthesis: the resources deleted and those kept
// (retainOnDelete), what AWS or Pulumi would refuse on the way, the steps that work in order, and for each kept
// resource why the next `pulumi up` does not collide with it. Pure: reads a Synthesis, prints text.
//
// `pulumi destroy` does not run the program: it deletes what the state holds, with the options (retainOnDelete)
// and settings of the last `up` (Pulumi docs, "pulumi destroy" and resource option retainOnDelete). So the plan
// is made from the deployment: the stack outputs (`pulumi stack output --json`) say whether the data is protected
// (kept), whether the audit bucket has Object Lock and the firewall delete protection, and `deployedConfig` puts
// those values over the stack file before the program is synthesized (config/deployed.ts reads the same outputs).
import { parseDeployedState } from "../config/deployed";
import type { RawConfig } from "../config/load";
import { physicalName } from "./mocks";
import type { SynthResource, Synthesis } from "./synth";

/** What the plan was made from. */
export type DestroyBasis =
    /** The recorded outputs of the deployment, and where the stack file says otherwise. */
    | { readonly kind: "outputs"; readonly file: string; readonly differences: readonly string[] }
    /** No outputs given: the stack file, assumed to be what is deployed. */
    | { readonly kind: "stack file" };

const BASELINE_KEY = "secure-ai:baseline";
const FIREWALL_KEY = "secure-ai:firewall";
const NETWORK_KEY = "secure-ai:network";

function section(raw: RawConfig, key: string): Record<string, unknown> {
    const text = raw[key];
    if (text === undefined) {
        return {};
    }
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Outputs that describe no deployment of this program: `pulumi stack output --json` of a stack never deployed (or
 * destroyed) is `{}`; outputs with keys but without the ones every deployment of this program exports
 * (`availabilityZones`, `vpcId`) are another file, and planning from them would say "nothing to delete" wrongly.
 */
export function foreignOutputs(outputs: Readonly<Record<string, unknown>>, file: string, stack: string): string | undefined {
    const keys = Object.keys(outputs);
    if (keys.length === 0 || ["availabilityZones", "vpcId"].every((k) => k in outputs)) {
        return undefined;
    }
    const missing = ["availabilityZones", "vpcId"].filter((k) => !(k in outputs));
    return `--outputs ${file}: not the outputs of a deployment of stack ${stack} (no ${missing.join(" or ")}; it has ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ", ..." : ""}): write them with \`pulumi stack output --stack ${stack} --json > ${file}\``;
}

/** How a difference between the stack file and the deployment ends (deployedConfig); the key path comes first. */
const FOLLOWS = ": the destroy follows the deployment";

/** The key paths where the stack file differs from the deployment the outputs describe (deployedConfig's differences). */
export function driftedKeys(differences: readonly string[]): string[] {
    return differences.filter((d) => d.endsWith(FOLLOWS)).map((d) => d.slice(0, d.indexOf(": ")));
}

/**
 * The config of the deployment the outputs describe: the stack file with the deployed values put over it where
 * they decide what a destroy does (what is kept, Object Lock, the firewall's protections) or where the stack
 * file's resources are (AZs, VPC range); undefined when the outputs describe no deployment (a stack never
 * deployed, or destroyed, has none). `differences` names every value the stack file has otherwise.
 */
export function deployedConfig(raw: RawConfig, outputs: Readonly<Record<string, unknown>>, stack: string): { config: RawConfig; differences: string[] } | undefined {
    const deployed = parseDeployedState(outputs);
    if (deployed === undefined) {
        return undefined;
    }
    const differences: string[] = [];
    const file = `Pulumi.${stack}.yaml`;
    const put = (key: string, target: Record<string, unknown>, field: string, value: unknown, output: string) => {
        if (JSON.stringify(target[field]) !== JSON.stringify(value)) {
            differences.push(
                `${key}.${field}: ${file} has ${target[field] === undefined ? "no value" : JSON.stringify(target[field])}, the deployment ${value === undefined ? "none" : JSON.stringify(value)} (output ${output})${FOLLOWS}`,
            );
        }
        if (value === undefined) {
            delete target[field];
        } else {
            target[field] = value;
        }
    };
    const baseline = section(raw, BASELINE_KEY);
    const protect = deployed.protectData;
    if (protect === undefined) {
        differences.push(
            `${BASELINE_KEY}.protectData: the outputs have neither protectData nor breakGlassRoleArn (a deployment before they existed): what is kept is taken from ${file}`,
        );
    } else {
        put(BASELINE_KEY, baseline, "protectData", protect, "protectData");
        if (protect) {
            // A stack deployed with protectData: true had the longest key deletion window (config/baseline.ts).
            baseline["keyDeletionWindowDays"] = 30;
        }
    }
    put(BASELINE_KEY, baseline, "auditLogLockDays", deployed.auditLogLockDays, "auditLogLockDays");
    const lock = deployed.auditLogLockDays;
    if (lock !== undefined && typeof baseline["logObjectExpirationDays"] === "number" && baseline["logObjectExpirationDays"] < lock) {
        // The deployment's lock was at most its log expiration (config/baseline.ts).
        baseline["logObjectExpirationDays"] = lock;
    }
    const firewall = section(raw, FIREWALL_KEY);
    const protections = outputs["firewallProtections"];
    if (typeof protections === "object" && protections !== null) {
        put(FIREWALL_KEY, firewall, "protections", protections, "firewallProtections");
    }
    const network = section(raw, NETWORK_KEY);
    put(NETWORK_KEY, network, "availabilityZones", deployed.availabilityZones, "availabilityZones");
    if (deployed.vpcCidr !== undefined) {
        put(NETWORK_KEY, network, "cidr", deployed.vpcCidr, "vpcCidr");
    }
    return {
        config: { ...raw, [BASELINE_KEY]: JSON.stringify(baseline), [FIREWALL_KEY]: JSON.stringify(firewall), [NETWORK_KEY]: JSON.stringify(network) },
        differences,
    };
}

/** The file the teardown records the outputs in (step 1), and the command that does it. */
export function outputsFile(stack: string): string {
    return `${stack}-outputs.json`;
}
export function recordOutputsCommand(stack: string, file = outputsFile(stack)): string {
    return `pulumi stack output --stack ${stack} --json > ${file}`;
}

export interface Refusal {
    /** The resource the refusal stops at. */
    readonly resource: string;
    readonly refusal: string;
    readonly source: string;
}

export interface Kept {
    readonly resource: string;
    readonly physical: string;
    /** How the next `pulumi up` treats it. */
    readonly nextUp: string;
}

export interface DanglingReference {
    readonly kept: string;
    readonly deleted: string;
}

/** One step of the teardown: why, and the commands that do it (run in the project directory). */
export interface DestroyStep {
    readonly why: string;
    readonly commands: readonly string[];
}

export interface DestroyPlan {
    readonly stack: string;
    readonly basis: DestroyBasis;
    readonly deleted: readonly SynthResource[];
    readonly retained: readonly SynthResource[];
    readonly refusals: readonly Refusal[];
    /** The steps that work, in order. */
    readonly steps: readonly DestroyStep[];
    readonly kept: readonly Kept[];
    /** Kept resources whose settings name a resource the destroy deletes. */
    readonly dangling: readonly DanglingReference[];
}

const FIREWALL = "aws-native:networkfirewall:Firewall";
const BUCKET = "aws:s3/bucket:Bucket";
const OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";

function label(r: SynthResource): string {
    return `${r.type.replace(/^aws(-native)?:/, "").replace(/\/[a-zA-Z]+:/, ":")} ${r.name}`;
}

/** Why the next `pulumi up` of the stack does not collide with a kept resource, by type. */
function nextUp(r: SynthResource, stack: string): string {
    switch (r.type) {
        case BUCKET:
            return "stays with its objects; the next `up` creates a new bucket under a new auto-generated name (logical name + random suffix), so nothing collides";
        case "aws:kms/key:Key":
            return (
                `stays (its alias is deleted); the next \`up\` creates a new key and alias/secure-ai-${stack} for it. Keep this key ` +
                "while the kept buckets and log groups hold data encrypted with it; schedule its deletion only after they are gone"
            );
        case "aws:cloudwatch/logGroup:LogGroup":
            return (
                "stays with its events; a destroyed stack has no outputs, so the next `up` names a new log group under the same " +
                "prefix with a unique suffix (baseline/logGroupNames.ts) instead of colliding with this one (CreateLogGroup: ResourceAlreadyExistsException)"
            );
        case "aws:ebs/encryptionByDefault:EncryptionByDefault":
        case "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock":
        case "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults":
            return "an account setting: stays on; the owning stack's next `up` sets it again (a put, nothing to collide with)";
        default:
            return r.type.startsWith("aws:s3/")
                ? "a setting of the kept bucket: stays on it; the next `up` configures the new bucket"
                : "stays; the next `up` creates a new one (no fixed name)";
    }
}

interface BucketOutput {
    /** The end of the bucket's logical name (baseline/baseline.ts). */
    readonly purpose: string;
    /** The stack output with its name. */
    readonly output: string;
    readonly log: boolean;
}
const BUCKET_OUTPUTS: readonly BucketOutput[] = [
    { purpose: "training-data", output: "trainingDataBucketName", log: false },
    { purpose: "model-artifacts", output: "modelArtifactsBucketName", log: false },
    { purpose: "audit", output: "auditBucketName", log: true },
    { purpose: "access-logs", output: "accessLogBucketName", log: true },
    // AWS Config's delivery bucket, on the stack that owns the account guardrails only.
    { purpose: "config", output: "configBucketName", log: true },
];

/**
 * A lifecycle configuration that empties a versioned bucket: current versions expire (a delete marker each),
 * noncurrent versions go a day later, then the delete markers left alone (Amazon S3 User Guide, Emptying a bucket;
 * Lifecycle configuration elements: ExpiredObjectDeleteMarker cannot share an Expiration with Days).
 */
const EMPTYING_LIFECYCLE = JSON.stringify({
    Rules: [
        { ID: "empty-versions", Status: "Enabled", Filter: {}, Expiration: { Days: 1 }, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
        { ID: "empty-delete-markers", Status: "Enabled", Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } },
    ],
});

export function planDestroy(s: Synthesis, basis: DestroyBasis = { kind: "stack file" }): DestroyPlan {
    const custom = s.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    const retained = custom.filter((r) => r.retainOnDelete);
    const deleted = custom.filter((r) => !r.retainOnDelete);
    const protectedOnes = custom.filter((r) => r.protect);
    const refusals: Refusal[] = [];
    const steps: DestroyStep[] = [];

    const protectedFirewalls = custom.filter((r) => r.type === FIREWALL && r.inputs["deleteProtection"] === true);
    if (protectedOnes.length > 0) {
        refusals.push({
            resource: `${protectedOnes.length} protected resources (${[...new Set(protectedOnes.map((r) => r.type.split(":").pop() ?? r.type))].join(", ")})`,
            refusal: "Pulumi refuses to delete a resource marked `protect` until it is unprotected",
            source: "Pulumi docs, resource option protect",
        });
    }
    for (const fw of protectedFirewalls) {
        refusals.push({
            resource: label(fw),
            refusal:
                "AWS refuses DeleteFirewall while the firewall's DeleteProtection is on (an AWS setting, not a Pulumi `protect`: " +
                "`pulumi state unprotect` does not change it); the destroy would stop after deleting what depends on nothing else, " +
                "with the firewall still running and billed",
            source: "AWS Network Firewall API Reference, DeleteFirewall and UpdateFirewallDeleteProtection",
        });
    }
    const lockedBuckets = new Set(custom.filter((r) => r.type === OBJECT_LOCK).map((r) => r.inputs["bucket"]));
    for (const b of deleted.filter((r) => r.type === BUCKET)) {
        if (lockedBuckets.has(b.id)) {
            refusals.push({
                resource: label(b),
                refusal: "S3 refuses to delete object versions under Object Lock retention, so the bucket cannot be emptied and DeleteBucket fails (BucketNotEmpty)",
                source: "Amazon S3 User Guide, Locking objects with Object Lock; S3 API Reference, DeleteBucket",
            });
        } else if (b.inputs["forceDestroy"] !== true) {
            refusals.push({
                resource: label(b),
                refusal: "S3 refuses DeleteBucket on a bucket that holds objects or versions (BucketNotEmpty), and forceDestroy is off",
                source: "Amazon S3 API Reference, DeleteBucket",
            });
        }
    }

    const locks = custom.filter((r) => r.type === OBJECT_LOCK);
    for (const lock of locks) {
        const days = (lock.inputs["rule"] as { defaultRetention?: { days?: number } } | undefined)?.defaultRetention?.days;
        refusals.push({
            resource: label(lock),
            refusal:
                `IRREVERSIBLE: Object Lock stays on the bucket after the destroy and cannot be turned off; S3 refuses to delete ` +
                `any locked log version (root included) before its ${days ?? "?"}-day COMPLIANCE retention ends, so the bucket outlives the stack by at least that long`,
            source: "Amazon S3 User Guide, Configuring S3 Object Lock; Locking objects with Object Lock",
        });
    }

    const stack = s.stack;
    const on = `--stack ${stack}`;
    // A value of the recorded outputs (step 1), for commands run before or after the destroy.
    const recorded = basis.kind === "outputs" ? basis.file : outputsFile(stack);
    const module = /^(\/|\.\.?\/)/.test(recorded) ? recorded : `./${recorded}`;
    const out = (expression: string) => `"$(node -p "require('${module}').${expression}")"`;
    const breakGlass = custom.find((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-break-glass"));
    const keptBuckets = retained.filter((r) => r.type === BUCKET);
    const logBucketOutputs = keptBuckets.map((b) => BUCKET_OUTPUTS.find((o) => b.name.endsWith(`-${o.purpose}`))).filter((o): o is BucketOutput => o?.log === true);
    steps.push({
        why:
            "record what the destroy leaves behind, which the state will no longer name (kmsKeyArn, the bucket names, logGroupNames" +
            (breakGlass === undefined ? "" : ", breakGlassRoleArn") +
            ")" +
            (basis.kind === "outputs"
                ? `: done, this plan was made from ${basis.file}`
                : `, then plan from it: what is kept and Object Lock follow the deployment, not Pulumi.${stack}.yaml`),
        commands: [recordOutputsCommand(stack, recorded), ...(basis.kind === "outputs" ? [] : [`npm run plan -- ${stack} --destroy --outputs ${outputsFile(stack)}`])],
    });
    if (protectedFirewalls.length > 0) {
        // The `up` applies the whole stack file: where it differs from the deployment, it would change those too
        // (and a dropped Object Lock or protectData is refused by the program itself), so the file goes back first.
        const drifted = basis.kind === "outputs" ? driftedKeys(basis.differences) : [];
        if (drifted.length > 0) {
            steps.push({
                why:
                    `put Pulumi.${stack}.yaml back to what is deployed first: the \`up\` below applies the whole file, which differs from the ` +
                    `deployment at ${drifted.join(", ")} (listed above); check out the stack file of the deployed commit, or set those keys to the deployed values`,
                commands: [`git checkout <the deployed commit> -- Pulumi.${stack}.yaml`],
            });
        }
        steps.push({
            why: "turn the firewall's delete protection off (with the stack file as deployed, the `up` only changes that: UpdateFirewallDeleteProtection)",
            commands: [`pulumi config set --path 'secure-ai:firewall.protections.deletion' false ${on}`, `pulumi up ${on}`],
        });
    }
    if (protectedOnes.length > 0) {
        steps.push({ why: "drop Pulumi's `protect` from every resource of the stack's state (AWS is not called)", commands: [`pulumi state unprotect --all --yes ${on}`] });
    }
    if (breakGlass !== undefined && logBucketOutputs.length > 0) {
        // The deployed role's name, from its recorded ARN (the stack file's breakGlassRoleName may have changed since).
        const role = `"$(basename ${out("breakGlassRoleArn")})"`;
        const policyName = "teardown-delete-log-bucket-policies";
        const document = `"$(node -p "JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:DeleteBucketPolicy', Resource: [${logBucketOutputs
            .map((o) => `require('${module}').${o.output.replace(/Name$/, "Arn")}`)
            .join(", ")}]}]})")"`;
        steps.push({
            why:
                "optional, only if the kept log buckets are to be deleted later: as the break-glass role, delete their bucket policies now. " +
                `The role has no permissions: an administrator gives it s3:DeleteBucketPolicy on the ${logBucketOutputs.length === 1 ? "kept log bucket" : `${logBucketOutputs.length} kept log buckets`}; you assume it with MFA ` +
                "(an AWS CLI profile with role_arn, source_profile and mfa_serial: the CLI asks for the code); the inline policy is removed " +
                "again before the destroy deletes the role (IAM API Reference, DeleteRole: inline policies first). Skipped, only the " +
                "account's root user can delete them after the destroy (S3 API Reference, DeleteBucketPolicy)",
            commands: [
                `aws iam put-role-policy --role-name ${role} --policy-name ${policyName} --policy-document ${document}`,
                `aws configure set profile.${stack}-break-glass.role_arn ${out("breakGlassRoleArn")}`,
                `aws configure set profile.${stack}-break-glass.source_profile <your profile>`,
                `aws configure set profile.${stack}-break-glass.mfa_serial <your MFA device ARN>`,
                ...logBucketOutputs.map((o) => `aws --profile ${stack}-break-glass s3api delete-bucket-policy --bucket ${out(o.output)}`),
                `aws iam delete-role-policy --role-name ${role} --policy-name ${policyName}`,
            ],
        });
    }
    steps.push({
        why:
            retained.length > 0
                ? `deletes ${deleted.length} resources and removes ${retained.length} kept ones from the state without deleting them`
                : `deletes all ${deleted.length} resources`,
        commands: [`pulumi destroy ${on}`],
    });
    if (retained.length > 0) {
        const later: string[] = [];
        for (const b of keptBuckets) {
            const o = BUCKET_OUTPUTS.find((x) => b.name.endsWith(`-${x.purpose}`));
            if (o === undefined) {
                continue;
            }
            const bucket = out(o.output);
            if (o.log && breakGlass !== undefined) {
                later.push(`aws s3api delete-bucket-policy --bucket ${bucket}   # as the root user, unless done as the break-glass role before the destroy`);
            }
            later.push(`aws s3api put-bucket-lifecycle-configuration --bucket ${bucket} --lifecycle-configuration '${EMPTYING_LIFECYCLE}'`);
        }
        if (keptBuckets.length > 0) {
            later.push("# once S3 has expired every version (a day or more; a version under Object Lock only after its retention):");
            for (const b of keptBuckets) {
                const o = BUCKET_OUTPUTS.find((x) => b.name.endsWith(`-${x.purpose}`));
                if (o !== undefined) {
                    later.push(`aws s3api delete-bucket --bucket ${out(o.output)}`);
                }
            }
        }
        if (retained.some((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")) {
            later.push(
                `for g in $(node -p "Object.values(require('${module}').logGroupNames).join(' ')"); do aws logs delete-log-group --log-group-name "$g"; done`,
            );
        }
        if (retained.some((r) => r.type === "aws:kms/key:Key")) {
            later.push(`aws kms schedule-key-deletion --key-id ${out("kmsKeyArn")} --pending-window-in-days 30   # last: everything above was encrypted with it`);
        }
        steps.push({
            why:
                "optional, later (`pulumi up` never needs it gone), in this order: empty the kept buckets with a lifecycle rule (S3 expires " +
                "current and noncurrent versions and then the delete markers; Amazon S3 User Guide, Emptying a bucket), DeleteBucket once " +
                "empty; delete the kept log groups; last, ScheduleKeyDeletion of the kept key",
            commands: later,
        });
    }

    const deletedUrns = new Map(deleted.map((r) => [r.urn, r]));
    const dangling: DanglingReference[] = [];
    for (const r of retained) {
        for (const urn of new Set(Object.values(r.propertyDependencies).flat())) {
            const target = deletedUrns.get(urn);
            if (target !== undefined) {
                dangling.push({ kept: label(r), deleted: label(target) });
            }
        }
    }

    return {
        stack: s.stack,
        basis,
        deleted,
        retained,
        refusals,
        steps,
        kept: retained.map((r) => ({
            resource: label(r),
            physical: physicalName(r.type, r.state, r.id) ?? r.id,
            nextUp:
                nextUp(r, s.stack) +
                (r.type === BUCKET && lockedBuckets.has(r.id)
                    ? "; under Object Lock (COMPLIANCE) no version, and so not the bucket, can be deleted before its retention ends"
                    : ""),
        })),
        dangling,
    };
}

export function renderDestroy(plan: DestroyPlan): string {
    const lines: string[] = [`pulumi destroy of stack ${plan.stack}`, ""];
    if (plan.basis.kind === "outputs") {
        lines.push(`Made from the deployment recorded in ${plan.basis.file} (what is kept, Object Lock and the firewall's protections).`);
        for (const d of plan.basis.differences) {
            lines.push(`  ${d}`);
        }
    } else {
        lines.push(
            `Made from Pulumi.${plan.stack}.yaml, assumed to be what is deployed. What \`pulumi destroy\` keeps and whether the audit bucket has ` +
                `Object Lock follow the deployment, not the file: record its outputs and plan from them (step 1).`,
        );
    }
    lines.push("");
    lines.push(`Deleted: ${plan.deleted.length} resources. Kept in the account (retainOnDelete): ${plan.retained.length}.`, "");
    lines.push("What would be refused:");
    if (plan.refusals.length === 0) {
        lines.push("  nothing");
    }
    for (const r of plan.refusals) {
        lines.push(`  ${r.resource}: ${r.refusal} (${r.source})`);
    }
    lines.push("", "Steps that work, in order:");
    plan.steps.forEach((step, i) => {
        lines.push(`  ${i + 1}. ${step.why}:`);
        for (const command of step.commands) {
            lines.push(`       ${command}`);
        }
    });
    if (plan.kept.length > 0) {
        lines.push("", "Kept, and how the next `pulumi up` treats it:");
        for (const k of plan.kept) {
            lines.push(`  ${k.resource} (${k.physical}): ${k.nextUp}`);
        }
    }
    if (plan.dangling.length > 0) {
        lines.push("", "Kept resources whose settings name a deleted resource (they keep the stale value until the kept resource is deleted):");
        for (const d of plan.dangling) {
            lines.push(`  ${d.kept} -> ${d.deleted}`);
        }
    }
    return `${lines.join("\n")}\n`;
}
