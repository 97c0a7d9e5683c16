import { ofType, referring, type Rule } from "./stack";

export const vpcDnsFilteredFailClosedAndLogged: Rule = {
    name: "vpc-dns-filtered-fail-closed-and-logged",
    description:
        "Every VPC has a Route 53 Resolver DNS Firewall rule group associated, DNS Firewall fails closed (FirewallFailOpen DISABLED) and its queries go to a Resolver query log: Network Firewall does not see the VPC resolver's traffic.",
    check: (resources) =>
        ofType(resources, "aws:ec2/vpc:Vpc").flatMap((vpc) => {
            const problems: string[] = [];
            if (referring(resources, "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation", "vpcId", vpc).length === 0) {
                problems.push("no DNS Firewall rule group is associated");
            }
            const configs = referring(resources, "aws:route53/resolverFirewallConfig:ResolverFirewallConfig", "resourceId", vpc);
            if (configs.length === 0 || configs.some((c) => c.props["firewallFailOpen"] !== "DISABLED")) {
                problems.push(`DNS Firewall does not fail closed (firewallFailOpen: ${JSON.stringify(configs.map((c) => c.props["firewallFailOpen"]))})`);
            }
            if (referring(resources, "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation", "resourceId", vpc).length === 0) {
                problems.push("no Resolver query log is associated");
            }
            return problems.map((message) => ({ urn: vpc.urn, message: `VPC ${vpc.name}: ${message}` }));
        }),
};
