// VPC encryption controls, opt-in, monitor mode only: one control on this stack's VPC, the flow log extended with the
// encryption status (Amazon VPC User Guide, "Enforce VPC encryption in transit"), enforce refused (AWS Network
// Firewall is not supported in an enforce-mode VPC), the deploy role's permissions only where a stack turns it on.
import { expect } from "chai";
import { deployPolicy } from "../bootstrap/permissions";
import { MOCK_ACCOUNT_ID } from "../offline/mocks";
import { actionsForType, ACCOUNT_SETTING_ACTIONS, WRITE_HANDLERS } from "../bootstrap/permissions";
import { ENCRYPTION_CONTROL_TYPES, stackTypes } from "../bootstrap/stackTypes";
import { checkConfig, loadConfig, type RawConfig } from "../config/load";
import { DEFAULT_FLOW_LOG_FIELDS, ENCRYPTION_FLOW_LOG_FIELDS, planEncryptionControl } from "../network/encryptionControl";
import { diffContext, diffSyntheses, renderDiff } from "../offline/diff";
import { costSectionNotes } from "../offline/report";
import { RULES } from "../policy-pack/rules";
import { cloudResources, readStackConfig, stackFiles } from "../offline/synth";
import { deployRoleDecision } from "./iamScenarios";
import { fixture, must, ofType, synth, synthFixture, synthWith } from "./support";

const CONTROL = "aws:ec2/vpcEncryptionControl:VpcEncryptionControl";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

function withNetwork(raw: RawConfig, change: Record<string, unknown>): RawConfig {
    const network = JSON.parse(raw["secure-ai:network"] ?? "{}") as Record<string, unknown>;
    return { ...raw, "secure-ai:network": JSON.stringify({ ...network, ...change }) };
}

/** The fields of a custom flow log format (`${a} ${b}` -> [a, b]). */
function fieldsOf(format: unknown): string[] {
    return String(format).split(" ").map((f) => f.replace(/^\$\{(.+)\}$/, "$1"));
}

describe("VPC encryption controls: config", () => {
    const problems = (raw: RawConfig): string[] => checkConfig(raw, "prod").problems.map((p) => `${p.path}: ${p.message}`);
    it("is off unless a stack asks", () => {
        const config = loadConfig(fixture("prod"), "prod");
        expect(config.network.encryptionControl).to.equal("off");
        expect(planEncryptionControl(config.network)).to.deep.equal({ mode: undefined, flowLogFormat: undefined });
    });
    it("refuses enforce, naming the key, the value, why (Network Firewall) and what is allowed", () => {
        expect(problems(withNetwork(fixture("prod"), { encryptionControl: "enforce" }))).to.deep.equal([
            'secure-ai:network.encryptionControl: "enforce" is not possible in this VPC: AWS Network Firewall is not supported with VPCs in enforce mode ' +
                '(Amazon VPC User Guide, "Enforce VPC encryption in transit": "If these resources are present in your VPC, you must run your VPC in monitor mode"), ' +
                "and every stack of this program routes its traffic through one (allowed: off, monitor)",
        ]);
    });
    it("refuses a value AWS does not have, and a non-string", () => {
        expect(problems(withNetwork(fixture("prod"), { encryptionControl: "Monitor" }))).to.deep.equal([
            'secure-ai:network.encryptionControl: "Monitor" is not a VPC encryption control setting (allowed: off, monitor)',
        ]);
        expect(problems(withNetwork(fixture("prod"), { encryptionControl: true }))).to.deep.equal([
            "secure-ai:network.encryptionControl: true is not a VPC encryption control setting (allowed: off, monitor)",
        ]);
    });
});

describe("VPC encryption controls: plan", () => {
    it("monitor: AWS's default flow log fields in AWS's order, then flow-direction, traffic-path and encryption-status", () => {
        const plan = planEncryptionControl({ encryptionControl: "monitor" });
        expect(plan.mode).to.equal("monitor");
        // Amazon VPC User Guide, "Flow log records", Default format.
        expect(fieldsOf(plan.flowLogFormat)).to.deep.equal([
            "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status",
            "flow-direction", "traffic-path", "encryption-status",
        ]);
        expect(fieldsOf(plan.flowLogFormat)).to.deep.equal([...DEFAULT_FLOW_LOG_FIELDS, ...ENCRYPTION_FLOW_LOG_FIELDS]);
    });
});

describe("VPC encryption controls: synthesized", () => {
    for (const { stack } of stackFiles()) {
        it(`${stack} stack: a control and the flow log's format as its config asks`, async () => {
            const plan = planEncryptionControl(loadConfig(readStackConfig(stack), stack).network);
            const s = await synth(stack);
            expect(ofType(s, CONTROL).map((c) => c.inputs["mode"])).to.deep.equal(plan.mode === undefined ? [] : [plan.mode]);
            expect(ofType(s, FLOW_LOG).map((f) => f.inputs["logFormat"])).to.deep.equal([plan.flowLogFormat]);
            expect(s.outputs["vpcEncryptionControlId"] === undefined).to.equal(plan.mode === undefined);
            expect(costSectionNotes(s).some((line) => line.includes("VPC encryption controls"))).to.equal(plan.mode !== undefined);
        });
    }

    it("turned on: one monitor-mode control on this stack's VPC, replaced with it, the flow log reporting encryption-status, the output, the pipeline's permissions and the cost note", async () => {
        const raw = withNetwork(fixture("prod"), { encryptionControl: "monitor" });
        const s = await synthWith({ stack: "prod", config: raw });
        expect(s.error?.message).to.equal(undefined);
        const controls = ofType(s, CONTROL);
        expect(controls).to.have.length(1);
        const control = must(controls[0], "the control");
        const vpcs = ofType(s, "aws:ec2/vpc:Vpc");
        expect(vpcs.map((v) => v.id)).to.deep.equal([control.inputs["vpcId"]]);
        expect(control.inputs["mode"]).to.equal("monitor");
        // Monitor mode takes no exclusion (@pulumi/aws 7.48.0: "Only valid when `mode` is `enforce`").
        expect(Object.keys(control.inputs).filter((k) => k.endsWith("Exclusion"))).to.deep.equal([]);
        expect(control.replaceOnChanges).to.deep.equal(["vpcId"]);
        expect(s.outputs["vpcEncryptionControlId"]).to.equal(control.id);

        const flowLogs = ofType(s, FLOW_LOG);
        expect(flowLogs).to.have.length(1);
        // The replacement flow log waits for the control: where AWS refuses the control, the update stops before it.
        expect([...must(flowLogs[0], "the flow log").dependencies]).to.include(must(ofType(s, CONTROL)[0], "the control").urn);
        const fields = fieldsOf(must(flowLogs[0], "the flow log").inputs["logFormat"]);
        expect(fields).to.include.members(["encryption-status", "traffic-path", "flow-direction"]);
        expect(fields.slice(0, DEFAULT_FLOW_LOG_FIELDS.length)).to.deep.equal([...DEFAULT_FLOW_LOG_FIELDS]);

        // The policy pack passes it (vpc-encryption-control-monitor-and-logged among the rest).
        const view = cloudResources(s).map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, propertyDependencies: r.propertyDependencies }));
        expect(RULES.flatMap((rule) => rule.check(view).map((v) => `${rule.name}: ${v.message}`))).to.deep.equal([]);

        const config = loadConfig(raw, "prod");
        expect(stackTypes(config)).to.include.members(ENCRYPTION_CONTROL_TYPES);
        expect(stackTypes(loadConfig(fixture("prod"), "prod"))).to.not.include.members(ENCRYPTION_CONTROL_TYPES);
        const granted = await actionsForType(CONTROL, WRITE_HANDLERS);
        expect(granted.unknown).to.deep.equal([]);
        expect(granted.actions).to.have.length(ACCOUNT_SETTING_ACTIONS[CONTROL]?.length ?? -1);
        expect(granted.actions).to.include.members(["ec2:CreateVpcEncryptionControl", "ec2:DeleteVpcEncryptionControl"]);

        // The diff a reviewer reads: the control added, the flow log replaced (LogFormat is create-only in the
        // AWS::EC2::FlowLog registry schema), nothing else.
        const before = await synthFixture("prod");
        const changes = diffSyntheses(before, s);
        // The review of that edit names the charge its total leaves out, in both formats.
        const note = "VPC encryption controls: 1 VPC with a control, charged since 2026-03-01";
        expect(renderDiff("prod", "HEAD", changes, [], diffContext(fixture("prod"), raw, before, s))).to.include(`\n  not in that total: ${note}`);
        expect(renderDiff("prod", "HEAD", changes, [], diffContext(fixture("prod"), raw, before, s, "markdown"))).to.include(`Fixed, not in the total:\n\n- ${note}`);
        expect(renderDiff("prod", "HEAD", [], [], diffContext(fixture("prod"), fixture("prod"), before, before))).to.not.include("not in that total");
        expect(changes.filter((c) => c.replacedBy.length > 0).map((c) => [c.type, c.replacedBy])).to.deep.equal([[FLOW_LOG, ["logFormat"]]]);
        expect(changes.filter((c) => c.kind === "add").map((c) => c.type)).to.deep.equal([CONTROL]);
        // A new VPC range replaces the VPC, and with it the control (replaceOnChanges vpcId), which the diff shows.
        const moved = await synthWith({ stack: "prod", config: withNetwork(raw, { cidr: "10.99.0.0/16" }) });
        expect(diffSyntheses(s, moved).filter((c) => c.type === CONTROL).map((c) => c.replacedBy)).to.deep.equal([["vpcId"]]);

        expect(costSectionNotes(s)).to.deep.equal([
            "- VPC encryption controls: 1 VPC with a control, charged since 2026-03-01 (free before: AWS News Blog, " +
                '"Introducing VPC encryption controls") at the rate Amazon VPC pricing states, which this table does not record, so not in the total',
        ]);
    });
});

describe("VPC encryption controls: the deploy role, decided by the IAM engine", () => {
    const region = "us-west-2";
    const arns = { partition: "aws", account: MOCK_ACCOUNT_ID, region, stateBucketArn: "arn:aws:s3:::state", secretsKeyArn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/k` };
    const vpc = `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc/vpc-0123456789abcdef0`;
    const control = `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc-encryption-control/vpcec-0123456789abcdef0`;
    // The deploy policy once per set of types (it is a function of the arguments only).
    const policies = new Map<string, ReturnType<typeof deployPolicy>>();
    const policyFor = (types: readonly string[]) => {
        const key = types.join(" ");
        const known = policies.get(key) ?? deployPolicy(arns, "prod", { region, types });
        policies.set(key, known);
        return known;
    };
    const decide = async (types: readonly string[], action: string, resource: string, context: Record<string, string>): Promise<string> =>
        deployRoleDecision(await policyFor(types), action, resource, region, context);

    it("a stack that turns it on may create (with its own tags), modify and delete its control; a stack that does not may not; neither may set the account-level control", async () => {
        const on = stackTypes(loadConfig(withNetwork(fixture("prod"), { encryptionControl: "monitor" }), "prod"));
        const off = stackTypes(loadConfig(fixture("prod"), "prod"));
        const own = { "aws:RequestTag/project": "secure-ai", "aws:RequestTag/stack": "prod" };
        const mine = { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": "prod" };
        const cases: [readonly string[], string, string, Record<string, string>, string][] = [
            [on, "ec2:CreateVpcEncryptionControl", control, own, "Allowed"],
            [on, "ec2:CreateVpcEncryptionControl", vpc, { ...own, ...mine }, "Allowed"],
            [on, "ec2:CreateVpcEncryptionControl", control, { "aws:RequestTag/project": "secure-ai", "aws:RequestTag/stack": "dev" }, "ExplicitlyDenied"],
            [on, "ec2:ModifyVpcEncryptionControl", control, mine, "Allowed"],
            // terraform-provider-aws reads the VPC's blockers before every ModifyVpcEncryptionControl.
            [on, "ec2:GetVpcResourcesBlockingEncryptionEnforcement", vpc, mine, "Allowed"],
            [on, "ec2:GetVpcResourcesBlockingEncryptionEnforcement", vpc, { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": "dev" }, "ExplicitlyDenied"],
            [off, "ec2:GetVpcResourcesBlockingEncryptionEnforcement", vpc, mine, "ImplicitlyDenied"],
            [on, "ec2:DeleteVpcEncryptionControl", control, mine, "Allowed"],
            [on, "ec2:DeleteVpcEncryptionControl", control, { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": "dev" }, "ExplicitlyDenied"],
            [on, "ec2:ModifyAccountVpcEncryptionControl", "*", {}, "ImplicitlyDenied"],
            [off, "ec2:CreateVpcEncryptionControl", control, own, "ImplicitlyDenied"],
            [off, "ec2:DeleteVpcEncryptionControl", control, mine, "ImplicitlyDenied"],
        ];
        const got = await Promise.all(cases.map(async ([types, action, resource, context]) => [types, action, resource, context, await decide(types, action, resource, context)] as const));
        expect(got.map(([types, action, resource, , decision]) => [types === on ? "on" : "off", action, resource, decision])).to.deep.equal(
            cases.map(([types, action, resource, , expected]) => [types === on ? "on" : "off", action, resource, expected]),
        );
    });
});
