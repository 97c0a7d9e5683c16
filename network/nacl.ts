// Pure NACL planner. NACLs are stateless, so every designed flow needs a rule each way, including the return
// traffic on ephemeral ports. Security groups (stateful, per workload) and the firewall do the fine-grained work;
// these rules bound each tier to the flows the design has.
import type { SubnetPlan, Tier } from "./plan";

export const ANYWHERE = "0.0.0.0/0";
/** Ephemeral ports used by Linux, the NAT gateway and load balancers for return traffic. */
export const EPHEMERAL = { from: 1024, to: 65535 } as const;

export interface NaclRule {
    readonly ruleNo: number;
    /** "tcp", "udp", "icmp" or "-1" (all). */
    readonly protocol: "tcp" | "udp" | "icmp" | "-1";
    /** ICMP type and code, for "icmp" rules only. */
    readonly icmp?: { readonly type: number; readonly code: number };
    readonly cidrBlock: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly action: "allow";
    /** Why the rule exists; shown in the offline plan. */
    readonly purpose: string;
}

export interface NaclPlan {
    readonly ingress: readonly NaclRule[];
    readonly egress: readonly NaclRule[];
}

export interface NaclInputs {
    readonly plan: SubnetPlan;
    /** Ports the load balancer listens on (the firewall's ingress ports). */
    readonly publicPorts: readonly number[];
    /** Port the model servers listen on behind the load balancer. */
    readonly servingPort: number;
    readonly trainingEgress: "none" | "filtered";
    /** True when the stack has NAT gateways (the firewall allowlists at least one egress domain). */
    readonly natEgress: boolean;
}

/** Ports the NAT gateway forwards for the private tiers; the firewall narrows them to allowlisted domains. */
export const WEB_PORTS = [443, 80] as const;
const HTTPS = 443;

type Draft = Omit<NaclRule, "ruleNo" | "action">;

function tcp(cidrBlock: string, from: number, to: number, purpose: string): Draft {
    return { protocol: "tcp", cidrBlock, fromPort: from, toPort: to, purpose };
}

/**
 * ICMP "fragmentation needed" (type 3 code 4) from anywhere: path MTU discovery for flows that leave the VPC,
 * whose internet path is limited to 1500 bytes (the VPC's MTU is 9001). See firewall/rules.ts, which passes it too.
 */
function fragmentationNeeded(cidrBlock = ANYWHERE, purpose = "ICMP fragmentation needed (path MTU discovery)"): Draft {
    return { protocol: "icmp", cidrBlock, fromPort: 0, toPort: 0, icmp: { type: 3, code: 4 }, purpose };
}

function all(cidrBlock: string, purpose: string): Draft {
    return { protocol: "-1", cidrBlock, fromPort: 0, toPort: 0, purpose };
}

function numbered(drafts: readonly Draft[]): NaclRule[] {
    return drafts.map((d, i) => ({ ...d, ruleNo: 100 + i * 10, action: "allow" }));
}

function tierCidrs(plan: SubnetPlan, tier: Tier): string[] {
    return Object.keys(plan.subnets)
        .sort()
        .map((az) => plan.subnets[az]?.[tier])
        .filter((c): c is string => c !== undefined);
}

export function planNacls(inputs: NaclInputs): Readonly<Record<Tier, NaclPlan>> {
    const { plan, publicPorts, servingPort } = inputs;
    const vpc = plan.vpcCidr;
    const publicCidrs = tierCidrs(plan, "public");
    const trainingCidrs = tierCidrs(plan, "training");
    const ports = [...new Set(publicPorts)].sort((a, b) => a - b);
    // Rules that would repeat per private subnet name the VPC CIDR instead, so the count does not grow with the
    // AZs (Amazon VPC quotas: 20 rules per NACL and direction by default). Only the private tiers route to the
    // NAT gateway and only the services tier is behind the load balancer; security groups narrow the rest.
    const nat = inputs.natEgress ? WEB_PORTS.map((p) => tcp(vpc, p, p, `NAT egress on ${p} from the private tiers`)) : [];
    // NACLs are stateless for ICMP too (Amazon VPC User Guide, "Network ACLs"): the "fragmentation needed" a router
    // sends to the NAT gateway enters the public subnet (ingress rule) and, forwarded by the NAT gateway to the
    // private host, leaves it again towards the VPC (this egress rule), before the host's NACL admits it.
    const natOut = inputs.natEgress
        ? [
              ...WEB_PORTS.map((p) => tcp(ANYWHERE, p, p, `NAT forwarding to the internet on ${p}`)),
              fragmentationNeeded(vpc, "ICMP fragmentation needed, forwarded by the NAT gateway to the private hosts"),
          ]
        : [];

    const publicTier: NaclPlan = {
        ingress: numbered([
            ...ports.map((p) => tcp(ANYWHERE, p, p, `clients to the load balancer on ${p}`)),
            tcp(ANYWHERE, EPHEMERAL.from, EPHEMERAL.to, "replies to NAT and load balancer connections"),
            fragmentationNeeded(),
            ...nat,
        ]),
        egress: numbered([
            tcp(ANYWHERE, EPHEMERAL.from, EPHEMERAL.to, "replies to clients and NAT return traffic"),
            ...natOut,
            tcp(vpc, servingPort, servingPort, "load balancer to the model servers"),
        ]),
    };

    // The firewall endpoint subnet: the firewall is the control here. Its NACL passes everything so that the
    // firewall sees (and logs) every packet it drops; a stateless drop here would hide traffic from its logs.
    const firewallTier: NaclPlan = {
        ingress: numbered([all(ANYWHERE, "all traffic reaches the firewall, which inspects and logs it")]),
        egress: numbered([all(ANYWHERE, "traffic the firewall has passed")]),
    };

    const servicesTier: NaclPlan = {
        ingress: numbered([
            ...publicCidrs.map((c) => tcp(c, servingPort, servingPort, `load balancer in ${c} to model servers`)),
            tcp(vpc, HTTPS, HTTPS, "VPC interface endpoints in this tier, from inside the VPC"),
            tcp(ANYWHERE, EPHEMERAL.from, EPHEMERAL.to, "replies from the NAT gateway, S3 and endpoints"),
            ...(inputs.natEgress ? [fragmentationNeeded()] : []),
        ]),
        egress: numbered([
            tcp(vpc, EPHEMERAL.from, EPHEMERAL.to, "replies to the load balancer and endpoint clients"),
            ...WEB_PORTS.map((p) => tcp(ANYWHERE, p, p, `outbound ${p} via endpoints, S3 or NAT and firewall`)),
        ]),
    };

    const trainingWeb = inputs.trainingEgress === "filtered" ? WEB_PORTS : [HTTPS];
    const trainingTier: NaclPlan = {
        ingress: numbered([
            ...trainingCidrs.map((c) => all(c, `distributed training peers in ${c}`)),
            tcp(ANYWHERE, EPHEMERAL.from, EPHEMERAL.to, "replies from S3 (gateway endpoint), endpoints and NAT"),
            ...(inputs.natEgress && inputs.trainingEgress === "filtered" ? [fragmentationNeeded()] : []),
        ]),
        egress: numbered([
            ...trainingCidrs.map((c) => all(c, `distributed training peers in ${c}`)),
            ...trainingWeb.map((p) =>
                tcp(
                    ANYWHERE,
                    p,
                    p,
                    inputs.trainingEgress === "filtered"
                        ? `outbound ${p} via endpoints, S3 or NAT and firewall`
                        : `outbound ${p} to endpoints and S3 (no route off the VPC)`,
                ),
            ),
        ]),
    };

    return { public: publicTier, firewall: firewallTier, services: servicesTier, training: trainingTier };
}
