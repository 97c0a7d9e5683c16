// VPC Block Public Access and this program's Network Firewall. AWS: "AWS Network Firewall: All inbound and outbound
// traffic is blocked even if the subnet containing firewall endpoints is excluded." (Amazon VPC User Guide, "VPC BPA
// basics", AWS service impact and support.) Every stack's internet traffic crosses its firewall in both directions
// (the IGW edge route and the public subnets' default route lead to it; the ingress allowlist is never empty), so
// both AWS modes cut every stack off, and no exclusion restores it: config loading refuses them, naming the key, the
// value, the reason and the source, before anything is registered.
import { expect } from "chai";
import { PROGRAM_TYPES } from "../bootstrap/permissions";
import { checkConfig, type RawConfig } from "../config/load";
import { VPC_BLOCK_PUBLIC_ACCESS_MODES } from "../config/baseline";
import { awsResources, fixture, ofType, synth, synthWith } from "./support";
import { stackFiles } from "../offline/synth";

function withBaseline(raw: RawConfig, change: Record<string, unknown>): RawConfig {
    const baseline = JSON.parse(raw["secure-ai:baseline"] ?? "{}") as Record<string, unknown>;
    return { ...raw, "secure-ai:baseline": JSON.stringify({ ...baseline, ...change }) };
}

const problems = (raw: RawConfig): string[] => checkConfig(raw, "prod").problems.map((p) => `${p.path}: ${p.message}`);

describe("VPC Block Public Access: refused, since AWS blocks traffic through a Network Firewall in either mode", () => {
    for (const mode of VPC_BLOCK_PUBLIC_ACCESS_MODES.filter((m) => m !== "off")) {
        it(`${mode}: refused on the stack that owns the account guardrails too, quoting AWS`, () => {
            expect(problems(withBaseline(fixture("prod"), { manageAccountGuardrails: true, vpcBlockPublicAccess: mode }))).to.deep.equal([
                `secure-ai:baseline.vpcBlockPublicAccess: "${mode}" would cut this stack off the internet, both ways: all its internet traffic crosses its Network Firewall, ` +
                    'and under VPC Block Public Access "All inbound and outbound traffic is blocked even if the subnet containing firewall endpoints is excluded" ' +
                    '(Amazon VPC User Guide, "VPC BPA basics"). Leave it off in every account and region that holds a stack of this program (allowed: off)',
            ]);
        });
    }

    it("exclusions are refused too (they do not restore traffic through the firewall); off and false are accepted", () => {
        expect(problems(withBaseline(fixture("prod"), { vpcBlockPublicAccessExclusions: true }))).to.deep.equal([
            'secure-ai:baseline.vpcBlockPublicAccessExclusions: true would not keep this stack reachable under VPC Block Public Access: its internet traffic crosses its ' +
                'Network Firewall, which AWS blocks "even if the subnet containing firewall endpoints is excluded" (Amazon VPC User Guide, "VPC BPA basics"). Remove the key ' +
                "(allowed: false, or unset), and keep Block Public Access off where this stack runs",
        ]);
        expect(problems(withBaseline(fixture("prod"), { vpcBlockPublicAccess: "off", vpcBlockPublicAccessExclusions: false }))).to.deep.equal([]);
        expect(problems(withBaseline(fixture("prod"), { vpcBlockPublicAccess: "on" }))).to.deep.equal([
            'secure-ai:baseline.vpcBlockPublicAccess: "on" is not a VPC Block Public Access mode (off, block-bidirectional, block-ingress)',
        ]);
    });

    it("a refused mode registers nothing, and no deploy role may set the account's mode or exclusions", async () => {
        const s = await synthWith({ stack: "prod", config: withBaseline(fixture("prod"), { manageAccountGuardrails: true, vpcBlockPublicAccess: "block-ingress" }) });
        expect(s.error?.message).to.match(/secure-ai:baseline\.vpcBlockPublicAccess: "block-ingress" would cut this stack off the internet/);
        expect(awsResources(s)).to.deep.equal([]);
        expect(PROGRAM_TYPES.filter((t) => /vpcBlockPublicAccess/.test(t))).to.deep.equal([]);
    });

    for (const { stack } of stackFiles()) {
        it(`${stack} stack: its internet path crosses the firewall (why no mode is safe), and it registers no Block Public Access resource`, async () => {
            const s = await synth(stack);
            // The IGW edge route table sends every public subnet's traffic to a firewall endpoint: the path AWS blocks.
            const edge = ofType(s, "aws:ec2/routeTable:RouteTable").filter((t) => ofType(s, "aws:ec2/routeTableAssociation:RouteTableAssociation").some((a) => a.inputs["routeTableId"] === t.id && a.inputs["gatewayId"] !== undefined));
            expect(edge).to.have.length(1);
            const edgeRoutes = ofType(s, "aws:ec2/route:Route").filter((r) => r.inputs["routeTableId"] === edge[0]?.id);
            expect(edgeRoutes.length).to.be.greaterThan(0);
            expect(edgeRoutes.every((r) => typeof r.inputs["vpcEndpointId"] === "string")).to.equal(true);
            expect(s.resources.filter((r) => /vpcBlockPublicAccess/.test(r.type))).to.deep.equal([]);
        });
    }
});
