// Counts what AWS's quotas limit, measured on a synthesized stack (the resources the program registers), so the
// tests can hold the pure quota model to what the components really create.
import { iamPolicySize, resourcePolicyBytes } from "../aws/policySizes";
import type { QuotaId } from "../aws/quotas";
import type { PolicyDocument } from "../policy/document";
import type { SynthResource, Synthesis } from "../offline/synth";
import { byId, ofType } from "./support";

function list(value: unknown): Record<string, unknown>[] {
    return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null) : [];
}

/** The largest count per quota across the stack's resources. */
export function measureQuotas(s: Synthesis): Partial<Record<QuotaId, number>> {
    const out: Partial<Record<QuotaId, number>> = {};
    const max = (quota: QuotaId, value: number): void => {
        out[quota] = Math.max(out[quota] ?? 0, value);
    };

    for (const acl of ofType(s, "aws:ec2/networkAcl:NetworkAcl")) {
        max("naclRulesPerDirection", list(acl.inputs["ingress"]).length);
        max("naclRulesPerDirection", list(acl.inputs["egress"]).length);
    }

    // Security group rules: a rule referencing a prefix list weighs its max entries (ours) or 1 (AWS's S3 list).
    const weight = (rule: SynthResource): number => {
        const pl = rule.inputs["prefixListId"];
        if (pl === undefined) {
            return 1;
        }
        const ours = byId(s, pl);
        return ours === undefined ? 1 : Number(ours.inputs["maxEntries"]);
    };
    for (const type of ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]) {
        const perGroup = new Map<unknown, number>();
        for (const rule of ofType(s, type)) {
            perGroup.set(rule.inputs["securityGroupId"], (perGroup.get(rule.inputs["securityGroupId"]) ?? 0) + weight(rule));
        }
        for (const count of perGroup.values()) {
            max("securityGroupRulesPerDirection", count);
        }
    }

    for (const table of ofType(s, "aws:ec2/routeTable:RouteTable")) {
        const routes = ofType(s, "aws:ec2/route:Route").filter((r) => r.inputs["routeTableId"] === table.id).length;
        const gatewayEndpoints = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
            (e) => Array.isArray(e.inputs["routeTableIds"]) && (e.inputs["routeTableIds"] as unknown[]).includes(table.id),
        ).length;
        max("routesPerTable", routes + gatewayEndpoints);
    }

    max("elasticIpsPerRegion", ofType(s, "aws:ec2/eip:Eip").length);
    const natPerAz = new Map<unknown, number>();
    for (const nat of ofType(s, "aws:ec2/natGateway:NatGateway")) {
        const az = byId(s, nat.inputs["subnetId"])?.inputs["availabilityZone"];
        natPerAz.set(az, (natPerAz.get(az) ?? 0) + 1);
    }
    max("natGatewaysPerAz", Math.max(0, ...natPerAz.values()));
    max("interfaceEndpointsPerVpc", ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs["vpcEndpointType"] === "Interface").length);
    max("firewallsPerRegion", ofType(s, "aws-native:networkfirewall:Firewall").length);

    for (const group of ofType(s, "aws-native:networkfirewall:RuleGroup")) {
        const capacity = Number(group.inputs["capacity"]);
        max(group.inputs["type"] === "STATEFUL" ? "statefulRuleGroupCapacity" : "statelessRuleGroupCapacity", capacity);
        const source = (group.inputs["ruleGroup"] as Record<string, unknown> | undefined)?.["rulesSource"] as Record<string, unknown> | undefined;
        const rules = source?.["rulesString"];
        if (typeof rules === "string") {
            max("rulesStringBytes", Buffer.byteLength(rules, "utf8"));
        }
    }
    max("trailsPerRegion", ofType(s, "aws:cloudtrail/trail:Trail").length);
    max("gatewayEndpointsPerRegion", ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs["vpcEndpointType"] === "Gateway").length);

    // DNS Firewall and Resolver query logging.
    const dnsRule = "aws:route53/resolverFirewallRule:ResolverFirewallRule";
    for (const group of ofType(s, "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup")) {
        max("dnsFirewallRulesPerRuleGroup", ofType(s, dnsRule).filter((r) => r.inputs["firewallRuleGroupId"] === group.id).length);
    }
    const associations = ofType(s, "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation");
    for (const vpc of ofType(s, "aws:ec2/vpc:Vpc")) {
        max("dnsFirewallRuleGroupsPerVpc", associations.filter((a) => a.inputs["vpcId"] === vpc.id).length);
    }
    const count = (quota: QuotaId, type: string): void => {
        const n = ofType(s, type).length;
        if (n > 0) {
            max(quota, n);
        }
    };
    count("dnsFirewallRuleGroupsPerRegion", "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup");
    const domainLists = ofType(s, "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList");
    if (domainLists.length > 0) {
        max("dnsFirewallDomainsPerRegion", domainLists.reduce((n, l) => n + (Array.isArray(l.inputs["domains"]) ? l.inputs["domains"].length : 0), 0));
    }
    count("queryLogConfigsPerRegion", "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig");
    count("queryLogConfigVpcAssociationsPerRegion", "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation");

    // GuardDuty Malware Protection plans, the alert topic's subscriptions and the finding rules (the default bus: no
    // rule names another).
    count("malwareProtectedBucketsPerRegion", "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan");
    for (const topic of ofType(s, "aws:sns/topic:Topic")) {
        max("snsSubscriptionsPerTopic", ofType(s, "aws:sns/topicSubscription:TopicSubscription").filter((x) => x.inputs["topic"] === topic.state["arn"]).length);
    }
    const rules = ofType(s, "aws:cloudwatch/eventRule:EventRule");
    if (rules.length > 0) {
        max("eventBridgeRulesPerBus", rules.filter((r) => r.inputs["eventBusName"] === undefined || r.inputs["eventBusName"] === "default").length);
    }

    // Policy sizes as IAM and KMS measure them (bucket policies name the deployer, whose ARN the model bounds
    // from above: they are checked against the model separately).
    const text = (r: SynthResource, key: string): string => String(r.inputs[key]);
    for (const role of ofType(s, "aws:iam/role:Role")) {
        max("trustPolicySize", iamPolicySize(text(role, "assumeRolePolicy")));
        const inline = ofType(s, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === role.id);
        max("inlinePolicySizePerRole", inline.reduce((sum, p) => sum + iamPolicySize(text(p, "policy")), 0));
    }
    for (const managed of ofType(s, "aws:iam/policy:Policy")) {
        max("managedPolicySize", iamPolicySize(text(managed, "policy")));
    }
    for (const key of ofType(s, "aws:kms/key:Key")) {
        max("keyPolicySize", resourcePolicyBytes(JSON.parse(text(key, "policy")) as PolicyDocument));
    }
    return out;
}
