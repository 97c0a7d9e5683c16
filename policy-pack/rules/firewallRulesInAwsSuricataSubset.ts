import { lintRules } from "../../firewall/lint";
import { ofType, record, type Rule } from "./stack";

export const firewallRulesInAwsSuricataSubset: Rule = {
    name: "firewall-rules-in-aws-suricata-subset",
    description:
        "Every stateful rule group's Suricata rules use only what AWS Network Firewall supports (no threshold, datasets, iprep, lua, geoip or file keywords; no priority under STRICT_ORDER), each with a unique sid.",
    check: (resources) =>
        ofType(resources, "aws-native:networkfirewall:RuleGroup")
            .filter((g) => g.props["type"] === "STATEFUL")
            .flatMap((g) => {
                const group = record(g.props["ruleGroup"]);
                const text = record(group["rulesSource"])["rulesString"];
                if (typeof text !== "string") {
                    return [];
                }
                const rules = text.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
                const strictOrder = record(group["statefulRuleOptions"])["ruleOrder"] === "STRICT_ORDER";
                return lintRules(rules, { strictOrder }).map((p) => ({ urn: g.urn, message: `rule group ${g.name}: ${p}` }));
            }),
};
