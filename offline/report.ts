// `npm run plan -- <stack> --format markdown`: a review report for a pull request, from the synthesized stack. Every
// figure is read off what the program registers (or the quota model the config loader enforces), never typed in.
import { largestUses, limitOf, QUOTAS } from "../aws/quotas";
import { controlApplies, FSBP_CONTROLS } from "../baseline/controls";
import type { StackConfig } from "../config/load";
import { endpointsByAz } from "../firewall/endpoints";
import type { JourneyRun } from "../journeys/run";
import { HOURS_PER_MONTH, monthly, PRICE_DATE, PRICE_REGION, PRICE_SOURCE, PRICES, UNPRICED_FIXED, USAGE_PRICES, type PriceKey } from "./prices";
import { byId, cloudResources, ofType, type SynthResource, type Synthesis } from "./synth";

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const usd = (n: number): string => `${n < 0 ? "-" : ""}$${Math.abs(n).toFixed(2)}`;

export interface CostItem {
    readonly key: PriceKey;
    readonly count: number;
    readonly monthly: number;
}

/** The stack's fixed monthly cost, per priced kind, counted from the synthesized resources. */
export function costItems(s: Synthesis): CostItem[] {
    const firewallEndpoints = ofType(s, "aws-native:networkfirewall:Firewall").reduce((n, f) => n + list(f.inputs["subnetMappings"]).length, 0);
    const natGateways = ofType(s, "aws:ec2/natGateway:NatGateway").length;
    const counts: Record<PriceKey, number> = {
        firewallEndpoint: firewallEndpoints,
        natGateway: natGateways,
        natGatewayWaived: Math.min(natGateways, firewallEndpoints),
        publicIpv4: ofType(s, "aws:ec2/eip:Eip").length,
        interfaceEndpoint: ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint")
            .filter((e) => e.inputs["vpcEndpointType"] === "Interface")
            .reduce((n, e) => n + list(e.inputs["subnetIds"]).length, 0),
        kmsKey: ofType(s, "aws:kms/key:Key").length,
        dnsFirewallDomain: ofType(s, "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList").reduce((n, l) => n + list(l.inputs["domains"]).length, 0),
        // Billed per association of a rule group that holds any Advanced rule.
        dnsFirewallAdvanced: ofType(s, "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation").filter((a) =>
            ofType(s, "aws:route53/resolverFirewallRule:ResolverFirewallRule").some(
                (r) => r.inputs["firewallRuleGroupId"] === a.inputs["firewallRuleGroupId"] && r.inputs["dnsThreatProtection"] !== undefined,
            ),
        ).length,
    };
    return (Object.keys(PRICES) as PriceKey[]).map((key) => ({ key, count: counts[key], monthly: monthly(key, counts[key]) }));
}

/** Fixed charges the stack incurs that the price table cannot figure (UNPRICED_FIXED), one list line each. */
export function costSectionNotes(s: Synthesis): string[] {
    const controls = ofType(s, "aws:ec2/vpcEncryptionControl:VpcEncryptionControl").length;
    const c = UNPRICED_FIXED.vpcEncryptionControl;
    return controls === 0 ? [] : [`- ${c.what}: ${controls} ${c.unit}, ${c.terms}`];
}

function costSection(s: Synthesis, region: string): string[] {
    const notes = costSectionNotes(s);
    const items = costItems(s);
    const total = items.reduce((sum, i) => sum + i.monthly, 0);
    const rate = (key: PriceKey) => {
        const p: { usdPerHour?: number; usdPerMonth?: number } = PRICES[key];
        // Sub-cent monthly prices (a DNS Firewall domain entry: $0.0005) keep their digits.
        return p.usdPerHour !== undefined ? `${p.usdPerHour < 0 ? "-" : ""}$${Math.abs(p.usdPerHour)}/h` : (p.usdPerMonth ?? 0) < 0.01 ? `$${p.usdPerMonth ?? 0}/month` : `${usd(p.usdPerMonth ?? 0)}/month`;
    };
    return [
        `## Fixed monthly cost`,
        "",
        `List prices for ${PRICE_REGION} recorded ${PRICE_DATE} (${PRICE_SOURCE}), ${HOURS_PER_MONTH} hours a month. Traffic (GB processed), logs and requests are extra.` +
            (region === PRICE_REGION ? "" : ` The stack is in ${region}, whose prices differ: read these as an order of magnitude.`),
        "",
        "| item | count | price | per month |",
        "|---|---:|---:|---:|",
        ...items.map((i) => `| ${PRICES[i.key].unit} | ${i.count} | ${rate(i.key)} | ${usd(i.monthly)} |`),
        "",
        `Total: ${usd(total)}/month`,
        "",
        ...(notes.length === 0 ? [] : ["Fixed, not in the total:", "", ...notes, ""]),
        "Usage-based, on top (traffic decides the amount):",
        "",
        ...USAGE_PRICES.map((u) => `- ${u.what}: ${u.price} (${u.source})`),
    ];
}

function countsSection(s: Synthesis): string[] {
    const counts = new Map<string, number>();
    for (const r of cloudResources(s)) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    const rows = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
    return [
        "## Resources",
        "",
        `${rows.reduce((n, [, c]) => n + c, 0)} AWS resources of ${rows.length} types.`,
        "",
        "<details><summary>counts by type</summary>",
        "",
        "| type | count |",
        "|---|---:|",
        ...rows.map(([type, count]) => `| \`${type}\` | ${count} |`),
        "",
        "</details>",
    ];
}

/** A Mermaid flowchart of the routes: every arrow is a route the stack creates. */
export function diagram(s: Synthesis): string[] {
    const subnets = ofType(s, "aws:ec2/subnet:Subnet");
    const tierOf = (subnet: SynthResource) => String((subnet.inputs["tags"] as Record<string, string> | undefined)?.["secure-ai:tier"] ?? "subnet");
    const node = (subnet: SynthResource) => `${tierOf(subnet)}_${String(subnet.inputs["availabilityZone"]).replace(/[^a-z0-9]/g, "_")}`;
    const associations = ofType(s, "aws:ec2/routeTableAssociation:RouteTableAssociation");
    const subnetOfTable = (tableId: unknown) => {
        const assoc = associations.find((a) => a.inputs["routeTableId"] === tableId && a.inputs["subnetId"] !== undefined);
        return assoc === undefined ? undefined : byId(s, assoc.inputs["subnetId"]);
    };
    const igw = ofType(s, "aws:ec2/internetGateway:InternetGateway")[0];
    const edgeTable = associations.find((a) => igw !== undefined && a.inputs["gatewayId"] === igw.id)?.inputs["routeTableId"];
    const firewall = ofType(s, "aws-native:networkfirewall:Firewall")[0];
    const endpointAz = new Map<string, string>(
        Object.entries(endpointsByAz(list(firewall?.state["endpointIds"]).map(String))).map(([az, vpce]) => [vpce, az]),
    );
    const fwNode = (az: string) => `fw_${az.replace(/[^a-z0-9]/g, "_")}`;

    const lines = ["```mermaid", "flowchart TB", "  internet((Internet)) <--> igw[Internet gateway]"];
    const azs = [...new Set(subnets.map((x) => String(x.inputs["availabilityZone"])))].sort();
    for (const az of azs) {
        lines.push(`  subgraph ${az.replace(/[^a-z0-9]/g, "_")}["${az}"]`);
        lines.push(`    ${fwNode(az)}{{"firewall endpoint"}}`);
        for (const subnet of subnets.filter((x) => x.inputs["availabilityZone"] === az)) {
            const nat = ofType(s, "aws:ec2/natGateway:NatGateway").some((n) => n.inputs["subnetId"] === subnet.id);
            const holds = tierOf(subnet) === "public" ? `load balancer${nat ? ", NAT gateway" : ""}` : tierOf(subnet) === "services" ? "model servers" : tierOf(subnet) === "training" ? "training jobs" : "";
            lines.push(`    ${node(subnet)}["${tierOf(subnet)} ${String(subnet.inputs["cidrBlock"])}${holds === "" ? "" : `<br/>${holds}`}"]`);
        }
        lines.push("  end");
    }
    for (const route of ofType(s, "aws:ec2/route:Route")) {
        const table = route.inputs["routeTableId"];
        const source = table === edgeTable ? undefined : subnetOfTable(table);
        const from = table === edgeTable ? "igw" : source === undefined ? undefined : node(source);
        let to: string | undefined;
        if (route.inputs["natGatewayId"] !== undefined) {
            const nat = byId(s, route.inputs["natGatewayId"]);
            const natSubnet = byId(s, nat?.inputs["subnetId"]);
            to = natSubnet === undefined ? undefined : node(natSubnet);
        } else if (route.inputs["vpcEndpointId"] !== undefined) {
            const az = endpointAz.get(String(route.inputs["vpcEndpointId"]));
            to = az === undefined ? undefined : fwNode(az);
        } else if (route.inputs["gatewayId"] !== undefined) {
            to = "igw";
        }
        if (from !== undefined && to !== undefined) {
            lines.push(`  ${from} -->|${String(route.inputs["destinationCidrBlock"])}| ${to}`);
        }
    }
    // The firewall endpoint hands inbound traffic to the public subnet of its AZ (the VPC's local route).
    for (const subnet of subnets.filter((x) => tierOf(x) === "public")) {
        lines.push(`  ${fwNode(String(subnet.inputs["availabilityZone"]))} -.->|local| ${node(subnet)}`);
    }
    const s3 = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs["vpcEndpointType"] === "Gateway");
    if (s3 !== undefined) {
        lines.push("  s3[(S3 gateway endpoint)]");
        for (const table of list(s3.inputs["routeTableIds"])) {
            const subnet = subnetOfTable(table);
            if (subnet !== undefined) {
                lines.push(`  ${node(subnet)} -.->|S3 prefix list| s3`);
            }
        }
    }
    const interfaces = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs["vpcEndpointType"] === "Interface");
    if (interfaces.length > 0) {
        lines.push(`  ifaces[("${interfaces.length} interface endpoints<br/>${interfaces.map((e) => String(e.inputs["serviceName"]).split(".").slice(3).join(".")).join(", ")}")]`);
    }
    lines.push("```");
    return lines;
}

/**
 * "Who can reach what": every step of every journey (journeys/catalogue.ts) as the evaluator decided it on the
 * synthesized stack, with the resource that decided. Generated from the journeys' results, not from the config.
 */
function reachability(run: JourneyRun): string[] {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    const rows = run.results.flatMap((r) =>
        r.steps.map(
            (step) =>
                `| ${cell(r.journey.who)} | ${cell(step.step.what)} | ${step.outcome}${step.holds ? "" : ` (expected ${step.step.expect})`} | ${cell(step.decidedBy)} |`,
        ),
    );
    const failing = run.results.filter((r) => !r.holds).map((r) => `\`${r.journey.id}\``);
    return [
        "## Who can reach what",
        "",
        `Every journey of \`journeys/catalogue.ts\` walked through this stack's resources (firewall verdicts: ${run.firewallEngine}). ${failing.length === 0 ? "All hold." : `**Failing: ${failing.join(", ")}.**`}`,
        "",
        "| who | does | outcome | decided by |",
        "|---|---|---|---|",
        ...rows,
    ];
}

function controls(config: StackConfig): string[] {
    return [
        "## Security controls (AWS Foundational Security Best Practices)",
        "",
        "| control | title | in this stack | enforced by |",
        "|---|---|---|---|",
        ...FSBP_CONTROLS.map((c) => `| ${c.id} | ${c.title} | ${controlApplies(c.id, config) ? "holds" : "not claimed (setting off in this stack)"} | ${c.proof} |`),
    ];
}

function quotas(config: StackConfig, stack: string): string[] {
    const largest = largestUses({
        network: config.network,
        firewall: config.firewall,
        baseline: config.baseline,
        region: config.region,
        stack,
    });
    return [
        "## Quotas used",
        "",
        "| quota | largest use | used | limit |",
        "|---|---|---:|---:|",
        ...[...largest.entries()].map(([id, u]) => `| ${QUOTAS[id].name} | ${u.subject} | ${u.used} | ${limitOf(id, config.quotas)} |`),
    ];
}

/** The whole report. */
export function renderMarkdownReport(s: Synthesis, config: StackConfig, journeys: JourneyRun): string {
    return [
        `# secure-ai \`${s.stack}\`: review report`,
        "",
        `Region ${config.region}, VPC ${config.network.cidr}, ${config.network.availabilityZones.length} AZs (${config.network.availabilityZones.join(", ")}), training egress \`${config.network.trainingEgress}\`. Offline synthesis under mocked AWS: nothing was deployed.`,
        "",
        ...countsSection(s),
        "",
        "## Network",
        "",
        ...diagram(s),
        "",
        ...reachability(journeys),
        "",
        ...controls(config),
        "",
        ...quotas(config, s.stack),
        "",
        ...costSection(s, config.region),
        "",
    ].join("\n");
}
