// The Network component: turns the pure subnet, NACL and endpoint-policy plans into resources.
import * as aws from "../aws/pulumiAws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../config/network";
import type { AccountRef } from "../policy/account";
import { planEncryptionControl } from "./encryptionControl";
import { interfaceEndpointPolicy, s3EndpointPolicy } from "./endpointPolicy";
import { planNacls, type NaclRule } from "./nacl";
import { mapRecord, nameTag, resourceName } from "./naming";
import { forTiers, planEgress, planSubnets, TIERS, type SubnetPlan, type Tier } from "./plan";

export interface NetworkArgs {
    /** Prefix of Name tags, e.g. `secure-ai-dev`. */
    readonly namePrefix: string;
    readonly region: string;
    readonly network: NetworkConfig;
    /** Ports the internet-facing load balancer listens on. */
    readonly publicPorts: readonly number[];
    /** Port the model servers listen on. */
    readonly servingPort: number;
    /** True when the firewall allowlists egress domains: only then do the private tiers get NAT gateways. */
    readonly egressAllowed: boolean;
    readonly account: AccountRef;
}

interface Zone {
    readonly az: string;
    readonly subnets: Record<Tier, aws.ec2.Subnet>;
    readonly routeTables: Record<Tier, aws.ec2.RouteTable>;
}

/** Per tier, per AZ name. */
export type ByTierAndAz<T> = Readonly<Record<Tier, Readonly<Record<string, T>>>>;

export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: string;
    readonly availabilityZones: readonly string[];
    readonly plan: SubnetPlan;
    readonly subnetIds: ByTierAndAz<pulumi.Output<string>>;
    readonly subnetCidrs: ByTierAndAz<string>;
    readonly routeTableIds: ByTierAndAz<pulumi.Output<string>>;
    readonly natGatewayIds: Readonly<Record<string, pulumi.Output<string>>>;
    readonly internetGatewayId: pulumi.Output<string>;
    readonly s3EndpointId: pulumi.Output<string>;
    /** AWS-managed prefix list of S3 in the region, for security group egress to the gateway endpoint. */
    readonly s3PrefixListId: pulumi.Output<string>;
    readonly interfaceEndpointIds: Readonly<Record<string, pulumi.Output<string>>>;
    readonly endpointSecurityGroupId: pulumi.Output<string>;
    /** The VPC encryption control's id; undefined when `encryptionControl` is off. */
    readonly encryptionControlId: pulumi.Output<string> | undefined;
    /** The VPC encryption control itself (what the flow log replacement waits for); undefined when off. */
    readonly encryptionControl: aws.ec2.VpcEncryptionControl | undefined;
    /** The VPC flow log's custom format (the encryption control's fields); undefined: AWS's default format. */
    readonly flowLogFormat: string | undefined;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:network:Network", name, {}, opts);
        const { network, namePrefix } = args;
        const plan = planSubnets(network.cidr, network.availabilityZones, network.subnetPrefixLengths);
        this.plan = plan;
        this.vpcCidr = network.cidr;
        this.availabilityZones = network.availabilityZones;
        const child = { parent: this };

        const vpc = new aws.ec2.Vpc(
            resourceName(name, "vpc"),
            {
                cidrBlock: network.cidr,
                enableDnsSupport: true,
                enableDnsHostnames: true,
                tags: nameTag(namePrefix, "vpc"),
            },
            child,
        );
        this.vpcId = vpc.id;

        // Opt-in VPC encryption controls, monitor mode (network/encryptionControl.ts): this VPC only.
        const encryption = planEncryptionControl(network);
        this.flowLogFormat = encryption.flowLogFormat;
        this.encryptionControl =
            encryption.mode === undefined
                ? undefined
                : new aws.ec2.VpcEncryptionControl(
                      resourceName(name, "encryption-control"),
                      { vpcId: vpc.id, mode: encryption.mode, tags: nameTag(namePrefix, "encryption-control") },
                      // VpcId "Update requires: Replacement" (CloudFormation Template Reference,
                      // AWS::EC2::VPCEncryptionControl; ModifyVpcEncryptionControl takes no VPC), while the provider's
                      // schema marks no replacement on vpc_id (terraform-provider-aws
                      // internal/service/ec2/vpc_encryption_control.go): a new VPC (a new `cidr`) gets a new control.
                      { ...child, replaceOnChanges: ["vpcId"] },
                  );
        this.encryptionControlId = this.encryptionControl?.id;

        // Adopt the defaults and strip them: nothing may fall back to a default SG, NACL or route table.
        new aws.ec2.DefaultSecurityGroup(
            resourceName(name, "default-sg"),
            { vpcId: vpc.id, tags: nameTag(namePrefix, "default-sg-unused") },
            child,
        );
        new aws.ec2.DefaultNetworkAcl(
            resourceName(name, "default-nacl"),
            { defaultNetworkAclId: vpc.defaultNetworkAclId, tags: nameTag(namePrefix, "default-nacl-unused") },
            child,
        );
        new aws.ec2.DefaultRouteTable(
            resourceName(name, "default-rt"),
            { defaultRouteTableId: vpc.defaultRouteTableId, routes: [], tags: nameTag(namePrefix, "default-rt-unused") },
            child,
        );

        const igw = new aws.ec2.InternetGateway(
            resourceName(name, "igw"),
            { vpcId: vpc.id, tags: nameTag(namePrefix, "igw") },
            child,
        );
        this.internetGatewayId = igw.id;

        // Per AZ: a subnet and a route table per tier.
        const zones: Zone[] = Object.entries(plan.subnets).map(([az, cidrs]) => {
            const zoneSubnets = mapRecord(cidrs, (cidr, tier) =>
                new aws.ec2.Subnet(
                    resourceName(name, tier, az),
                    {
                        vpcId: vpc.id,
                        cidrBlock: cidr,
                        availabilityZone: az,
                        mapPublicIpOnLaunch: false,
                        // The tier, and for training its egress mode: the policy pack checks routes against them.
                        tags: {
                            ...nameTag(namePrefix, tier, az),
                            "secure-ai:tier": tier,
                            ...(tier === "training" ? { "secure-ai:training-egress": network.trainingEgress } : {}),
                        },
                    },
                    child,
                ),
            );
            const zoneRouteTables = mapRecord(zoneSubnets, (subnet, tier) => {
                const table = new aws.ec2.RouteTable(
                    resourceName(name, tier, az),
                    { vpcId: vpc.id, tags: nameTag(namePrefix, tier, az) },
                    child,
                );
                new aws.ec2.RouteTableAssociation(
                    resourceName(name, tier, az),
                    { subnetId: subnet.id, routeTableId: table.id },
                    child,
                );
                return table;
            });
            return { az, subnets: zoneSubnets, routeTables: zoneRouteTables };
        });
        const zoneOf = (az: string): Zone => {
            const zone = zones.find((z) => z.az === az);
            if (zone === undefined) {
                throw new Error(`internal: no zone ${az}`);
            }
            return zone;
        };

        // NAT gateways, each with its own Elastic IP, only when something may leave the VPC (planEgress).
        const egress = planEgress(network.availabilityZones, network.natGateways, args.egressAllowed);
        const natGateways: Record<string, aws.ec2.NatGateway> = {};
        for (const az of egress.natAzs) {
            const eip = new aws.ec2.Eip(
                resourceName(name, "nat", az),
                { domain: "vpc", tags: nameTag(namePrefix, "nat", az) },
                child,
            );
            natGateways[az] = new aws.ec2.NatGateway(
                resourceName(name, "nat", az),
                {
                    allocationId: eip.id,
                    subnetId: zoneOf(az).subnets.public.id,
                    connectivityType: "public",
                    tags: nameTag(namePrefix, "nat", az),
                },
                // A public NAT gateway needs the VPC's internet gateway; no input carries that dependency.
                { parent: this, dependsOn: [igw] },
            );
        }
        this.natGatewayIds = Object.fromEntries(Object.entries(natGateways).map(([az, nat]) => [az, nat.id]));

        // Private tiers leave the VPC only through their NAT gateway (their own AZ's unless `single`). Training
        // gets no default route at all unless its egress is `filtered`.
        const natRouted: Tier[] = network.trainingEgress === "filtered" ? ["services", "training"] : ["services"];
        for (const zone of zones) {
            const natAz = egress.natFor[zone.az];
            const nat = natAz === undefined ? undefined : natGateways[natAz];
            if (nat === undefined) {
                continue;
            }
            for (const tier of natRouted) {
                new aws.ec2.Route(
                    resourceName(name, tier, "default", zone.az),
                    { routeTableId: zone.routeTables[tier].id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
                    child,
                );
            }
        }

        // One NACL per tier, shared by that tier's subnets in every AZ.
        const nacls = planNacls({
            plan,
            publicPorts: args.publicPorts,
            servingPort: args.servingPort,
            trainingEgress: network.trainingEgress,
            natEgress: egress.natAzs.length > 0,
        });
        for (const tier of TIERS) {
            new aws.ec2.NetworkAcl(
                resourceName(name, tier, "nacl"),
                {
                    vpcId: vpc.id,
                    subnetIds: zones.map((z) => z.subnets[tier].id),
                    ingress: nacls[tier].ingress.map(naclEntry),
                    egress: nacls[tier].egress.map(naclEntry),
                    tags: nameTag(namePrefix, tier, "nacl"),
                },
                child,
            );
        }

        // VPC endpoints: AWS APIs without leaving the VPC, limited to this account by their policies.
        const scope = args.account.scope;
        const privateTables: Tier[] = ["services", "training"];
        const s3Endpoint = new aws.ec2.VpcEndpoint(
            resourceName(name, "s3"),
            {
                vpcId: vpc.id,
                vpcEndpointType: "Gateway",
                serviceName: `com.amazonaws.${args.region}.s3`,
                routeTableIds: zones.flatMap((z) => privateTables.map((tier) => z.routeTables[tier].id)),
                policy: scope.apply((s) => JSON.stringify(s3EndpointPolicy(s, network.s3EndpointReadOnlyBuckets))),
                tags: nameTag(namePrefix, "s3"),
            },
            child,
        );
        this.s3EndpointId = s3Endpoint.id;
        this.s3PrefixListId = s3Endpoint.prefixListId;

        const endpointSg = new aws.ec2.SecurityGroup(
            resourceName(name, "endpoints"),
            {
                vpcId: vpc.id,
                description: "VPC interface endpoints: HTTPS from inside the VPC only",
                tags: nameTag(namePrefix, "endpoints"),
            },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            resourceName(name, "endpoints-https"),
            {
                securityGroupId: endpointSg.id,
                description: "HTTPS from the VPC",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: network.cidr,
            },
            child,
        );
        this.endpointSecurityGroupId = endpointSg.id;

        const endpointPolicy = scope.apply((s) => JSON.stringify(interfaceEndpointPolicy(s)));
        const interfaceEndpoints: Record<string, pulumi.Output<string>> = {};
        for (const service of network.interfaceEndpoints) {
            interfaceEndpoints[service] = new aws.ec2.VpcEndpoint(
                resourceName(name, service.replace(/\./g, "-")),
                {
                    vpcId: vpc.id,
                    vpcEndpointType: "Interface",
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    privateDnsEnabled: true,
                    subnetIds: zones.map((z) => z.subnets.services.id),
                    securityGroupIds: [endpointSg.id],
                    policy: endpointPolicy,
                    tags: nameTag(namePrefix, service),
                },
                child,
            ).id;
        }
        this.interfaceEndpointIds = interfaceEndpoints;

        const byAz = <T>(value: (zone: Zone) => T): Record<string, T> =>
            Object.fromEntries(zones.map((z) => [z.az, value(z)]));
        this.subnetIds = forTiers((tier) => byAz((z) => z.subnets[tier].id));
        this.subnetCidrs = forTiers((tier) => Object.fromEntries(Object.entries(plan.subnets).map(([az, c]) => [az, c[tier]])));
        this.routeTableIds = forTiers((tier) => byAz((z) => z.routeTables[tier].id));

        this.registerOutputs({
            vpcId: this.vpcId,
            subnetIds: this.subnetIds,
            routeTableIds: this.routeTableIds,
            natGatewayIds: this.natGatewayIds,
            internetGatewayId: this.internetGatewayId,
            s3EndpointId: this.s3EndpointId,
            encryptionControlId: this.encryptionControlId,
        });
    }
}

function naclEntry(rule: NaclRule): aws.types.input.ec2.NetworkAclIngress {
    return {
        ruleNo: rule.ruleNo,
        action: rule.action,
        protocol: rule.protocol,
        ...(rule.icmp === undefined ? {} : { icmpType: rule.icmp.type, icmpCode: rule.icmp.code }),
        cidrBlock: rule.cidrBlock,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
    };
}
