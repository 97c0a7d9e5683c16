// What a synthesized stack deploys to AWS Network Firewall, read back from the registered resources: the stateful
// RuleGroup's rules string and rule variables, the stateless RuleGroup's rules, and the FirewallPolicy's default
// actions and rule order. The engine suite and the order check read these, never the planner.
import type { RuleVariables } from "../firewall/rules";
import { ruleVariableFacts, statelessRuleFacts, type StatelessRuleFact } from "../journeys/facts";
import type { Synthesis } from "../offline/synth";
import { must, ofType } from "./support";

/** A stateless rule as deployed: the journeys' reading of the same input (journeys/facts.ts). */
export type DeployedStatelessRule = StatelessRuleFact;

export interface DeployedFirewall {
    readonly rulesString: string;
    readonly variables: RuleVariables;
    readonly statefulRuleOrder: unknown;
    readonly stateless: readonly DeployedStatelessRule[];
    readonly policy: {
        readonly statefulDefaultActions: readonly string[];
        readonly statelessDefaultActions: readonly string[];
        readonly ruleOrder: unknown;
    };
}

type Json = Record<string, unknown>;

function obj(value: unknown, what: string): Json {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Error(`${what} is ${JSON.stringify(value)}, not an object`);
    }
    return value as Json;
}

function list(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) {
        throw new Error(`${what} is ${JSON.stringify(value)}, not a list`);
    }
    return value;
}

function strings(value: unknown, what: string): string[] {
    return list(value, what).map((v, i) => {
        if (typeof v !== "string") {
            throw new Error(`${what}[${i}] is ${JSON.stringify(v)}, not a string`);
        }
        return v;
    });
}

/** The one RuleGroup of this type, the one FirewallPolicy, as their inputs (what Pulumi sends to AWS). */
export function deployedFirewall(s: Synthesis): DeployedFirewall {
    const groups = ofType(s, "aws-native:networkfirewall:RuleGroup");
    const group = (type: string) => {
        const found = groups.filter((g) => g.inputs["type"] === type);
        if (found.length !== 1) {
            throw new Error(`${s.stack}: ${found.length} ${type} rule groups`);
        }
        return obj(must(found[0], type).inputs["ruleGroup"], `${type} ruleGroup`);
    };
    const stateful = group("STATEFUL");
    obj(stateful["ruleVariables"], "ruleVariables");
    const variables: RuleVariables = ruleVariableFacts(stateful);
    const rulesString = obj(stateful["rulesSource"], "rulesSource")["rulesString"];
    if (typeof rulesString !== "string") {
        throw new Error(`${s.stack}: the stateful group has no rulesString`);
    }
    const statelessGroup = group("STATELESS");
    // Strict here (the journeys' reader is lenient): a stateless group without its rules list is a defect.
    list(obj(obj(statelessGroup["rulesSource"], "rulesSource")["statelessRulesAndCustomActions"], "statelessRulesAndCustomActions")["statelessRules"], "statelessRules");
    const stateless = statelessRuleFacts(statelessGroup);
    const policies = ofType(s, "aws-native:networkfirewall:FirewallPolicy");
    if (policies.length !== 1) {
        throw new Error(`${s.stack}: ${policies.length} firewall policies`);
    }
    const policy = obj(must(policies[0], "policy").inputs["firewallPolicy"], "firewallPolicy");
    return {
        rulesString,
        variables,
        statefulRuleOrder: obj(stateful["statefulRuleOptions"], "statefulRuleOptions")["ruleOrder"],
        stateless,
        policy: {
            statefulDefaultActions: strings(policy["statefulDefaultActions"], "statefulDefaultActions"),
            statelessDefaultActions: strings(policy["statelessDefaultActions"], "statelessDefaultActions"),
            ruleOrder: obj(policy["statefulEngineOptions"], "statefulEngineOptions")["ruleOrder"],
        },
    };
}

/**
 * The stateless rules as Suricata rules, for replaying the stateless stage (it runs before, and apart from, the
 * stateful engine: a packet it drops never reaches the stateful rules). Only `aws:drop` rules on addresses and
 * protocols exist here; an empty list is "any".
 */
function unsupported(what: string): never {
    throw new Error(`stateless rules: ${what} has no emulation`);
}

export function statelessAsSuricata(rules: readonly DeployedStatelessRule[]): string {
    const side = (cidrs: readonly string[]) => (cidrs.length === 0 ? "any" : `[${cidrs.join(",")}]`);
    return rules
        .slice()
        .sort((a, b) => a.priority - b.priority)
        .flatMap((r, i) => {
            if (r.actions.join(",") !== "aws:drop") {
                throw new Error(`stateless rule ${r.priority}: actions ${r.actions.join(",")} have no emulation`);
            }
            const names: Readonly<Record<number, string>> = { 1: "icmp", 6: "tcp", 17: "udp" };
            const protocols = r.protocols.length === 0 ? ["ip"] : r.protocols.map((p) => names[p] ?? unsupported(`protocol ${p}`));
            return protocols.map((proto, j) => `drop ${proto} ${side(r.sources)} any -> ${side(r.destinations)} any (msg:"stateless priority ${r.priority}"; sid:${9_000_000 + i * 10 + j}; rev:1;)`);
        })
        .join("\n");
}
