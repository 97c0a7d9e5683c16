// The stack's whole life offline: what `pulumi destroy` would do (npm run plan -- <stack> --destroy), and destroy
// then up again with the mocks holding what the destroy kept, so a name the next `up` reuses fails as AWS fails it.
import { expect } from "chai";
import { deployedLogGroups, logGroupNaming } from "../baseline/logGroupNames";
import { loadConfig } from "../config/load";
import { deployedConfig, driftedKeys, foreignOutputs, planDestroy, renderDestroy, type DestroyPlan } from "../offline/destroy";
import { ALREADY_EXISTS, physicalName, type ExistingResource } from "../offline/mocks";
import { readStackConfig, stackFiles, type Synthesis } from "../offline/synth";
import { fixture, must, synth, synthFixture, synthWith } from "./support";

/** The index of the first step with a command that starts with `prefix` (-1: none). */
function stepRunning(plan: DestroyPlan, prefix: string): number {
    return plan.steps.findIndex((s) => s.commands.some((c) => c.startsWith(prefix)));
}

/** Every physical name the destroy leaves in the account. */
function leftBehind(s: Synthesis): ExistingResource[] {
    return planDestroy(s).retained.flatMap((r) => {
        const name = physicalName(r.type, r.state, r.id);
        return name === undefined ? [] : [{ type: r.type, name }];
    });
}

for (const { stack } of stackFiles()) {
    describe(`lifecycle (${stack} stack): destroy, then up again`, () => {
        const config = loadConfig(readStackConfig(stack), stack);

        it("lists AWS's refusal of a delete-protected firewall and the steps that work, in order", async () => {
            const plan = planDestroy(await synth(stack));
            const text = renderDestroy(plan);
            const protection = plan.refusals.find((r) => r.refusal.includes("DeleteFirewall"));
            expect(protection !== undefined, "firewall refusal listed").to.equal(config.firewall.protections.deletion);
            const unprotect = stepRunning(plan, `pulumi state unprotect --all --yes --stack ${stack}`);
            const turnOff = stepRunning(plan, "pulumi config set --path 'secure-ai:firewall.protections.deletion' false");
            const destroy = stepRunning(plan, `pulumi destroy --stack ${stack}`);
            expect(destroy).to.be.greaterThan(-1);
            expect(turnOff > -1, "turn deletion protection off first").to.equal(config.firewall.protections.deletion);
            expect(unprotect > -1, "unprotect").to.equal(config.baseline.protectData);
            if (turnOff > -1) {
                expect(turnOff).to.be.lessThan(destroy);
                expect(unprotect === -1 || turnOff < unprotect).to.equal(true);
            }
            if (unprotect > -1) {
                expect(unprotect).to.be.lessThan(destroy);
            }
            expect(text).to.include("Steps that work, in order:");
        });

        it("says Object Lock is irreversible when the stack opts in, records the outputs first and schedules the key's deletion last", async () => {
            const plan = planDestroy(await synth(stack));
            const irreversible = plan.refusals.filter((r) => r.refusal.startsWith("IRREVERSIBLE"));
            expect(irreversible.length).to.equal(config.baseline.auditLogLockDays === undefined ? 0 : 1);
            if (config.baseline.auditLogLockDays !== undefined) {
                expect(irreversible[0]?.refusal).to.include(`${config.baseline.auditLogLockDays}-day COMPLIANCE retention`);
            }
            expect(plan.steps[0]?.commands[0]).to.equal(`pulumi stack output --stack ${stack} --json > ${stack}-outputs.json`);
            const breakGlass = stepRunning(plan, `aws --profile ${stack}-break-glass s3api delete-bucket-policy`);
            expect(breakGlass > -1).to.equal(config.baseline.protectData);
            if (breakGlass > -1) {
                const commands = plan.steps[breakGlass]?.commands ?? [];
                // Given the permission first, the permission taken away again before the destroy deletes the role.
                expect(commands[0]).to.match(/^aws iam put-role-policy /);
                expect(commands.at(-1)).to.match(/^aws iam delete-role-policy /);
                // The permission it asks the administrator for covers as many buckets as the step deletes policies of.
                const policies = commands.filter((c) => c.includes("s3api delete-bucket-policy")).length;
                expect(plan.steps[breakGlass]?.why).to.include(policies === 1 ? "on the kept log bucket;" : `on the ${policies} kept log buckets;`);
                expect(breakGlass).to.be.lessThan(stepRunning(plan, "pulumi destroy"));
            }
            const later = plan.steps.at(-1)?.commands ?? [];
            if (plan.retained.length > 0) {
                const deleteBucket = later.findIndex((c) => c.startsWith("aws s3api delete-bucket --bucket"));
                expect(deleteBucket, "DeleteBucket").to.be.greaterThan(-1);
                expect(deleteBucket).to.be.lessThan(later.findIndex((c) => c.startsWith("aws kms schedule-key-deletion")));
            }
            // Every kept bucket (AWS Config's included, on the guardrail-owning stack) is deleted by a stack output the
            // stack has.
            const s = await synth(stack);
            const deletes = later.filter((c) => c.startsWith("aws s3api delete-bucket --bucket")).map((c) => /require\('[^']+'\)\.(\w+)/.exec(c)?.[1]);
            const keptBuckets = plan.retained.filter((r) => r.type === "aws:s3/bucket:Bucket");
            expect(deletes).to.have.length(keptBuckets.length);
            expect(deletes.map((o) => s.outputs[o ?? ""]).sort()).to.deep.equal(keptBuckets.map((b) => b.state["bucket"]).sort());
        });

        it("keeps exactly the protected data (key, log groups, buckets with their settings) and the account guardrails", async () => {
            const s = await synth(stack);
            const plan = planDestroy(s);
            const kept = new Set(plan.retained.map((r) => r.type));
            for (const type of ["aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup", "aws:s3/bucket:Bucket", "aws:s3/bucketPolicy:BucketPolicy"]) {
                expect(kept.has(type), type).to.equal(config.baseline.protectData);
            }
            expect(kept.has("aws:ebs/encryptionByDefault:EncryptionByDefault")).to.equal(config.baseline.manageAccountGuardrails);
            // The alias is not kept: the next up makes it again for the new key.
            expect(kept.has("aws:kms/alias:Alias")).to.equal(false);
            expect(plan.kept.length).to.equal(plan.retained.length);
        });

        it("the next up creates nothing whose name the destroy left in the account", async function () {
            this.timeout(20_000);
            const first = await synth(stack);
            const existing = leftBehind(first);
            if (existing.length === 0) {
                // Nothing is left in the account (a disposable stack): the next up is a first up.
                expect(planDestroy(first).retained.filter((r) => physicalName(r.type, r.state, r.id) !== undefined)).to.deep.equal([]);
                return;
            }
            // A destroyed stack has no outputs, so the next run reads no deployment.
            const again = await synthWith({ stack, generation: 1, existing });
            expect(again.error?.message).to.equal(undefined);
            const names = new Set(again.resources.map((r) => `${r.type} ${physicalName(r.type, r.state, r.id) ?? ""}`));
            expect(existing.filter((e) => names.has(`${e.type} ${e.name}`))).to.deep.equal([]);
        });
    });
}

describe("lifecycle: the mocks refuse a name that exists, as AWS does", () => {
    it("re-creating the kept log groups under their deployed names fails with ResourceAlreadyExistsException", async function () {
        this.timeout(20_000);
        const stack = stackFiles().map((f) => f.stack).find((s) => loadConfig(readStackConfig(s), s).baseline.protectData);
        if (stack === undefined) {
            this.skip();
        }
        const first = await synth(stack);
        const existing = leftBehind(first);
        expect(existing.some((e) => e.type === "aws:cloudwatch/logGroup:LogGroup")).to.equal(true);
        // The run believes the stack is still deployed (its outputs name the kept log groups), so it reuses the names.
        const clash = await synthWith({ stack, generation: 1, existing, deployedOutputs: first.outputs });
        expect(clash.error?.message ?? "").to.include(ALREADY_EXISTS["aws:cloudwatch/logGroup:LogGroup"]);
    });
});

describe("lifecycle: a deployed Object Lock stays in the config (it cannot be turned off)", () => {
    const locked = stackFiles().map((f) => f.stack).find((s) => loadConfig(readStackConfig(s), s).baseline.auditLogLockDays !== undefined);

    it("refuses dropping auditLogLockDays and protectData: false after a deployment with a lock, before any AWS resource", async function () {
        this.timeout(30_000);
        if (locked === undefined) {
            this.skip();
        }
        const first = await synth(locked);
        const days = loadConfig(readStackConfig(locked), locked).baseline.auditLogLockDays;
        expect(first.outputs["auditLogLockDays"]).to.equal(days);
        const raw = readStackConfig(locked);
        const baseline = JSON.parse(raw["secure-ai:baseline"] ?? "{}") as Record<string, unknown>;
        const { auditLogLockDays: _dropped, ...unlocked } = baseline;
        const again = await synthWith({
            stack: locked,
            config: { ...raw, "secure-ai:baseline": JSON.stringify({ ...unlocked, protectData: false }) },
            deployedOutputs: first.outputs,
        });
        expect(again.error?.message).to.include(`secure-ai:baseline.protectData: false makes the stack disposable, but the deployed audit bucket has S3 Object Lock (COMPLIANCE, ${String(days)} days)`);
        expect(again.error?.message).to.include("secure-ai:baseline.auditLogLockDays: unset removes the lock from the config");
        expect(again.resources.filter((r) => r.custom && r.type.startsWith("aws:"))).to.deep.equal([]);
        // The same config without a deployed lock is a valid disposable stack.
        const fresh = await synthWith({ stack: locked, config: { ...raw, "secure-ai:baseline": JSON.stringify({ ...unlocked, protectData: false, keyDeletionWindowDays: 7 }) } });
        expect(fresh.error?.message).to.equal(undefined);
    });
});

describe("lifecycle: log group names of a deployed stack", () => {
    it("keep the deployed name, and fall back to the fixed legacy name (never a new unique one) when the output lacks a group", () => {
        const prefix = "/secure-ai/prod/";
        const named = deployedLogGroups(true, { cloudtrail: `${prefix}cloudtrail-0123` });
        expect(logGroupNaming(prefix, "cloudtrail", named)).to.deep.equal({ name: `${prefix}cloudtrail-0123` });
        expect(logGroupNaming(prefix, "vpc-flow-logs", named)).to.deep.equal({ name: `${prefix}vpc-flow-logs` });
        expect(logGroupNaming(prefix, "vpc-flow-logs", deployedLogGroups(false, undefined))).to.deep.equal({ namePrefix: `${prefix}vpc-flow-logs-` });
    });
});

describe("lifecycle: `--destroy --outputs` decides from the deployment, not the stack file", () => {
    const section = (raw: Readonly<Record<string, string>>, key: string) => JSON.parse(raw[key] ?? "{}") as Record<string, unknown>;

    it("a deployed Object Lock, protected data and delete protection stay in the plan after the stack file drops them", async function () {
        this.timeout(60_000);
        const raw = fixture("prod");
        // The deployment: the fixture deployed with `auditLogLockDays: 30` (index.ts outputs it, and protectData).
        const outputs: Record<string, unknown> = { ...(await synthFixture("prod")).outputs, auditLogLockDays: 30 };
        expect(outputs["protectData"]).to.equal(true);
        // The stack file since edited, not deployed: disposable, no lock, no delete protection.
        const { auditLogLockDays: _none, ...baseline } = section(raw, "secure-ai:baseline");
        const firewall = section(raw, "secure-ai:firewall");
        const edited = {
            ...raw,
            "secure-ai:baseline": JSON.stringify({ ...baseline, protectData: false, keyDeletionWindowDays: 7 }),
            "secure-ai:firewall": JSON.stringify({ ...firewall, protections: { deletion: false, subnetChange: false, policyChange: false } }),
        };
        const deployed = must(deployedConfig(edited, outputs, "prod"), "the deployment's config");
        expect(deployed.differences.map((d) => d.split(": ")[0] ?? "")).to.include.members(["secure-ai:baseline.protectData", "secure-ai:baseline.auditLogLockDays", "secure-ai:firewall.protections"]);
        const s = await synthWith({ stack: "prod", config: deployed.config, deployedOutputs: outputs });
        expect(s.error?.message).to.equal(undefined);
        const plan = planDestroy(s, { kind: "outputs", file: "prod-outputs.json", differences: deployed.differences });
        expect(plan.refusals.find((r) => r.refusal.startsWith("IRREVERSIBLE"))?.refusal).to.include("30-day COMPLIANCE retention");
        expect(plan.refusals.some((r) => r.refusal.includes("DeleteFirewall"))).to.equal(true);
        expect(new Set(plan.retained.map((r) => r.type))).to.include.members(["aws:kms/key:Key", "aws:s3/bucket:Bucket", "aws:cloudwatch/logGroup:LogGroup"]);
        // The kept log groups are the deployed ones, by the names the deployment reported.
        const groups = plan.kept.filter((k) => k.resource.startsWith("cloudwatch:LogGroup")).map((k) => k.physical).sort();
        expect(groups).to.deep.equal(Object.values(outputs["logGroupNames"] as Record<string, string>).sort());
        expect(plan.steps[0]?.commands).to.deep.equal(["pulumi stack output --stack prod --json > prod-outputs.json"]);
        expect(renderDestroy(plan)).to.include("Made from the deployment recorded in prod-outputs.json");
        // The `up` that turns delete protection off applies the whole stack file: the file goes back to the
        // deployment first, naming where it differs.
        const upAt = plan.steps.findIndex((step) => step.commands.includes("pulumi up --stack prod"));
        const restore = plan.steps[upAt - 1];
        expect(restore?.commands).to.deep.equal(["git checkout <the deployed commit> -- Pulumi.prod.yaml"]);
        expect(restore?.why).to.include("secure-ai:baseline.protectData, secure-ai:baseline.auditLogLockDays, secure-ai:firewall.protections");
        // Planned from a file that matches the deployment, there is nothing to put back.
        const same = must(deployedConfig(raw, (await synthFixture("prod")).outputs, "prod"), "the deployment's config");
        expect(driftedKeys(same.differences)).to.deep.equal([]);
        const plain = planDestroy(s, { kind: "outputs", file: "prod-outputs.json", differences: same.differences });
        expect(plain.steps.some((step) => step.commands.some((c) => c.startsWith("git checkout")))).to.equal(false);
    });

    it("a lock only in the stack file is not deployed, and outputs of no deployment plan nothing", async () => {
        const raw = fixture("prod");
        const outputs = (await synthFixture("prod")).outputs;
        const locked = { ...raw, "secure-ai:baseline": JSON.stringify({ ...section(raw, "secure-ai:baseline"), auditLogLockDays: 30 }) };
        const deployed = must(deployedConfig(locked, outputs, "prod"), "the deployment's config");
        expect(section(deployed.config, "secure-ai:baseline")["auditLogLockDays"]).to.equal(undefined);
        expect(deployed.differences.join("\n")).to.include("secure-ai:baseline.auditLogLockDays: Pulumi.prod.yaml has 30, the deployment none");
        expect(deployedConfig(raw, {}, "prod")).to.equal(undefined);
        // `{}` is what `pulumi stack output --json` prints for a stack with no deployment; another file is refused.
        expect(foreignOutputs({}, "prod-outputs.json", "prod")).to.equal(undefined);
        expect(foreignOutputs(outputs, "prod-outputs.json", "prod")).to.equal(undefined);
        expect(foreignOutputs({ protectData: false }, "x.json", "prod")).to.equal(
            "--outputs x.json: not the outputs of a deployment of stack prod (no availabilityZones or vpcId; it has protectData): write them with `pulumi stack output --stack prod --json > x.json`",
        );
    });
});
