// Everything the firewall deploys that can be known from config alone: rules, variables, capacities, order.
import type { FirewallConfig } from "../config/firewall";
import { capacityWithHeadroom, statefulCapacityUsed, statelessCapacityUsed } from "./capacity";
import { lintRules } from "./lint";
import { MAX_STATEFUL_RULES, renderRules, ruleVariables, statefulRules, type Rule, type RuleVariables } from "./rules";
import { MAX_DENIED_CIDRS, statelessRules, type StatelessRule } from "./stateless";

/**
 * Capacity is create-only, so it is a constant: what the largest accepted allowlists use (MAX_EGRESS_DOMAINS
 * domains; MAX_DENIED_CIDRS denied ranges), with headroom. No allowlist edit within the config limits can change it.
 */
export const STATEFUL_CAPACITY = capacityWithHeadroom(statefulCapacityUsed(MAX_STATEFUL_RULES));
/** Capacity counts entries, not addresses: MAX_DENIED_CIDRS benchmark-range /24s stand for any denied list. */
export const STATELESS_CAPACITY = capacityWithHeadroom(
    statelessCapacityUsed(statelessRules(Array.from({ length: MAX_DENIED_CIDRS }, (_, i) => `198.18.${i}.0/24`))),
);

export const RULE_ORDER = "STRICT_ORDER";
/**
 * "Application drop established (server-directed only)" and its alert twin, from one family as AWS requires. The
 * plain aws:drop_established drops the first segment of a ClientHello that spans two TCP segments (post-quantum
 * key shares make it ~1.7 KB) before the SNI can be read, so every allowed domain would break; the bidirectional
 * application-layer variant also drops legitimate server-to-client packets (window updates, keep-alives, resets).
 * AWS made this one the default for new policies on 2026-06-25 ("AWS Network Firewall updates default drop action
 * for improved connection reliability").
 */
export const STATEFUL_DEFAULT_ACTIONS = ["aws:drop_established_app_layer_to_server", "aws:alert_established_app_layer_to_server"] as const;
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

/** Throws one error listing every problem AWS Network Firewall would refuse the STRICT_ORDER rules for. */
export function checkRules(rules: readonly string[]): void {
    const problems = lintRules(rules, { strictOrder: true });
    if (problems.length > 0) {
        throw new Error(`firewall rules are not valid for AWS Network Firewall:\n  ${problems.join("\n  ")}`);
    }
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
    checkRules(rules.map((r) => r.text));
    const stateless = statelessRules(firewall.deniedCidrs);
    return {
        stateful: {
            rules,
            rulesString: renderRules(rules),
            variables: ruleVariables(ruleInputs),
            capacity: STATEFUL_CAPACITY,
        },
        stateless: { rules: stateless, capacity: STATELESS_CAPACITY },
    };
}
