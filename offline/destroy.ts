// What `pulumi destroy` of a stack would do, from its synthesis: the resources deleted and those kept
// (retainOnDelete), what AWS or Pulumi would refuse on the way, the steps that work in order, and for each kept
// resource why the next `pulumi up` does not collide with it. Pure: reads a Synthesis, prints text.
import { physicalName } from "./mocks";
import type { SynthResource, Synthesis } from "./synth";

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

export interface DestroyPlan {
    readonly stack: string;
    readonly deleted: readonly SynthResource[];
    readonly retained: readonly SynthResource[];
    readonly refusals: readonly Refusal[];
    /** The commands that work, in order. */
    readonly steps: readonly string[];
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

export function planDestroy(s: Synthesis): DestroyPlan {
    const custom = s.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    const retained = custom.filter((r) => r.retainOnDelete);
    const deleted = custom.filter((r) => !r.retainOnDelete);
    const protectedOnes = custom.filter((r) => r.protect);
    const refusals: Refusal[] = [];
    const steps: string[] = [];

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

    const breakGlass = custom.find((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-break-glass"));
    steps.push(
        "`pulumi stack output --json > <stack>-outputs.json`: record what the destroy leaves behind, which the state will no longer name " +
            "(kmsKeyArn, the bucket names, logGroupNames" + (breakGlass === undefined ? "" : ", breakGlassRoleArn") + ")",
    );
    if (breakGlass !== undefined && retained.some((r) => r.type === BUCKET)) {
        steps.push(
            "to delete the kept log buckets later: as the break-glass role (assumed with MFA, with S3 permissions attached for the task), delete " +
                "the log buckets' bucket policies now (s3:DeleteBucketPolicy); the destroy deletes the role, and afterwards only the " +
                "account's root user can (S3 API Reference, DeleteBucketPolicy: root may always delete a bucket policy)",
        );
    }
    if (protectedFirewalls.length > 0) {
        steps.push(
            `set secure-ai:firewall.protections.deletion: false in Pulumi.${s.stack}.yaml and run \`pulumi up\` ` +
                "(it only turns the firewall's delete protection off: UpdateFirewallDeleteProtection)",
        );
    }
    if (protectedOnes.length > 0) {
        steps.push("`pulumi state unprotect --all --yes` (drops Pulumi's `protect` from every resource of the stack's state; AWS is not called)");
    }
    steps.push(
        retained.length > 0
            ? `\`pulumi destroy\`: deletes ${deleted.length} resources and removes ${retained.length} kept ones from the state without deleting them`
            : `\`pulumi destroy\`: deletes all ${deleted.length} resources`,
    );
    if (retained.length > 0) {
        steps.push(
            "optional, later (`pulumi up` never needs it gone), in this order: wait until the locked versions' retention has passed, " +
                "delete every object version of the kept buckets and DeleteBucket; delete the kept log groups; " +
                "last, ScheduleKeyDeletion of the kept key (everything above was encrypted with it)",
        );
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
    lines.push(`Deleted: ${plan.deleted.length} resources. Kept in the account (retainOnDelete): ${plan.retained.length}.`, "");
    lines.push("What would be refused:");
    if (plan.refusals.length === 0) {
        lines.push("  nothing");
    }
    for (const r of plan.refusals) {
        lines.push(`  ${r.resource}: ${r.refusal} (${r.source})`);
    }
    lines.push("", "Steps that work, in order:");
    plan.steps.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
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
