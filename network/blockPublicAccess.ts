// VPC Block Public Access (opt-in): the account and region's mode, on the stack that owns the account guardrails,
// and this stack's exclusions, so turning the mode on never cuts the stack's own internet paths. The plan is pure;
// the component turns it into resources.
//
// What AWS does (Amazon VPC User Guide, "Block public access to VPCs and subnets" and "VPC BPA basics"):
// - block-bidirectional: "All traffic to and from internet gateways and egress-only internet gateways in this Region
//   (except for excluded VPCs and subnets) is blocked"; block-ingress: all inbound internet traffic to the Region's
//   VPCs is blocked, "Only traffic to and from NAT gateways and egress-only internet gateways is allowed".
// - Both modes act on every VPC of the account in the Region, not only this stack's.
// - An exclusion applies to one VPC or subnet: allow-bidirectional, or allow-egress (only under block-bidirectional).
//   Exclusions can exist while the mode is off, "to ensure that there is no traffic disruption to the exclusions when
//   VPC BPA is turned on" (EC2 API Reference, CreateVpcBlockPublicAccessExclusion).
// - Internet-facing load balancers and NAT gateways are blocked with the rest; for AWS Network Firewall "All inbound
//   and outbound traffic is blocked even if the subnet containing firewall endpoints is excluded": what must be
//   excluded is the subnet of the resource the traffic belongs to, here the public subnets that hold the load
//   balancer (inbound from the ingress allowlist) and the NAT gateways (egress of the private tiers), not the
//   firewall subnets.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BaselineConfig } from "../config/baseline";
import { nameTag, resourceName } from "./naming";

export type BlockPublicAccessMode = "block-bidirectional" | "block-ingress";

export interface BlockPublicAccessPlan {
    /** The account and region's mode this stack sets; undefined: it leaves the setting alone. */
    readonly mode: BlockPublicAccessMode | undefined;
    /** The AZs whose public subnet is excluded, each allow-bidirectional (the load balancer takes inbound traffic). */
    readonly excludedPublicSubnetAzs: readonly string[];
}

export function planBlockPublicAccess(
    baseline: Pick<BaselineConfig, "vpcBlockPublicAccess" | "vpcBlockPublicAccessExclusions">,
    availabilityZones: readonly string[],
): BlockPublicAccessPlan {
    const mode = baseline.vpcBlockPublicAccess === "off" ? undefined : baseline.vpcBlockPublicAccess;
    const exclude = baseline.vpcBlockPublicAccessExclusions ?? mode !== undefined;
    return { mode, excludedPublicSubnetAzs: exclude ? [...availabilityZones] : [] };
}

export interface BlockPublicAccessArgs {
    readonly namePrefix: string;
    readonly plan: BlockPublicAccessPlan;
    /** Public subnet id by AZ name. */
    readonly publicSubnetIds: Readonly<Record<string, pulumi.Input<string>>>;
}

export class BlockPublicAccess extends pulumi.ComponentResource {
    /** Exclusion id by AZ name (empty when the stack has none). */
    readonly exclusionIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: BlockPublicAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:network:BlockPublicAccess", name, {}, opts);
        const { namePrefix, plan } = args;
        const exclusions = plan.excludedPublicSubnetAzs.map((az) => {
            const subnetId = args.publicSubnetIds[az];
            if (subnetId === undefined) {
                throw new Error(`internal: no public subnet in ${az} to exclude from VPC Block Public Access`);
            }
            return [
                az,
                new aws.ec2.VpcBlockPublicAccessExclusion(
                    resourceName(name, "public", az),
                    { subnetId, internetGatewayExclusionMode: "allow-bidirectional", tags: nameTag(namePrefix, "bpa-exclusion", "public", az) },
                    { parent: this },
                ),
            ] as const;
        });
        if (plan.mode !== undefined) {
            // After this stack's exclusions, so switching the mode on never cuts the stack's own paths; kept on destroy
            // like the other account guardrails (the provider would set the mode to off).
            new aws.ec2.VpcBlockPublicAccessOptions(
                resourceName(name, "options"),
                { internetGatewayBlockMode: plan.mode },
                { parent: this, retainOnDelete: true, dependsOn: exclusions.map(([, e]) => e) },
            );
        }
        this.exclusionIds = Object.fromEntries(exclusions.map(([az, e]) => [az, e.id]));
        this.registerOutputs({ exclusionIds: this.exclusionIds });
    }
}
