// The DnsFirewall component: Route 53 Resolver DNS Firewall on the VPC, failing closed, and Resolver query logging
// of every query the VPC makes to a KMS-encrypted log group. The rules come from the pure planner in dns.ts.
import * as aws from "../aws/pulumiAws";
import { logGroupNaming, type DeployedLogGroups } from "../baseline/logGroupNames";
import * as pulumi from "@pulumi/pulumi";
import { nameTag, resourceName } from "../network/naming";
import { planDnsFirewall, type DnsPlanInputs } from "./dns";

export interface DnsFirewallArgs extends DnsPlanInputs {
    readonly namePrefix: string;
    readonly vpcId: pulumi.Input<string>;
    /** KMS key of the query log group (the key policy admits CloudWatch Logs for the stack's log group prefix). */
    readonly logKeyArn: pulumi.Input<string>;
    /** Log groups must be named under this prefix (the key policy admits only it). */
    readonly logGroupNamePrefix: string;
    /** The log groups' names as deployed (baseline/logGroupNames.ts): a destroy keeps a protected group's name taken. */
    readonly logGroups: DeployedLogGroups;
    readonly logRetentionDays: number;
    /** Keep the log group on destroy (prod). */
    readonly protectLogs: boolean;
    /** Association mutation protection: the association cannot be changed or removed until this is turned off. */
    readonly mutationProtection: boolean;
}

/**
 * Rule group association priority: "The allowed values for Priority are between 100 and 9900" (Route 53 Resolver API
 * Reference, AssociateFirewallRuleGroup); 1000 leaves room on both sides for an organization's own rule groups.
 */
export const DNS_RULE_GROUP_PRIORITY = 1000;

export class DnsFirewall extends pulumi.ComponentResource {
    readonly ruleGroupId: pulumi.Output<string>;
    readonly queryLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: DnsFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:firewall:DnsFirewall", name, {}, opts);
        const child = { parent: this };
        const { namePrefix } = args;
        const plan = planDnsFirewall(args);

        const lists = new Map(
            plan.domainLists.map((list) => [
                list.key,
                new aws.route53.ResolverFirewallDomainList(
                    resourceName(name, list.key),
                    { name: `${namePrefix}-${list.key}`, domains: [...list.domains], tags: nameTag(namePrefix, "dns", list.key) },
                    child,
                ),
            ]),
        );
        const group = new aws.route53.ResolverFirewallRuleGroup(
            resourceName(name, "rules"),
            { name: `${namePrefix}-dns`, tags: nameTag(namePrefix, "dns") },
            child,
        );
        for (const rule of plan.rules) {
            const match = rule.match;
            let target: Pick<aws.route53.ResolverFirewallRuleArgs, "firewallDomainListId" | "dnsThreatProtection" | "confidenceThreshold">;
            if (match.kind === "list") {
                const list = lists.get(match.list);
                if (list === undefined) {
                    throw new Error(`internal: DNS rule ${rule.intent} names the domain list ${match.list}, which the plan does not create`);
                }
                target = { firewallDomainListId: list.id };
            } else if (match.kind === "managed") {
                target = { firewallDomainListId: match.domainListId };
            } else {
                target = { dnsThreatProtection: match.protection, confidenceThreshold: match.confidence };
            }
            new aws.route53.ResolverFirewallRule(
                resourceName(name, rule.intent),
                {
                    name: rule.intent,
                    firewallRuleGroupId: group.id,
                    priority: rule.priority,
                    action: rule.action,
                    ...(rule.blockResponse === undefined ? {} : { blockResponse: rule.blockResponse }),
                    ...target,
                },
                child,
            );
        }
        new aws.route53.ResolverFirewallRuleGroupAssociation(
            resourceName(name, "vpc"),
            {
                name: `${namePrefix}-dns`,
                firewallRuleGroupId: group.id,
                vpcId: args.vpcId,
                priority: DNS_RULE_GROUP_PRIORITY,
                mutationProtection: args.mutationProtection ? "ENABLED" : "DISABLED",
                tags: nameTag(namePrefix, "dns"),
            },
            child,
        );
        // Fail closed: a query DNS Firewall cannot evaluate is blocked, not answered (FirewallFailOpen DISABLED).
        new aws.route53.ResolverFirewallConfig(resourceName(name, "config"), { resourceId: args.vpcId, firewallFailOpen: plan.failOpen }, child);

        // Every query of the VPC (allowed, blocked, alerted, with the rule that acted) goes to an encrypted log group.
        const logs = new aws.cloudwatch.LogGroup(
            resourceName(namePrefix, "dns-query-logs"),
            {
                ...logGroupNaming(args.logGroupNamePrefix, "dns-queries", args.logGroups),
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.logKeyArn,
                tags: nameTag(namePrefix, "dns-query-logs"),
            },
            { parent: this, protect: args.protectLogs, retainOnDelete: args.protectLogs },
        );
        const queryLog = new aws.route53.ResolverQueryLogConfig(
            resourceName(name, "query-log"),
            { name: `${namePrefix}-dns-queries`, destinationArn: logs.arn, tags: nameTag(namePrefix, "dns-query-logs") },
            child,
        );
        new aws.route53.ResolverQueryLogConfigAssociation(
            resourceName(name, "query-log"),
            { resolverQueryLogConfigId: queryLog.id, resourceId: args.vpcId },
            child,
        );

        this.ruleGroupId = group.id;
        this.queryLogGroupName = logs.name;
        this.registerOutputs({ ruleGroupId: this.ruleGroupId, queryLogGroupName: this.queryLogGroupName });
    }
}
