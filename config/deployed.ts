// What the last `pulumi up` of this stack deployed, read from the stack's own outputs, and the config changes AWS
// would refuse half-way given that state. Checked before any AWS resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { deployedLogGroups, type DeployedLogGroups } from "../baseline/logGroupNames";
import { quote } from "./fields";
import type { ConfigProblem, StackConfig } from "./load";

/**
 * The deployed facts a safe change depends on (stack outputs `availabilityZones`, `firewallProtections` and
 * `logGroupNames`).
 */
export interface DeployedState {
    readonly availabilityZones: readonly string[];
    readonly subnetChangeProtection: boolean;
    /** The log groups' names as deployed (a deployment before the output existed used fixed names). */
    readonly logGroups: DeployedLogGroups;
}

/**
 * Reads this stack's outputs from its last deployment (a StackReference to the stack itself; it creates nothing).
 * Undefined before the first deployment.
 */
export async function readDeployedState(project: string, stack: string): Promise<DeployedState | undefined> {
    const self = new pulumi.StackReference(`${stack}-last-deployment`, {
        name: `${pulumi.getOrganization()}/${project}/${stack}`,
    });
    const [zones, protections, logGroupNames] = await Promise.all([
        self.getOutputDetails("availabilityZones"),
        self.getOutputDetails("firewallProtections"),
        self.getOutputDetails("logGroupNames"),
    ]);
    return parseDeployedState(zones.value, protections.value, logGroupNames.value);
}

export function parseDeployedState(zones: unknown, protections: unknown, logGroupNames?: unknown): DeployedState | undefined {
    if (!Array.isArray(zones) || !zones.every((z): z is string => typeof z === "string")) {
        return undefined;
    }
    const subnetChange = typeof protections === "object" && protections !== null ? (protections as Record<string, unknown>)["subnetChange"] : undefined;
    // A stack deployed before the protections were exported had them on by default.
    return {
        availabilityZones: zones,
        subnetChangeProtection: typeof subnetChange === "boolean" ? subnetChange : true,
        logGroups: deployedLogGroups(true, logGroupNames),
    };
}

const AZ_KEY = "secure-ai:network.availabilityZones";
const PROTECTION_KEY = "secure-ai:firewall.protections.subnetChange";

/**
 * Adding or removing an AZ changes the firewall's subnet mappings (AssociateSubnets / DisassociateSubnets), which
 * AWS refuses while the firewall's SubnetChangeProtection is on (AWS Network Firewall API Reference,
 * UpdateSubnetChangeProtection). By then `pulumi up` has already created the new AZ's subnets, routes and NAT
 * gateway, so the change must be made in steps: protection off, then the AZs, then protection on again.
 */
export function azChangeProblems(deployed: DeployedState | undefined, config: Pick<StackConfig, "network" | "firewall">): ConfigProblem[] {
    if (deployed === undefined) {
        return [];
    }
    const before = [...deployed.availabilityZones].sort();
    const after = [...config.network.availabilityZones].sort();
    if (before.join(",") === after.join(",")) {
        return [];
    }
    const change = `changes the firewall's subnets from ${quote(before)} to ${quote(after)}`;
    const steps =
        `make the change in three \`pulumi up\` runs: (1) set ${PROTECTION_KEY}: false and keep the AZs ${quote(before)}; ` +
        `(2) change the AZs; (3) set ${PROTECTION_KEY}: true again`;
    if (deployed.subnetChangeProtection) {
        return [{ path: AZ_KEY, message: `${change}, but the deployed firewall has subnet-change protection on and AWS refuses that after the new subnets exist: ${steps}` }];
    }
    if (config.firewall.protections.subnetChange) {
        return [{ path: PROTECTION_KEY, message: `true turns subnet-change protection on in the same run that ${change}; the firewall may be protected before its subnets move: ${steps}` }];
    }
    return [];
}
