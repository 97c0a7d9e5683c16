import { expect } from "chai";
import { loadConfig, type StackConfig } from "../config/load";
import { capacityWithHeadroom, statelessCapacityUsed } from "../firewall/capacity";
import { endpointForAz, endpointsByAz } from "../firewall/endpoints";
import { lintRules } from "../firewall/lint";
import fc from "fast-check";
import { checkRules, planFirewall } from "../firewall/plan";
import { MAX_EGRESS_DOMAINS } from "../firewall/rules";
import { MAX_DENIED_CIDRS } from "../firewall/stateless";
import { planSubnets } from "../network/plan";
import { readStackConfig, stackFiles } from "../offline/synth";
import { byId, fixture, ofType, one, routesOf, routeTableOf, subnetsOfTier, synth, synthWith } from "./support";

function planFor(config: StackConfig) {
    const subnets = planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths);
    return planFirewall({
        vpcCidr: config.network.cidr,
        publicCidrs: Object.values(subnets.subnets).map((t) => t.public),
        firewall: config.firewall,
    });
}

describe("firewall: endpointIds parsing", () => {
    const cases = [
        { name: "in mapping order", ids: ["us-west-2a:vpce-0aaa", "us-west-2b:vpce-0bbb"] },
        { name: "in reverse order", ids: ["us-west-2b:vpce-0bbb", "us-west-2a:vpce-0aaa"] },
    ];
    for (const c of cases) {
        it(`keys endpoints by AZ ${c.name}`, () => {
            expect(endpointsByAz(c.ids)).to.deep.equal({ "us-west-2a": "vpce-0aaa", "us-west-2b": "vpce-0bbb" });
            expect(endpointForAz(c.ids, "us-west-2b")).to.equal("vpce-0bbb");
        });
    }
    it("rejects malformed and repeated entries, and names the AZs it has when one is missing", () => {
        expect(() => endpointsByAz(["vpce-0aaa"])).to.throw('"vpce-0aaa" is not "<az>:<vpce-id>"');
        expect(() => endpointsByAz(["us-west-2a:vpce-01", "us-west-2a:vpce-02"])).to.throw("two endpoints in us-west-2a");
        expect(() => endpointForAz(["us-west-2a:vpce-01"], "us-west-2c")).to.throw("no endpoint in us-west-2c (it has: us-west-2a)");
        expect(() => endpointForAz(["us-west-2b:vpce-02", "us-west-2a:vpce-01"], "us-west-2c")).to.throw("no endpoint in us-west-2c (it has: us-west-2a, us-west-2b)");
        expect(() => endpointForAz([], "us-west-2a")).to.throw("no endpoint in us-west-2a (it has: none)");
    });
    it("accepts only a whole \"<az>:<vpce-id>\" entry, nothing before or after it", () => {
        for (const entry of ["arn:aws:ec2:us-west-2a:vpce-0aaa", " us-west-2a:vpce-0aaa", "us-west-2a:vpce-0aaa ", "us-west-2a:vpce-0aaa,us-west-2b:vpce-0bbb"]) {
            expect(() => endpointsByAz([entry]), entry).to.throw("is not \"<az>:<vpce-id>\"");
        }
    });
});

describe("firewall: AWS Suricata subset lint", () => {
    const cases = [
        { rule: 'alert tcp any any -> any any (msg:"x"; threshold: type limit, track by_src, count 1, seconds 60; sid:1;)', problem: '"threshold" is not supported' },
        { rule: 'drop tcp any any -> any any (msg:"x"; priority:1; sid:1;)', problem: '"priority" is not allowed under STRICT_ORDER' },
        { rule: 'drop ip any any -> any any (msg:"x"; iprep:src,bad,>,50; sid:1;)', problem: '"iprep" is not supported' },
        { rule: 'drop http any any -> any any (msg:"x"; dataset:isset,bad; sid:1;)', problem: '"dataset" is not supported' },
        { rule: 'drop http any any -> any any (msg:"x"; lua:x.lua; sid:1;)', problem: '"lua" is not supported' },
        { rule: 'drop ip any any -> any any (msg:"x"; geoip:src,RU; sid:1;)', problem: '"geoip" is not supported' },
        { rule: 'drop http any any -> any any (msg:"x"; filemagic:"exe"; sid:1;)', problem: '"file keywords" is not supported' },
        { rule: 'drop ip any any -> any any (msg:"x";)', problem: "has no sid" },
        // Suricata reads an option's name and value with the blanks around them trimmed.
        { rule: 'drop tcp any any -> any any (msg:"x"; priority :1; sid:1;)', problem: '"priority" is not allowed under STRICT_ORDER' },
        { rule: 'permit tcp any any -> any any (msg:"x"; sid:1;)', problem: "action must be pass, drop, reject or alert" },
        { rule: '#drop tcp any any -> any any (msg:"x"; sid:1;)', problem: "action must be pass, drop, reject or alert" },
    ];
    for (const c of cases) {
        it(`flags ${c.problem}`, () => {
            expect(lintRules([c.rule], { strictOrder: true }).join("\n")).to.include(c.problem);
        });
    }
    it("reads a sid written with blanks around its name and value, and does not take an option's name inside quoted content", () => {
        expect(lintRules(['pass tcp any any -> any any (msg:"x"; sid : 7 ;)', 'drop tcp any any -> any any (msg:"x"; sid:7;)'], { strictOrder: true })).to.deep.equal([
            "rule 2: sid 7 repeats rule 1",
        ]);
        // A domain that spells a keyword is content, not the keyword: `filestore.example.com` is an allowlist entry.
        expect(lintRules(['pass tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"filestore.example.com"; endswith; msg:"geoip: x"; sid:8;)'], { strictOrder: true })).to.deep.equal([]);
        expect(lintRules(['drop http any any -> any any (msg:"x"; filestore; sid:9;)'], { strictOrder: true })).to.deep.equal(['rule 1: "file keywords" is not supported by AWS Network Firewall']);
        expect(lintRules(['alert tcp any any -> any any (msg:"a \\" geoip: x"; lua:x.lua; sid:10;)'], { strictOrder: true })).to.deep.equal(['rule 1: "lua" is not supported by AWS Network Firewall']);
        const config = loadConfig(fixture("dev"), "dev");
        const plan = planFor({ ...config, firewall: { ...config.firewall, egress: { allowedDomains: ["filestore.example.com", ".filesize.example.net"] } } });
        expect(plan.stateful.rulesString).to.include('"filestore.example.com"');
    });
    it("stops planning with every problem of rules AWS would refuse under STRICT_ORDER, one per line", () => {
        const bad = ['drop tcp any any -> any any (msg:"x"; priority:1; sid:1;)', 'drop tcp any any -> any any (msg:"y"; sid:1;)'];
        expect(() => checkRules(bad)).to.throw(
            'firewall rules are not valid for AWS Network Firewall:\n  rule 1: "priority" is not allowed under STRICT_ORDER (position is the order)\n  rule 2: sid 1 repeats rule 1',
        );
        expect(() => checkRules(['pass tcp any any -> any any (msg:"x"; sid:1;)'])).to.not.throw();
    });
    it("flags repeated sids and passes the stacks' own rules", () => {
        const rule = 'pass tcp any any -> any any (msg:"x"; sid:7;)';
        expect(lintRules([rule, rule], { strictOrder: true })).to.deep.equal(["rule 2: sid 7 repeats rule 1"]);
        for (const { stack } of stackFiles()) {
            const plan = planFor(loadConfig(readStackConfig(stack), stack));
            expect(lintRules(plan.stateful.rules.map((r) => r.text), { strictOrder: true })).to.deep.equal([]);
        }
    });
});

describe("firewall: create-only inputs never follow the allowlists (capacity, type, sids of the fixed rules)", () => {
    // Loaded and planned inside the tests, not while mocha loads the file (see test/securityContent.test.ts, returnPaths).
    const devFixture = () => loadConfig(fixture("dev"), "dev");
    const withLists = (base: StackConfig, domains: number, cidrs: number, denied: number): StackConfig => ({
        ...base,
        firewall: {
            ...base.firewall,
            ingress: { ...base.firewall.ingress, allowedCidrs: Array.from({ length: cidrs }, (_, i) => `44.${i}.0.0/16`) },
            egress: { allowedDomains: Array.from({ length: domains }, (_, i) => (i % 3 === 0 ? `.d${i}.example.com` : `d${i}.example.net`)) },
            deniedCidrs: Array.from({ length: denied }, (_, i) => `45.${i}.0.0/16`),
        },
    });
    const reference = (base: StackConfig) => planFor(withLists(base, 0, 1, 0));

    // AWS Network Firewall Developer Guide, "Setting rule group capacity": a stateful (Suricata) rule costs 1; a
    // stateless rule costs sources x destinations x protocols x port ranges, an empty list counting as 1. Counted here
    // from the rendered rules, not by the planner's own capacity functions.
    const statefulUse = (p: ReturnType<typeof planFor>) => p.stateful.rulesString.trim().split("\n").length;
    const statelessUse = (p: ReturnType<typeof planFor>) =>
        p.stateless.rules.reduce((sum, r) => sum + Math.max(1, r.sources.length) * Math.max(1, r.destinations.length) * Math.max(1, r.protocols.length), 0);

    it(`fits the largest accepted allowlists (${MAX_EGRESS_DOMAINS} domains, ${MAX_DENIED_CIDRS} denied ranges) with 2x headroom, within AWS's 30,000 per group`, () => {
        const base = devFixture();
        const full = planFor(withLists(base, MAX_EGRESS_DOMAINS, 60, MAX_DENIED_CIDRS));
        // Each allowed domain adds a log alert and a pass for TLS and for HTTP; the fixed rules are the reference's.
        expect(statefulUse(full)).to.equal(statefulUse(reference(base)) + 4 * MAX_EGRESS_DOMAINS);
        expect(statelessUse(full)).to.equal(5 + 2 * MAX_DENIED_CIDRS);
        expect(2 * statefulUse(full)).to.be.at.most(full.stateful.capacity);
        expect(2 * statelessUse(full)).to.be.at.most(full.stateless.capacity);
        expect(Math.max(full.stateful.capacity, full.stateless.capacity)).to.be.at.most(30_000);
        expect(() => planFor(withLists(base, MAX_EGRESS_DOMAINS + 1, 1, 0))).to.throw(`exceed the ${MAX_EGRESS_DOMAINS}`);
    });

    it("keeps capacities and the fixed rules for generated allowlist edits within the limits, and the rules always fit", () => {
        const base = devFixture();
        const ref = reference(base);
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: MAX_EGRESS_DOMAINS }),
                fc.integer({ min: 1, max: 60 }),
                fc.integer({ min: 0, max: MAX_DENIED_CIDRS }),
                (domains, cidrs, denied) => {
                    const plan = planFor(withLists(base, domains, cidrs, denied));
                    expect(plan.stateful.capacity).to.equal(ref.stateful.capacity);
                    expect(plan.stateless.capacity).to.equal(ref.stateless.capacity);
                    expect(statefulUse(plan)).to.be.at.most(plan.stateful.capacity);
                    expect(statelessUse(plan)).to.be.at.most(plan.stateless.capacity);
                    const fixed = (p: typeof plan) => p.stateful.rules.filter((r) => !r.intent.endsWith("EgressToDomains")).map((r) => r.text);
                    expect(fixed(plan)).to.deep.equal(fixed(ref));
                },
            ),
            { numRuns: 200 },
        );
    });
});

describe("firewall: capacity", () => {
    it("steps with at least 2x headroom", () => {
        expect([1, 50, 51, 100, 101, 6000].map(capacityWithHeadroom)).to.deep.equal([100, 100, 200, 200, 400, 12800]);
        expect(() => capacityWithHeadroom(20_000)).to.throw("rules need capacity 20000 (x2 headroom = 40000), over the 30000");
    });
    it("counts stateless rules as sources x destinations x protocols", () => {
        expect(statelessCapacityUsed([{ sources: ["a", "b", "c"], destinations: [], protocols: [6, 17] }])).to.equal(6);
        expect(statelessCapacityUsed([{ sources: ["a", "b", "c"], destinations: ["d", "e"], protocols: [6, 17] }, { sources: [], destinations: [], protocols: [] }])).to.equal(13);
    });
});

for (const { stack } of stackFiles()) {
    // Loaded inside the tests, not while mocha loads the file (see test/securityContent.test.ts, returnPaths).
    const configOf = () => loadConfig(readStackConfig(stack), stack);

    describe(`firewall rules (${stack} stack)`, () => {
        it("puts the stack's allowlists, and only them, into the rule variables and rules", () => {
            const config = configOf();
            const plan = planFor(config);
            expect(plan.stateful.variables.ipSets["INGRESS_ALLOWED"]).to.deep.equal(config.firewall.ingress.allowedCidrs);
            expect(plan.stateful.variables.ipSets["HOME_NET"]).to.deep.equal([config.network.cidr]);
            // The load balancer's subnets: the only destination of the ingress pass.
            const publicSubnets = Object.values(planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths).subnets).map((t) => t.public);
            expect(plan.stateful.variables.ipSets["PUBLIC_NET"]).to.have.members(publicSubnets).and.have.length(config.network.availabilityZones.length);
            expect(plan.stateful.variables.portSets["INGRESS_PORTS"]).to.deep.equal(config.firewall.ingress.ports);
            const domains = plan.stateful.rules.filter((r) => r.intent === "allowEgressToDomains").map((r) => /msg:"egress: (?:TLS|HTTP) to ([^"]+)"/.exec(r.text)?.[1]);
            expect([...new Set(domains)]).to.deep.equal(config.firewall.egress.allowedDomains);
            expect(plan.stateful.rulesString).not.to.match(/\d+\.\d+\.\d+\.\d+/); // no addresses inline: all in variables
        });

        it("keeps capacity, type, rule order and sids when the allowlists are edited", () => {
            const config = configOf();
            const before = planFor(config);
            const edited: StackConfig = {
                ...config,
                firewall: {
                    ...config.firewall,
                    ingress: { ...config.firewall.ingress, allowedCidrs: [...config.firewall.ingress.allowedCidrs, "192.0.2.0/24", "44.0.0.0/8"] },
                    egress: { allowedDomains: [...config.firewall.egress.allowedDomains, ".example.org", "api.example.com"] },
                    deniedCidrs: [...config.firewall.deniedCidrs, "198.18.0.0/15"],
                },
            };
            const after = planFor(edited);
            expect(after.stateful.capacity).to.equal(before.stateful.capacity);
            expect(after.stateless.capacity).to.equal(before.stateless.capacity);
            // Domain rules are inserted between path MTU discovery and the default denies; nothing else moves.
            const intents = after.stateful.rules.map((r) => r.intent);
            expect(intents.slice(0, 5)).to.deep.equal(["allowIngressFromAllowlist", "blockQuic", "blockDnsToOtherResolvers", "blockDnsToOtherResolvers", "allowPathMtuDiscovery"]);
            expect(intents.slice(-3)).to.deep.equal(["denyUnsolicitedInbound", "denyOtherUdp", "denyIcmp"]);
            const fixed = (p: typeof before) => p.stateful.rules.filter((r) => !["allowEgressToDomains", "logEgressToDomains"].includes(r.intent)).map((r) => r.text);
            expect(fixed(after)).to.deep.equal(fixed(before));
        });
    });

    describe(`firewall (${stack} stack, mocked AWS returning endpointIds in reverse order)`, () => {
        const reversed = () => synthWith({ stack, endpointOrder: "reversed" });

        it("synthesizes, and the policy references every rule group, STRICT_ORDER, the server-directed application-layer drop + alert", async () => {
            const s = await reversed();
            expect(s.error?.message).to.equal(undefined);
            const groups = ofType(s, "aws-native:networkfirewall:RuleGroup");
            expect(groups.map((g) => g.inputs["type"]).sort()).to.deep.equal(["STATEFUL", "STATELESS"]);
            const policy = one(s, "aws-native:networkfirewall:FirewallPolicy", "secure-ai-policy").inputs["firewallPolicy"] as Record<string, unknown>;
            const refs = [...(policy["statefulRuleGroupReferences"] as { resourceArn: string; priority: number }[]), ...(policy["statelessRuleGroupReferences"] as { resourceArn: string; priority: number }[])];
            expect(refs.map((r) => r.resourceArn).sort()).to.deep.equal(groups.map((g) => g.state["ruleGroupArn"]).sort());
            expect(policy["statefulDefaultActions"]).to.deep.equal(["aws:drop_established_app_layer_to_server", "aws:alert_established_app_layer_to_server"]);
            expect(policy["statelessDefaultActions"]).to.deep.equal(["aws:forward_to_sfe"]);
            expect((policy["statefulEngineOptions"] as Record<string, unknown>)["ruleOrder"]).to.equal("STRICT_ORDER");
            const stateful = groups.find((g) => g.inputs["type"] === "STATEFUL");
            expect(((stateful?.inputs["ruleGroup"] as Record<string, unknown>)["statefulRuleOptions"] as Record<string, unknown>)["ruleOrder"]).to.equal("STRICT_ORDER");
            for (const g of groups) {
                expect(g.inputs["ruleGroupName"], "rule groups are auto-named").to.equal(undefined);
            }
        });

        it("maps a firewall endpoint into every AZ's firewall subnet", async () => {
            const config = configOf();
            const s = await reversed();
            const fw = one(s, "aws-native:networkfirewall:Firewall", "secure-ai-firewall");
            const mapped = (fw.inputs["subnetMappings"] as { subnetId: string }[]).map((m) => byId(s, m.subnetId)?.inputs["availabilityZone"]);
            expect(mapped.sort()).to.deep.equal([...config.network.availabilityZones].sort());
            expect(s.outputs["firewallEndpointIdsByAz"]).to.deep.equal(endpointsByAz(fw.state["endpointIds"] as string[]));
        });

        it("routes each public subnet and its IGW edge route to the endpoint in the same AZ, and the firewall subnet to the IGW", async () => {
            const config = configOf();
            const s = await reversed();
            const fw = one(s, "aws-native:networkfirewall:Firewall", "secure-ai-firewall");
            const endpoints = endpointsByAz(fw.state["endpointIds"] as string[]);
            const igw = one(s, "aws:ec2/internetGateway:InternetGateway", "secure-ai-igw");
            const edgeAssoc = ofType(s, "aws:ec2/routeTableAssociation:RouteTableAssociation").filter((a) => a.inputs["gatewayId"] === igw.id);
            expect(edgeAssoc).to.have.length(1);
            const edgeRoutes = ofType(s, "aws:ec2/route:Route").filter((r) => r.inputs["routeTableId"] === edgeAssoc[0]?.inputs["routeTableId"]);
            expect(edgeRoutes).to.have.length(config.network.availabilityZones.length);
            for (const [az, subnet] of subnetsOfTier(s, "public")) {
                const routes = routesOf(s, routeTableOf(s, subnet));
                const defaults = ofType(s, "aws:ec2/route:Route").filter((r) => r.inputs["routeTableId"] === routeTableOf(s, subnet).id && r.inputs["destinationCidrBlock"] === "0.0.0.0/0");
                expect(routes).to.have.length(1);
                expect(defaults[0]?.inputs["vpcEndpointId"], `public ${az}`).to.equal(endpoints[az]);
                const edge = edgeRoutes.filter((r) => r.inputs["destinationCidrBlock"] === subnet.inputs["cidrBlock"]);
                expect(edge.map((r) => r.inputs["vpcEndpointId"]), `IGW edge for ${az}`).to.deep.equal([endpoints[az]]);
            }
            for (const [az, subnet] of subnetsOfTier(s, "firewall")) {
                const defaults = ofType(s, "aws:ec2/route:Route").filter((r) => r.inputs["routeTableId"] === routeTableOf(s, subnet).id);
                expect(defaults.map((r) => [r.inputs["destinationCidrBlock"], r.inputs["gatewayId"]]), `firewall ${az}`).to.deep.equal([["0.0.0.0/0", igw.id]]);
            }
        });

        it("sets delete, subnet-change and policy-change protection as configured", async () => {
            const config = configOf();
            const s = await synth(stack);
            const fw = one(s, "aws-native:networkfirewall:Firewall", "secure-ai-firewall");
            expect([fw.inputs["deleteProtection"], fw.inputs["subnetChangeProtection"], fw.inputs["firewallPolicyChangeProtection"]]).to.deep.equal([
                config.firewall.protections.deletion,
                config.firewall.protections.subnetChange,
                config.firewall.protections.policyChange,
            ]);
        });

        it("sends ALERT and FLOW logs to KMS-encrypted log groups with the stack's retention", async () => {
            const config = configOf();
            const s = await synth(stack);
            const logging = one(s, "aws-native:networkfirewall:LoggingConfiguration", "secure-ai-logging");
            const configs = ((logging.inputs["loggingConfiguration"] as Record<string, unknown>)["logDestinationConfigs"] as { logType: string; logDestination: { logGroup: string } }[]);
            expect(configs.map((c) => c.logType).sort()).to.deep.equal(["ALERT", "FLOW"]);
            const key = ofType(s, "aws:kms/key:Key")[0];
            for (const c of configs) {
                const group = ofType(s, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.state["name"] === c.logDestination.logGroup);
                expect(group?.inputs["retentionInDays"]).to.equal(config.firewall.logRetentionDays);
                expect(group?.inputs["kmsKeyId"]).to.equal(key?.state["arn"]);
            }
        });
    });
}
