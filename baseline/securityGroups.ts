// Workload security groups: load balancer -> services, training talking to itself, and both reaching AWS APIs
// through the VPC endpoints. No TCP or UDP is open to 0.0.0.0/0 or ::/0 on ingress (only ICMP 3/4, for path MTU
// discovery on the tiers that reach the internet through NAT); the load balancer admits only the ingress allowlist,
// through a managed prefix list.
import * as aws from "../aws/pulumiAws";
import * as pulumi from "@pulumi/pulumi";
import { WEB_PORTS } from "../network/nacl";
import { nameTag, resourceName } from "../network/naming";

export interface WorkloadSecurityGroupsArgs {
    readonly namePrefix: string;
    readonly vpcId: pulumi.Input<string>;
    /** Client ranges allowed to reach the model, and the ports the load balancer listens on. */
    readonly ingressCidrs: readonly string[];
    readonly ingressPorts: readonly number[];
    readonly servingPort: number;
    readonly endpointSecurityGroupId: pulumi.Input<string>;
    readonly s3PrefixListId: pulumi.Input<string>;
    /**
     * Tiers whose route leads to the firewall's domain allowlist, and so get web egress (the firewall's HTTPS and
     * HTTP ports, as in the NACLs) to the internet.
     */
    readonly webToInternet: { readonly services: boolean; readonly training: boolean };
}

type Rule = Omit<aws.vpc.SecurityGroupIngressRuleArgs, "securityGroupId">;

/** ICMP Destination Unreachable, Fragmentation Needed and Don't Fragment was Set (Amazon VPC User Guide, "Path MTU Discovery"). */
export const PATH_MTU_ICMP = { type: 3, code: 4 } as const;

const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port }) as const;
const HTTPS = tcp(443);

export class WorkloadSecurityGroups extends pulumi.ComponentResource {
    readonly loadBalancerId: pulumi.Output<string>;
    readonly servicesId: pulumi.Output<string>;
    readonly trainingId: pulumi.Output<string>;
    readonly ingressPrefixListId: pulumi.Output<string>;

    constructor(name: string, args: WorkloadSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:baseline:WorkloadSecurityGroups", name, {}, opts);
        const child = { parent: this };
        const group = (tier: string, description: string) =>
            new aws.ec2.SecurityGroup(resourceName(name, tier), { vpcId: args.vpcId, description, tags: nameTag(args.namePrefix, tier) }, child);
        const ingress = (sg: aws.ec2.SecurityGroup, id: string, rule: Rule) =>
            new aws.vpc.SecurityGroupIngressRule(resourceName(name, id), { securityGroupId: sg.id, ...rule }, child);
        const egress = (sg: aws.ec2.SecurityGroup, id: string, rule: Rule) =>
            new aws.vpc.SecurityGroupEgressRule(resourceName(name, id), { securityGroupId: sg.id, ...rule }, child);

        // Sized to the allowlist: every entry of max size counts against the referencing group's rule quota
        // (checked at config load), and resizing is an in-place update.
        const allowlist = new aws.ec2.ManagedPrefixList(
            resourceName(name, "ingress-allowlist"),
            {
                name: `${args.namePrefix}-ingress-allowlist`,
                addressFamily: "IPv4",
                maxEntries: args.ingressCidrs.length,
                entries: args.ingressCidrs.map((cidr) => ({ cidr, description: "secure-ai:firewall ingress.allowedCidrs" })),
                tags: nameTag(args.namePrefix, "ingress-allowlist"),
            },
            child,
        );
        this.ingressPrefixListId = allowlist.id;

        // The provider deletes the allow-all egress rule AWS adds to a new group: each group has only the rules below.
        const lb = group("load-balancer", "Model load balancer: serving ports from the ingress allowlist only");
        const services = group("services", "Model servers: serving port from the load balancer only");
        const training = group("training", "Training: itself for distributed training, AWS APIs via VPC endpoints");

        for (const port of args.ingressPorts) {
            ingress(lb, `load-balancer-in-${port}`, {
                description: "Clients on the ingress allowlist",
                ...tcp(port),
                prefixListId: allowlist.id,
            });
        }
        const serving = tcp(args.servingPort);
        egress(lb, "load-balancer-out-services", { description: "Forward to the model servers", ...serving, referencedSecurityGroupId: services.id });
        ingress(services, "services-in-load-balancer", { description: "From the load balancer", ...serving, referencedSecurityGroupId: lb.id });

        ingress(training, "training-in-self", { description: "Distributed training peers", ipProtocol: "-1", referencedSecurityGroupId: training.id });
        egress(training, "training-out-self", { description: "Distributed training peers", ipProtocol: "-1", referencedSecurityGroupId: training.id });

        for (const [tier, sg] of [["services", services], ["training", training]] as const) {
            egress(sg, `${tier}-out-endpoints`, { description: "AWS APIs via interface endpoints", ...HTTPS, referencedSecurityGroupId: args.endpointSecurityGroupId });
            egress(sg, `${tier}-out-s3`, { description: "S3 via the gateway endpoint", ...HTTPS, prefixListId: args.s3PrefixListId });
            if (args.webToInternet[tier]) {
                // Path MTU discovery: a router beyond the internet gateway answers an oversized Don't-Fragment packet
                // with ICMP type 3 code 4, which the NAT gateway forwards to this host from the router's address. AWS
                // documents it as an inbound security group rule of its own (Amazon EC2 User Guide, "Security group
                // rules for different use cases", Path MTU Discovery: ICMP Destination Unreachable, fragmentation
                // required and DF flag set, from the hosts the instance talks to; Amazon VPC User Guide, "Path MTU
                // Discovery"): connection tracking does not admit it, and the routers are anywhere on the internet.
                // For an ICMP rule the "ports" are the ICMP type and code.
                ingress(sg, `${tier}-in-path-mtu`, {
                    description: "ICMP 3/4 fragmentation needed, for path MTU discovery through NAT",
                    ipProtocol: "icmp",
                    fromPort: PATH_MTU_ICMP.type,
                    toPort: PATH_MTU_ICMP.code,
                    cidrIpv4: "0.0.0.0/0",
                });
                for (const port of WEB_PORTS) {
                    egress(sg, `${tier}-out-web-${port}`, {
                        description: "Web egress through NAT; the Network Firewall domain allowlist decides where",
                        ...tcp(port),
                        cidrIpv4: "0.0.0.0/0",
                    });
                }
            }
        }

        this.loadBalancerId = lb.id;
        this.servicesId = services.id;
        this.trainingId = training.id;
        this.registerOutputs({
            loadBalancerId: this.loadBalancerId,
            servicesId: this.servicesId,
            trainingId: this.trainingId,
            ingressPrefixListId: this.ingressPrefixListId,
        });
    }
}
