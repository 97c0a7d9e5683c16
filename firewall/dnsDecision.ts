// What the VPC resolver does with one query, decided from the DNS Firewall resources as deployed (read back from
// the synthesized or deployed resources, not from the planner), the way AWS evaluates them:
// - rule groups associated with the VPC, lowest association priority first ("DNS Firewall filters VPC traffic
//   starting from the rule group with the lowest numeric priority setting"); inside a group, rules by priority,
//   lowest first ("DNS Firewall processes the rules in a rule group by order of priority, starting from the lowest
//   setting"; both @aws-sdk/client-route53resolver 3.654.0, AssociateFirewallRuleGroupRequest.Priority and
//   FirewallRule.Priority); the first rule that matches acts and ends the evaluation: Allow "Stop inspecting the query
//   and permit it to go through", Alert "Stop inspecting the query, permit it to go through, and log an alert", Block
//   "Discontinue inspection of the query, block it" (Route 53 Developer Guide, "Rule actions in DNS Firewall"); a
//   query no rule matches resolves;
// - a domain specification is a name or `*.` + a name (Route 53 Developer Guide, "Managing your own domain lists");
//   `*` alone matches every name; names compare without case and without the trailing root dot (RFC 4343);
// - Resolver query logging records every query of an associated VPC with the firewall rule action
//   (Route 53 Developer Guide, "Resolver query logging" and "Values that appear in Resolver query logs":
//   firewall_rule_action, firewall_rule_group_id, firewall_domain_list_id).
// Advanced protections (DGA, tunnelling) are AWS's classifiers: offline a query says what it looks like
// (`looksLike`), and a rule of that protection matches it. AWS managed lists are AWS's data, not published: a query says
// which managed list holds it (`onManagedList`, by name), and a rule's list id is named from ListFirewallDomainLists.
import type { DnsAction, DnsThreatProtection } from "./dns";

export interface DeployedDnsRule {
    readonly name: string;
    readonly priority: number;
    readonly action: DnsAction;
    /** Entries of the rule's own domain list; undefined for a managed list or an Advanced protection. */
    readonly domains?: readonly string[];
    readonly managedListId?: string;
    /** The AWS managed list's name, where the id is one of AWS's (ListFirewallDomainLists). */
    readonly managedListName?: string;
    readonly threat?: DnsThreatProtection;
}

export interface DeployedDnsFirewall {
    readonly vpcId: string;
    /** Rule groups associated with the VPC, in association priority order, each with its rules by priority. */
    readonly ruleGroups: readonly { readonly id: string; readonly priority: number; readonly rules: readonly DeployedDnsRule[] }[];
    readonly failOpen: "ENABLED" | "DISABLED" | undefined;
    /** A Resolver query log config is associated with the VPC. */
    readonly queryLogged: boolean;
}

export interface DnsQuery {
    readonly name: string;
    readonly looksLike?: DnsThreatProtection;
    /**
     * The AWS managed list (by name) that holds the queried name. AWS does not publish the lists' contents ("cannot be
     * downloaded or browsed", Route 53 Developer Guide, "Managed Domain Lists"), so offline membership is a premise
     * of the query: data, stated by the journey, never derived from AWS.
     */
    readonly onManagedList?: string;
}

export interface DnsDecision {
    readonly outcome: "resolves" | "blocked";
    /** The rule that decided (undefined: no rule matched, the query resolves). */
    readonly rule: string | undefined;
    readonly logged: boolean;
    /** The rule that acted (none: no rule matched), then the outcome. */
    readonly explanation: readonly string[];
}

function normal(name: string): string {
    return name.toLowerCase().replace(/\.$/, "");
}

/** Whether a DNS Firewall domain specification matches a query name. */
export function domainMatches(spec: string, name: string): boolean {
    const s = normal(spec);
    const n = normal(name);
    if (s === "*") {
        return true;
    }
    if (s.startsWith("*.")) {
        return n.endsWith(s.slice(1));
    }
    return n === s;
}

function matches(rule: DeployedDnsRule, query: DnsQuery): boolean {
    if (rule.domains !== undefined) {
        return rule.domains.some((d) => domainMatches(d, query.name));
    }
    if (rule.managedListId !== undefined) {
        return query.onManagedList !== undefined && rule.managedListName === query.onManagedList;
    }
    return rule.threat !== undefined && query.looksLike === rule.threat;
}

export function decideDnsQuery(firewall: DeployedDnsFirewall, query: DnsQuery): DnsDecision {
    const explanation: string[] = [];
    const groups = [...firewall.ruleGroups].sort((a, b) => a.priority - b.priority);
    for (const group of groups) {
        for (const rule of [...group.rules].sort((a, b) => a.priority - b.priority)) {
            if (!matches(rule, query)) {
                continue;
            }
            explanation.push(`${group.id} rule ${rule.name} (priority ${rule.priority}): ${rule.action}`);
            const outcome = rule.action === "BLOCK" ? "blocked" : "resolves";
            explanation.push(`${query.name} ${outcome}${firewall.queryLogged ? ", recorded in the query log" : ""}`);
            return { outcome, rule: rule.name, logged: firewall.queryLogged, explanation };
        }
    }
    explanation.push(`no rule matched: ${query.name} resolves${firewall.queryLogged ? ", recorded in the query log" : ""}`);
    return { outcome: "resolves", rule: undefined, logged: firewall.queryLogged, explanation };
}

/** A resource as the mocks or a deployment report it. */
export interface ResourceRecord {
    readonly type: string;
    readonly id: string;
    readonly inputs: Readonly<Record<string, unknown>>;
}

const T = {
    list: "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList",
    rule: "aws:route53/resolverFirewallRule:ResolverFirewallRule",
    association: "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation",
    config: "aws:route53/resolverFirewallConfig:ResolverFirewallConfig",
    queryLogAssociation: "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation",
} as const;

/**
 * The DNS Firewall of one VPC, read from resources (inputs as the provider sends them). `managedListNames` names the
 * region's AWS managed lists by id (what ListFirewallDomainLists reports: `managedListIds` inverted).
 */
export function dnsFirewallOf(resources: readonly ResourceRecord[], vpcId: string, managedListNames: ReadonlyMap<string, string> = new Map()): DeployedDnsFirewall {
    const of = (type: string) => resources.filter((r) => r.type === type);
    const domainsById = new Map(of(T.list).map((l) => [l.id, (l.inputs["domains"] as string[] | undefined) ?? []]));
    const ruleGroups = of(T.association)
        .filter((a) => a.inputs["vpcId"] === vpcId)
        .map((a) => {
            const groupId = String(a.inputs["firewallRuleGroupId"]);
            const rules = of(T.rule)
                .filter((r) => r.inputs["firewallRuleGroupId"] === groupId)
                .map((r): DeployedDnsRule => {
                    const listId = r.inputs["firewallDomainListId"];
                    const base = { name: String(r.inputs["name"]), priority: Number(r.inputs["priority"]), action: r.inputs["action"] as DnsAction };
                    if (typeof listId === "string") {
                        const domains = domainsById.get(listId);
                        if (domains !== undefined) {
                            return { ...base, domains };
                        }
                        const managedListName = managedListNames.get(listId);
                        return managedListName === undefined ? { ...base, managedListId: listId } : { ...base, managedListId: listId, managedListName };
                    }
                    return { ...base, threat: r.inputs["dnsThreatProtection"] as DnsThreatProtection };
                });
            return { id: groupId, priority: Number(a.inputs["priority"]), rules };
        });
    const config = of(T.config).find((c) => c.inputs["resourceId"] === vpcId);
    const failOpen = config?.inputs["firewallFailOpen"];
    return {
        vpcId,
        ruleGroups,
        failOpen: failOpen === "ENABLED" || failOpen === "DISABLED" ? failOpen : undefined,
        queryLogged: of(T.queryLogAssociation).some((a) => a.inputs["resourceId"] === vpcId),
    };
}
