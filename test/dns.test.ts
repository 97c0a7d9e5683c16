// Route 53 Resolver DNS Firewall: the planner's pure parts, then every stack's synthesized DNS Firewall decided query
// by query (the DNS journeys), fail-closed, and its query log.
import { expect } from "chai";
import { loadConfig, type StackConfig } from "../config/load";
import { awsServiceDomains, dnsFirewallDomains, managedListIntent, planDnsFirewall } from "../firewall/dns";
import { MANAGED_DOMAIN_LIST_NAMES, MANAGED_OWNER_NAME, managedListIds, managedListProblems, type ManagedDomainListName } from "../firewall/managedDomainLists";
import { lookupFirewallDomainLists, setDomainListLister } from "../firewall/managedDomainListLookup";
import { mockFirewallDomainLists } from "../offline/mocks";
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
            planDnsFirewall({ region: "us-west-2", egressAllowedDomains, dns: { threatConfidence, managedDomainLists: [] }, managedDomainListIds: new Map() }).rules.map((r) => r.intent);
        expect(intents("off", [".pypi.org"])).to.deep.equal(["allowAwsServiceNames", "allowEgressDomains", "blockEverythingElse"]);
        expect(intents("HIGH", ["pypi.org"])).to.deep.equal(["allowAwsServiceNames", "allowEgressDomains", "blockEverythingElse"]);
        expect(intents("HIGH", [])).to.deep.equal(["allowAwsServiceNames", "blockEverythingElse"]);
        expect(intents("HIGH", [".pypi.org"])).to.deep.equal(["allowAwsServiceNames", "blockDnsTunneling", "blockDga", "blockDictionaryDga", "allowEgressDomains", "blockEverythingElse"]);
    });

    const ids = managedListIds(mockFirewallDomainLists("us-west-2"));

    it("blocks AWS's managed lists before any ALLOW, at priorities fixed by the list table (opting out of one renumbers no other)", () => {
        const plan = (lists: ManagedDomainListName[]) =>
            planDnsFirewall({ region: "us-west-2", egressAllowedDomains: [".a.example"], dns: { threatConfidence: "off", managedDomainLists: lists }, managedDomainListIds: ids }).rules;
        const all = plan([...MANAGED_DOMAIN_LIST_NAMES].reverse());
        expect(all.map((r) => r.intent)).to.deep.equal([...MANAGED_DOMAIN_LIST_NAMES.map(managedListIntent), "allowAwsServiceNames", "allowEgressDomains", "blockEverythingElse"]);
        expect(all.slice(0, 4).map((r) => r.match)).to.deep.equal(MANAGED_DOMAIN_LIST_NAMES.map((list) => ({ kind: "managed", list, domainListId: ids.get(list) })));
        const priorityOf = (rules: readonly { intent: string; priority: number }[], intent: string) => rules.find((r) => r.intent === intent)?.priority;
        const without = plan(MANAGED_DOMAIN_LIST_NAMES.filter((l) => l !== "AWSManagedDomainsBotnetCommandandControl"));
        for (const rule of without) {
            expect(rule.priority, rule.intent).to.equal(priorityOf(all, rule.intent));
        }
        expect(plan([]).map((r) => r.intent)).to.deep.equal(["allowAwsServiceNames", "allowEgressDomains", "blockEverythingElse"]);
    });

    it("names AWS's managed lists only by ListFirewallDomainLists entries AWS owns, and reports a list the region does not offer at its key path", () => {
        const own = { Id: "rslvr-fdl-00000000000000aa", Name: "AWSManagedDomainsMalwareDomainList" };
        const found = managedListIds([own, { Id: "rslvr-fdl-00000000000000bb", Name: "AWSManagedDomainsBotnetCommandandControl", ManagedOwnerName: MANAGED_OWNER_NAME }]);
        expect([...found]).to.deep.equal([["AWSManagedDomainsBotnetCommandandControl", "rslvr-fdl-00000000000000bb"]]);
        expect(managedListProblems(["AWSManagedDomainsBotnetCommandandControl", "AWSManagedDomainsMalwareDomainList"], found, "ap-south-2")).to.deep.equal([
            {
                path: "secure-ai:firewall.dns.managedDomainLists[1]",
                message:
                    '"AWSManagedDomainsMalwareDomainList" is not an AWS managed domain list in ap-south-2 (offered there: AWSManagedDomainsBotnetCommandandControl); remove it, or set managedDomainLists: [] where AWS offers none',
            },
        ]);
    });

    it("reports a lookup AWS refuses as one problem at the key, naming the call and AWS's error", async () => {
        const denied = new Error("User is not authorized to perform: route53resolver:ListFirewallDomainLists");
        denied.name = "AccessDeniedException";
        const previous = setDomainListLister(() => Promise.reject(denied));
        try {
            expect(await lookupFirewallDomainLists("us-west-2", undefined)).to.deep.equal({
                lists: [],
                problems: [
                    {
                        path: "secure-ai:firewall.dns.managedDomainLists",
                        message:
                            "the AWS managed domain lists of us-west-2 could not be looked up at preview (route53resolver:ListFirewallDomainLists in us-west-2 failed: " +
                            "AccessDeniedException: User is not authorized to perform: route53resolver:ListFirewallDomainLists); a retry will not help: grant route53resolver:ListFirewallDomainLists " +
                            "to the identity that runs the program (the bootstrap's roles have it) or renew its credentials, or set managedDomainLists: [] to block none " +
                            "(the DNS Firewall then blocks no AWS managed threat list)",
                    },
                ],
            });
        } finally {
            setDomainListLister(previous);
        }
    });

    it("gives every rule a distinct priority in evaluation order", () => {
        const priorities = planDnsFirewall({ region: "us-west-2", egressAllowedDomains: [".a.example"], dns: { threatConfidence: "LOW", managedDomainLists: [...MANAGED_DOMAIN_LIST_NAMES] }, managedDomainListIds: ids }).rules.map((r) => r.priority);
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
        {
            name: "a list AWS does not have (an id where a name belongs)",
            dns: { managedDomainLists: ["rslvr-fdl-0123456789abcdef"] },
            message: `secure-ai:firewall.dns.managedDomainLists[0]: "rslvr-fdl-0123456789abcdef" is not an AWS managed domain list (allowed: ${MANAGED_DOMAIN_LIST_NAMES.join(", ")})`,
        },
        { name: "a list twice", dns: { managedDomainLists: ["AWSManagedDomainsMalwareDomainList", "AWSManagedDomainsMalwareDomainList"] }, message: 'secure-ai:firewall.dns.managedDomainLists[1]: "AWSManagedDomainsMalwareDomainList" duplicates entry [0]' },
        { name: "an unknown key", dns: { blockAll: false }, message: "secure-ai:firewall.dns.blockAll: unknown key (allowed keys: threatConfidence, managedDomainLists)" },
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

        // The names the synthesis's ListFirewallDomainLists gave AWS's lists in the region, by id.
        const managedListNames = new Map([...managedListIds(mockFirewallDomainLists(config.region))].map(([name, id]) => [id, name]));

        it("blocks the configured AWS managed lists by the ids Route 53 Resolver reports in the region", async () => {
            const s = await synth(stack);
            const vpc = must(ofType(s, "aws:ec2/vpc:Vpc")[0], "the VPC");
            const rules = must(dnsFirewallOf(s.resources, vpc.id, managedListNames).ruleGroups[0], "rule group").rules.filter((r) => r.managedListId !== undefined);
            const expected = MANAGED_DOMAIN_LIST_NAMES.filter((l) => config.firewall.dns.managedDomainLists.includes(l));
            expect(rules.map((r) => [r.name, r.action, r.managedListName])).to.deep.equal(expected.map((l) => [managedListIntent(l), "BLOCK", l]));
        });

        describe("journeys (decided over the synthesized rule group)", () => {
            for (const journey of dnsJourneys(config)) {
                it(`${journey.name}: ${journey.expected.outcome} by ${journey.expected.rule}`, async () => {
                    const s = await synth(stack);
                    const vpc = must(ofType(s, "aws:ec2/vpc:Vpc")[0], "the VPC");
                    const decision = decideDnsQuery(dnsFirewallOf(s.resources, vpc.id, managedListNames), journey.query);
                    expect({ outcome: decision.outcome, rule: decision.rule, logged: decision.logged }, decision.explanation.join("; ")).to.deep.equal(journey.expected);
                });
            }
        });
    });
}
