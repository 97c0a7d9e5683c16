// Route 53 Resolver DNS Firewall: the planner's pure parts, how AWS decides a query over deployed resources, the plan's
// rule group deciding every DNS journey of each stack file (pure: these blocks run under `npm run mutate`), then every
// stack's synthesized DNS Firewall: the same rule group as the plan's, fail-closed, its query log, its journeys.
// No core code runs while mocha loads this file (docs/mutation.md): configs and plans are built inside the tests.
import { Action, BlockResponse, FirewallFailOpenStatus } from "@aws-sdk/client-route53resolver";
import { expect } from "chai";
import { loadConfig, type RawConfig, type StackConfig } from "../config/load";
import { awsServiceDomains, dnsFirewallDomains, managedListIntent, planDnsFirewall, type DnsFirewallPlan } from "../firewall/dns";
import { MANAGED_DOMAIN_LIST_NAMES, MANAGED_OWNER_NAME, managedListIds, managedListProblems, type ManagedDomainListName } from "../firewall/managedDomainLists";
import { lookupFirewallDomainLists, setDomainListLister } from "../firewall/managedDomainListLookup";
import { mockFirewallDomainLists } from "../offline/mocks";
import { decideDnsQuery, dnsFirewallOf, domainMatches, type DeployedDnsFirewall, type DnsQuery, type ResourceRecord } from "../firewall/dnsDecision";
import { dnsJourneys, type DnsJourney } from "../firewall/dnsJourneys";
import { readStackConfig, stackFiles } from "../offline/synth";
import { byId, fixture, must, ofType, synth, type FixtureName } from "./support";

/** Resource types of DNS Firewall as @pulumi/aws registers them (what dnsFirewallOf reads). */
const TYPE = {
    list: "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList",
    rule: "aws:route53/resolverFirewallRule:ResolverFirewallRule",
    association: "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation",
    config: "aws:route53/resolverFirewallConfig:ResolverFirewallConfig",
    queryLogAssociation: "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation",
} as const;

const VPC = "vpc-0a1b2c3d4e5f60718";

/** The region's AWS managed lists, name -> id, as the offline ListFirewallDomainLists answers (offline/mocks.ts). */
const listIdsOf = (region: string) => managedListIds(mockFirewallDomainLists(region));
/** The same, id -> name (what dnsFirewallOf takes). */
const listNamesOf = (region: string) => new Map([...listIdsOf(region)].map(([name, id]) => [id, name]));

/** The DNS Firewall plan of a loaded config, with the region's managed list ids. */
function planOf(config: StackConfig): DnsFirewallPlan {
    return planDnsFirewall({
        region: config.region,
        egressAllowedDomains: config.firewall.egress.allowedDomains,
        dns: config.firewall.dns,
        managedDomainListIds: listIdsOf(config.region),
    });
}

/**
 * A plan as the DnsFirewall component registers it (firewall/dnsFirewall.ts: one domain list per plan list, one rule
 * per plan rule, the group associated with the VPC, the config, the query log association), with the provider's input
 * keys. The synthesized suite below proves that the component's resources read back as the same firewall.
 */
function planRecords(plan: DnsFirewallPlan, vpcId: string): ResourceRecord[] {
    const group = "rslvr-frg-0000000000000001";
    const listId = (key: string) => `rslvr-fdl-${key}`;
    const records: ResourceRecord[] = plan.domainLists.map((l) => ({ type: TYPE.list, id: listId(l.key), inputs: { domains: [...l.domains] } }));
    for (const rule of plan.rules) {
        const match = rule.match;
        let target: Record<string, unknown>;
        if (match.kind === "list") {
            const list = must(plan.domainLists.find((l) => l.key === match.list), `the domain list ${match.list} of rule ${rule.intent}`);
            target = { firewallDomainListId: listId(list.key) };
        } else if (match.kind === "managed") {
            target = { firewallDomainListId: match.domainListId };
        } else {
            target = { dnsThreatProtection: match.protection, confidenceThreshold: match.confidence };
        }
        const blockResponse = rule.blockResponse === undefined ? {} : { blockResponse: rule.blockResponse };
        records.push({ type: TYPE.rule, id: `rule-${rule.intent}`, inputs: { name: rule.intent, firewallRuleGroupId: group, priority: rule.priority, action: rule.action, ...blockResponse, ...target } });
    }
    records.push(
        { type: TYPE.association, id: "rslvr-frgassoc-1", inputs: { firewallRuleGroupId: group, vpcId, priority: 1000 } },
        { type: TYPE.config, id: "rslvr-fc-1", inputs: { resourceId: vpcId, firewallFailOpen: plan.failOpen } },
        { type: TYPE.queryLogAssociation, id: "rslvr-qlcassoc-1", inputs: { resolverQueryLogConfigId: "rslvr-qlc-1", resourceId: vpcId } },
    );
    return records;
}

/** The firewall a config deploys, read back from the plan's resources. */
function plannedFirewall(config: StackConfig): DeployedDnsFirewall {
    return dnsFirewallOf(planRecords(planOf(config), VPC), VPC, listNamesOf(config.region));
}

/** Every journey whose decision differs from what it expects, with the decision's explanation. */
function wrongJourneys(firewall: DeployedDnsFirewall, journeys: readonly DnsJourney[]): string[] {
    return journeys.flatMap((j) => {
        const d = decideDnsQuery(firewall, j.query);
        const got = { outcome: d.outcome, rule: d.rule, logged: d.logged };
        return JSON.stringify(got) === JSON.stringify(j.expected) ? [] : [`${j.name}: expected ${JSON.stringify(j.expected)}, got ${JSON.stringify(got)} (${d.explanation.join("; ")})`];
    });
}

/** A fixture with its `secure-ai:firewall` changed. */
function withFirewall(name: FixtureName, change: (firewall: Record<string, unknown>) => Record<string, unknown>): RawConfig {
    const raw = fixture(name);
    const firewall = JSON.parse(raw["secure-ai:firewall"] ?? "{}") as Record<string, unknown>;
    return { ...raw, "secure-ai:firewall": JSON.stringify(change(firewall)) };
}
const withDns = (name: FixtureName, dns: unknown) => withFirewall(name, (f) => ({ ...f, dns }));
/** The config moved to us-east-1 (two of its AZs), the one region with `ec2.internal` host names. */
function inUsEast1(raw: RawConfig): RawConfig {
    const network = JSON.parse(raw["secure-ai:network"] ?? "{}") as Record<string, unknown>;
    return { ...raw, "aws:region": "us-east-1", "secure-ai:network": JSON.stringify({ ...network, availabilityZones: ["us-east-1a", "us-east-1b"] }) };
}
const withDomains = (name: FixtureName, allowedDomains: string[]) => withFirewall(name, (f) => ({ ...f, egress: { ...(f["egress"] as object), allowedDomains } }));

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

    const ids = () => listIdsOf("us-west-2");

    it("blocks AWS's managed lists before any ALLOW, at priorities fixed by the list table (opting out of one renumbers no other)", () => {
        const plan = (lists: ManagedDomainListName[]) =>
            planDnsFirewall({ region: "us-west-2", egressAllowedDomains: [".a.example"], dns: { threatConfidence: "off", managedDomainLists: lists }, managedDomainListIds: ids() }).rules;
        const all = plan([...MANAGED_DOMAIN_LIST_NAMES].reverse());
        expect(all.map((r) => r.intent)).to.deep.equal([...MANAGED_DOMAIN_LIST_NAMES.map(managedListIntent), "allowAwsServiceNames", "allowEgressDomains", "blockEverythingElse"]);
        expect(all.slice(0, 4).map((r) => r.match)).to.deep.equal(MANAGED_DOMAIN_LIST_NAMES.map((list) => ({ kind: "managed", list, domainListId: ids().get(list) })));
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

    it("ignores entries ListFirewallDomainLists reports without a name or an id, and names what the region offers, sorted, or none", () => {
        const owner = { ManagedOwnerName: MANAGED_OWNER_NAME };
        const found = managedListIds([
            { ...owner, Id: "rslvr-fdl-0000000000000001", Name: "AWSManagedDomainsMalwareDomainList" },
            { ...owner, Name: "AWSManagedDomainsAggregateThreatList" },
            { ...owner, Id: "rslvr-fdl-0000000000000003" },
            { ...owner, Id: "rslvr-fdl-0000000000000004", Name: "AWSManagedDomainsBotnetCommandandControl" },
        ]);
        expect([...found]).to.deep.equal([
            ["AWSManagedDomainsMalwareDomainList", "rslvr-fdl-0000000000000001"],
            ["AWSManagedDomainsBotnetCommandandControl", "rslvr-fdl-0000000000000004"],
        ]);
        expect(managedListProblems(["AWSManagedDomainsMalwareDomainList"], found, "us-west-2")).to.deep.equal([]);
        expect(managedListProblems(["AWSManagedDomainsAggregateThreatList"], found, "us-west-2").map((p) => p.message)).to.deep.equal([
            '"AWSManagedDomainsAggregateThreatList" is not an AWS managed domain list in us-west-2 (offered there: AWSManagedDomainsBotnetCommandandControl, AWSManagedDomainsMalwareDomainList); remove it, or set managedDomainLists: [] where AWS offers none',
        ]);
        expect(managedListProblems(["AWSManagedDomainsMalwareDomainList"], new Map(), "ap-east-2")[0]?.message).to.include("in ap-east-2 (offered there: none)");
    });

    it("refuses to plan a managed list without its id (config checking reports a list the region does not offer before planning)", () => {
        const plan = () => planDnsFirewall({ region: "us-west-2", egressAllowedDomains: [], dns: { threatConfidence: "off", managedDomainLists: ["AWSManagedDomainsMalwareDomainList"] }, managedDomainListIds: new Map() });
        expect(plan).to.throw("internal: no id for the AWS managed domain list AWSManagedDomainsMalwareDomainList");
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
        const priorities = planDnsFirewall({ region: "us-west-2", egressAllowedDomains: [".a.example"], dns: { threatConfidence: "LOW", managedDomainLists: [...MANAGED_DOMAIN_LIST_NAMES] }, managedDomainListIds: ids() }).rules.map((r) => r.priority);
        expect(new Set(priorities).size).to.equal(priorities.length);
        expect([...priorities].sort((a, b) => a - b)).to.deep.equal(priorities);
    });
});

describe("DNS Firewall: config", () => {
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
            expect(() => loadConfig(withDns("dev", c.dns), "dev")).to.throw(c.message);
        });
    }
});

describe("DNS Firewall: how AWS decides a query over deployed resources", () => {
    // Deployed resources as the provider reports them: two rule groups on the VPC, given out of order, with rules out of
    // order, and a group of another VPC that must not count.
    const records = (): ResourceRecord[] => [
        { type: TYPE.list, id: "fdl-corp", inputs: { domains: ["*.corp.example", "corp.example"] } },
        { type: TYPE.list, id: "fdl-bad", inputs: { domains: ["bad.corp.example"] } },
        { type: TYPE.list, id: "fdl-all", inputs: { domains: ["*"] } },
        { type: TYPE.list, id: "fdl-empty", inputs: {} },
        { type: TYPE.rule, id: "r1", inputs: { name: "blockAll", firewallRuleGroupId: "frg-late", priority: 900, action: "BLOCK", blockResponse: "NXDOMAIN", firewallDomainListId: "fdl-all" } },
        { type: TYPE.rule, id: "r2", inputs: { name: "allowCorp", firewallRuleGroupId: "frg-late", priority: 100, action: "ALLOW", firewallDomainListId: "fdl-corp" } },
        { type: TYPE.rule, id: "r3", inputs: { name: "alertBad", firewallRuleGroupId: "frg-early", priority: 300, action: "ALERT", firewallDomainListId: "fdl-bad" } },
        { type: TYPE.rule, id: "r4", inputs: { name: "blockBad", firewallRuleGroupId: "frg-early", priority: 200, action: "BLOCK", blockResponse: "NXDOMAIN", firewallDomainListId: "fdl-bad" } },
        { type: TYPE.rule, id: "r5", inputs: { name: "blockMalware", firewallRuleGroupId: "frg-early", priority: 150, action: "BLOCK", blockResponse: "NXDOMAIN", firewallDomainListId: "rslvr-fdl-aws-malware" } },
        { type: TYPE.rule, id: "r6", inputs: { name: "blockUnnamed", firewallRuleGroupId: "frg-early", priority: 160, action: "BLOCK", blockResponse: "NXDOMAIN", firewallDomainListId: "rslvr-fdl-aws-unnamed" } },
        { type: TYPE.rule, id: "r7", inputs: { name: "blockTunnels", firewallRuleGroupId: "frg-early", priority: 170, action: "BLOCK", blockResponse: "NXDOMAIN", dnsThreatProtection: "DNS_TUNNELING", confidenceThreshold: "HIGH" } },
        { type: TYPE.rule, id: "r8", inputs: { name: "blockEmpty", firewallRuleGroupId: "frg-early", priority: 180, action: "BLOCK", blockResponse: "NXDOMAIN", firewallDomainListId: "fdl-empty" } },
        { type: TYPE.rule, id: "r9", inputs: { name: "allowEverything", firewallRuleGroupId: "frg-other-vpc", priority: 100, action: "ALLOW", firewallDomainListId: "fdl-all" } },
        // A rule with neither a domain list nor a protection (AWS requires one of them) matches no query.
        { type: TYPE.rule, id: "r10", inputs: { name: "blockNothing", firewallRuleGroupId: "frg-early", priority: 105, action: "BLOCK", blockResponse: "NXDOMAIN" } },
        { type: TYPE.association, id: "a1", inputs: { firewallRuleGroupId: "frg-late", vpcId: VPC, priority: 2000 } },
        { type: TYPE.association, id: "a2", inputs: { firewallRuleGroupId: "frg-early", vpcId: VPC, priority: 101 } },
        { type: TYPE.association, id: "a3", inputs: { firewallRuleGroupId: "frg-other-vpc", vpcId: "vpc-other", priority: 100 } },
        { type: TYPE.config, id: "c1", inputs: { resourceId: "vpc-other", firewallFailOpen: "ENABLED" } },
        { type: TYPE.config, id: "c2", inputs: { resourceId: VPC, firewallFailOpen: "DISABLED" } },
        { type: TYPE.queryLogAssociation, id: "q1", inputs: { resolverQueryLogConfigId: "qlc-1", resourceId: VPC } },
    ];
    const names = new Map([["rslvr-fdl-aws-malware", "AWSManagedDomainsMalwareDomainList"]]);
    const firewall = (rs = records()) => dnsFirewallOf(rs, VPC, names);
    const decide = (query: DnsQuery, rs = records()) => decideDnsQuery(firewall(rs), query);
    const outcome = (query: DnsQuery, rs = records()) => {
        const d = decide(query, rs);
        return [d.outcome, d.rule];
    };

    it("reads only the VPC's own associations, config and query log, each rule group with its own rules", () => {
        const f = firewall();
        expect(f.ruleGroups.map((g) => [g.id, g.priority, g.rules.map((r) => r.name)])).to.deep.equal([
            ["frg-late", 2000, ["blockAll", "allowCorp"]],
            ["frg-early", 101, ["alertBad", "blockBad", "blockMalware", "blockUnnamed", "blockTunnels", "blockEmpty", "blockNothing"]],
        ]);
        const rules = new Map(f.ruleGroups.flatMap((g) => g.rules).map((r) => [r.name, r]));
        expect(rules.get("allowCorp")).to.deep.equal({ name: "allowCorp", priority: 100, action: "ALLOW", domains: ["*.corp.example", "corp.example"] });
        expect(rules.get("blockEmpty")?.domains).to.deep.equal([]);
        expect(rules.get("blockMalware")).to.deep.include({ managedListId: "rslvr-fdl-aws-malware", managedListName: "AWSManagedDomainsMalwareDomainList" });
        expect(rules.get("blockUnnamed")).to.deep.equal({ name: "blockUnnamed", priority: 160, action: "BLOCK", managedListId: "rslvr-fdl-aws-unnamed" });
        expect(rules.get("blockTunnels")).to.deep.equal({ name: "blockTunnels", priority: 170, action: "BLOCK", threat: "DNS_TUNNELING" });
        expect([f.vpcId, f.failOpen, f.queryLogged]).to.deep.equal([VPC, "DISABLED", true]);
        // FirewallFailOpen is DISABLED, ENABLED or USE_LOCAL_RESOURCE_SETTING (@aws-sdk/client-route53resolver 3.654.0,
        // FirewallFailOpenStatus): anything but the first two says nothing about this VPC's own setting.
        expect(Object.values(FirewallFailOpenStatus)).to.include.members(["DISABLED", "ENABLED"]);
        const without = (type: string) => records().filter((r) => !(r.type === type && r.inputs["resourceId"] === VPC));
        expect(firewall(without(TYPE.config)).failOpen).to.equal(undefined);
        expect(firewall(without(TYPE.queryLogAssociation)).queryLogged).to.equal(false);
        const loggedElsewhere = [...without(TYPE.queryLogAssociation), { type: TYPE.queryLogAssociation, id: "q2", inputs: { resolverQueryLogConfigId: "qlc-1", resourceId: "vpc-other" } }];
        expect(firewall(loggedElsewhere).queryLogged).to.equal(false);
        const other = records().map((r) => (r.type === TYPE.config && r.inputs["resourceId"] === VPC ? { ...r, inputs: { ...r.inputs, firewallFailOpen: "USE_LOCAL_RESOURCE_SETTING" } } : r));
        expect(firewall(other).failOpen).to.equal(undefined);
        const open = records().map((r) => (r.type === TYPE.config && r.inputs["resourceId"] === VPC ? { ...r, inputs: { ...r.inputs, firewallFailOpen: "ENABLED" } } : r));
        expect(firewall(open).failOpen).to.equal("ENABLED");
    });

    it("evaluates the rule group of the lowest association priority first, and inside it the rule of the lowest priority", () => {
        // AssociateFirewallRuleGroup Priority: "DNS Firewall filters VPC traffic starting from the rule group with the
        // lowest numeric priority setting"; FirewallRule Priority: "DNS Firewall processes the rules in a rule group by
        // order of priority, starting from the lowest setting" (@aws-sdk/client-route53resolver 3.654.0).
        // bad.corp.example: blockBad (frg-early, 200) before alertBad (300), frg-early (101) before allowCorp (frg-late).
        expect(outcome({ name: "bad.corp.example" })).to.deep.equal(["blocked", "blockBad"]);
        expect(outcome({ name: "www.corp.example" })).to.deep.equal(["resolves", "allowCorp"]);
        expect(outcome({ name: "corp.example" })).to.deep.equal(["resolves", "allowCorp"]);
        expect(outcome({ name: "elsewhere.example" })).to.deep.equal(["blocked", "blockAll"]);
        const d = decide({ name: "bad.corp.example" });
        expect(d.explanation).to.have.length(2);
        expect(d.explanation[0]).to.include("frg-early").and.include("blockBad").and.include("BLOCK");
        expect(d.explanation[1]).to.include("bad.corp.example").and.include("blocked");
    });

    it("stops at the first rule that matches, whatever its action: Alert lets the query through (Route 53 Developer Guide, \"Rule actions in DNS Firewall\")", () => {
        // "Alert – Stop inspecting the query, permit it to go through, and log an alert for the query".
        const alertFirst = records().map((r) => (r.inputs["name"] === "alertBad" ? { ...r, inputs: { ...r.inputs, priority: 110 } } : r));
        expect(outcome({ name: "bad.corp.example" }, alertFirst)).to.deep.equal(["resolves", "alertBad"]);
        const d = decide({ name: "bad.corp.example" }, alertFirst);
        expect(d.explanation.filter((line) => line.includes("blockBad"))).to.deep.equal([]);
    });

    it("resolves a query no rule matches, and logs every decision only where the VPC has a query log", () => {
        const noCatchAll = records().filter((r) => r.inputs["name"] !== "blockAll");
        const d = decide({ name: "elsewhere.example" }, noCatchAll);
        expect([d.outcome, d.rule, d.logged]).to.deep.equal(["resolves", undefined, true]);
        expect(d.explanation).to.have.length(1);
        expect(d.explanation[0]).to.include("elsewhere.example").and.include("query log");
        const unlogged = records().filter((r) => r.type !== TYPE.queryLogAssociation);
        for (const name of ["bad.corp.example", "www.corp.example"]) {
            const u = decide({ name }, unlogged);
            expect(u.logged, name).to.equal(false);
            expect(u.explanation.at(-1), name).to.equal(`${name} ${u.outcome}`);
            expect(decide({ name }).explanation.at(-1), name).to.include("query log");
        }
        expect(decide({ name: "elsewhere.example" }, noCatchAll.filter((r) => r.type !== TYPE.queryLogAssociation)).explanation).to.deep.equal(["no rule matched: elsewhere.example resolves"]);
    });

    it("matches an AWS managed list by the name ListFirewallDomainLists gives its id, and an Advanced protection by what the query looks like", () => {
        expect(outcome({ name: "x.corp.example", onManagedList: "AWSManagedDomainsMalwareDomainList" })).to.deep.equal(["blocked", "blockMalware"]);
        // A rule on a list id the lookup did not name matches nothing, not every query without a list.
        expect(outcome({ name: "x.corp.example" })).to.deep.equal(["resolves", "allowCorp"]);
        expect(outcome({ name: "x.corp.example", onManagedList: "AWSManagedDomainsBotnetCommandandControl" })).to.deep.equal(["resolves", "allowCorp"]);
        expect(outcome({ name: "a1b2.corp.example", looksLike: "DNS_TUNNELING" })).to.deep.equal(["blocked", "blockTunnels"]);
        expect(outcome({ name: "a1b2.corp.example", looksLike: "DGA" })).to.deep.equal(["resolves", "allowCorp"]);
    });
});

/** A name a resolver can be asked: labels of letters, digits and inner hyphens, an optional root dot (RFC 1035, 2.3.1). */
const DNS_NAME = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?\.?$/i;

describe("DNS Firewall: every journey of a config, decided over the plan's rule group", () => {
    /** Configs that take each branch: the stack files, the fixtures, and fixtures with the DNS settings changed. */
    const variants: { name: string; raw: () => RawConfig; stack: string }[] = [
        ...stackFiles().map(({ stack }) => ({ name: `stack file ${stack}`, raw: () => readStackConfig(stack), stack })),
        ...(["dev", "prod", "denied"] as const).map((f) => ({ name: `fixture ${f}`, raw: () => fixture(f), stack: f })),
        { name: "fixture dev, Advanced protections off", raw: () => withDns("dev", { threatConfidence: "off" }), stack: "dev" },
        { name: "fixture dev, no managed list", raw: () => withDns("dev", { managedDomainLists: [] }), stack: "dev" },
        {
            name: "fixture dev, two managed lists opted out",
            raw: () => withDns("dev", { threatConfidence: "LOW", managedDomainLists: ["AWSManagedDomainsAggregateThreatList", "AWSManagedDomainsAmazonGuardDutyThreatList"] }),
            stack: "dev",
        },
        { name: "fixture dev, exact entries only", raw: () => withDomains("dev", ["pypi.org", "files.pythonhosted.org"]), stack: "dev" },
        { name: "fixture prod in us-east-1, one wildcard entry", raw: () => inUsEast1(withDomains("prod", [".hf.co"])), stack: "prod" },
    ];
    for (const v of variants) {
        it(`${v.name}: each journey gets the outcome, rule and log entry it expects`, () => {
            const config = loadConfig(v.raw(), v.stack);
            const journeys = dnsJourneys(config);
            expect(wrongJourneys(plannedFirewall(config), journeys)).to.deep.equal([]);
        });
    }

    it("fails closed: a query DNS Firewall cannot evaluate is refused (FirewallFailOpen DISABLED), on every stack file", () => {
        // FirewallConfig.FirewallFailOpen: "By default, fail open is disabled, which means the failure mode is closed ...
        // If you enable this option ... DNS Firewall allows queries to proceed if it is unable to properly evaluate them"
        // (@aws-sdk/client-route53resolver 3.654.0).
        for (const { stack } of stackFiles()) {
            expect(plannedFirewall(loadConfig(readStackConfig(stack), stack)).failOpen, stack).to.equal("DISABLED");
        }
    });

    it("creates only domain lists a rule uses, and gives every rule an action AWS has", () => {
        // FirewallRule.Action: ALLOW, BLOCK or ALERT (@aws-sdk/client-route53resolver 3.654.0, Action).
        for (const v of variants) {
            const plan = planOf(loadConfig(v.raw(), v.stack));
            const used = new Set(plan.rules.flatMap((r) => (r.match.kind === "list" ? [r.match.list] : [])));
            expect(plan.domainLists.map((l) => l.key).sort(), v.name).to.deep.equal([...used].sort());
            expect(plan.domainLists.every((l) => l.domains.length > 0), v.name).to.equal(true);
            for (const rule of plan.rules) {
                expect(Object.values(Action), `${v.name}: ${rule.intent}`).to.include(rule.action);
            }
            expect(plan.rules.filter((r) => r.action === "ALLOW").map((r) => r.intent), v.name).to.include("allowAwsServiceNames");
        }
    });

    it("answers every BLOCK with a block response AWS has, and sets none on an ALLOW", () => {
        // FirewallRule.Action BLOCK: "This option requires additional details in the rule's BlockResponse"; BlockResponse
        // is NODATA, NXDOMAIN or OVERRIDE, and OVERRIDE needs a record of its own (@aws-sdk/client-route53resolver 3.654.0).
        for (const v of variants) {
            const rules = planOf(loadConfig(v.raw(), v.stack)).rules;
            for (const rule of rules) {
                if (rule.action === "BLOCK") {
                    expect(Object.values(BlockResponse).filter((r) => r !== "OVERRIDE"), `${v.name}: ${rule.intent}`).to.include(rule.blockResponse);
                } else {
                    expect(rule.blockResponse, `${v.name}: ${rule.intent}`).to.equal(undefined);
                }
            }
        }
    });

    it("covers what a reviewer asks: an AWS name, an unlisted name from each tier, each allowlist entry, each managed list; every journey a real query with its reason", () => {
        for (const v of variants) {
            const config = loadConfig(v.raw(), v.stack);
            const journeys = dnsJourneys(config);
            const names = journeys.map((j) => j.name);
            expect(new Set(names).size, v.name).to.equal(names.length);
            for (const j of journeys) {
                expect(j.query.name, `${v.name}: ${j.name}`).to.match(DNS_NAME);
                expect(j.why.length, `${v.name}: ${j.name}`).to.be.greaterThan(20);
                expect(j.name.length, `${v.name}: ${j.name}`).to.be.greaterThan(20);
            }
            const by = (rule: string, outcome: string) => journeys.filter((j) => j.expected.rule === rule && j.expected.outcome === outcome);
            expect(by("allowAwsServiceNames", "resolves").map((j) => j.query.name).filter((n) => n.includes(`.${config.region}.amazonaws.com`)).length, v.name).to.be.greaterThan(0);
            for (const who of ["training", "services"] as const) {
                expect(by("blockEverythingElse", "blocked").filter((j) => j.who === who && j.query.onManagedList === undefined).length, `${v.name}: ${who}`).to.be.greaterThan(0);
            }
            for (const entry of config.firewall.egress.allowedDomains) {
                const name = entry.replace(/^\./, "");
                const resolved = by("allowEgressDomains", "resolves").map((j) => j.query.name);
                // A wildcard entry is shown admitting a subdomain; an exact entry the name itself, and refusing its subdomains.
                expect(resolved.some((n) => (entry.startsWith(".") ? n.endsWith(`.${name}`) : n === name)), `${v.name}: ${entry}`).to.equal(true);
                const refused = by("blockEverythingElse", "blocked").map((j) => j.query.name);
                expect(refused.some((n) => n.startsWith(`${name}.`)), `${v.name}: look-alike of ${entry}`).to.equal(true);
                expect(refused.some((n) => n.endsWith(`.${name}`)), `${v.name}: subdomain of ${entry}`).to.equal(!entry.startsWith("."));
            }
            for (const list of MANAGED_DOMAIN_LIST_NAMES) {
                const on = journeys.filter((j) => j.query.onManagedList === list && j.expected.outcome === "blocked");
                expect(on.length, `${v.name}: ${list}`).to.be.greaterThan(0);
            }
            // EC2 private host names: `ip-<address>.ec2.internal` in us-east-1, `ip-<address>.<region>.compute.internal`
            // elsewhere (Amazon EC2 User Guide, "Amazon EC2 instance hostname types").
            const hostDomain = config.region === "us-east-1" ? ".ec2.internal" : `.${config.region}.compute.internal`;
            expect(by("allowAwsServiceNames", "resolves").some((j) => /^ip-\d+-\d+-\d+-\d+\./.test(j.query.name) && j.query.name.endsWith(hostDomain)), v.name).to.equal(true);
            const wildcard = config.firewall.egress.allowedDomains.find((d) => d.startsWith("."));
            const lists = config.firewall.dns.managedDomainLists;
            // Advanced protections are shown where they can change an answer: under an allowlisted wildcard.
            expect(by("blockDnsTunneling", "blocked").some((j) => wildcard !== undefined && j.query.name.endsWith(wildcard)), v.name).to.equal(wildcard !== undefined && config.firewall.dns.threatConfidence !== "off");
            // AWS's threat lists win over AWS's own regional names and over an allowlisted wildcard.
            const listed = journeys.filter((j) => j.query.onManagedList !== undefined && lists.includes(j.query.onManagedList as ManagedDomainListName));
            expect(listed.some((j) => j.query.name.endsWith(`.${config.region}.amazonaws.com`)), v.name).to.equal(lists.length > 0);
            expect(listed.some((j) => wildcard !== undefined && j.query.name.endsWith(wildcard)), v.name).to.equal(lists.length > 0 && wildcard !== undefined);
            for (const list of MANAGED_DOMAIN_LIST_NAMES) {
                const named = journeys.filter((j) => j.query.onManagedList === list && j.name.includes("opted out"));
                expect(named.length, `${v.name}: ${list} opted out`).to.equal(lists.includes(list) ? 0 : 1);
                // The journey's name says which rule blocks the list's member: its own, or the catch-all when opted out.
                const byItsRule = journeys.filter((j) => j.query.onManagedList === list && j.name === `a name on ${list} is blocked by its rule`);
                expect(byItsRule.length, `${v.name}: ${list} blocked by its rule`).to.equal(lists.includes(list) ? 1 : 0);
            }
            const who = new Set(journeys.map((j) => j.who));
            expect([...who].sort(), v.name).to.deep.equal(["services", "training"]);
        }
    });
});

for (const { stack } of stackFiles()) {
    describe(`DNS Firewall (${stack} stack)`, () => {
        const config = (): StackConfig => loadConfig(readStackConfig(stack), stack);
        // The names the synthesis's ListFirewallDomainLists gave AWS's lists in the region, by id.
        const deployed = async () => {
            const s = await synth(stack);
            const vpc = must(ofType(s, "aws:ec2/vpc:Vpc")[0], "the VPC");
            return { s, vpc, firewall: dnsFirewallOf(s.resources, vpc.id, listNamesOf(config().region)) };
        };

        it("associates one rule group with the VPC, fails closed and logs every query to a KMS-encrypted log group of the stack", async () => {
            const { s, firewall } = await deployed();
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
            expect(group.inputs["retentionInDays"]).to.equal(config().firewall.logRetentionDays);
        });

        it("deploys the plan's rule group: the same rules, lists, priorities and actions as the pure journeys above decide over", async () => {
            const { vpc, firewall } = await deployed();
            const planned = dnsFirewallOf(planRecords(planOf(config()), vpc.id), vpc.id, listNamesOf(config().region));
            const rules = (f: DeployedDnsFirewall) => f.ruleGroups.map((g) => [...g.rules].sort((a, b) => a.priority - b.priority));
            expect(rules(firewall)).to.deep.equal(rules(planned));
            expect([firewall.failOpen, firewall.queryLogged]).to.deep.equal([planned.failOpen, planned.queryLogged]);
        });

        it("blocks the configured AWS managed lists by the ids Route 53 Resolver reports in the region", async () => {
            const { firewall } = await deployed();
            const rules = must(firewall.ruleGroups[0], "rule group").rules.filter((r) => r.managedListId !== undefined);
            const expected = MANAGED_DOMAIN_LIST_NAMES.filter((l) => config().firewall.dns.managedDomainLists.includes(l));
            expect(rules.map((r) => [r.name, r.action, r.managedListName])).to.deep.equal(expected.map((l) => [managedListIntent(l), "BLOCK", l]));
        });

        it("decides every DNS journey as it expects over the synthesized rule group", async () => {
            const { firewall } = await deployed();
            expect(wrongJourneys(firewall, dnsJourneys(config()))).to.deep.equal([]);
        });
    });
}
