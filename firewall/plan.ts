// Everything the firewall deploys that can be known from config alone: rules, variables, capacities, order.
import type { FirewallConfig } from "../config/firewall";
import { capacityWithHeadroom, statefulCapacityUsed, statelessCapacityUsed } from "./capacity";
import { lintRules } from "./lint";
import { renderRules, ruleVariables, statefulRules, type Rule, type RuleVariables } from "./rules";
import { statelessRules, type StatelessRule } from "./stateless";

export const RULE_ORDER = "STRICT_ORDER";
export const STATEFUL_DEFAULT_ACTIONS = ["aws:drop_established", "aws:alert_established"] as const;
export const STATELESS_DEFAULT_ACTIONS = ["aws:forward_to_sfe"] as const;

export interface FirewallPlan {
    readonly stateful: {
        readonly rules: readonly Rule[];
        readonly rulesString: string;
        readonly variables: RuleVariables;
        readonly capacity: number;
    };
    readonly stateless: {
        readonly rules: readonly StatelessRule[];
        readonly capacity: number;
    };
}

export interface FirewallPlanInputs {
    readonly vpcCidr: string;
    readonly publicCidrs: readonly string[];
    readonly firewall: FirewallConfig;
}

export function planFirewall(inputs: FirewallPlanInputs): FirewallPlan {
    const { firewall } = inputs;
    const ruleInputs = {
        vpcCidr: inputs.vpcCidr,
        publicCidrs: inputs.publicCidrs,
        ingressAllowedCidrs: firewall.ingress.allowedCidrs,
        ingressPorts: firewall.ingress.ports,
        egressAllowedDomains: firewall.egress.allowedDomains,
    };
    const rules = statefulRules(ruleInputs);
    const problems = lintRules(rules.map((r) => r.text), { strictOrder: true });
    if (problems.length > 0) {
        throw new Error(`firewall rules are not valid for AWS Network Firewall:\n  ${problems.join("\n  ")}`);
    }
    const stateless = statelessRules(firewall.deniedCidrs);
    return {
        stateful: {
            rules,
            rulesString: renderRules(rules),
            variables: ruleVariables(ruleInputs),
            capacity: capacityWithHeadroom(statefulCapacityUsed(rules.length)),
        },
        stateless: { rules: stateless, capacity: capacityWithHeadroom(statelessCapacityUsed(stateless)) },
    };
}
