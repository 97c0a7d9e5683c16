// Size and count limits: every policy document's size as its service measures it, computed from the config and
// refused at config load when over AWS's quota; the per-Region quotas summed over every stack file of a Region.
import { expect } from "chai";
import fc from "fast-check";
import { policySizes, resourcePolicyBytes } from "../aws/policySizes";
import { FINDING_RULES } from "../baseline/findingRules";
import { expandedLength, largestUses, limitOf, naclRuleCounts, QUOTAS, quotaUsage, regionalUsage, type QuotaId, type RegionalStack } from "../aws/quotas";
import { checkConfig, ConfigError, KNOWN_KEYS, loadConfig, type RawConfig } from "../config/load";
import { planNacls } from "../network/nacl";
import { planSubnets, TIERS } from "../network/plan";
import { readStackConfig, stackFiles } from "../offline/synth";
import type { PolicyDocument } from "../policy/document";
import { fixture, type FixtureName, ofType, plannedNacls, synth } from "./support";

const withBaseline = (stack: FixtureName, baseline: object): RawConfig => {
    const raw = fixture(stack);
    return { ...raw, "secure-ai:baseline": JSON.stringify({ ...(JSON.parse(raw["secure-ai:baseline"] ?? "{}") as object), ...baseline }) };
};
const repositories = (count: number, length: number) =>
    Array.from({ length: count }, (_, i) => `team/${String(i).padStart(3, "0")}-${"x".repeat(Math.max(1, length - 9))}`);

describe("limits: policy sizes are refused at config load when over AWS's quotas", () => {
    it("image repositories that overflow the roles' 10,240-character inline policy: one RunError naming the key, the size and the quota", () => {
        const raw = withBaseline("dev", { imageRepositories: repositories(60, 200) });
        let error: unknown;
        try {
            loadConfig(raw, "dev");
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(ConfigError);
        const problems = (error as ConfigError).problems;
        const inline = problems.filter((p) => p.message.includes('"Role policy size'));
        expect(inline.map((p) => p.path)).to.deep.equal(["secure-ai:baseline.imageRepositories", "secure-ai:baseline.imageRepositories"]);
        expect(inline[0]?.message).to.match(/^training role inline policy \(at most\) needs \d+, over the quota "Role policy size \(all inline policies of a role together, characters\)" of 10240 \(IAM User Guide/);
    });

    it("a property over generated configs: every accepted one has every document within its quota; far too many repositories are refused", () => {
        const zones = ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"];
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 90 }),
                fc.integer({ min: 10, max: 256 }),
                fc.subarray(zones, { minLength: 1 }),
                fc.array(fc.constantFrom("sagemaker.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "bedrock.amazonaws.com"), { minLength: 1, maxLength: 4 }),
                (count, length, azs, principals) => {
                    const base = withBaseline("dev", { imageRepositories: repositories(count, length), trainingPrincipals: [...new Set(principals)] });
                    const network = JSON.parse(base["secure-ai:network"] ?? "{}") as object;
                    const check = checkConfig({ ...base, "secure-ai:network": JSON.stringify({ ...network, availabilityZones: azs }) }, "dev");
                    const sizeProblems = check.problems.filter((p) => / \(at most\) needs /.test(p.message));
                    // 60 repositories of 150 characters cannot fit the training role's 10,240 characters.
                    if (count * length > 9_000) {
                        expect(sizeProblems.map((p) => p.path)).to.include("secure-ai:baseline.imageRepositories");
                    }
                    if (check.config === undefined) {
                        expect(check.problems.length).to.be.greaterThan(0);
                        return;
                    }
                    expect(sizeProblems).to.deep.equal([]);
                    const c = check.config;
                    for (const size of policySizes({ stack: "dev", region: c.region, network: c.network, baseline: c.baseline })) {
                        const quota = { inline: "inlinePolicySizePerRole", managed: "managedPolicySize", trust: "trustPolicySize", key: "keyPolicySize", bucket: "bucketPolicySize" } as const;
                        expect(size.size, size.subject).to.be.at.most(limitOf(quota[size.kind], c.quotas));
                    }
                },
            ),
            { numRuns: 40, seed: 20261201 },
        );
    });

    for (const { stack } of stackFiles()) {
        it(`${stack}: every synthesized bucket policy is within the model's bound (it bounds the deployer's ARN from above)`, async () => {
            const s = await synth(stack);
            const config = loadConfig(readStackConfig(stack), stack);
            const model = policySizes({ stack, region: config.region, network: config.network, baseline: config.baseline }).filter((p) => p.kind === "bucket");
            const largest = Math.max(...model.map((p) => p.size));
            const policies = ofType(s, "aws:s3/bucketPolicy:BucketPolicy");
            expect(policies.length).to.equal(model.length);
            for (const p of policies) {
                const bytes = resourcePolicyBytes(JSON.parse(String(p.inputs["policy"])) as PolicyDocument);
                expect(bytes, p.name).to.be.at.most(largest);
                expect(bytes, p.name).to.be.at.most(QUOTAS.bucketPolicySize.awsDefault);
            }
        });
    }
});

describe("limits: per-Region quotas summed over every stack file that shares a Region", () => {
    const stacks = (files: readonly { stack: string; raw: RawConfig }[]): RegionalStack[] =>
        files.map(({ stack, raw }) => {
            const c = loadConfig(raw, stack);
            return {
                stack,
                region: c.region,
                settings: c.quotas,
                inputs: { network: c.network, firewall: c.firewall, baseline: c.baseline, region: c.region, stack },
            };
        });

    it("the repo's stack files together stay within trails, gateway endpoints, firewalls and Elastic IPs per Region", () => {
        const uses = regionalUsage(stacks(stackFiles().map(({ stack }) => ({ stack, raw: readStackConfig(stack) }))));
        expect(uses.filter((u) => u.quota === "trailsPerRegion").reduce((a, u) => a + u.used, 0)).to.equal(stackFiles().length);
        expect(uses.filter((u) => u.used > u.limit)).to.deep.equal([]);
    });

    it("six stacks in one Region need six trails, over CloudTrail's 5 (which AWS does not raise)", () => {
        const files = ["a", "b", "c", "d", "e", "f"].map((stack) => ({ stack, raw: fixture("dev") }));
        const trails = regionalUsage(stacks(files)).find((u) => u.quota === "trailsPerRegion");
        expect(trails).to.deep.include({ used: 6, limit: 5 });
        expect(QUOTAS.trailsPerRegion.adjustable).to.equal(false);
    });

    it("stacks of two Regions: each Region sums only its own stacks, in Region order, against the lowest limit its stacks declare", () => {
        // Per-Region quotas are per account in each Region (Amazon VPC quotas, Amazon EC2 Elastic IP quota): a stack in
        // another Region draws on a different quota. Stacks sharing an account share one quota: the lowest declared
        // value is the one that can be relied on.
        const west = fixture("dev");
        const east = { ...edit(west, NET, { availabilityZones: ["us-east-1a", "us-east-1b"] }), "aws:region": "us-east-1" };
        const raised = edit(west, QUOTA_KEY, { elasticIpsPerRegion: 10 });
        const uses = regionalUsage(stacks([{ stack: "w1", raw: raised }, { stack: "e1", raw: east }, { stack: "w2", raw: west }]));
        expect([...new Set(uses.map((u) => u.region))]).to.deep.equal(["us-east-1", "us-west-2"]);
        const eips = (region: string) => uses.find((u) => u.region === region && u.quota === "elasticIpsPerRegion");
        // dev: a NAT gateway (and its Elastic IP) in each of its two AZs.
        expect(eips("us-west-2")).to.deep.equal({ region: "us-west-2", quota: "elasticIpsPerRegion", used: 4, limit: 5, stacks: ["w1", "w2"] });
        expect(eips("us-east-1")).to.deep.equal({ region: "us-east-1", quota: "elasticIpsPerRegion", used: 2, limit: 5, stacks: ["e1"] });
        const one = (quota: string) => uses.filter((u) => u.quota === quota).map((u) => u.used);
        for (const quota of ["trailsPerRegion", "firewallsPerRegion", "gatewayEndpointsPerRegion", "dnsFirewallRuleGroupsPerRegion", "queryLogConfigsPerRegion", "queryLogConfigVpcAssociationsPerRegion"]) {
            expect(one(quota), quota).to.deep.equal([1, 2]);
        }
    });

    it("DNS Firewall domain specifications: an exact allowlist name counts once, a .suffix entry twice (the name and *.name)", () => {
        // docs/fidelity.md: "the allowlist with .x counting twice"; Route 53 Resolver DNS Firewall matches a domain
        // list entry exactly, a subdomain only through a "*." entry.
        const domainsOf = (allowed: string[]) =>
            regionalUsage(stacks([{ stack: "d", raw: edit(fixture("dev"), FW, { egress: { allowedDomains: allowed } }) }])).find((u) => u.quota === "dnsFirewallDomainsPerRegion")?.used ?? 0;
        const base = domainsOf(["a.example.com"]);
        expect(domainsOf(["a.example.com", "b.example.com"]) - base).to.equal(1);
        expect(domainsOf(["a.example.com", ".c.example.com"]) - base).to.equal(2);
        expect(domainsOf(["a.example.com", "b.example.com", ".c.example.com", ".d.example.com"]) - base).to.equal(5);
    });

    it("finding alerts: only the stack that owns the account guardrails adds its finding rules to the default bus and its addresses to the topic", () => {
        const owner = edit(fixture("dev"), "secure-ai:baseline", { manageAccountGuardrails: true, alertEmails: ["secops@acme-ml.com", "oncall@acme-ml.com"] });
        const uses = regionalUsage(stacks([{ stack: "owner", raw: owner }, { stack: "other", raw: fixture("dev") }]));
        // baseline/findingRules.ts: one EventBridge rule per finding source, on the owning stack only.
        expect(uses.find((u) => u.quota === "eventBridgeRulesPerBus")?.used).to.equal(FINDING_RULES.length);
        const alerts = largestUses(inputsOf(owner)).get("snsSubscriptionsPerTopic");
        expect(alerts?.used).to.equal(2);
        expect(largestUses(inputsOf(fixture("dev"))).has("snsSubscriptionsPerTopic")).to.equal(false);
        expect(largestUses(inputsOf(fixture("dev"))).has("eventBridgeRulesPerBus")).to.equal(false);
    });

    it("one stack more than GuardDuty's protected-bucket quota in one Region (25, which AWS does not raise) is over it", () => {
        const limit = QUOTAS.malwareProtectedBucketsPerRegion.awsDefault;
        // Amazon GuardDuty User Guide, Quotas in Malware Protection for S3 (English edition): Maximum protected buckets 25.
        expect(limit).to.equal(25);
        const files = Array.from({ length: limit + 1 }, (_, i) => ({ stack: `s${i}`, raw: fixture("dev") }));
        const buckets = regionalUsage(stacks(files)).find((u) => u.quota === "malwareProtectedBucketsPerRegion");
        expect(buckets).to.deep.include({ used: limit + 1, limit });
        expect(QUOTAS.malwareProtectedBucketsPerRegion.adjustable).to.equal(false);
    });
});

// What a user sees when a stack file's counts meet or pass an AWS quota: at the quota the config loads, one over it is
// refused in the one RunError naming the key, the count, the quota (its name and value from the quota table in
// aws/quotas.ts, each row citing AWS's page) and how to get under it. Counts come from the stack's config (list
// lengths) and from AWS's and the design's documented layouts, cited per case, not from the model's code.
const edit = (raw: RawConfig, key: string, patch: object): RawConfig => ({ ...raw, [key]: JSON.stringify({ ...(JSON.parse(raw[key] ?? "{}") as object), ...patch }) });
const problemsOf = (raw: RawConfig): string[] => checkConfig(raw, "dev").problems.map((p) => `${p.path}: ${p.message}`);
/** The refusal, its fix as docs/fidelity.md tells adjustable (declarable or not) and fixed quotas apart. */
function refusal(path: string, id: QuotaId, subject: string, used: number, limit: number, remedy?: string): string {
    const quota = QUOTAS[id];
    const declarable = ["naclRulesPerDirection", "securityGroupRulesPerDirection", "routesPerTable", "elasticIpsPerRegion", "natGatewaysPerAz", "interfaceEndpointsPerVpc", "trustPolicySize", "gatewayEndpointsPerRegion"].includes(id);
    const raise = !quota.adjustable ? "this quota cannot be raised" : declarable ? `or have the quota raised in Service Quotas and declare it as secure-ai:quotas.${id}` : "or have the quota raised in Service Quotas";
    return `${path}: ${subject} needs ${used}, over the quota "${quota.name}" of ${limit} (${quota.source}; ${remedy === undefined ? raise : `${remedy}, ${raise}`})`;
}
const FW = "secure-ai:firewall";
const NET = "secure-ai:network";
const QUOTA_KEY = "secure-ai:quotas";
const noEgress = (raw: RawConfig) => edit(edit(raw, NET, { trainingEgress: "none" }), FW, { egress: { allowedDomains: [] } });
const ports = (n: number) => Array.from({ length: n }, (_, i) => 8000 + i);
const cidrs = (n: number, second = 0) => Array.from({ length: n }, (_, i) => `44.${Math.floor(i / 250) + second}.${i % 250}.0/24`);
/** Configs are built inside the tests: under Stryker no core code may run while mocha loads this file. */
const dev = () => fixture("dev");

describe("limits: quota refusals at config load, at and over each quota", () => {
    it("public NACL inbound: 16 listener ports fit 20 rules with egress domains, 18 without; one more is refused naming the ports key", () => {
        // docs/config.md, ingress.ports: "at most 16 with egress domains, 18 without, under the default NACL quota"
        // (Amazon VPC quotas: 20 rules per network ACL and direction). The 17th (19th) port makes 21 rules.
        const withPorts = (raw: RawConfig, n: number) => edit(raw, FW, { ingress: { allowedCidrs: ["203.0.113.0/24"], ports: ports(n) } });
        const limit = QUOTAS.naclRulesPerDirection.awsDefault;
        expect(limit).to.equal(20);
        expect(problemsOf(withPorts(dev(), 16))).to.deep.equal([]);
        expect(problemsOf(withPorts(noEgress(dev()), 18))).to.deep.equal([]);
        const over = refusal(`${FW}.ingress.ports`, "naclRulesPerDirection", "public NACL inbound", limit + 1, limit, "list fewer ingress ports");
        expect(problemsOf(withPorts(dev(), 17))).to.deep.equal([over]);
        expect(problemsOf(withPorts(noEgress(dev()), 19))).to.deep.equal([over]);
        // Raised (Amazon VPC quotas: adjustable up to 40) and declared: accepted.
        expect(problemsOf(edit(withPorts(dev(), 17), QUOTA_KEY, { naclRulesPerDirection: 40 }))).to.deep.equal([]);
    });

    it("every NACL over a declared quota is named with its own key and remedy; the firewall subnet's two rules sit at a quota of 1 per direction", () => {
        // Counts from the NACL planner the component deploys (network/nacl.ts), not from the quota model.
        for (const raw of [dev(), noEgress(dev())]) {
            const c = loadConfig(raw, "dev");
            const nacls = plannedNacls(c);
            const expected = TIERS.filter((t) => t !== "firewall").flatMap((tier) =>
                (["ingress", "egress"] as const).map((d) =>
                    refusal(
                        tier === "public" ? `${FW}.ingress.ports` : `${NET}.availabilityZones`,
                        "naclRulesPerDirection",
                        `${tier} NACL ${d === "ingress" ? "inbound" : "outbound"}`,
                        nacls[tier][d].length,
                        1,
                        tier === "public" ? "list fewer ingress ports" : "use fewer availability zones",
                    ),
                ),
            );
            expect(nacls.firewall.ingress.length + nacls.firewall.egress.length).to.equal(2);
            expect(problemsOf(edit(raw, QUOTA_KEY, { naclRulesPerDirection: 1 }))).to.deep.equal(expected);
        }
    });

    it("load balancer inbound: allowlist entries x ports within 60 security group rules; 61 entries on one port and 31 on two are refused", () => {
        // Amazon VPC quotas: 60 inbound rules per security group; a referenced prefix list counts its max entries.
        const withIngress = (n: number, p: number[]) => edit(dev(), FW, { ingress: { allowedCidrs: cidrs(n), ports: p } });
        const limit = QUOTAS.securityGroupRulesPerDirection.awsDefault;
        expect(limit).to.equal(60);
        const remedy = "merge adjacent ranges or list fewer ports";
        expect(problemsOf(withIngress(60, [443]))).to.deep.equal([]);
        expect(problemsOf(withIngress(30, [443, 8443]))).to.deep.equal([]);
        expect(problemsOf(withIngress(61, [443]))).to.deep.equal([
            refusal(`${FW}.ingress.allowedCidrs`, "securityGroupRulesPerDirection", "load balancer security group inbound (1 port rule x the ingress prefix list's 61 entries)", 61, limit, remedy),
        ]);
        expect(problemsOf(withIngress(31, [443, 8443]))).to.deep.equal([
            refusal(`${FW}.ingress.allowedCidrs`, "securityGroupRulesPerDirection", "load balancer security group inbound (2 port rules x the ingress prefix list's 31 entries)", 62, limit, remedy),
        ]);
        expect(problemsOf(edit(withIngress(61, [443]), QUOTA_KEY, { securityGroupRulesPerDirection: 61 }))).to.deep.equal([]);
    });

    it("the private security groups' outbound rules: web egress adds 443 and 80 to the endpoint and S3 rules where it is allowed", () => {
        // docs/security.md: services and training reach the endpoints' security group and S3's prefix list (AWS's
        // S3 list weighs 1, Amazon VPC User Guide); with egress domains services also sends 443 and 80 through NAT,
        // training as well when filtered; training also reaches its peers (one rule). Declared quota of 1.
        const one = (raw: RawConfig) => problemsOf(edit(raw, QUOTA_KEY, { securityGroupRulesPerDirection: 1 }));
        expect(one(dev())).to.deep.equal([
            refusal(`${FW}.egress.allowedDomains`, "securityGroupRulesPerDirection", "services security group outbound", 4, 1),
            refusal(`${NET}.trainingEgress`, "securityGroupRulesPerDirection", "training security group outbound", 5, 1),
        ]);
        expect(one(noEgress(dev()))).to.deep.equal([
            refusal(`${FW}.egress.allowedDomains`, "securityGroupRulesPerDirection", "services security group outbound", 2, 1),
            refusal(`${NET}.trainingEgress`, "securityGroupRulesPerDirection", "training security group outbound", 3, 1),
        ]);
        // Services egress without training egress: training keeps its three.
        expect(one(edit(dev(), NET, { trainingEgress: "none" }))[1]).to.equal(refusal(`${NET}.trainingEgress`, "securityGroupRulesPerDirection", "training security group outbound", 3, 1));
    });

    it("routes per table: the IGW edge table has one route per AZ, each private table its default route and S3's", () => {
        // DESIGN / docs/security.md: IGW edge table: each public subnet CIDR -> its AZ's firewall endpoint; services:
        // 0.0.0.0/0 -> NAT (with egress); training: NAT only when filtered. Amazon VPC User Guide, "Gateway
        // endpoints": the S3 gateway endpoint adds a prefix-list route to each associated (private) table.
        const azs = loadConfig(dev(), "dev").network.availabilityZones.length;
        const declared = (raw: RawConfig, n: number) => problemsOf(edit(raw, QUOTA_KEY, { routesPerTable: n }));
        expect(declared(dev(), 2)).to.deep.equal([]);
        expect(declared(dev(), 1)).to.deep.equal([
            refusal(`${NET}.availabilityZones`, "routesPerTable", "IGW edge route table", azs, 1, "use fewer availability zones"),
            refusal(QUOTA_KEY, "routesPerTable", "services route tables", 2, 1),
            refusal(QUOTA_KEY, "routesPerTable", "training route tables", 2, 1),
        ]);
        const single = edit(noEgress(dev()), NET, { availabilityZones: ["us-west-2a"] });
        expect(declared(single, 1)).to.deep.equal([]);
        expect(declared(edit(single, FW, { egress: { allowedDomains: ["pypi.org"] } }), 1)).to.deep.equal([refusal(QUOTA_KEY, "routesPerTable", "services route tables", 2, 1)]);
    });

    it("Elastic IPs: one per NAT gateway, a gateway per AZ (perAz) or one (single), none without egress domains", () => {
        // Amazon EC2 User Guide, Elastic IP address quota: 5 per Region; a public NAT gateway holds one.
        const azs = loadConfig(dev(), "dev").network.availabilityZones.length;
        const declared = (raw: RawConfig, n: number) => problemsOf(edit(raw, QUOTA_KEY, { elasticIpsPerRegion: n }));
        const remedy = "set natGateways: single (non-production), use fewer availability zones, or allow no egress domains";
        expect(declared(dev(), azs)).to.deep.equal([]);
        expect(declared(dev(), azs - 1)).to.deep.equal([refusal(`${NET}.availabilityZones`, "elasticIpsPerRegion", "Elastic IPs of this stack's NAT gateways (natGateways: perAz)", azs, azs - 1, remedy)]);
        expect(declared(edit(dev(), NET, { natGateways: "single" }), 1)).to.deep.equal([]);
        const all = edit(dev(), NET, { availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"], natGateways: "single" });
        expect(problemsOf(edit(all, NET, { natGateways: "perAz" }))).to.deep.equal([]);
        expect(declared(edit(all, NET, { natGateways: "perAz" }), 3)[0]).to.equal(refusal(`${NET}.availabilityZones`, "elasticIpsPerRegion", "Elastic IPs of this stack's NAT gateways (natGateways: perAz)", 4, 3, remedy));
        expect(declared(edit(all, NET, { natGateways: "single" }), 1)).to.deep.equal([]);
        const largest = (raw: RawConfig) => largestUses(inputsOf(raw)).get("elasticIpsPerRegion")?.used;
        expect([largest(dev()), largest(noEgress(dev())), largest(edit(dev(), NET, { natGateways: "single" }))]).to.deep.equal([azs, 0, 1]);
    });

    it("interface endpoints: the listed services count one each against the declared quota", () => {
        const listed = loadConfig(dev(), "dev").network.interfaceEndpoints.length;
        expect(listed).to.be.greaterThan(1);
        const declared = (n: number) => problemsOf(edit(dev(), QUOTA_KEY, { interfaceEndpointsPerVpc: n }));
        expect(declared(listed)).to.deep.equal([]);
        expect(declared(listed - 1)).to.deep.equal([refusal(`${NET}.interfaceEndpoints`, "interfaceEndpointsPerVpc", "interface endpoints in the VPC", listed, listed - 1, "list fewer interface endpoints")]);
    });

    it("egress domains and denied ranges: the rule groups' fixed capacities hold 500 and 100; one more is refused, and cannot be raised", () => {
        const domains = (n: number) => Array.from({ length: n }, (_, i) => `d${i}.example.com`);
        const denied = (n: number) => Array.from({ length: n }, (_, i) => `45.${i}.0.0/16`);
        expect([QUOTAS.egressDomains.awsDefault, QUOTAS.deniedCidrs.awsDefault, QUOTAS.egressDomains.adjustable, QUOTAS.deniedCidrs.adjustable]).to.deep.equal([500, 100, false, false]);
        const atQuota = edit(edit(dev(), FW, { egress: { allowedDomains: domains(500) } }), FW, { deniedCidrs: denied(100) });
        expect(problemsOf(atQuota)).to.deep.equal([]);
        // At the quota the rule groups are still planned and measured against AWS's fixed quotas.
        const used = largestUses(inputsOf(atQuota));
        for (const id of ["statefulRuleGroupCapacity", "statelessRuleGroupCapacity", "rulesStringBytes", "expandedRuleLength"] as const) {
            expect(used.get(id)?.used, id).to.be.within(1, QUOTAS[id].awsDefault);
        }
        expect(problemsOf(edit(dev(), FW, { egress: { allowedDomains: domains(501) } }))).to.deep.equal([
            refusal(`${FW}.egress.allowedDomains`, "egressDomains", "egress domain allowlist", 501, 500, 'group domains under a common ".suffix"'),
        ]);
        expect(problemsOf(edit(dev(), FW, { deniedCidrs: denied(101) }))).to.deep.equal([refusal(`${FW}.deniedCidrs`, "deniedCidrs", "denied ranges", 101, 100, "merge adjacent ranges")]);
    });

    it("a Suricata rule over 8,192 characters with the ingress allowlist expanded is refused even with the security group quota raised", () => {
        // AWS Network Firewall quotas (cannot be changed): "Maximum character length of a Suricata rule. Each variable
        // value in the rule counts towards this limit": 8,192. 700 /24 entries are over 9,000 characters alone.
        const list = cidrs(700);
        const raw = edit(edit(dev(), FW, { ingress: { allowedCidrs: list, ports: [443] } }), QUOTA_KEY, { securityGroupRulesPerDirection: 1000 });
        const problems = checkConfig(raw, "dev").problems;
        expect(problems.map((p) => p.path)).to.deep.equal([`${FW}.ingress.allowedCidrs`]);
        const needs = Number(/ needs (\d+),/.exec(problems[0]?.message ?? "")?.[1]);
        expect(needs).to.be.greaterThan(`[${list.join(",")}]`.length);
        expect(`${FW}.ingress.allowedCidrs: ${problems[0]?.message}`).to.equal(
            refusal(`${FW}.ingress.allowedCidrs`, "expandedRuleLength", "longest stateful rule with its variables expanded", needs, 8192, "merge adjacent ingress ranges"),
        );
        expect(problemsOf(edit(edit(dev(), FW, { ingress: { allowedCidrs: cidrs(500), ports: [443] } }), QUOTA_KEY, { securityGroupRulesPerDirection: 1000 }))).to.deep.equal([]);
    });

    it("trust policies over a declared trust policy length: each role named, with its principals key where the config makes it grow", () => {
        // IAM User Guide, IAM and AWS STS quotas: role trust policy length, 2,048 by default, adjustable up to 4,096.
        const c = loadConfig(dev(), "dev");
        const rows = policySizes({ stack: "dev", region: c.region, network: c.network, baseline: c.baseline }).filter((p) => p.kind === "trust");
        const smallest = Math.min(...rows.map((r) => r.size));
        const grows: Record<string, string> = { training: "secure-ai:baseline.trainingPrincipals", inference: "secure-ai:baseline.inferencePrincipals" };
        expect(problemsOf(edit(dev(), QUOTA_KEY, { trustPolicySize: Math.max(...rows.map((r) => r.size)) }))).to.deep.equal([]);
        expect(problemsOf(edit(dev(), QUOTA_KEY, { trustPolicySize: smallest - 1 }))).to.deep.equal(
            rows.map((r) => {
                const path = grows[r.role ?? ""];
                return refusal(path ?? QUOTA_KEY, "trustPolicySize", `${r.subject} (at most)`, r.size, smallest - 1, path === undefined ? undefined : "list fewer service principals");
            }),
        );
    });

    it("role inline policies over 10,240 characters: the refusal names the repositories key, the size, the quota, IAM's page and both remedies", () => {
        // IAM User Guide, IAM and AWS STS quotas: role policy size 10,240 characters (all inline policies), not adjustable.
        const raw = withBaseline("dev", { imageRepositories: repositories(60, 200) });
        const c = checkConfig(raw, "dev");
        const base = loadConfig(fixture("dev"), "dev");
        const sizes = policySizes({ stack: "dev", region: base.region, network: base.network, baseline: { ...base.baseline, imageRepositories: repositories(60, 200) } }).filter((p) => p.kind === "inline" && p.size > 10_240);
        expect(sizes.length).to.be.greaterThan(0);
        expect(c.problems.map((p) => `${p.path}: ${p.message}`)).to.deep.equal(
            sizes.map((p) => refusal("secure-ai:baseline.imageRepositories", "inlinePolicySizePerRole", `${p.subject} (at most)`, p.size, 10_240, "list fewer or shorter image repositories, or use fewer availability zones")),
        );
    });

    it("the quota report shows each quota's fullest use: with four AZs the services NACL inbound, one rule per public subnet", () => {
        // The NACL planner (what the component deploys) gives each tier's rules; the report's row is the largest.
        const raw = edit(dev(), NET, { availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"] });
        const c = loadConfig(raw, "dev");
        const nacls = plannedNacls(c);
        const counts = TIERS.flatMap((tier) => (["ingress", "egress"] as const).map((d) => ({ name: `${tier} NACL ${d === "ingress" ? "inbound" : "outbound"}`, rules: nacls[tier][d].length })));
        const fullest = Math.max(...counts.map((x) => x.rules));
        expect(counts.filter((x) => x.rules === fullest).map((x) => x.name)).to.deep.equal(["services NACL inbound"]);
        expect(largestUses(inputsOf(raw)).get("naclRulesPerDirection")).to.deep.include({ subject: "services NACL inbound", used: fullest });
    });

    it("a section that fails to parse hides no quota: bad baseline JSON and a bad region still leave the NACL refusal", () => {
        const over = edit(dev(), FW, { ingress: { allowedCidrs: ["203.0.113.0/24"], ports: ports(17) } });
        const nacl = refusal(`${FW}.ingress.ports`, "naclRulesPerDirection", "public NACL inbound", 21, 20, "list fewer ingress ports");
        expect(problemsOf({ ...over, "secure-ai:baseline": "{not json" })).to.include(nacl);
        expect(problemsOf({ ...over, "aws:region": "mars-north-1" })).to.include(nacl);
        expect(problemsOf(edit(over, "secure-ai:baseline", { servingPort: 0 }))).to.include(nacl);
    });

    it("declared values: an integer from 1 to AWS's published ceiling where there is one; a quota AWS does not raise cannot be declared", () => {
        // Amazon VPC quotas: rules per network ACL adjustable up to 40; IAM quotas: trust policy up to 4,096.
        expect(problemsOf(edit(dev(), QUOTA_KEY, { naclRulesPerDirection: 41 }))).to.deep.equal([
            `${QUOTA_KEY}.naclRulesPerDirection: 41 is not a value of the quota "Rules per network ACL (per direction)" (integer 1 to 40; AWS's default is 20)`,
        ]);
        expect(problemsOf(edit(dev(), QUOTA_KEY, { trustPolicySize: 4096 }))).to.deep.equal([]);
        expect(problemsOf(edit(dev(), QUOTA_KEY, { elasticIpsPerRegion: 0 }))).to.deep.equal([
            `${QUOTA_KEY}.elasticIpsPerRegion: 0 is not a value of the quota "Elastic IP addresses per Region" (integer 1; AWS's default is 5)`,
        ]);
        expect(problemsOf(edit(dev(), QUOTA_KEY, { elasticIpsPerRegion: 2.5 }))[0]).to.match(/^secure-ai:quotas\.elasticIpsPerRegion: 2\.5 is not a value of the quota/);
        expect(problemsOf(edit(dev(), QUOTA_KEY, { elasticIpsPerRegion: 400 }))).to.deep.equal([]);
        // CloudTrail quotas: 5 trails per Region, cannot be increased: no key for it.
        expect(problemsOf(edit(dev(), QUOTA_KEY, { trailsPerRegion: 6 }))[0]).to.match(/^secure-ai:quotas(\.trailsPerRegion)?: /);
    });
});

/** The quota model's inputs for a raw config, as config loading gives them. */
function inputsOf(raw: RawConfig, stack = "dev") {
    const c = loadConfig(raw, stack);
    return { network: c.network, firewall: c.firewall, baseline: c.baseline, region: c.region, stack };
}

describe("limits: what the quota model counts, against the planners and AWS's documented counting", () => {
    it("NACL rules per tier and direction equal the rules the NACL planner lays out, at every AZ count, port count and egress mode", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 6 }), fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 6 }), fc.boolean(), fc.constantFrom("none" as const, "filtered" as const), (azs, listen, nat, trainingEgress) => {
                const plan = planSubnets("10.20.0.0/16", ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d", "us-west-2e", "us-west-2f"].slice(0, azs), { public: 24, services: 22, training: 22 });
                const planned = planNacls({ plan, publicPorts: listen, servingPort: 8080, trainingEgress, natEgress: nat });
                const counted = naclRuleCounts({ azs, ingressPorts: listen.length, nat, trainingFiltered: trainingEgress === "filtered" });
                for (const tier of TIERS) {
                    expect(counted[tier], tier).to.deep.equal({ ingress: planned[tier].ingress.length, egress: planned[tier].egress.length });
                }
            }),
            { numRuns: 60, seed: 20261201 },
        );
    });

    it("every count names what it counts, and the keys that drive it are keys of the stack config", () => {
        const raw = edit(dev(), "secure-ai:baseline", { manageAccountGuardrails: true, alertEmails: ["secops@acme-ml.com"] });
        const uses = quotaUsage(inputsOf(raw));
        for (const use of uses) {
            expect(use.subject.trim(), use.quota).not.to.equal("");
            for (const key of use.drivenBy ?? []) {
                const top = key.split(".")[0] ?? "";
                expect((KNOWN_KEYS as readonly string[]).includes(top) && key.length > top.length + 1, `${use.subject}: ${key}`).to.equal(true);
            }
        }
        const subjects = uses.map((u) => `${u.quota} ${u.subject}`);
        expect(new Set(subjects).size, "each count once").to.equal(subjects.length);
    });

    it("a rule's length counts each variable's values as written in the rule group, and leaves unknown names as they are", () => {
        // AWS Network Firewall quotas: "Each variable value in the rule counts towards this limit". EXTERNAL_NET is
        // not defined by this program: AWS takes it as the negation of HOME_NET (firewall/rules.ts, RuleVariables).
        const variables = { ipSets: { HOME_NET: ["10.0.0.0/16"], ALLOWED: ["198.51.100.0/24", "203.0.113.0/24"] }, portSets: { WEB: [443, 80] } };
        const rule = "pass tcp $ALLOWED any -> $HOME_NET $WEB (sid:1;)";
        expect(expandedLength(rule, variables)).to.equal("pass tcp [198.51.100.0/24,203.0.113.0/24] any -> [10.0.0.0/16] [443,80] (sid:1;)".length);
        expect(expandedLength("drop udp $HOME_NET any -> $EXTERNAL_NET 443 (sid:2;)", variables)).to.equal("drop udp [10.0.0.0/16] any -> ![10.0.0.0/16] 443 (sid:2;)".length);
        expect(expandedLength("alert ip $UNDEFINED_1 any -> any any (sid:3;)", variables)).to.equal("alert ip $UNDEFINED_1 any -> any any (sid:3;)".length);
        expect(expandedLength("drop ip any any -> $EXTERNAL_NET any (sid:4;)", { ipSets: {}, portSets: {} })).to.equal("drop ip any any -> !any any (sid:4;)".length);
    });
});
