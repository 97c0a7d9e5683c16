// VPC Block Public Access, opt-in: the account's mode only on the stack that owns the account guardrails, and
// exclusions for this stack's public subnets (load balancer, NAT gateways) created before the mode, so switching it
// on never cuts the stack's own paths.
import { expect } from "chai";
import { ACCOUNT_SETTING_ACTIONS, actionsForType, WRITE_HANDLERS } from "../bootstrap/permissions";
import { checkConfig, loadConfig, type RawConfig } from "../config/load";
import { planBlockPublicAccess } from "../network/blockPublicAccess";
import { readStackConfig, stackFiles } from "../offline/synth";
import { fixture, must, ofType, subnetsOfTier, synth, synthWith } from "./support";

const OPTIONS = "aws:ec2/vpcBlockPublicAccessOptions:VpcBlockPublicAccessOptions";
const EXCLUSION = "aws:ec2/vpcBlockPublicAccessExclusion:VpcBlockPublicAccessExclusion";

function withBaseline(raw: RawConfig, change: Record<string, unknown>): RawConfig {
    const baseline = JSON.parse(raw["secure-ai:baseline"] ?? "{}") as Record<string, unknown>;
    return { ...raw, "secure-ai:baseline": JSON.stringify({ ...baseline, ...change }) };
}

describe("VPC Block Public Access: plan", () => {
    const azs = ["us-west-2a", "us-west-2b"];
    const cases: { name: string; mode: "off" | "block-bidirectional" | "block-ingress"; exclusions?: boolean; expected: ReturnType<typeof planBlockPublicAccess> }[] = [
        { name: "off by default: nothing", mode: "off", expected: { mode: undefined, excludedPublicSubnetAzs: [] } },
        { name: "a mode excludes the stack's public subnets by default", mode: "block-bidirectional", expected: { mode: "block-bidirectional", excludedPublicSubnetAzs: azs } },
        { name: "ingress-only too (the load balancer takes inbound traffic)", mode: "block-ingress", expected: { mode: "block-ingress", excludedPublicSubnetAzs: azs } },
        { name: "exclusions alone, for a stack whose account another stack switches on", mode: "off", exclusions: true, expected: { mode: undefined, excludedPublicSubnetAzs: azs } },
    ];
    for (const c of cases) {
        it(c.name, () => {
            expect(planBlockPublicAccess({ vpcBlockPublicAccess: c.mode, vpcBlockPublicAccessExclusions: c.exclusions }, azs)).to.deep.equal(c.expected);
        });
    }
});

describe("VPC Block Public Access: config", () => {
    const problems = (raw: RawConfig): string[] => checkConfig(raw, "dev").problems.map((p) => `${p.path}: ${p.message}`);
    it("refuses an account-wide mode on a stack that does not own the account guardrails, naming the key", () => {
        const found = problems(withBaseline(fixture("dev"), { manageAccountGuardrails: false, vpcBlockPublicAccess: "block-ingress" }));
        expect(found).to.have.length(1);
        expect(found[0]).to.match(/^secure-ai:baseline\.vpcBlockPublicAccess: "block-ingress" sets an account-wide mode, which belongs to the stack that owns the account guardrails/);
    });
    it("refuses a mode with this stack's own exclusions turned off, and a mode AWS does not have", () => {
        expect(problems(withBaseline(fixture("prod"), { vpcBlockPublicAccess: "block-bidirectional", vpcBlockPublicAccessExclusions: false }))).to.deep.equal([
            "secure-ai:baseline.vpcBlockPublicAccessExclusions: false with vpcBlockPublicAccess: block-bidirectional would cut this stack's own load balancer and NAT gateways off the internet (remove the key, or set it to true)",
        ]);
        expect(problems(withBaseline(fixture("prod"), { vpcBlockPublicAccess: "on" }))).to.deep.equal([
            'secure-ai:baseline.vpcBlockPublicAccess: "on" is not a VPC Block Public Access mode (off, block-bidirectional, block-ingress)',
        ]);
    });
});

describe("VPC Block Public Access: synthesized", () => {
    for (const { stack } of stackFiles()) {
        it(`${stack} stack: resources as its config asks (opt-in)`, async () => {
            const config = loadConfig(readStackConfig(stack), stack);
            const plan = planBlockPublicAccess(config.baseline, config.network.availabilityZones);
            const s = await synth(stack);
            expect(ofType(s, OPTIONS).map((o) => o.inputs["internetGatewayBlockMode"])).to.deep.equal(plan.mode === undefined ? [] : [plan.mode]);
            expect(ofType(s, EXCLUSION)).to.have.length(plan.excludedPublicSubnetAzs.length);
        });
    }

    it("turned on: the mode is set after an allow-bidirectional exclusion of each public subnet (none of the firewall or private tiers), is kept on destroy, and the pipeline may do it", async () => {
        const raw = withBaseline(fixture("prod"), { vpcBlockPublicAccess: "block-bidirectional" });
        const s = await synthWith({ stack: "prod", config: raw });
        expect(s.error?.message).to.equal(undefined);
        const options = must(ofType(s, OPTIONS)[0], "the options");
        expect(ofType(s, OPTIONS)).to.have.length(1);
        expect(options.inputs["internetGatewayBlockMode"]).to.equal("block-bidirectional");
        expect(options.retainOnDelete).to.equal(true);
        const exclusions = ofType(s, EXCLUSION);
        expect(exclusions.map((e) => e.inputs["internetGatewayExclusionMode"])).to.deep.equal(exclusions.map(() => "allow-bidirectional"));
        const publicSubnets = [...subnetsOfTier(s, "public").values()].map((x) => x.id).sort();
        expect(exclusions.map((e) => e.inputs["subnetId"]).sort()).to.deep.equal(publicSubnets);
        expect(exclusions.every((e) => e.inputs["vpcId"] === undefined)).to.equal(true);
        expect([...options.dependencies].sort()).to.deep.equal(exclusions.map((e) => e.urn).sort());
        expect(Object.keys(ACCOUNT_SETTING_ACTIONS)).to.include.members([OPTIONS, EXCLUSION]);
        for (const type of [OPTIONS, EXCLUSION]) {
            const granted = await actionsForType(type, WRITE_HANDLERS);
            expect(granted.unknown, type).to.deep.equal([]);
            expect(granted.actions.length, type).to.equal(ACCOUNT_SETTING_ACTIONS[type]?.length);
        }
    });
});
