// Route 53 Resolver DNS Firewall: the planner's pure parts, then every stack's synthesized DNS Firewall decided query
// by query (the DNS journeys), fail-closed, and its query log.
import { expect } from "chai";
import { loadConfig, type StackConfig } from "../config/load";
import { awsServiceDomains, dnsFirewallDomains, planDnsFirewall } from "../firewall/dns";
import { decideDnsQuery, dnsFirewallOf, domainMatches } from "../firewall/dnsDecision";
import { dnsJourneys } from "../firewall/dnsJourneys";
import { readStackConfig, stackFiles } from "../offline/synth";
import { byId, fixture, must, ofType, synth } from "./support";

describe("DNS Firewall: domain specifications", () => {
    const cases: { spec: string; name: string; matches: boolean }[] = [
        { spec: "*", name: "anything.example", matches: true },
        { spec: "*.pypi.org", name: "files.pypi.org", matches: true },
        { spec: "*.pypi.org", name: "a.b.pypi.org.", matches: true },
        { spec: "*.pypi.org", name: "notpypi.org", matches: false },
        { spec: "*.pypi.org", name: "pypi.org.attacker.invalid", matches: false },
        { spec: "pypi.org", name: "PyPI.org", matches: true },
        { spec: "pypi.org", name: "x.pypi.org", matches: false },
    ];
    for (const c of cases) {
        it(`${c.spec} ${c.matches ? "matches" : "does not match"} ${c.name}`, () => {
            expect(domainMatches(c.spec, c.name)).to.equal(c.matches);
        });
    }

    it("writes an allowlist entry the way Network Firewall reads it: .x = x and its subdomains; x = x only", () => {
        expect(dnsFirewallDomains(".pypi.org")).to.deep.equal(["pypi.org", "*.pypi.org"]);
        expect(dnsFirewallDomains("files.pythonhosted.org")).to.deep.equal(["files.pythonhosted.org"]);
    });

    it("admits AWS's regional names, endpoint-specific names and EC2 host names (ec2.internal only in us-east-1)", () => {
        expect(awsServiceDomains("us-west-2")).to.deep.equal(["*.us-west-2.amazonaws.com", "*.us-west-2.vpce.amazonaws.com", "*.us-west-2.compute.internal"]);
        expect(awsServiceDomains("us-east-1")).to.include("*.ec2.internal");
    });

    it("has Advanced rules only with a confidence and a wildcard allowlist entry (nowhere else can they change an answer)", () => {
        const intents = (threatConfidence: "off" | "HIGH", egressAllowedDomains: string[]) =>
            planDnsFirewall({ region: "us-west-2", egressAllowedDomains, dns: { threatConfidence, managedThreatListIds: [] } }).rules.map((r) => r.intent);
        expect(intents("off", [".pypi.org"])).to.deep.equal(["allowAwsServiceNames", "allowEgressDomains", "blockEverythingElse"]);
        expect(intents("HIGH", ["pypi.org"])).to.deep.equal(["allowAwsServiceNames", "allowEgressDomains", "blockEverythingElse"]);
        expect(intents("HIGH", [])).to.deep.equal(["allowAwsServiceNames", "blockEverythingElse"]);
        expect(intents("HIGH", [".pypi.org"])).to.deep.equal(["allowAwsServiceNames", "blockDnsTunneling", "blockDga", "blockDictionaryDga", "allowEgressDomains", "blockEverythingElse"]);
    });

    it("gives every rule a distinct priority in evaluation order", () => {
        const priorities = planDnsFirewall({ region: "us-west-2", egressAllowedDomains: [".a.example"], dns: { threatConfidence: "LOW", managedThreatListIds: ["rslvr-fdl-1", "rslvr-fdl-2"] } }).rules.map((r) => r.priority);
        expect(new Set(priorities).size).to.equal(priorities.length);
        expect([...priorities].sort((a, b) => a - b)).to.deep.equal(priorities);
    });
});

describe("DNS Firewall: config", () => {
    const base = fixture("dev");
    const withDns = (dns: unknown) => {
        const firewall = JSON.parse(base["secure-ai:firewall"] ?? "{}") as Record<string, unknown>;
        return { ...base, "secure-ai:firewall": JSON.stringify({ ...firewall, dns }) };
    };
    const cases: { name: string; dns: unknown; message: string }[] = [
        { name: "a confidence AWS does not have", dns: { threatConfidence: "VERY_HIGH" }, message: 'secure-ai:firewall.dns.threatConfidence: "VERY_HIGH" is not a confidence threshold (HIGH, MEDIUM, LOW, or off)' },
        { name: "a list id with a slash", dns: { managedThreatListIds: ["rslvr-fdl/x"] }, message: 'secure-ai:firewall.dns.managedThreatListIds[0]: "rslvr-fdl/x" is not a domain list id' },
        { name: "an unknown key", dns: { blockAll: false }, message: "secure-ai:firewall.dns.blockAll: unknown key (allowed keys: threatConfidence, managedThreatListIds)" },
    ];
    for (const c of cases) {
        it(`refuses ${c.name}, naming the key path`, () => {
            expect(() => loadConfig(withDns(c.dns), "dev")).to.throw(c.message);
        });
    }
});

for (const { stack } of stackFiles()) {
    describe(`DNS Firewall (${stack} stack)`, () => {
        const config: StackConfig = loadConfig(readStackConfig(stack), stack);

        it("associates one rule group with the VPC, fails closed and logs every query to a KMS-encrypted log group of the stack", async () => {
            const s = await synth(stack);
            const vpc = must(ofType(s, "aws:ec2/vpc:Vpc")[0], "the VPC");
            const firewall = dnsFirewallOf(s.resources, vpc.id);
            expect(firewall.ruleGroups).to.have.length(1);
            expect(firewall.failOpen).to.equal("DISABLED");
            expect(firewall.queryLogged).to.equal(true);
            const association = must(ofType(s, "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation")[0], "query log association");
            const logConfig = must(byId(s, association.inputs["resolverQueryLogConfigId"]), "query log config");
            const group = must(ofType(s, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.state["arn"] === logConfig.inputs["destinationArn"]), "query log group");
            const key = must(ofType(s, "aws:kms/key:Key")[0], "stack key");
            expect(group.inputs["kmsKeyId"]).to.equal(key.state["arn"]);
            // A stack not yet deployed names its log groups namePrefix + the provider's unique id (baseline/logGroupNames.ts),
            // so a group kept by an earlier destroy never collides; the physical name is under the stack's prefix.
            expect(group.inputs["name"]).to.equal(undefined);
            expect(group.inputs["namePrefix"]).to.equal(`/secure-ai/${stack}/dns-queries-`);
            expect(String(group.state["name"])).to.match(new RegExp(`^/secure-ai/${stack}/dns-queries-`));
            expect(group.inputs["retentionInDays"]).to.equal(config.firewall.logRetentionDays);
        });

        describe("journeys (decided over the synthesized rule group)", () => {
            for (const journey of dnsJourneys(config)) {
                it(`${journey.name}: ${journey.expected.outcome} by ${journey.expected.rule}`, async () => {
                    const s = await synth(stack);
                    const vpc = must(ofType(s, "aws:ec2/vpc:Vpc")[0], "the VPC");
                    const decision = decideDnsQuery(dnsFirewallOf(s.resources, vpc.id), journey.query);
                    expect({ outcome: decision.outcome, rule: decision.rule, logged: decision.logged }, decision.explanation.join("; ")).to.deep.equal(journey.expected);
                });
            }
        });
    });
}
