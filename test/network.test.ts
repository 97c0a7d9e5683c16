import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { loadConfig } from "../config/load";
import { MOCK_ACCOUNT_ID } from "../offline/mocks";
import { readStackConfig, stackFiles } from "../offline/synth";
import { awsResources, byId, fixture, ofType, one, routesOf, routeTableOf, stringInput, subnetsOfTier, synth, synthFixture, synthWith } from "./support";

const AWS_TYPES = /^aws:/;
const NATIVE_TYPES = /^aws-native:/;

for (const { stack } of stackFiles()) {
    const config = loadConfig(readStackConfig(stack), stack);
    // The NAT gateway an AZ's private tiers use: their own AZ's, or with `natGateways: single` the one in the
    // alphabetically first configured AZ (README, "natGateways: single").
    const natAz = (az: string): string => (config.network.natGateways === "single" ? ([...config.network.availabilityZones].sort()[0] ?? az) : az);

    describe(`network (${stack} stack, mocked AWS)`, () => {
        it("synthesizes without error", async () => {
            const s = await synth(stack);
            expect(s.error?.message).to.equal(undefined);
        });

        it("registers every AWS resource through the explicit providers, both in the stack's region", async () => {
            const s = await synth(stack);
            const providers = ofType(s, "pulumi:providers:aws").concat(ofType(s, "pulumi:providers:aws-native"));
            expect(providers.map((p) => p.inputs["region"])).to.deep.equal([config.region, config.region]);
            for (const r of s.resources.filter((x) => x.custom && AWS_TYPES.test(x.type))) {
                expect(r.provider, `${r.type} ${r.name}`).to.match(/::pulumi:providers:aws::aws::/);
            }
            for (const r of s.resources.filter((x) => x.custom && NATIVE_TYPES.test(x.type))) {
                expect(r.provider, `${r.type} ${r.name}`).to.match(/::pulumi:providers:aws-native::aws-native::/);
            }
        });

        it("has four subnets per AZ with the planned CIDRs and no public IPs on launch", async () => {
            const s = await synth(stack);
            for (const tier of ["public", "firewall", "services", "training"]) {
                const subnets = subnetsOfTier(s, tier);
                expect([...subnets.keys()].sort()).to.deep.equal([...config.network.availabilityZones].sort());
                for (const subnet of subnets.values()) {
                    expect(subnet.inputs["mapPublicIpOnLaunch"]).to.equal(false);
                }
            }
            expect(ofType(s, "aws:ec2/subnet:Subnet")).to.have.length(4 * config.network.availabilityZones.length);
        });

        it(`training subnets ${config.network.trainingEgress === "none" ? "have no route to the internet gateway or any NAT gateway" : `leave the VPC only through ${config.network.natGateways === "single" ? "the one NAT gateway" : "the NAT gateway of their own AZ"}`}`, async () => {
            const s = await synth(stack);
            for (const [az, subnet] of subnetsOfTier(s, "training")) {
                const routes = routesOf(s, routeTableOf(s, subnet));
                const offVpc = routes.filter((r) => r.targetKey === "natGatewayId" || r.target?.type === "aws:ec2/internetGateway:InternetGateway");
                if (config.network.trainingEgress === "none") {
                    expect(offVpc, `training ${az}`).to.deep.equal([]);
                    expect(routes.map((r) => r.destination)).to.deep.equal([`prefix list of com.amazonaws.${config.region}.s3`]);
                } else {
                    expect(offVpc).to.have.length(1);
                    const nat = offVpc[0]?.target;
                    expect(nat?.type).to.equal("aws:ec2/natGateway:NatGateway");
                    expect(byId(s, nat?.inputs["subnetId"])?.inputs["availabilityZone"]).to.equal(natAz(az));
                }
            }
        });

        const egress = config.firewall.egress.allowedDomains.length > 0;
        it(egress ? `routes each AZ's services tier to ${config.network.natGateways === "single" ? "the one NAT gateway" : "the NAT gateway in the same AZ"}` : "has no NAT gateway, no Elastic IP and no default route in the private tiers (no egress domain is allowed)", async () => {
            const s = await synth(stack);
            if (!egress) {
                expect(ofType(s, "aws:ec2/natGateway:NatGateway").length + ofType(s, "aws:ec2/eip:Eip").length).to.equal(0);
            }
            for (const [az, subnet] of subnetsOfTier(s, "services")) {
                const defaults = routesOf(s, routeTableOf(s, subnet)).filter((r) => r.destination === "0.0.0.0/0");
                expect(defaults).to.have.length(egress ? 1 : 0);
                if (!egress) {
                    continue;
                }
                const nat = defaults[0]?.target;
                expect(nat?.type).to.equal("aws:ec2/natGateway:NatGateway");
                const natSubnet = byId(s, nat?.inputs["subnetId"]);
                expect(natSubnet?.inputs["availabilityZone"], `services ${az}`).to.equal(natAz(az));
                expect(natSubnet?.name).to.equal(`secure-ai-public-${natAz(az)}`);
            }
        });

        it("strips the default security group, network ACL and route table of every rule", async () => {
            const s = await synth(stack);
            const sg = one(s, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "secure-ai-default-sg");
            expect(sg.inputs["ingress"] ?? []).to.deep.equal([]);
            expect(sg.inputs["egress"] ?? []).to.deep.equal([]);
            const nacl = one(s, "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "secure-ai-default-nacl");
            expect(nacl.inputs["ingress"] ?? []).to.deep.equal([]);
            expect(nacl.inputs["egress"] ?? []).to.deep.equal([]);
            const vpc = one(s, "aws:ec2/vpc:Vpc", "secure-ai-vpc");
            expect(nacl.inputs["defaultNetworkAclId"]).to.equal(vpc.state["defaultNetworkAclId"]);
            expect(one(s, "aws:ec2/defaultRouteTable:DefaultRouteTable", "secure-ai-default-rt").inputs["routes"]).to.deep.equal([]);
        });

        it("puts every subnet of a tier under that tier's NACL, and only the firewall tier is open to everything", async () => {
            const s = await synth(stack);
            for (const tier of ["public", "firewall", "services", "training"]) {
                const nacl = one(s, "aws:ec2/networkAcl:NetworkAcl", `secure-ai-${tier}-nacl`);
                const subnetIds = [...subnetsOfTier(s, tier).values()].map((x) => x.id).sort();
                expect((nacl.inputs["subnetIds"] as string[]).slice().sort()).to.deep.equal(subnetIds);
                const rules = [...(nacl.inputs["ingress"] as Record<string, unknown>[]), ...(nacl.inputs["egress"] as Record<string, unknown>[])];
                const openToWorld = rules.filter((r) => r["protocol"] === "-1" && r["cidrBlock"] === "0.0.0.0/0");
                expect(openToWorld.length > 0, tier).to.equal(tier === "firewall");
                expect(rules.every((r) => r["action"] === "allow")).to.equal(true);
            }
        });

        it("lets training NACLs reach the internet on port 80 only when training egress is filtered", async () => {
            const s = await synth(stack);
            const nacl = one(s, "aws:ec2/networkAcl:NetworkAcl", "secure-ai-training-nacl");
            const http = (nacl.inputs["egress"] as Record<string, unknown>[]).filter((r) => r["fromPort"] === 80);
            expect(http.length > 0).to.equal(config.network.trainingEgress === "filtered");
        });

        it("admits ICMP fragmentation-needed (and no other ICMP) inbound exactly on the tiers whose traffic leaves the VPC", async () => {
            const s = await synth(stack);
            const nat = config.firewall.egress.allowedDomains.length > 0;
            const expected: Record<string, boolean> = { public: true, services: nat, training: nat && config.network.trainingEgress === "filtered" };
            for (const [tier, admits] of Object.entries(expected)) {
                const nacl = one(s, "aws:ec2/networkAcl:NetworkAcl", `secure-ai-${tier}-nacl`);
                const icmp = (nacl.inputs["ingress"] as Record<string, unknown>[]).filter((r) => r["protocol"] === "icmp");
                expect(icmp.map((r) => [r["icmpType"], r["icmpCode"], r["cidrBlock"]]), tier).to.deep.equal(admits ? [[3, 4, "0.0.0.0/0"]] : []);
            }
        });

        it("limits every VPC endpoint, by policy, to this account's principals", async () => {
            const s = await synth(stack);
            const endpoints = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint");
            expect(endpoints.map((e) => stringInput(e, "serviceName")).sort()).to.deep.equal(
                [...config.network.interfaceEndpoints, "s3"].map((x) => `com.amazonaws.${config.region}.${x}`).sort(),
            );
            for (const endpoint of endpoints) {
                const doc = JSON.parse(stringInput(endpoint, "policy")) as { Statement: { Sid: string; Condition?: { StringEquals?: Record<string, string> } }[] };
                // The S3 endpoint's AWS-owned buckets are read with other accounts' credentials (ECR presigns layer URLs).
                for (const statement of doc.Statement.filter((x) => x.Sid !== "EcrImageLayers" && x.Sid !== "ReadOnlyBucketsOfTheStackConfig")) {
                    expect(statement.Condition?.StringEquals?.["aws:PrincipalAccount"], endpoint.name).to.equal(MOCK_ACCOUNT_ID);
                }
            }
            const s3 = one(s, "aws:ec2/vpcEndpoint:VpcEndpoint", "secure-ai-s3");
            expect(s3.inputs["vpcEndpointType"]).to.equal("Gateway");
            const tables = [...subnetsOfTier(s, "services").values(), ...subnetsOfTier(s, "training").values()].map((x) => routeTableOf(s, x).id);
            expect((s3.inputs["routeTableIds"] as string[]).slice().sort()).to.deep.equal(tables.sort());
        });

        it("lets the S3 endpoint carry ECR's layer downloads exactly as the ECR User Guide's S3 gateway endpoint statement, and the configured read-only buckets", async () => {
            const s = await synth(stack);
            const doc = JSON.parse(stringInput(one(s, "aws:ec2/vpcEndpoint:VpcEndpoint", "secure-ai-s3"), "policy")) as { Statement: Record<string, unknown>[] };
            expect(doc.Statement.find((x) => x["Sid"] === "EcrImageLayers")).to.deep.equal({
                Sid: "EcrImageLayers",
                Effect: "Allow",
                Principal: "*",
                Action: ["s3:GetObject"],
                Resource: [`arn:aws:s3:::prod-${config.region}-starport-layer-bucket/*`],
            });
            const extra = doc.Statement.find((x) => x["Sid"] === "ReadOnlyBucketsOfTheStackConfig");
            expect(extra?.["Resource"] ?? []).to.deep.equal(config.network.s3EndpointReadOnlyBuckets.map((b) => `arn:aws:s3:::${b}/*`));
        });

        it("opens interface endpoints to HTTPS from the VPC CIDR only", async () => {
            const s = await synth(stack);
            const sg = one(s, "aws:ec2/securityGroup:SecurityGroup", "secure-ai-endpoints");
            const rules = ofType(s, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs["securityGroupId"] === sg.id);
            expect(rules.map((r) => [r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"], r.inputs["cidrIpv4"]])).to.deep.equal([
                ["tcp", 443, 443, config.network.cidr],
            ]);
            for (const endpoint of ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs["vpcEndpointType"] === "Interface")) {
                expect(endpoint.inputs["securityGroupIds"]).to.deep.equal([sg.id]);
                expect(endpoint.inputs["privateDnsEnabled"]).to.equal(true);
            }
        });
    });
}

describe("network: changing the stack", () => {
    it("adding an AZ keeps the other AZs' subnet names and CIDRs", async () => {
        const base = fixture("dev");
        const network = JSON.parse(base["secure-ai:network"] ?? "{}") as { availabilityZones: string[] };
        const wider = { ...base, "secure-ai:network": JSON.stringify({ ...network, availabilityZones: ["us-west-2c", ...network.availabilityZones] }) };
        const before = await synthFixture("dev");
        const after = await synthWith({ stack: "dev", config: wider });
        const cidrs = (s: typeof before) => new Map(ofType(s, "aws:ec2/subnet:Subnet").map((x) => [x.name, x.inputs["cidrBlock"]]));
        const afterCidrs = cidrs(after);
        for (const [name, cidr] of cidrs(before)) {
            expect(afterCidrs.get(name), name).to.equal(cidr);
        }
        expect(afterCidrs.size).to.equal(cidrs(before).size + 4);
    });

    const badConfigs: { name: string; change: (network: Record<string, unknown>) => Record<string, unknown>; path: string }[] = [
        { name: "a bad CIDR", change: (n) => ({ ...n, cidr: "10.20.0.0/33" }), path: "secure-ai:network.cidr" },
        { name: "an AZ from another region", change: (n) => ({ ...n, availabilityZones: ["eu-central-1a"] }), path: "secure-ai:network.availabilityZones[0]" },
        { name: "a misspelled key", change: (n) => ({ ...n, avilabilityZones: n["availabilityZones"] }), path: "secure-ai:network.avilabilityZones" },
    ];
    for (const c of badConfigs) {
        it(`${c.name} stops the program with one RunError naming the key, before any resource is registered`, async () => {
            const base = fixture("dev");
            const network = JSON.parse(base["secure-ai:network"] ?? "{}") as Record<string, unknown>;
            const s = await synthWith({ stack: "dev", config: { ...base, "secure-ai:network": JSON.stringify(c.change(network)) } });
            expect(s.error).to.be.instanceOf(pulumi.RunError);
            expect(s.error?.message).to.match(/^Invalid stack config \(1 problem\):\n/);
            expect(s.error?.message).to.include(`  ${c.path}: `);
            expect(awsResources(s)).to.deep.equal([]);
        });
    }
});
