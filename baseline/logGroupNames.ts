// Physical names of the stack's log groups. A log group kept on `pulumi destroy` (protectData) still exists in the
// account with its name, and CreateLogGroup refuses an existing name (ResourceAlreadyExistsException, CloudWatch
// Logs API Reference, CreateLogGroup). So a stack that is not deployed creates its log groups with a unique suffix
// (the provider's `namePrefix`: prefix + a 26-character id unique to each create), and a deployed stack keeps the
// names its last deployment reports (stack output `logGroupNames`), so no `up` ever renames (replaces) one.
// Pure: no Pulumi.

/** The stack's log groups, by id; each is named `<logGroupPrefix><id>` plus, when created, a unique suffix. */
export const LOG_GROUP_IDS = ["cloudtrail", "vpc-flow-logs", "network-firewall/alert", "network-firewall/flow", "dns-queries"] as const;
export type LogGroupId = (typeof LOG_GROUP_IDS)[number];

/** `name` (keep a deployed group's name) or `namePrefix` (create one whose name cannot collide). */
export type LogGroupNaming = { readonly name: string } | { readonly namePrefix: string };

/**
 * How to name a log group, given what the stack's last deployment reports:
 * - never deployed (or destroyed: a destroyed stack has no outputs): a new unique name under the prefix;
 * - deployed and the output `logGroupNames` names it: that name; deployed and the output does not name it: the
 *   fixed legacy name (it was deployed before the output named it);
 * - deployed before `logGroupNames` existed: the fixed name those deployments used (`<prefix><id>`), so an existing
 *   stack is not renamed.
 */
export function logGroupNaming(prefix: string, id: LogGroupId, deployed: DeployedLogGroups): LogGroupNaming {
    if (deployed.kind === "none") {
        return { namePrefix: `${prefix}${id}-` };
    }
    if (deployed.kind === "legacy") {
        return { name: `${prefix}${id}` };
    }
    // A deployed stack whose output lacks this group (or names it outside the prefix) deployed it before the output
    // named it, under the fixed legacy name: keep that name, so the `up` neither renames (replaces) it nor loses it.
    const name = deployed.names[id];
    return name === undefined || !name.startsWith(prefix) ? { name: `${prefix}${id}` } : { name };
}

/** What the last deployment says about the log groups' names. */
export type DeployedLogGroups =
    | { readonly kind: "none" }
    | { readonly kind: "legacy" }
    | { readonly kind: "named"; readonly names: Readonly<Partial<Record<LogGroupId, string>>> };

/** Reads the `logGroupNames` output of a deployment (undefined outputs: the stack is not deployed). */
export function deployedLogGroups(deployed: boolean, output: unknown): DeployedLogGroups {
    if (!deployed) {
        return { kind: "none" };
    }
    if (typeof output !== "object" || output === null) {
        return { kind: "legacy" };
    }
    const names: Partial<Record<LogGroupId, string>> = {};
    for (const id of LOG_GROUP_IDS) {
        const value = (output as Record<string, unknown>)[id];
        if (typeof value === "string") {
            names[id] = value;
        }
    }
    return { kind: "named", names };
}
