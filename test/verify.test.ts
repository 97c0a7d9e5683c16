// Proof on AWS, offline: the Network Access Analyzer scopes every stack deploys (planned from the stack's own ids),
// and `npm run verify` driven through aws-sdk-client-mock with responses typed by @aws-sdk/client-ec2's own output
// types: no findings, findings, an unreachable path, no workload yet, an analysis that never ends, and no
// credentials through the SDK's real default chain.
import * as fs from "node:fs";
import * as path from "node:path";
import {
    CreateNetworkInsightsPathCommand,
    DeleteNetworkInsightsAccessScopeAnalysisCommand,
    DeleteNetworkInsightsAnalysisCommand,
    DeleteNetworkInsightsPathCommand,
    DescribeNetworkInsightsAccessScopeAnalysesCommand,
    DescribeNetworkInsightsAnalysesCommand,
    DescribeNetworkInterfacesCommand,
    EC2Client,
    GetNetworkInsightsAccessScopeAnalysisFindingsCommand,
    StartNetworkInsightsAccessScopeAnalysisCommand,
    StartNetworkInsightsAnalysisCommand,
    type PathComponent,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { loadConfig } from "../config/load";
import { planEgress } from "../network/plan";
import { readStackConfig, stackFiles } from "../offline/synth";
import { mustWorkPaths, verifyStack } from "../verify/analyze";
import { NO_CREDENTIALS, hasCredentials, parseArgs, runVerify } from "../verify/cli";
import { labels, parseOutputs, type StackOutputs } from "../verify/outputs";
import { OFF_VPC_TYPES, planScopes, RULES_NOT_ANALYSED, scopeNames, type ScopeFacts } from "../verify/scopes";
import { anyStack, type FixtureName, inTempDir, must, ofType, synth, synthFixture, withoutAwsCredentials } from "./support";

// Node 20 is the pinned runtime (README, Versions): silence the SDK notice about its 2027 releases, as the command does.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true";

async function outputsOf(stack: string): Promise<StackOutputs> {
    const parsed = parseOutputs((await synth(stack)).outputs);
    expect(parsed.problems).to.deep.equal([]);
    return must(parsed.outputs, `${stack} outputs`);
}

/** The outputs of a fixture's synthesis (test/fixtures): what the mocked-EC2 cases read, whatever the stack files say. */
async function fixtureOutputsOf(name: FixtureName): Promise<StackOutputs> {
    const parsed = parseOutputs((await synthFixture(name)).outputs);
    expect(parsed.problems).to.deep.equal([]);
    return must(parsed.outputs, `${name} fixture outputs`);
}

function scopeFactsOf(stack: string, o: StackOutputs): ScopeFacts {
    const config = loadConfig(readStackConfig(stack), stack);
    return {
        trainingEgress: config.network.trainingEgress,
        ingressPorts: config.firewall.ingress.ports,
        servingPort: config.baseline.servingPort,
        egressAzOf: planEgress(config.network.availabilityZones, config.network.natGateways, config.firewall.egress.allowedDomains.length > 0).natFor,
        internetGatewayId: o.internetGatewayId,
        firewallArn: o.firewallArn,
        firewallEndpointIdsByAz: o.firewallEndpointIdsByAz,
        servicesSubnetIds: o.servicesSubnetIds,
        trainingSubnetIds: o.trainingSubnetIds,
    };
}

for (const { stack } of stackFiles()) {
    describe(`verify: Network Access Analyzer scopes (${stack} stack)`, () => {
        it("deploys one scope per isolation claim, exported by name in accessScopeIds", async () => {
            const s = await synth(stack);
            const config = loadConfig(readStackConfig(stack), stack);
            const names = scopeNames(config.network.trainingEgress);
            const scopes = ofType(s, "aws-native:ec2:NetworkInsightsAccessScope");
            expect(scopes.map((r) => r.name).sort()).to.deep.equal(names.map((n) => `secure-ai-${stack}-scope-${n}`).sort());
            const o = await outputsOf(stack);
            expect(Object.keys(o.accessScopeIds).sort()).to.deep.equal([...names].sort());
            expect(Object.values(o.accessScopeIds).sort()).to.deep.equal(scopes.map((r) => r.id).sort());
        });

        it("each scope's paths are the planner's, over the stack's own internet gateway, subnets, firewall and endpoints", async () => {
            const s = await synth(stack);
            const o = await outputsOf(stack);
            const planned = planScopes(scopeFactsOf(stack, o));
            for (const scope of planned) {
                const r = must(ofType(s, "aws-native:ec2:NetworkInsightsAccessScope").find((x) => x.name.endsWith(`-scope-${scope.name}`)), scope.name);
                const camel = (v: unknown): unknown =>
                    Array.isArray(v) ? v.map(camel) : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.charAt(0).toLowerCase() + k.slice(1), camel(x)])) : v;
                expect(r.inputs["matchPaths"], `${scope.name} match`).to.deep.equal(camel(scope.matchPaths));
                expect(r.inputs["excludePaths"], `${scope.name} exclude`).to.deep.equal(camel(scope.excludePaths));
            }
            const text = JSON.stringify(planned);
            for (const id of [o.internetGatewayId, o.firewallArn, ...Object.values(o.servicesSubnetIds), ...Object.values(o.trainingSubnetIds)]) {
                expect(text, id).to.include(id);
            }
        });

        it("claims say what Network Access Analyzer proves of the firewall: a path routed through it, not its rules; each fits a tag value", async () => {
            // Network Access Analyzer Guide, "How Network Access Analyzer works": "does not analyze network firewall
            // rules". EC2 API Reference, Tag: values hold at most 256 Unicode characters (the claim is a tag).
            const o = await outputsOf(stack);
            for (const scope of planScopes(scopeFactsOf(stack, o))) {
                const throughFirewall = JSON.stringify(scope.excludePaths.map((p) => p.ThroughResources)).includes(o.firewallArn) || Object.values(o.firewallEndpointIdsByAz).some((e) => JSON.stringify(scope.excludePaths).includes(e));
                if (throughFirewall) {
                    expect(scope.claim, scope.name).to.include("routed through the firewall").and.include(RULES_NOT_ANALYSED);
                }
                expect(scope.claim, scope.name).not.to.match(/filtered by|inspect/i);
                expect(scope.claim.length, scope.name).to.be.at.most(256);
            }
        });

        it("private egress must cross the firewall endpoint of the AZ its NAT gateway is in (its own AZ with perAz)", async () => {
            const o = await outputsOf(stack);
            const facts = scopeFactsOf(stack, o);
            const scope = must(planScopes(facts).find((x) => x.name === "private-egress-around-own-firewall-endpoint"), "scope");
            for (const az of Object.keys(o.servicesSubnetIds)) {
                const exclusion = must(scope.excludePaths.find((p) => p.Source?.ResourceStatement?.Resources?.includes(o.servicesSubnetIds[az] ?? "") === true), az);
                expect(exclusion.ThroughResources?.[0]?.ResourceStatement?.Resources).to.deep.equal([o.firewallEndpointIdsByAz[facts.egressAzOf[az] ?? az]]);
                expect(exclusion.Destination?.ResourceStatement?.Resources).to.deep.equal([o.internetGatewayId]);
            }
        });
    });
}

describe("verify: scope planner", () => {
    const facts: ScopeFacts = {
        trainingEgress: "none",
        ingressPorts: [443, 8443],
        servingPort: 8080,
        egressAzOf: { "us-west-2a": "us-west-2a", "us-west-2b": "us-west-2a" },
        internetGatewayId: "igw-1",
        firewallArn: "arn:aws:network-firewall:us-west-2:111122223333:firewall/fw",
        firewallEndpointIdsByAz: { "us-west-2a": "vpce-a", "us-west-2b": "vpce-b" },
        servicesSubnetIds: { "us-west-2a": "subnet-sa", "us-west-2b": "subnet-sb" },
        trainingSubnetIds: { "us-west-2a": "subnet-ta", "us-west-2b": "subnet-tb" },
    };

    it("trainingEgress none: any path from training off the VPC is a finding (no exclusion)", () => {
        const scope = must(planScopes(facts).find((s) => s.name === "training-off-the-vpc"), "scope");
        expect(scope.matchPaths).to.deep.equal([{ Source: { ResourceStatement: { Resources: ["subnet-ta", "subnet-tb"] } }, Destination: { ResourceStatement: { ResourceTypes: [...OFF_VPC_TYPES] } } }]);
        expect(scope.excludePaths).to.deep.equal([]);
    });

    it("trainingEgress filtered: only the path through the firewall to the internet gateway is excluded", () => {
        const scopes = planScopes({ ...facts, trainingEgress: "filtered" });
        expect(scopes.map((s) => s.name)).to.include("training-around-the-firewall").and.not.include("training-off-the-vpc");
        const scope = must(scopes.find((s) => s.name === "training-around-the-firewall"), "scope");
        expect(scope.excludePaths).to.deep.equal([
            { Source: { ResourceStatement: { Resources: ["subnet-ta", "subnet-tb"] } }, ThroughResources: [{ ResourceStatement: { Resources: [facts.firewallArn] } }], Destination: { ResourceStatement: { Resources: ["igw-1"] } } },
        ]);
    });

    it("internet ingress: excluded only as TCP to the listener ports, through the firewall and a load balancer, to the serving port in services", () => {
        const scope = must(planScopes(facts).find((s) => s.name === "internet-to-private-tiers"), "scope");
        expect(scope.excludePaths).to.deep.equal([
            {
                Source: { ResourceStatement: { Resources: ["igw-1"] }, PacketHeaderStatement: { Protocols: ["tcp"], DestinationPorts: ["443", "8443"] } },
                ThroughResources: [{ ResourceStatement: { Resources: [facts.firewallArn] } }, { ResourceStatement: { ResourceTypes: ["AWS::ElasticLoadBalancingV2::LoadBalancer"] } }],
                Destination: { ResourceStatement: { Resources: ["subnet-sa", "subnet-sb"] }, PacketHeaderStatement: { Protocols: ["tcp"], DestinationPorts: ["8080"] } },
            },
        ]);
    });

    it("natGateways single: every AZ's private subnets are held to the NAT gateway's AZ endpoint", () => {
        const scope = must(planScopes(facts).find((s) => s.name === "private-egress-around-own-firewall-endpoint"), "scope");
        expect(scope.excludePaths.map((p) => [p.Source?.ResourceStatement?.Resources, p.ThroughResources?.[0]?.ResourceStatement?.Resources])).to.deep.equal([
            [["subnet-sa", "subnet-ta"], ["vpce-a"]],
            [["subnet-sb", "subnet-tb"], ["vpce-a"]],
        ]);
        expect(() => planScopes({ ...facts, firewallEndpointIdsByAz: { "us-west-2b": "vpce-b" } })).to.throw("no firewall endpoint in us-west-2a");
    });
});

/** A finding AWS could return for the internet-to-private-tiers scope if the services route table had an IGW route. */
function leakHops(o: StackOutputs): PathComponent[] {
    const az = must(Object.keys(o.servicesSubnetIds).sort()[0], "an AZ");
    const subnet = must(o.servicesSubnetIds[az], "subnet");
    const table = must(o.routeTableIds["services"]?.[az], "route table");
    return [
        { SequenceNumber: 1, Component: { Id: o.internetGatewayId, Arn: `arn:aws:ec2:us-west-2:111122223333:internet-gateway/${o.internetGatewayId}` }, OutboundHeader: { Protocol: "6", SourceAddresses: ["198.51.100.7/32"], DestinationAddresses: ["10.20.32.9/32"], DestinationPortRanges: [{ From: 22, To: 22 }] } },
        { SequenceNumber: 2, Component: { Id: table }, RouteTableRoute: { DestinationCidr: "0.0.0.0/0", GatewayId: o.internetGatewayId, Origin: "createroute" } },
        { SequenceNumber: 3, Component: { Id: "acl-0services" }, AclRule: { Cidr: "0.0.0.0/0", Egress: false, Protocol: "6", RuleAction: "allow", RuleNumber: 100, PortRange: { From: 22, To: 22 } }, Subnet: { Id: subnet } },
        { SequenceNumber: 4, Component: { Id: "eni-0leak" }, SecurityGroupRule: { Cidr: "0.0.0.0/0", Direction: "ingress", Protocol: "tcp", PortRange: { From: 22, To: 22 } }, Subnet: { Id: subnet } },
    ];
}

describe("verify: npm run verify against a mocked EC2 (responses typed by @aws-sdk/client-ec2)", () => {
    const ec2Mock = mockClient(EC2Client);
    const client = new EC2Client({ region: "us-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" } });
    afterEach(() => ec2Mock.reset());
    after(() => ec2Mock.restore());

    /** Every analysis succeeds with no findings; every tier has one workload interface; every path is reachable. */
    function clean(o: StackOutputs): void {
        ec2Mock.on(StartNetworkInsightsAccessScopeAnalysisCommand).callsFake((input: { NetworkInsightsAccessScopeId?: string }) => ({
            NetworkInsightsAccessScopeAnalysis: { NetworkInsightsAccessScopeAnalysisId: `nisa-for-${input.NetworkInsightsAccessScopeId ?? ""}`, Status: "running" },
        }));
        ec2Mock.on(DescribeNetworkInsightsAccessScopeAnalysesCommand).callsFake((input: { NetworkInsightsAccessScopeAnalysisIds?: string[] }) => ({
            NetworkInsightsAccessScopeAnalyses: [{ NetworkInsightsAccessScopeAnalysisId: input.NetworkInsightsAccessScopeAnalysisIds?.[0], Status: "succeeded", FindingsFound: "false", AnalyzedEniCount: 12 }],
        }));
        ec2Mock.on(DescribeNetworkInterfacesCommand).callsFake((input: { Filters?: { Name?: string; Values?: string[] }[] }) => ({
            NetworkInterfaces: [{ NetworkInterfaceId: `eni-of-${input.Filters?.[0]?.Values?.[0] ?? ""}` }],
        }));
        ec2Mock.on(CreateNetworkInsightsPathCommand).resolves({ NetworkInsightsPath: { NetworkInsightsPathId: "nip-1" } });
        ec2Mock.on(StartNetworkInsightsAnalysisCommand).resolves({ NetworkInsightsAnalysis: { NetworkInsightsAnalysisId: "nia-1", Status: "running" } });
        ec2Mock.on(DescribeNetworkInsightsAnalysesCommand).resolves({
            NetworkInsightsAnalyses: [{ NetworkInsightsAnalysisId: "nia-1", Status: "succeeded", NetworkPathFound: true, ForwardPathComponents: [{ SequenceNumber: 1, Component: { Id: o.internetGatewayId } }] }],
        });
        ec2Mock.on(DeleteNetworkInsightsAccessScopeAnalysisCommand).callsFake((input: { NetworkInsightsAccessScopeAnalysisId?: string }) => ({ NetworkInsightsAccessScopeAnalysisId: input.NetworkInsightsAccessScopeAnalysisId }));
        ec2Mock.on(DeleteNetworkInsightsAnalysisCommand).resolves({ NetworkInsightsAnalysisId: "nia-1" });
        ec2Mock.on(DeleteNetworkInsightsPathCommand).resolves({ NetworkInsightsPathId: "nip-1" });
    }

    const run = async (o: StackOutputs, maxPolls = 5): Promise<{ ok: boolean; lines: string[] }> => {
        const lines: string[] = [];
        const result = await verifyStack(client, o, labels(o), { pollMs: 0, maxPolls, print: (l) => lines.push(l) });
        return { ok: result.ok, lines };
    };

    it("not found: every scope analysed without findings and every must-work path reachable -> ok", async () => {
        const o = await fixtureOutputsOf("dev");
        clean(o);
        const { ok, lines } = await run(o);
        expect(ok).to.equal(true);
        for (const scope of Object.keys(o.accessScopeIds)) {
            expect(lines).to.include(`ok   scope ${scope}: no findings (analysis nisa-for-${o.accessScopeIds[scope] ?? ""}, 12 network interfaces analysed)`);
        }
        expect(ec2Mock.commandCalls(StartNetworkInsightsAccessScopeAnalysisCommand).map((c) => c.args[0].input.NetworkInsightsAccessScopeId).sort()).to.deep.equal(Object.values(o.accessScopeIds).sort());
        const created = ec2Mock.commandCalls(CreateNetworkInsightsPathCommand).map((c) => c.args[0].input);
        expect(created.length).to.equal(mustWorkPaths(o).length);
        expect(created[0]).to.include({ Source: o.internetGatewayId, Protocol: "tcp", DestinationPort: o.ingressPorts[0], Destination: `eni-of-${o.loadBalancerSecurityGroupId}` });
        expect(ec2Mock.commandCalls(DeleteNetworkInsightsPathCommand).length, "paths cleaned up").to.equal(created.length);
        expect(ec2Mock.commandCalls(DeleteNetworkInsightsAnalysisCommand).length, "path analyses cleaned up").to.equal(ec2Mock.commandCalls(StartNetworkInsightsAnalysisCommand).length);
        expect(ec2Mock.commandCalls(DeleteNetworkInsightsAccessScopeAnalysisCommand).map((c) => c.args[0].input.NetworkInsightsAccessScopeAnalysisId).sort(), "every scope analysis deleted once").to.deep.equal(
            Object.values(o.accessScopeIds).map((id) => `nisa-for-${id}`).sort(),
        );
        const n = Object.keys(o.accessScopeIds).length;
        expect(lines.at(-1)).to.equal(`verified: ${n}/${n} scopes without findings, 0 not proven (no workload network interface analysed); ${created.length}/${created.length} must-work paths reachable, 0 not run (no workload interface yet)`);
    });

    it("not proven: a scope analysed over 0 network interfaces (or none reported) is not an ok, and the summary counts it", async () => {
        const o = await fixtureOutputsOf("dev");
        clean(o);
        const [empty, unreported] = Object.keys(o.accessScopeIds).sort();
        const emptyId = `nisa-for-${must(o.accessScopeIds[must(empty, "a scope")], "id")}`;
        const unreportedId = `nisa-for-${must(o.accessScopeIds[must(unreported, "a second scope")], "id")}`;
        ec2Mock.on(DescribeNetworkInsightsAccessScopeAnalysesCommand, { NetworkInsightsAccessScopeAnalysisIds: [emptyId] }).resolves({
            NetworkInsightsAccessScopeAnalyses: [{ NetworkInsightsAccessScopeAnalysisId: emptyId, Status: "succeeded", FindingsFound: "false", AnalyzedEniCount: 0 }],
        });
        ec2Mock.on(DescribeNetworkInsightsAccessScopeAnalysesCommand, { NetworkInsightsAccessScopeAnalysisIds: [unreportedId] }).resolves({
            NetworkInsightsAccessScopeAnalyses: [{ NetworkInsightsAccessScopeAnalysisId: unreportedId, Status: "succeeded", FindingsFound: "false" }],
        });
        const { ok, lines } = await run(o);
        expect(ok, "nothing disproves a claim: exit 0").to.equal(true);
        expect(lines).to.include(`--   scope ${empty ?? ""}: not proven, no findings but 0 network interfaces analysed (analysis ${emptyId}); run again once workloads are in its subnets`);
        expect(lines).to.include(`--   scope ${unreported ?? ""}: not proven, no findings but no network interfaces analysed (analysis ${unreportedId}); run again once workloads are in its subnets`);
        expect(lines.filter((l) => l.startsWith(`ok   scope ${empty ?? ""}:`) || l.startsWith(`ok   scope ${unreported ?? ""}:`))).to.deep.equal([]);
        const n = Object.keys(o.accessScopeIds).length;
        const paths = mustWorkPaths(o).length;
        expect(lines.at(-1)).to.equal(`no findings, not fully proven: ${n - 2}/${n} scopes without findings, 2 not proven (no workload network interface analysed); ${paths}/${paths} must-work paths reachable, 0 not run (no workload interface yet)`);
    });

    it("found: a finding fails the run and is printed hop by hop with the stack's names", async () => {
        const o = await fixtureOutputsOf("dev");
        clean(o);
        const leaky = must(o.accessScopeIds["internet-to-private-tiers"], "scope id");
        ec2Mock.on(DescribeNetworkInsightsAccessScopeAnalysesCommand, { NetworkInsightsAccessScopeAnalysisIds: [`nisa-for-${leaky}`] }).resolves({
            NetworkInsightsAccessScopeAnalyses: [{ NetworkInsightsAccessScopeAnalysisId: `nisa-for-${leaky}`, Status: "succeeded", FindingsFound: "true" }],
        });
        ec2Mock
            .on(GetNetworkInsightsAccessScopeAnalysisFindingsCommand)
            .resolvesOnce({ AnalysisStatus: "succeeded", AnalysisFindings: [{ FindingId: "finding-1", NetworkInsightsAccessScopeId: leaky, FindingComponents: leakHops(o).slice(0, 2) }], NextToken: "page-2" })
            .resolvesOnce({ AnalysisStatus: "succeeded", AnalysisFindings: [{ FindingId: "finding-2", NetworkInsightsAccessScopeId: leaky, FindingComponents: leakHops(o).reverse() }] });
        const { ok, lines } = await run(o);
        expect(ok).to.equal(false);
        const az = must(Object.keys(o.servicesSubnetIds).sort()[0], "AZ");
        const at = lines.indexOf("  finding finding-2:");
        expect(lines).to.include(`FAIL scope internet-to-private-tiers: 2 findings (analysis nisa-for-${leaky})`);
        expect(lines.slice(at, at + 5)).to.deep.equal([
            "  finding finding-2:",
            `    1. internet gateway (${o.internetGatewayId}): packet 6 198.51.100.7/32 -> 10.20.32.9/32:22`,
            `    2. services route table ${az} (${o.routeTableIds["services"]?.[az] ?? ""}): route 0.0.0.0/0 -> internet gateway`,
            `    3. acl-0services in services subnet ${az} (${o.servicesSubnetIds[az] ?? ""}): NACL inbound rule 100 allow 6 0.0.0.0/0 ports 22`,
            `    4. eni-0leak in services subnet ${az} (${o.servicesSubnetIds[az] ?? ""}): security group ingress rule tcp 22 from 0.0.0.0/0`,
        ]);
        expect(lines.at(-1)).to.match(/^NOT verified: /);
        // Deleted after its findings were read, not before.
        const deletes = ec2Mock.commandCalls(DeleteNetworkInsightsAccessScopeAnalysisCommand);
        expect(deletes).to.have.length(Object.keys(o.accessScopeIds).length);
        const deleteOfLeaky = must(deletes.find((c) => c.args[0].input.NetworkInsightsAccessScopeAnalysisId === `nisa-for-${leaky}`), "delete of the analysis with findings");
        expect(deleteOfLeaky.calledAfter(must(ec2Mock.commandCalls(GetNetworkInsightsAccessScopeAnalysisFindingsCommand).at(-1), "findings read"))).to.equal(true);
    });

    it("cleanup: analyses that time out are deleted too, and a failed delete is a warning that neither changes the result nor stops the other deletes", async () => {
        const o = await fixtureOutputsOf("prod");
        clean(o);
        const first = must(Object.values(o.accessScopeIds).sort()[0], "a scope");
        ec2Mock.on(DeleteNetworkInsightsAccessScopeAnalysisCommand, { NetworkInsightsAccessScopeAnalysisId: `nisa-for-${first}` }).rejects(new Error("RequestLimitExceeded"));
        ec2Mock.on(DeleteNetworkInsightsAnalysisCommand).rejects(new Error("InvalidNetworkInsightsAnalysisId.NotFound"));
        const { ok, lines } = await run(o);
        expect(ok).to.equal(true);
        const scope = must(Object.entries(o.accessScopeIds).find(([, id]) => id === first)?.[0], "scope name");
        expect(lines).to.include(`warn scope ${scope}: analysis nisa-for-${first} not deleted: RequestLimitExceeded`);
        expect(lines.filter((l) => l.endsWith("not deleted: InvalidNetworkInsightsAnalysisId.NotFound"))).to.have.length(mustWorkPaths(o).length);
        expect(ec2Mock.commandCalls(DeleteNetworkInsightsPathCommand), "each path deleted although its analysis was not").to.have.length(mustWorkPaths(o).length);
        expect(ec2Mock.commandCalls(DeleteNetworkInsightsAccessScopeAnalysisCommand)).to.have.length(Object.keys(o.accessScopeIds).length);

        ec2Mock.reset();
        clean(o);
        ec2Mock.on(DescribeNetworkInsightsAccessScopeAnalysesCommand).resolves({ NetworkInsightsAccessScopeAnalyses: [{ Status: "running" }] });
        expect((await run(o, 2)).ok).to.equal(false);
        expect(ec2Mock.commandCalls(DeleteNetworkInsightsAccessScopeAnalysisCommand), "unfinished analyses deleted").to.have.length(Object.keys(o.accessScopeIds).length);
    });

    it("an unreachable must-work path fails the run, naming what blocked it", async () => {
        const o = await fixtureOutputsOf("prod");
        clean(o);
        ec2Mock.on(DescribeNetworkInsightsAnalysesCommand).resolves({
            NetworkInsightsAnalyses: [{ NetworkInsightsAnalysisId: "nia-1", Status: "succeeded", NetworkPathFound: false, Explanations: [{ ExplanationCode: "ENI_SG_RULES_MISMATCH", Component: { Id: o.servicesSecurityGroupId } }] }],
        });
        const { ok, lines } = await run(o);
        expect(ok).to.equal(false);
        expect(lines).to.include(`    ENI_SG_RULES_MISMATCH at services security group (${o.servicesSecurityGroupId})`);
    });

    it("no workload yet: paths without a network interface in their tier are reported as not run and do not fail", async () => {
        const o = await fixtureOutputsOf("prod");
        clean(o);
        ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
        const { ok, lines } = await run(o);
        expect(ok).to.equal(true);
        expect(lines).to.include(`--   path internet -> load balancer :${o.ingressPorts[0] ?? ""}: not run, no network interface with the load balancer's security group in the public subnets yet`);
        expect(ec2Mock.commandCalls(CreateNetworkInsightsPathCommand)).to.have.length(0);
        // The scopes analysed the endpoints' and gateways' interfaces (AnalyzedEniCount 12) but no workload's: their
        // claims about the private tiers are not proven, whatever AnalyzedEniCount says.
        for (const scope of Object.keys(o.accessScopeIds)) {
            expect(lines.some((l) => l.startsWith(`--   scope ${scope}: not proven, no findings (analysis `) && l.endsWith("but no workload network interface in the services or training subnets yet; run again once workloads are in its subnets")), scope).to.equal(true);
        }
        // Asked for the workload interface types in the private tiers' subnets only.
        const asked = ec2Mock.commandCalls(DescribeNetworkInterfacesCommand).map((c) => c.args[0].input.Filters ?? []);
        expect(asked).to.deep.include([
            { Name: "subnet-id", Values: [...Object.values(o.servicesSubnetIds), ...Object.values(o.trainingSubnetIds)] },
            { Name: "interface-type", Values: ["interface", "efa", "efa-only"] },
        ]);
        expect(lines.at(-1)).to.match(/^no findings, not fully proven: 0\/\d+ scopes without findings, \d+ not proven/);
    });

    it("an analysis that never leaves running stops at the poll bound and fails", async () => {
        const o = await fixtureOutputsOf("prod");
        clean(o);
        ec2Mock.on(DescribeNetworkInsightsAccessScopeAnalysesCommand).resolves({ NetworkInsightsAccessScopeAnalyses: [{ Status: "running" }] });
        const { ok, lines } = await run(o, 3);
        expect(ok).to.equal(false);
        expect(lines.filter((l) => l.endsWith("still running after 3 polls"))).to.have.length(Object.keys(o.accessScopeIds).length);
        expect(ec2Mock.commandCalls(DescribeNetworkInsightsAccessScopeAnalysesCommand)).to.have.length(3 * Object.keys(o.accessScopeIds).length);
    });

    it("the command: stack outputs from a file, exit 0 when verified and 1 on a finding", async () => {
        // The command reads the stack file of the stack it is given: any stack file of the repository.
        const stack = anyStack();
        const o = await outputsOf(stack);
        await inTempDir("verify-", async (dir) => {
            const file = path.join(dir, "outputs.json");
            fs.writeFileSync(file, JSON.stringify((await synth(stack)).outputs));
            const out: string[] = [];
            const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
            clean(o);
            expect(await runVerify([stack, "--outputs", file], io, () => client, 0)).to.equal(0);
            ec2Mock.on(DescribeNetworkInsightsAccessScopeAnalysesCommand).resolves({ NetworkInsightsAccessScopeAnalyses: [{ Status: "succeeded", FindingsFound: "true" }] });
            ec2Mock.on(GetNetworkInsightsAccessScopeAnalysisFindingsCommand).resolves({ AnalysisFindings: [{ FindingId: "f", FindingComponents: leakHops(o) }] });
            expect(await runVerify([stack, "--outputs", file], io, () => client, 0)).to.equal(1);
        });
        expect(parseArgs([], "verify")).to.equal("usage: npm run verify -- <stack> [--outputs <file>|-] [--timeout-seconds <n>]");
        expect(parseArgs([stack, "--verbose"], "verify")).to.equal("unknown option --verbose\nusage: npm run verify -- <stack> [--outputs <file>|-] [--timeout-seconds <n>]");
        const help: string[] = [];
        expect(await runVerify(["--help"], { out: (l) => help.push(l), err: (l) => help.push(`ERR ${l}`) }, () => client, 0)).to.equal(0);
        expect(help.join("\n")).to.match(/^usage: npm run verify -- <stack>/).and.include("exit 0:").and.not.include("ERR");
        expect(parseOutputs({ ...(await synth(stack)).outputs, accessScopeIds: undefined }).problems[0]).to.equal("output accessScopeIds: expected an object of strings, got undefined");
    });

    it("no credentials: the SDK's real default chain finds none, and the command prints one line naming what it needs, exit 2", async () => {
        // The mock replaces send(); credentials are resolved by the client's own provider chain, which it leaves alone.
        await withoutAwsCredentials(async (empty) => {
            expect(await hasCredentials(new EC2Client({ region: "us-west-2" }))).to.equal(false);
            const file = path.join(empty, "outputs.json");
            const stack = anyStack();
            fs.writeFileSync(file, JSON.stringify((await synth(stack)).outputs));
            const lines: string[] = [];
            const code = await runVerify([stack, "--outputs", file], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
            expect(code).to.equal(2);
            expect(lines).to.deep.equal([NO_CREDENTIALS]);
            // Without --outputs too: the credentials are checked before `pulumi stack output` would run.
            const alone: string[] = [];
            expect(await runVerify([stack], { out: (l) => alone.push(l), err: (l) => alone.push(l) })).to.equal(2);
            expect(alone).to.deep.equal([NO_CREDENTIALS]);
            expect(NO_CREDENTIALS).to.include("AWS_ACCESS_KEY_ID").and.include("AWS_PROFILE").and.include("AWS_WEB_IDENTITY_TOKEN_FILE").and.not.include("\n");
        });
    });
});
