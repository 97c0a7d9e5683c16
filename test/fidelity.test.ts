// Fidelity: the program's requests checked against AWS's own data before anything is deployed. aws-native inputs
// against the CloudFormation registry schemas, classic resources against the API constraints table, every count
// against the quota model, and the known deploy-breaking defects, each with the config that used to break.
import { expect } from "chai";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { constraintViolations, tagViolations, EC2_DESCRIPTION } from "../aws/constraints";
import { iamPolicySize, policySizes } from "../aws/policySizes";
import { largestUses, QUOTAS, limitOf, type QuotaId } from "../aws/quotas";
import { createOnlyProperties, registrySchema, toCloudFormation, validateInputs, valueAt } from "../aws/registry";
import { checkConfig, loadConfig, type RawConfig } from "../config/load";
import { MOCK_AVAILABILITY_ZONES } from "../offline/mocks";
import { readStackConfig, stackFiles, type Synthesis } from "../offline/synth";
import { measureQuotas } from "./measure";
import { overlaps, parseCidr } from "../config/cidr";
import { anyStack, awsResources, byId, fixture, must, ofType, one, policyInput, routesOf, routeTableOf, subnetsOfTier, synth, synthWith } from "./support";

/** What each resource sends: its inputs plus the physical names the provider generates (the mocks' state). */
function sent(s: Synthesis) {
    return awsResources(s).map((r) => ({ type: r.type, name: r.name, properties: { ...r.state, ...r.inputs, ...pickNames(r.state) } }));
}
function pickNames(state: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return Object.fromEntries(["name", "bucket"].filter((k) => typeof state[k] === "string").map((k) => [k, state[k]]));
}

/** The providers' default tags, which both providers add to every taggable resource. */
function providerTags(s: Synthesis): Record<string, string> {
    const provider = s.resources.find((r) => r.type === "pulumi:providers:aws");
    const parsed = JSON.parse(String(provider?.inputs["defaultTags"] ?? "{}")) as { tags?: Record<string, string> };
    return parsed.tags ?? {};
}

function tagsOf(value: unknown): Record<string, string> {
    if (Array.isArray(value)) {
        return Object.fromEntries(value.map((t: { key: string; value: string }) => [t.key, t.value]));
    }
    return typeof value === "object" && value !== null ? (value as Record<string, string>) : {};
}

/** Everything the fidelity layer checks on one synthesized stack; empty when it would deploy. */
function fidelityProblems(s: Synthesis): string[] {
    const problems: string[] = [];
    for (const r of ofType(s, "aws-native:networkfirewall:RuleGroup").concat(
        ofType(s, "aws-native:networkfirewall:FirewallPolicy"),
        ofType(s, "aws-native:networkfirewall:Firewall"),
        ofType(s, "aws-native:networkfirewall:LoggingConfiguration"),
    )) {
        problems.push(...validateInputs(r.type, r.state).map((p) => `${r.type} ${r.name} ${p.path}: ${p.message}`));
    }
    problems.push(...constraintViolations(sent(s)).map((v) => `${v.resource} ${v.path} ${JSON.stringify(v.value)}: ${v.rule} (${v.source})`));
    const defaults = providerTags(s);
    for (const r of awsResources(s).filter((r) => r.inputs["tags"] !== undefined)) {
        problems.push(...tagViolations(`${r.type} ${r.name}`, { ...defaults, ...tagsOf(r.inputs["tags"]) }));
    }
    return problems;
}

/** The model's largest count per quota, for comparison with what synthesis measures. */
function modelMaxima(raw: RawConfig, stack: string): Partial<Record<QuotaId, number>> {
    const config = loadConfig(raw, stack);
    const largest = largestUses({ network: config.network, firewall: config.firewall, baseline: config.baseline, region: config.region, stack });
    return Object.fromEntries([...largest].map(([quota, use]) => [quota, use.used]));
}

for (const { stack } of stackFiles()) {
    describe(`fidelity (${stack} stack)`, () => {
        it("every aws-native request validates against its CloudFormation registry schema", async () => {
            const s = await synth(stack);
            const natives = s.resources.filter((r) => r.type.startsWith("aws-native:"));
            expect(natives.length).to.be.greaterThan(0);
            for (const r of natives) {
                expect(validateInputs(r.type, r.state), `${r.type} ${r.name}`).to.deep.equal([]);
            }
        });

        it("every name, description and tag set meets the AWS API constraints table", async () => {
            expect(fidelityProblems(await synth(stack))).to.deep.equal([]);
        });

        it("counts exactly what the quota model predicts, within every quota", async () => {
            const raw = readStackConfig(stack);
            const config = loadConfig(raw, stack);
            const measured = measureQuotas(await synth(stack));
            const model = modelMaxima(raw, stack);
            for (const [quota, used] of Object.entries(measured) as [QuotaId, number][]) {
                expect(model[quota], `model of ${quota}`).to.equal(used);
                expect(used, quota).to.be.at.most(limitOf(quota, config.quotas));
            }
        });

        it("models every role's trust policy exactly: one row per synthesized role, of the same size, within IAM's trust policy quota", async () => {
            const s = await synth(stack);
            const config = loadConfig(s.config, stack);
            const rows = policySizes({ stack, region: config.region, network: config.network, baseline: config.baseline }).filter((p) => p.kind === "trust");
            const roles = ofType(s, "aws:iam/role:Role");
            expect(rows.map((p) => p.role).sort(), "a model row per role").to.deep.equal(roles.map((r) => rows.find((p) => p.role !== undefined && r.name.endsWith(`-${p.role}`))?.role).sort());
            for (const role of roles) {
                const row = must(rows.find((p) => p.role !== undefined && role.name.endsWith(`-${p.role}`)), `the model's row for ${role.name}`);
                // The mock account and the model's account are both 12 digits; the partition follows from the region.
                expect(iamPolicySize(String(role.inputs["assumeRolePolicy"])), role.name).to.equal(row.size);
                // IAM User Guide, "IAM and AWS STS quotas": role trust policy length 2,048 characters by default,
                // raised on request up to 4,096 (aws/quotas.ts).
                expect(row.size, role.name).to.be.at.most(limitOf("trustPolicySize", config.quotas));
            }
            expect(QUOTAS.trustPolicySize).to.deep.include({ awsDefault: 2_048, adjustable: true, ceiling: 4_096 });
        });

        it("measures the DNS Firewall, query log, malware-scan and (where owned) alert quotas, so the model's counts of them are held to the synthesis", async () => {
            const s = await synth(stack);
            const config = loadConfig(s.config, stack);
            const measured = Object.keys(measureQuotas(s));
            const always: QuotaId[] = [
                "dnsFirewallRulesPerRuleGroup",
                "dnsFirewallRuleGroupsPerVpc",
                "dnsFirewallRuleGroupsPerRegion",
                "dnsFirewallDomainsPerRegion",
                "queryLogConfigsPerRegion",
                "queryLogConfigVpcAssociationsPerRegion",
                "malwareProtectedBucketsPerRegion",
            ];
            const owned: QuotaId[] = ["snsSubscriptionsPerTopic", "eventBridgeRulesPerBus"];
            expect(measured).to.include.members(always);
            expect(owned.filter((q) => measured.includes(q))).to.deep.equal(config.baseline.manageAccountGuardrails ? owned : []);
        });

        it("an allowlist edit changes no create-only property of any aws-native resource", async () => {
            const raw = readStackConfig(stack);
            const fw = JSON.parse(raw["secure-ai:firewall"] ?? "{}") as { ingress: { allowedCidrs: string[] }; egress?: { allowedDomains?: string[] } };
            // A range and domains no entry of the stack already covers (the config refuses overlapping entries).
            const taken = fw.ingress.allowedCidrs.map(parseCidr);
            const free = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "44.250.0.0/16"].find((c) => {
                const candidate = parseCidr(c);
                return candidate !== undefined && !taken.some((t) => t !== undefined && overlaps(t, candidate));
            });
            fw.ingress.allowedCidrs.push(must(free, "a documentation range outside the allowlist"));
            fw.egress = { allowedDomains: [...(fw.egress?.allowedDomains ?? []), ".added-by-test.invalid", "api.also-added-by-test.invalid"] };
            const before = await synth(stack);
            const after = await synthWith({ stack, config: { ...raw, "secure-ai:firewall": JSON.stringify(fw) } });
            expect(after.error?.message).to.equal(undefined);
            for (const r of before.resources.filter((x) => x.type.startsWith("aws-native:"))) {
                const edited = one(after, r.type, r.name);
                const schema = registrySchema(r.type);
                for (const property of createOnlyProperties(r.type)) {
                    expect(valueAt(toCloudFormation(schema, edited.state), property), `${r.name} ${property}`).to.deep.equal(
                        valueAt(toCloudFormation(schema, r.state), property),
                    );
                }
            }
        });
    });
}

describe("fidelity: the schema and constraint checks catch what AWS refuses", () => {
    it("a rule group request with a multi-line description, a string capacity and an unknown key fails its registry schema", () => {
        const problems = validateInputs("aws-native:networkfirewall:RuleGroup", {
            type: "STATEFUL",
            capacity: "100",
            ruleGroupName: "group-1",
            description: "line one\nline two",
            colour: "blue",
        });
        expect(problems.map((p) => p.path).sort()).to.deep.equal(["(resource)", "Capacity", "Description"]);
    });

    it("a firewall without a policy, and a policy missing its stateless defaults, fail", () => {
        // SubnetMappings is optional in the provider's schema since transit-gateway-attached firewalls
        // (AvailabilityZoneMappings + TransitGatewayId) exist; the policy ARN is not.
        expect(validateInputs("aws-native:networkfirewall:Firewall", { firewallName: "fw", vpcId: "vpc-0abc", subnetMappings: [{ subnetId: "subnet-0abc" }] }).map((p) => p.message)).to.deep.equal([
            "missing required property FirewallPolicyArn",
        ]);
        expect(validateInputs("aws-native:networkfirewall:FirewallPolicy", { firewallPolicyName: "p", firewallPolicy: { statelessDefaultActions: ["aws:forward_to_sfe"] } }).map((p) => p.message)).to.deep.equal([
            "missing required property StatelessFragmentDefaultActions",
        ]);
    });

    it("EC2 description characters: the web-egress rule's old apostrophe is refused, its text now is accepted", () => {
        expect(EC2_DESCRIPTION.test("Web egress through NAT; the Network Firewall's domain allowlist decides where")).to.equal(false);
        expect(EC2_DESCRIPTION.test("Web egress through NAT; the Network Firewall domain allowlist decides where")).to.equal(true);
        expect(EC2_DESCRIPTION.test("x".repeat(256))).to.equal(false);
        const violations = constraintViolations([
            { type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", name: "r", properties: { description: "it's" } },
            { type: "aws:cloudwatch/logGroup:LogGroup", name: "g", properties: { name: "/secure-ai/dev/a b" } },
            { type: "aws:cloudtrail/trail:Trail", name: "t", properties: { name: "-trail" } },
            { type: "aws:kms/alias:Alias", name: "a", properties: { name: "alias/aws/mine" } },
        ]);
        expect(violations.map((v) => v.resource)).to.deep.equal([
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule r",
            "aws:cloudwatch/logGroup:LogGroup g",
            "aws:cloudtrail/trail:Trail t",
            "aws:kms/alias:Alias a",
        ]);
        expect(tagViolations("r", Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])))).to.deep.equal(["r: 51 tags, over 50"]);
    });
});

describe("fidelity: names that must be unique per account and region", () => {
    it("dev and prod in one account and region share no fixed physical name", async () => {
        const fixed = (s: Synthesis) =>
            awsResources(s)
                .filter((r) => ["aws:cloudwatch/logGroup:LogGroup", "aws:cloudtrail/trail:Trail", "aws:kms/alias:Alias", "aws:ec2/managedPrefixList:ManagedPrefixList", "aws:iam/role:Role", "aws:iam/policy:Policy", "aws:s3/bucket:Bucket"].includes(r.type))
                .map((r) => `${r.type} ${String(r.state["name"] ?? r.state["bucket"])}`);
        const stacks = await Promise.all(stackFiles().map(({ stack }) => synth(stack)));
        const all = stacks.flatMap(fixed);
        expect(all.length).to.be.greaterThan(10);
        // The bootstrap deploys every stack file's stack into its one account, so a name two stacks fix collides
        // there (IAM role names are unique per account, in every region).
        const twice = all.filter((n, i) => all.indexOf(n) !== i);
        expect(twice, `created by more than one stack file: ${twice.join(", ")}; give each stack its own name (e.g. secure-ai:baseline.breakGlassRoleName)`).to.deep.equal([]);
    });
});

// --- The known defects, each with the config that broke ---

const dev = fixture("dev");
const devNetwork = JSON.parse(dev["secure-ai:network"] ?? "{}") as Record<string, unknown>;
const devFirewall = JSON.parse(dev["secure-ai:firewall"] ?? "{}") as { ingress: Record<string, unknown>; egress: Record<string, unknown> };
const withNetwork = (network: Record<string, unknown>, extra: RawConfig = {}): RawConfig => ({ ...dev, "secure-ai:network": JSON.stringify({ ...devNetwork, ...network }), ...extra });
const problemsOf = (raw: RawConfig): string[] => checkConfig(raw, "dev").problems.map((p) => `${p.path}: ${p.message}`);

describe("fidelity: defect 2, CloudTrail and the audit bucket's S3 Bucket Key", () => {
    it("the key lets CloudTrail Decrypt (required with a Bucket Key), only as this stack's trail", async () => {
        const s = await synth(anyStack());
        const audit = ofType(s, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((c) =>
            String(byId(s, c.inputs["bucket"])?.name).endsWith("-audit"),
        );
        expect((audit?.inputs["rules"] as { bucketKeyEnabled?: boolean }[])[0]?.bucketKeyEnabled).to.equal(true);
        const grants = policyInput(must(ofType(s, "aws:kms/key:Key")[0], "the stack key")).filter(
            (st) => st.Effect === "Allow" && JSON.stringify(st.Principal).includes("cloudtrail.amazonaws.com") && JSON.stringify(st.Action).includes("kms:Decrypt"),
        );
        expect(grants).to.have.length(1);
        expect(grants[0]?.Condition).to.deep.equal({ StringEquals: { "aws:SourceArn": s.outputs["trailArn"] } });
    });
});

describe("fidelity: defect 3, NACL rules per direction at every AZ count", () => {
    for (const azs of [5, 6]) {
        it(`${azs} AZs with filtered training egress keep every NACL within 20 rules per direction`, async () => {
            const raw: RawConfig = {
                ...withNetwork({ availabilityZones: (MOCK_AVAILABILITY_ZONES["us-east-1"] ?? []).slice(0, azs), trainingEgress: "filtered", natGateways: "single" }),
                "aws:region": "us-east-1",
            };
            const s = await synthWith({ stack: "dev", config: raw });
            expect(s.error?.message).to.equal(undefined);
            expect(measureQuotas(s).naclRulesPerDirection).to.be.at.most(QUOTAS.naclRulesPerDirection.awsDefault);
        });
    }
    it("refuses, naming the quota, ingress ports that would overflow the public NACL", () => {
        const ports = Array.from({ length: 18 }, (_, i) => 8000 + i);
        const raw = { ...dev, "secure-ai:firewall": JSON.stringify({ ...devFirewall, ingress: { allowedCidrs: ["203.0.113.0/24"], ports } }) };
        expect(problemsOf(raw)).to.deep.equal([
            'secure-ai:firewall.ingress.ports: public NACL inbound needs 22, over the quota "Rules per network ACL (per direction)" of 20 (Amazon VPC User Guide, Amazon VPC quotas; list fewer ingress ports, or have the quota raised in Service Quotas and declare it as secure-ai:quotas.naclRulesPerDirection)',
        ]);
        expect(problemsOf({ ...raw, "secure-ai:quotas": JSON.stringify({ naclRulesPerDirection: 40 }) })).to.deep.equal([]);
    });
});

describe("fidelity: defect 4, availability zones the account does not have", () => {
    it("us-west-2e stops the program before any AWS resource, naming the zones that exist", async () => {
        const s = await synthWith({ stack: "dev", config: withNetwork({ availabilityZones: ["us-west-2a", "us-west-2e"] }) });
        expect(s.error).to.be.instanceOf(pulumi.RunError);
        expect(s.error?.message).to.equal(
            'Invalid stack config (1 problem):\n  secure-ai:network.availabilityZones[1]: "us-west-2e" is not an availability zone this account has in us-west-2 (available: us-west-2a, us-west-2b, us-west-2c, us-west-2d)',
        );
        expect(awsResources(s)).to.deep.equal([]);
    });
    it("reports an unknown zone together with the YAML's other problems", async () => {
        const s = await synthWith({ stack: "dev", config: withNetwork({ availabilityZones: ["us-west-2f"], cidr: "10.20.0.0/33" }) });
        expect(s.error?.message.split("\n").slice(1).map((l) => l.trim().split(":").slice(0, 2).join(":"))).to.deep.equal([
            "secure-ai:network.cidr",
            "secure-ai:network.availabilityZones[0]",
        ]);
    });
});

describe("fidelity: defect 5, NAT gateways and Elastic IPs", () => {
    it("a stack from which nothing may leave deploys no NAT gateway and no Elastic IP", async () => {
        const raw = {
            ...withNetwork({ trainingEgress: "none" }),
            "secure-ai:firewall": JSON.stringify({ ...devFirewall, egress: { allowedDomains: [] } }),
        };
        const s = await synthWith({ stack: "dev", config: raw });
        expect(s.error?.message).to.equal(undefined);
        expect(ofType(s, "aws:ec2/natGateway:NatGateway").length + ofType(s, "aws:ec2/eip:Eip").length).to.equal(0);
    });

    it("training egress `filtered` without any allowed domain is refused as contradictory", () => {
        const raw = { ...dev, "secure-ai:firewall": JSON.stringify({ ...devFirewall, egress: { allowedDomains: [] } }) };
        expect(problemsOf(raw)).to.deep.equal([
            "secure-ai:network.trainingEgress: \"filtered\" sends training through a NAT gateway to the firewall's domain allowlist, but secure-ai:firewall.egress.allowedDomains is empty (allowed: none, or list the domains training needs)",
        ]);
    });

    it("six AZs with a NAT gateway each exceed the Elastic IP quota; `single` or a declared raise fits", () => {
        const six = { "aws:region": "us-east-1", availabilityZones: MOCK_AVAILABILITY_ZONES["us-east-1"] };
        const raw = { ...withNetwork({ availabilityZones: six.availabilityZones }), "aws:region": six["aws:region"] };
        expect(problemsOf(raw)).to.have.length(1);
        expect(problemsOf(raw)[0]).to.match(/^secure-ai:network\.availabilityZones: Elastic IPs of this stack's NAT gateways \(natGateways: perAz\) needs 6, over the quota "Elastic IP addresses per Region" of 5/);
        expect(problemsOf({ ...raw, "secure-ai:quotas": JSON.stringify({ elasticIpsPerRegion: 6 }) })).to.deep.equal([]);
        expect(problemsOf({ ...withNetwork({ availabilityZones: six.availabilityZones, natGateways: "single" }), "aws:region": "us-east-1" })).to.deep.equal([]);
    });

    it("`single` routes every AZ to one NAT gateway whose traffic crosses the same AZ's firewall endpoint both ways", async () => {
        const s = await synthWith({ stack: "dev", config: withNetwork({ availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"], natGateways: "single" }) });
        expect(s.error?.message).to.equal(undefined);
        const nats = ofType(s, "aws:ec2/natGateway:NatGateway");
        expect(nats).to.have.length(1);
        expect(ofType(s, "aws:ec2/eip:Eip")).to.have.length(1);
        const natSubnet = must(byId(s, nats[0]?.inputs["subnetId"]), "the NAT gateway's subnet");
        const natAz = String(natSubnet.inputs["availabilityZone"]);
        expect(natAz).to.equal("us-west-2a");
        for (const tier of ["services", "training"]) {
            for (const [az, subnet] of subnetsOfTier(s, tier)) {
                const defaults = routesOf(s, routeTableOf(s, subnet)).filter((r) => r.destination === "0.0.0.0/0");
                expect(defaults.map((d) => d.target?.id), `${tier} ${az}`).to.deep.equal([nats[0]?.id]);
            }
        }
        // Outbound: the NAT's public subnet sends to the endpoint in its AZ; inbound: the IGW edge sends that
        // subnet's replies to the same endpoint.
        const endpoint = (s.outputs["firewallEndpointIdsByAz"] as Record<string, string>)[natAz];
        const outRoutes = ofType(s, "aws:ec2/route:Route").filter((r) => r.inputs["routeTableId"] === routeTableOf(s, natSubnet).id);
        expect(outRoutes.map((r) => [r.inputs["destinationCidrBlock"], r.inputs["vpcEndpointId"]])).to.deep.equal([["0.0.0.0/0", endpoint]]);
        const edge = ofType(s, "aws:ec2/route:Route").find((r) => r.inputs["destinationCidrBlock"] === natSubnet.inputs["cidrBlock"]);
        expect(edge?.inputs["vpcEndpointId"]).to.equal(endpoint);
    });
});

describe("fidelity: defect 6, ingress entries that can never be a client", () => {
    const cases = ["100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "239.1.0.0/16", "250.0.0.0/8", "10.99.0.0/16", "0.0.0.0/8"];
    for (const cidr of cases) {
        it(`refuses ${cidr}`, () => {
            const raw = { ...dev, "secure-ai:firewall": JSON.stringify({ ...devFirewall, ingress: { allowedCidrs: [cidr] } }) };
            expect(problemsOf(raw)).to.have.length(1);
            expect(problemsOf(raw)[0]).to.match(new RegExp(`^secure-ai:firewall\\.ingress\\.allowedCidrs\\[0\\]: "${cidr.replace(/\./g, "\\.")}" lies in .*no client arrives from it through the internet gateway`));
        });
    }
    it("accepts documentation ranges", () => {
        const raw = { ...dev, "secure-ai:firewall": JSON.stringify({ ...devFirewall, ingress: { allowedCidrs: ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"] } }) };
        expect(problemsOf(raw)).to.deep.equal([]);
    });
});

describe("fidelity: defect 7, every problem reported together", () => {
    it("a domain list over its limit hides neither the security group quota nor a bad port", () => {
        const raw = {
            ...dev,
            "secure-ai:firewall": JSON.stringify({
                ingress: { allowedCidrs: Array.from({ length: 31 }, (_, i) => `198.51.${i}.0/24`), ports: [443, 8443] },
                egress: { allowedDomains: Array.from({ length: 501 }, (_, i) => `d${i}.example.com`) },
            }),
            "secure-ai:baseline": JSON.stringify({ servingPort: 0 }),
        };
        expect(problemsOf(raw).map((p) => p.split(":").slice(0, 2).join(":"))).to.deep.equal([
            "secure-ai:baseline.servingPort",
            "secure-ai:firewall.ingress.allowedCidrs",
            "secure-ai:firewall.egress.allowedDomains",
        ]);
    });
});

describe("fidelity: a config over quotas", () => {
    it("stops the program before any AWS resource with one RunError naming every quota it exceeds", async () => {
        const raw: RawConfig = {
            ...withNetwork({ availabilityZones: MOCK_AVAILABILITY_ZONES["us-east-1"] }),
            "aws:region": "us-east-1",
            "secure-ai:firewall": JSON.stringify({ ...devFirewall, ingress: { allowedCidrs: ["203.0.113.0/24"], ports: Array.from({ length: 18 }, (_, i) => 8000 + i) } }),
        };
        const s = await synthWith({ stack: "dev", config: raw });
        expect(s.error).to.be.instanceOf(pulumi.RunError);
        expect(s.error?.message.split("\n")[0]).to.equal("Invalid stack config (2 problems):");
        expect(s.error?.message).to.include('secure-ai:firewall.ingress.ports: public NACL inbound needs 22, over the quota "Rules per network ACL (per direction)" of 20');
        expect(s.error?.message).to.include('secure-ai:network.availabilityZones: Elastic IPs of this stack\'s NAT gateways (natGateways: perAz) needs 6, over the quota "Elastic IP addresses per Region" of 5');
        expect(awsResources(s)).to.deep.equal([]);
    });
});

describe("fidelity: defect 8, changing AZs under subnet-change protection", () => {
    const prod = fixture("prod");
    const prodNetwork = JSON.parse(prod["secure-ai:network"] ?? "{}") as Record<string, unknown>;
    const prodFirewall = JSON.parse(prod["secure-ai:firewall"] ?? "{}") as Record<string, unknown>;
    const deployed = (zones: string[], subnetChange: boolean) => ({ availabilityZones: zones, firewallProtections: { deletion: true, subnetChange, policyChange: true } });
    const fourAzs = { ...prod, "secure-ai:network": JSON.stringify({ ...prodNetwork, availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"] }) };
    const protection = (on: boolean, raw: RawConfig) => ({ ...raw, "secure-ai:firewall": JSON.stringify({ ...prodFirewall, protections: { deletion: true, subnetChange: on, policyChange: true } }) });

    it("adding an AZ while the deployed firewall is protected stops before any AWS resource, with the three steps", async () => {
        const s = await synthWith({ stack: "prod", config: fourAzs, deployedOutputs: deployed(["us-west-2a", "us-west-2b", "us-west-2c"], true) });
        expect(s.error).to.be.instanceOf(pulumi.RunError);
        expect(s.error?.message).to.include('secure-ai:network.availabilityZones: changes the firewall\'s subnets from ["us-west-2a","us-west-2b","us-west-2c"] to ["us-west-2a","us-west-2b","us-west-2c","us-west-2d"]');
        expect(s.error?.message).to.include("(1) set secure-ai:firewall.protections.subnetChange: false and keep the AZs");
        expect(awsResources(s)).to.deep.equal([]);
    });
    it("step 1 (protection off, same AZs), step 2 (AZs changed while off) and step 3 (protection on, same AZs) each deploy", async () => {
        const before = ["us-west-2a", "us-west-2b", "us-west-2c"];
        const steps = [
            { config: protection(false, prod), deployed: deployed(before, true) },
            { config: protection(false, fourAzs), deployed: deployed(before, false) },
            { config: protection(true, fourAzs), deployed: deployed([...before, "us-west-2d"], false) },
        ];
        for (const step of steps) {
            const s = await synthWith({ stack: "prod", config: step.config, deployedOutputs: step.deployed });
            expect(s.error?.message).to.equal(undefined);
        }
    });
    it("turning protection on in the same run as the AZ change is refused", async () => {
        const s = await synthWith({ stack: "prod", config: protection(true, fourAzs), deployedOutputs: deployed(["us-west-2a", "us-west-2b", "us-west-2c"], false) });
        expect(s.error?.message).to.include("secure-ai:firewall.protections.subnetChange: true turns subnet-change protection on in the same run");
    });
});

describe("fidelity: generated accepted configs stay within every quota and match the model", () => {
    const zones = MOCK_AVAILABILITY_ZONES["us-east-1"] ?? [];
    const config = fc
        .record({
            azs: fc.subarray([...zones], { minLength: 1, maxLength: 6 }),
            trainingEgress: fc.constantFrom("none", "filtered"),
            natGateways: fc.constantFrom("perAz", "single"),
            cidrs: fc.integer({ min: 1, max: 60 }),
            ports: fc.integer({ min: 1, max: 3 }),
            domains: fc.integer({ min: 0, max: 500 }),
            endpoints: fc.subarray(["sts", "logs", "monitoring", "ecr.api", "ecr.dkr", "kms", "sagemaker.api", "sagemaker.runtime", "ssm", "secretsmanager"]),
        })
        .map(
            (c): RawConfig => ({
                "aws:region": "us-east-1",
                "secure-ai:network": JSON.stringify({ cidr: "10.40.0.0/16", availabilityZones: c.azs, trainingEgress: c.trainingEgress, natGateways: c.natGateways, interfaceEndpoints: c.endpoints }),
                "secure-ai:firewall": JSON.stringify({
                    ingress: { allowedCidrs: Array.from({ length: c.cidrs }, (_, i) => `44.${i}.0.0/16`), ports: [443, 8443, 9443].slice(0, c.ports) },
                    egress: { allowedDomains: Array.from({ length: c.domains }, (_, i) => `.d${i}.example.com`) },
                }),
                "secure-ai:baseline": JSON.stringify({ protectData: false, keyDeletionWindowDays: 7 }),
            }),
        );

    it("every synthesized count is within its quota, equals the model, and every request passes the fidelity checks", async function () {
        this.timeout(120_000);
        let accepted = 0;
        await fc.assert(
            fc.asyncProperty(config, async (raw) => {
                fc.pre(checkConfig(raw, "gen").problems.length === 0);
                accepted++;
                const s = await synthWith({ stack: "gen", config: raw });
                expect(s.error?.message).to.equal(undefined);
                const measured = measureQuotas(s);
                const model = modelMaxima(raw, "gen");
                for (const [quota, used] of Object.entries(measured) as [QuotaId, number][]) {
                    expect(model[quota], quota).to.equal(used);
                    expect(used, quota).to.be.at.most(QUOTAS[quota].awsDefault);
                }
                expect(fidelityProblems(s)).to.deep.equal([]);
            }),
            { numRuns: 12, seed: 20261130 },
        );
        expect(accepted).to.be.greaterThan(5);
    });
});
