import { list, ofType, record, type Rule } from "./stack";

const DROPS = ["aws:drop_strict", "aws:drop_established", "aws:drop_established_app_layer", "aws:drop_established_app_layer_to_server"];

export const firewallPolicyStrictOrderDropDefault: Rule = {
    name: "firewall-policy-strict-order-drop-default",
    description:
        "Every Network Firewall policy evaluates rules in STRICT_ORDER, drops by default what no rule passed, and references every rule group of the stack (a group it misses would not be enforced).",
    check: (resources) => {
        const groups = ofType(resources, "aws-native:networkfirewall:RuleGroup").map((g) => g.urn);
        return ofType(resources, "aws-native:networkfirewall:FirewallPolicy").flatMap((p) => {
            const policy = record(p.props["firewallPolicy"]);
            const problems: string[] = [];
            if (record(policy["statefulEngineOptions"])["ruleOrder"] !== "STRICT_ORDER") {
                problems.push("rule order is not STRICT_ORDER");
            }
            if (!list(policy["statefulDefaultActions"]).some((a) => DROPS.includes(String(a)))) {
                problems.push(`no drop default action (has ${JSON.stringify(policy["statefulDefaultActions"] ?? [])})`);
            }
            const referenced = p.propertyDependencies["firewallPolicy"] ?? [];
            const missing = groups.filter((g) => !referenced.includes(g));
            if (missing.length > 0) {
                problems.push(`does not reference ${missing.length} rule group(s): ${missing.join(", ")}`);
            }
            return problems.map((message) => ({ urn: p.urn, message: `policy ${p.name}: ${message}` }));
        });
    },
};
