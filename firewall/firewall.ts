// The Firewall component: AWS Network Firewall (aws-native) in the traffic path of every AZ.
//
// Routing follows AWS's "internet gateway + NAT gateway" model: internet -> IGW edge route table -> firewall
// endpoint of the destination's AZ -> public subnet; public subnet -> firewall endpoint of its own AZ -> IGW.
// Both directions of every flow cross the same AZ's endpoint, so stateful inspection sees whole flows.
import * as aws from "../aws/pulumiAws";
import * as awsNative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { logGroupNaming, type DeployedLogGroups } from "../baseline/logGroupNames";
import type { FirewallConfig } from "../config/firewall";
import type { ByTierAndAz } from "../network/network";
import { nameTag, resourceName } from "../network/naming";
import { endpointForAz, endpointsByAz } from "./endpoints";
import { planFirewall, RULE_ORDER, STATEFUL_DEFAULT_ACTIONS, STATELESS_DEFAULT_ACTIONS } from "./plan";

export interface FirewallArgs {
    readonly namePrefix: string;
    readonly firewall: FirewallConfig;
    readonly vpcId: pulumi.Input<string>;
    readonly vpcCidr: string;
    readonly availabilityZones: readonly string[];
    readonly subnetIds: ByTierAndAz<pulumi.Input<string>>;
    readonly subnetCidrs: ByTierAndAz<string>;
    readonly routeTableIds: ByTierAndAz<pulumi.Input<string>>;
    readonly internetGatewayId: pulumi.Input<string>;
    /** KMS key for the firewall's log groups. */
    readonly logKeyArn: pulumi.Input<string>;
    /** Log groups must be named under this prefix (the key policy admits only it). */
    readonly logGroupNamePrefix: string;
    /** Keep log groups on destroy (prod). */
    readonly protectLogs: boolean;
    /** The log groups' names as deployed (baseline/logGroupNames.ts). */
    readonly logGroups: DeployedLogGroups;
}

function tags(namePrefix: string, suffix: string): { key: string; value: string }[] {
    return Object.entries(nameTag(namePrefix, suffix)).map(([key, value]) => ({ key, value }));
}

export class Firewall extends pulumi.ComponentResource {
    readonly firewallArn: pulumi.Output<string>;
    readonly alertLogGroupName: pulumi.Output<string>;
    readonly flowLogGroupName: pulumi.Output<string>;
    readonly policyArn: pulumi.Output<string>;
    readonly statefulRuleGroupArn: pulumi.Output<string>;
    readonly statelessRuleGroupArn: pulumi.Output<string>;
    readonly endpointIdsByAz: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: FirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:firewall:Firewall", name, {}, opts);
        const { firewall, namePrefix } = args;
        const child = { parent: this };
        const azs = args.availabilityZones;
        const plan = planFirewall({
            vpcCidr: args.vpcCidr,
            publicCidrs: azs.map((az) => args.subnetCidrs.public[az] ?? missing("public subnet CIDR", az)),
            firewall,
        });

        // Rule groups: no fixed names (auto-naming lets a replacement exist before the old group is deleted);
        // capacity has headroom, so allowlist edits update the rules in place.
        const stateless = new awsNative.networkfirewall.RuleGroup(
            resourceName(name, "stateless"),
            {
                type: "STATELESS",
                capacity: plan.stateless.capacity,
                description: "Drops bogon sources and the stack's denied ranges; forwards the rest to the stateful engine",
                ruleGroup: {
                    rulesSource: {
                        statelessRulesAndCustomActions: {
                            statelessRules: plan.stateless.rules.map((rule) => ({
                                priority: rule.priority,
                                ruleDefinition: {
                                    actions: [rule.action],
                                    matchAttributes: {
                                        sources: rule.sources.map((addressDefinition) => ({ addressDefinition })),
                                        destinations: rule.destinations.map((addressDefinition) => ({ addressDefinition })),
                                        protocols: [...rule.protocols],
                                    },
                                },
                            })),
                        },
                    },
                },
                tags: tags(namePrefix, "stateless"),
            },
            child,
        );
        const stateful = new awsNative.networkfirewall.RuleGroup(
            resourceName(name, "stateful"),
            {
                type: "STATEFUL",
                capacity: plan.stateful.capacity,
                description: "Ingress allowlist to the model, egress domain allowlist, QUIC blocked, default deny",
                ruleGroup: {
                    ruleVariables: {
                        ipSets: Object.fromEntries(
                            Object.entries(plan.stateful.variables.ipSets).map(([k, v]) => [k, { definition: [...v] }]),
                        ),
                        portSets: Object.fromEntries(
                            Object.entries(plan.stateful.variables.portSets).map(([k, v]) => [k, { definition: v.map(String) }]),
                        ),
                    },
                    rulesSource: { rulesString: plan.stateful.rulesString },
                    statefulRuleOptions: { ruleOrder: RULE_ORDER },
                },
                tags: tags(namePrefix, "stateful"),
            },
            child,
        );
        this.statelessRuleGroupArn = stateless.ruleGroupArn;
        this.statefulRuleGroupArn = stateful.ruleGroupArn;

        const policy = new awsNative.networkfirewall.FirewallPolicy(
            resourceName(name, "policy"),
            {
                description: "STRICT_ORDER; drops established flows no rule passed",
                firewallPolicy: {
                    statelessDefaultActions: [...STATELESS_DEFAULT_ACTIONS],
                    statelessFragmentDefaultActions: [...STATELESS_DEFAULT_ACTIONS],
                    statelessRuleGroupReferences: [{ resourceArn: stateless.ruleGroupArn, priority: 10 }],
                    statefulRuleGroupReferences: [{ resourceArn: stateful.ruleGroupArn, priority: 10 }],
                    statefulDefaultActions: [...STATEFUL_DEFAULT_ACTIONS],
                    statefulEngineOptions: { ruleOrder: RULE_ORDER, streamExceptionPolicy: "DROP" },
                },
                tags: tags(namePrefix, "policy"),
            },
            child,
        );
        this.policyArn = policy.firewallPolicyArn;

        const fw = new awsNative.networkfirewall.Firewall(
            resourceName(name, "firewall"),
            {
                vpcId: args.vpcId,
                firewallPolicyArn: policy.firewallPolicyArn,
                subnetMappings: azs.map((az) => ({ subnetId: args.subnetIds.firewall[az] ?? missing("firewall subnet", az) })),
                deleteProtection: firewall.protections.deletion,
                subnetChangeProtection: firewall.protections.subnetChange,
                firewallPolicyChangeProtection: firewall.protections.policyChange,
                description: `${namePrefix}: inspects all traffic between the internet and the VPC`,
                tags: tags(namePrefix, "firewall"),
            },
            child,
        );
        this.firewallArn = fw.firewallArn;
        this.endpointIdsByAz = fw.endpointIds.apply(endpointsByAz);
        const endpointIn = (az: string): pulumi.Output<string> => fw.endpointIds.apply((ids) => endpointForAz(ids, az));

        // Routes through the endpoints, each to the endpoint of its own AZ.
        const igwEdge = new aws.ec2.RouteTable(
            resourceName(name, "igw-edge"),
            { vpcId: args.vpcId, tags: nameTag(namePrefix, "igw-edge") },
            child,
        );
        new aws.ec2.RouteTableAssociation(
            resourceName(name, "igw-edge"),
            { gatewayId: args.internetGatewayId, routeTableId: igwEdge.id },
            child,
        );
        for (const az of azs) {
            new aws.ec2.Route(
                resourceName(name, "public-default", az),
                {
                    routeTableId: args.routeTableIds.public[az] ?? missing("public route table", az),
                    destinationCidrBlock: "0.0.0.0/0",
                    vpcEndpointId: endpointIn(az),
                },
                child,
            );
            new aws.ec2.Route(
                resourceName(name, "firewall-default", az),
                {
                    routeTableId: args.routeTableIds.firewall[az] ?? missing("firewall route table", az),
                    destinationCidrBlock: "0.0.0.0/0",
                    gatewayId: args.internetGatewayId,
                },
                child,
            );
            new aws.ec2.Route(
                resourceName(name, "igw-edge", az),
                {
                    routeTableId: igwEdge.id,
                    destinationCidrBlock: args.subnetCidrs.public[az] ?? missing("public subnet CIDR", az),
                    vpcEndpointId: endpointIn(az),
                },
                child,
            );
        }

        // ALERT and FLOW logs, encrypted with the stack's key.
        const keep: pulumi.CustomResourceOptions = { parent: this, protect: args.protectLogs, retainOnDelete: args.protectLogs };
        const logGroup = (kind: "alert" | "flow"): aws.cloudwatch.LogGroup =>
                new aws.cloudwatch.LogGroup(
                    resourceName(name, "firewall", kind),
                    {
                        ...logGroupNaming(args.logGroupNamePrefix, `network-firewall/${kind}`, args.logGroups),
                        retentionInDays: firewall.logRetentionDays,
                        kmsKeyId: args.logKeyArn,
                        tags: nameTag(namePrefix, "firewall", kind),
                    },
                    keep,
                );
        const alertLogs = logGroup("alert");
        const flowLogs = logGroup("flow");
        this.alertLogGroupName = alertLogs.name;
        this.flowLogGroupName = flowLogs.name;
        new awsNative.networkfirewall.LoggingConfiguration(
            resourceName(name, "logging"),
            {
                firewallArn: fw.firewallArn,
                loggingConfiguration: {
                    logDestinationConfigs: [
                        { logType: "ALERT", logDestinationType: "CloudWatchLogs", logDestination: { logGroup: alertLogs.name } },
                        { logType: "FLOW", logDestinationType: "CloudWatchLogs", logDestination: { logGroup: flowLogs.name } },
                    ],
                },
            },
            child,
        );

        this.registerOutputs({
            firewallArn: this.firewallArn,
            policyArn: this.policyArn,
            statefulRuleGroupArn: this.statefulRuleGroupArn,
            statelessRuleGroupArn: this.statelessRuleGroupArn,
            endpointIdsByAz: this.endpointIdsByAz,
        });
    }
}

function missing(what: string, az: string): never {
    throw new Error(`internal: no ${what} for ${az}`);
}
