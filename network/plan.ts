// Pure subnet planner: VPC CIDR + AZ names + tier sizes -> one CIDR per (AZ, tier).
//
// Addresses are keyed by the AZ's letter, not by its position in the stack's list: us-west-2b always gets
// slot 1 of every tier, whether the stack lists [a, b], [b] or [c, b, a]. Adding, removing or reordering AZs
// therefore never moves another AZ's subnets (a moved subnet is a replaced subnet).
import { cidrSize, cidrText, parseCidr, type Cidr } from "../config/cidr";

export const TIERS = ["public", "firewall", "services", "training"] as const;
export type Tier = (typeof TIERS)[number];

/** AWS recommends a dedicated /28 for Network Firewall endpoints; it is not configurable. */
export const FIREWALL_PREFIX_LENGTH = 28;

/** Letters a..f: every commercial region's AZ names end in one of them. */
export const AZ_SLOT_LETTERS = "abcdef";
export const AZ_SLOTS = AZ_SLOT_LETTERS.length;

export interface SubnetPrefixLengths {
    readonly public: number;
    readonly services: number;
    readonly training: number;
}

export type TierCidrs = Readonly<Record<Tier, string>>;

export interface SubnetPlan {
    readonly vpcCidr: string;
    /** Keyed by AZ name. */
    readonly subnets: Readonly<Record<string, TierCidrs>>;
}

export class PlanError extends Error {}

export function tierPrefixLengths(sizes: SubnetPrefixLengths): Readonly<Record<Tier, number>> {
    return forTiers((tier) => (tier === "firewall" ? FIREWALL_PREFIX_LENGTH : sizes[tier]));
}

/** Slot of an AZ name such as `us-west-2c` (-> 2); undefined when the name does not end in a..f. */
export function azSlot(azName: string): number | undefined {
    const slot = AZ_SLOT_LETTERS.indexOf(azName.slice(-1));
    return slot < 0 ? undefined : slot;
}

/**
 * Where each tier's region starts: largest subnets first so every region starts on a boundary of its own subnet
 * size. Each region holds AZ_SLOTS subnets of the tier's size.
 */
function tierOffsets(sizes: SubnetPrefixLengths): Readonly<Record<Tier, bigint>> {
    const lengths = tierPrefixLengths(sizes);
    // Array.prototype.sort is stable (ECMAScript 2019): tiers of one size keep their TIERS order.
    const ordered = [...TIERS].sort((a, b) => lengths[a] - lengths[b]);
    const offsets = forTiers(() => 0n);
    let offset = 0n;
    for (const tier of ordered) {
        offsets[tier] = offset;
        offset += cidrSize(lengths[tier]) * BigInt(AZ_SLOTS);
    }
    return offsets;
}

/** Addresses the plan reserves: AZ_SLOTS subnets of every tier. */
export function requiredAddresses(sizes: SubnetPrefixLengths): bigint {
    const lengths = tierPrefixLengths(sizes);
    return TIERS.reduce((sum, tier) => sum + cidrSize(lengths[tier]) * BigInt(AZ_SLOTS), 0n);
}

/**
 * Why the plan cannot be made, or undefined when it can. The config loader reports this against the right key;
 * planSubnets throws it.
 */
export function planProblem(vpcCidr: string, sizes: SubnetPrefixLengths): string | undefined {
    const fit = fitVpc(vpcCidr, sizes);
    return typeof fit === "string" ? fit : undefined;
}

/** The parsed VPC range when the plan fits in it, or why it does not. */
function fitVpc(vpcCidr: string, sizes: SubnetPrefixLengths): Cidr | string {
    const vpc = parseCidr(vpcCidr);
    if (vpc === undefined) {
        return `"${vpcCidr}" is not an IPv4 CIDR`;
    }
    const lengths = tierPrefixLengths(sizes);
    for (const tier of TIERS) {
        if (lengths[tier] <= vpc.prefixLength) {
            return `${tier} subnets of /${lengths[tier]} do not fit inside the /${vpc.prefixLength} VPC ${vpcCidr}`;
        }
    }
    const needed = requiredAddresses(sizes);
    const available = cidrSize(vpc.prefixLength);
    if (needed > available) {
        const parts = TIERS.map((t) => `${t} /${lengths[t]}`).join(", ");
        return (
            `${AZ_SLOTS} AZ slots x (${parts}) need ${needed} addresses but the /${vpc.prefixLength} VPC ` +
            `${vpcCidr} has ${available} (use a larger VPC or longer subnet prefix lengths)`
        );
    }
    return vpc;
}

export function planSubnets(vpcCidr: string, azNames: readonly string[], sizes: SubnetPrefixLengths): SubnetPlan {
    const vpc = fitVpc(vpcCidr, sizes);
    if (typeof vpc === "string") {
        throw new PlanError(vpc);
    }
    const lengths = tierPrefixLengths(sizes);
    const offsets = tierOffsets(sizes);
    const subnets: Record<string, TierCidrs> = {};
    for (const az of azNames) {
        const slot = azSlot(az);
        if (slot === undefined) {
            throw new PlanError(`AZ "${az}" does not end in one of the letters ${AZ_SLOT_LETTERS}`);
        }
        if (subnets[az] !== undefined) {
            throw new PlanError(`AZ "${az}" is listed twice`);
        }
        subnets[az] = forTiers((tier) =>
            cidrText(vpc.first + offsets[tier] + cidrSize(lengths[tier]) * BigInt(slot), lengths[tier]),
        );
    }
    return { vpcCidr, subnets };
}

/** A record with one value per tier. */
export function forTiers<T>(value: (tier: Tier) => T): Record<Tier, T> {
    return { public: value("public"), firewall: value("firewall"), services: value("services"), training: value("training") };
}

/** `perAz`: a NAT gateway in every AZ; `single`: one, in the alphabetically first AZ, for non-production stacks. */
export const NAT_GATEWAY_MODES = ["perAz", "single"] as const;
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

export interface EgressPlan {
    /** AZs that hold a NAT gateway (and its Elastic IP); empty when nothing may leave the VPC. */
    readonly natAzs: readonly string[];
    /** For each AZ, the AZ whose NAT gateway its private subnets route to; absent when there is none. */
    readonly natFor: Readonly<Record<string, string>>;
}

/**
 * Where the private tiers' internet egress goes. Nothing may leave the VPC when the firewall allowlists no
 * domain: then there is no NAT gateway and no Elastic IP at all. With `single`, every AZ routes to the one NAT
 * gateway; its traffic still crosses the firewall endpoint of the NAT's own AZ in both directions (public subnet
 * route -> endpoint in that AZ -> IGW; IGW edge route for that public subnet -> the same endpoint), so stateful
 * inspection stays symmetric. The cost is cross-AZ data and losing egress with that AZ.
 */
export function planEgress(azNames: readonly string[], mode: NatGatewayMode, egressAllowed: boolean): EgressPlan {
    // No AZ gives no NAT gateway either way: sorted is empty below.
    if (!egressAllowed) {
        return { natAzs: [], natFor: {} };
    }
    const sorted = [...azNames].sort();
    const natAzs = mode === "single" ? sorted.slice(0, 1) : sorted;
    const natFor = Object.fromEntries(azNames.map((az) => [az, mode === "single" ? (sorted[0] ?? az) : az]));
    return { natAzs, natFor };
}
