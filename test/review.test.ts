// Review before deploy: the Markdown report and the diff of a YAML edit, from the same synthesized stacks (the
// schema editors validate stack files with is test/configSchema.test.ts).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadConfig, type RawConfig } from "../config/load";
import { diffContext, diffSyntheses, diffWarnings, renderDiff } from "../offline/diff";
import { HOURS_PER_MONTH, monthly, PRICE_REGION, PRICES } from "../offline/prices";
import { costItems, renderMarkdownReport } from "../offline/report";
import { PROJECT_ROOT, readStackConfig, stackFiles, type Synthesis } from "../offline/synth";
import { anyStack, fixture, fixtureJourneys, type FixtureName, inTempDir, journeys, ofType, synth, synthFixture, synthWith } from "./support";

/** The expected monthly total, counted here independently of offline/report.ts. */
function expectedTotal(s: Synthesis): number {
    const endpoints = ofType(s, "aws-native:networkfirewall:Firewall").flatMap((f) => f.inputs["subnetMappings"] as unknown[]).length;
    const interfaceAzs = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint")
        .filter((e) => e.inputs["vpcEndpointType"] === "Interface")
        .flatMap((e) => e.inputs["subnetIds"] as unknown[]).length;
    const hourly =
        endpoints * PRICES.firewallEndpoint.usdPerHour +
        // NAT gateway hours are waived one-to-one with firewall endpoint hours (AWS Cost and Usage Reports User
        // Guide, "Discount details"): only NAT gateways beyond the endpoints are paid.
        Math.max(0, ofType(s, "aws:ec2/natGateway:NatGateway").length - endpoints) * PRICES.natGateway.usdPerHour +
        ofType(s, "aws:ec2/eip:Eip").length * PRICES.publicIpv4.usdPerHour +
        interfaceAzs * PRICES.interfaceEndpoint.usdPerHour +
        (ofType(s, "aws:route53/resolverFirewallRule:ResolverFirewallRule").some((r) => r.inputs["dnsThreatProtection"] !== undefined) ? PRICES.dnsFirewallAdvanced.usdPerHour : 0);
    const domains = ofType(s, "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList").flatMap((l) => l.inputs["domains"] as unknown[]).length;
    return hourly * HOURS_PER_MONTH + ofType(s, "aws:kms/key:Key").length * PRICES.kmsKey.usdPerMonth + domains * PRICES.dnsFirewallDomain.usdPerMonth;
}

for (const { stack } of stackFiles()) {
    describe(`review report (${stack} stack, --format markdown)`, () => {
        it("has the resource counts, the network diagram, reachability, controls, quotas and a cost that matches the price table", async () => {
            const s = await synth(stack);
            const run = await journeys(stack);
            const report = renderMarkdownReport(s, loadConfig(readStackConfig(stack), stack), run);
            for (const heading of ["## Resources", "## Network", "```mermaid", "## Who can reach what", "## Security controls", "## Quotas used", "## Fixed monthly cost"]) {
                expect(report, heading).to.include(heading);
            }
            const total = /^Total: \$(\d+\.\d\d)\/month$/m.exec(report)?.[1];
            // The report prints cents (toFixed(2)): within half a cent of the sum, plus the sum's floating-point error
            // (a stack whose total is exactly x.xx5, such as dev with three AZs and one NAT gateway, prints x.xx+0.01).
            expect(Number(total)).to.be.closeTo(expectedTotal(s), 0.005 + 1e-9);
            // Every route the stack creates is an arrow in the diagram.
            const arrows = report.split("\n").filter((l) => /^ {2}\S+ -->\|/.test(l));
            expect(arrows).to.have.length(ofType(s, "aws:ec2/route:Route").length);
            // "Who can reach what" is the journeys' results: one row per step, with its deciding resource.
            const section = report.slice(report.indexOf("## Who can reach what"), report.indexOf("## Security controls"));
            const rows = section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| who "));
            expect(rows).to.have.length(run.results.flatMap((r) => r.steps).length);
            for (const step of run.results.flatMap((r) => r.steps)) {
                expect(section).to.include(`| ${step.outcome}`);
                expect(step.decidedBy, step.step.what).to.not.equal("");
            }
        });
    });
}

describe("review report: costs follow the config", () => {
    it("prod (no egress domains) pays for no NAT gateway or Elastic IP; dev pays for one per AZ", async () => {
        const prod = renderMarkdownReport(await synthFixture("prod"), loadConfig(fixture("prod"), "prod"), await fixtureJourneys("prod"));
        const dev = renderMarkdownReport(await synthFixture("dev"), loadConfig(fixture("dev"), "dev"), await fixtureJourneys("dev"));
        expect(prod).to.match(/\| NAT gateway \| 0 \|/);
        expect(dev).to.match(/\| NAT gateway \| 2 \|/);
    });

    it("DNS Firewall Advanced is paid only where the allowlist has a wildcard entry; DNS queries are named as a usage charge", async () => {
        for (const { stack } of stackFiles()) {
            const config = loadConfig(readStackConfig(stack), stack);
            const wildcard = config.firewall.dns.threatConfidence !== "off" && config.firewall.egress.allowedDomains.some((d) => d.startsWith("."));
            const report = renderMarkdownReport(await synth(stack), config, await journeys(stack));
            expect(report).to.match(new RegExp(`\\| DNS Firewall Advanced [^|]*\\| ${wildcard ? 1 : 0} \\|`));
            expect(report).to.include("DNS Firewall queries");
        }
    });
});

describe("review diff (--diff): what an edit of the stack YAML does", () => {
    const withFirewall = (raw: RawConfig, change: (fw: Record<string, unknown>) => Record<string, unknown>): RawConfig => ({
        ...raw,
        "secure-ai:firewall": JSON.stringify(change(JSON.parse(raw["secure-ai:firewall"] ?? "{}") as Record<string, unknown>)),
    });
    const withNetwork = (raw: RawConfig, change: (n: Record<string, unknown>) => Record<string, unknown>): RawConfig => ({
        ...raw,
        "secure-ai:network": JSON.stringify(change(JSON.parse(raw["secure-ai:network"] ?? "{}") as Record<string, unknown>)),
    });
    const run = async (stack: FixtureName, after: RawConfig, format: "text" | "markdown" = "text") => {
        const before = await synthFixture(stack);
        const edited = await synthWith({ stack, config: after });
        expect(edited.error?.message).to.equal(undefined);
        const changes = diffSyntheses(before, edited);
        return renderDiff(stack, "HEAD", changes, diffWarnings(before, loadConfig(after, stack), changes), diffContext(fixture(stack), after, before, edited, format));
    };

    it("shows the config edit as values, the cost before and after, and the same as Markdown for a pull request", async () => {
        const dev = fixture("dev");
        const firewall = JSON.parse(dev["secure-ai:firewall"] ?? "{}") as { egress: { allowedDomains: string[] } };
        const [first, ...rest] = firewall.egress.allowedDomains;
        const network = JSON.parse(dev["secure-ai:network"] ?? "{}") as Record<string, unknown>;
        const after = {
            ...dev,
            "secure-ai:firewall": JSON.stringify({ ...firewall, egress: { allowedDomains: [...rest, ".example.org"] } }),
            "secure-ai:network": JSON.stringify({ ...network, natGateways: "single" }),
        };
        const beforeItems = costItems(await synthFixture("dev"));
        const afterItems = costItems(await synthWith({ stack: "dev", config: after }));
        const count = (items: typeof beforeItems, key: keyof typeof PRICES) => items.find((i) => i.key === key)?.count ?? 0;
        // One NAT gateway and its Elastic IP fewer; the domain edit moves only sub-cent DNS Firewall entries.
        expect(count(beforeItems, "natGateway") - count(afterItems, "natGateway")).to.equal(1);
        expect(count(beforeItems, "publicIpv4") - count(afterItems, "publicIpv4")).to.equal(1);
        const before = beforeItems.reduce((n, i) => n + i.monthly, 0);
        const afterTotal = afterItems.reduce((n, i) => n + i.monthly, 0);
        const saved = before - afterTotal;
        // The review prints the totals in cents and their difference.
        const printedChange = (Math.round(before * 100) - Math.round(afterTotal * 100)) / 100;
        // Every NAT gateway hour is waived while the firewall has an endpoint per AZ: one NAT gateway fewer saves its
        // Elastic IP only.
        expect(count(afterItems, "natGateway")).to.be.at.most(count(afterItems, "firewallEndpoint"));
        expect(saved).to.be.closeTo(monthly("publicIpv4", 1), 0.01);
        const text = await run("dev", after);
        expect(text).to.include(`Config:\n  secure-ai:firewall.egress.allowedDomains:\n    + .example.org\n    - ${first ?? ""}\n  secure-ai:network.natGateways: (unset) -> "single"\n`);
        expect(text).to.include(`fixed monthly cost (${PRICE_REGION} list prices): $${before.toFixed(2)} -> $${afterTotal.toFixed(2)} (-$${printedChange.toFixed(2)})`);
        const markdown = await run("dev", after, "markdown");
        expect(markdown).to.include("### Config\n\n- `secure-ai:firewall.egress.allowedDomains`:\n  - + `.example.org`\n");
        expect(markdown).to.include(`| $${before.toFixed(2)} | $${afterTotal.toFixed(2)} | -$${printedChange.toFixed(2)} |`);
        expect(markdown).to.include("| - | `aws:ec2/natGateway:NatGateway` `secure-ai-nat-us-west-2b` |");
        // Only the Network Access Analyzer scope that names each AZ's egress firewall endpoint is replaced (its
        // ExcludePaths are create-only): with one NAT gateway every AZ leaves through the NAT gateway's AZ.
        expect(markdown.trimEnd().split("\n").slice(-3)).to.deep.equal([
            "**1 resource is replaced:**",
            "",
            "- `aws-native:ec2:NetworkInsightsAccessScope` `secure-ai-dev-scope-private-egress-around-own-firewall-endpoint` (forced by `ExcludePaths`)",
        ]);
    });

    it("an allowlist edit changes the prefix list and the rule group's variables in place: no resource is replaced", async () => {
        const dev = fixture("dev");
        const text = await run("dev", withFirewall(dev, (fw) => ({ ...fw, ingress: { ...(fw["ingress"] as object), allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"] } })));
        expect(text).to.include("~ aws:ec2/managedPrefixList:ManagedPrefixList secure-ai-sg-ingress-allowlist: entries, maxEntries\n    maxEntries: 1 -> 2\n");
        expect(text).to.include("~ aws-native:networkfirewall:RuleGroup secure-ai-stateful: ruleGroup");
        expect(text.trimEnd().split("\n").at(-1)).to.equal("no resource is replaced");
    });

    it("a VPC CIDR edit replaces the VPC, its subnets and everything that cannot move to a new VPC", async () => {
        const text = await run("dev", withNetwork(fixture("dev"), (n) => ({ ...n, cidr: "10.21.0.0/16" })));
        expect(text).to.include("~ aws:ec2/vpc:Vpc secure-ai-vpc [REPLACE]: cidrBlock (replaces)");
        expect(text).to.match(/~ aws:ec2\/subnet:Subnet secure-ai-training-us-west-2a \[REPLACE\]/);
        // aws-native names create-only properties as the schema does (VpcId); the marker still lands on vpcId.
        expect(text).to.match(/~ aws-native:networkfirewall:Firewall secure-ai-firewall \[REPLACE\]: .*\bvpcId \(replaces\)/);
        expect(text).to.match(/^ {4}cidrBlock: "10\.20\.0\.0\/16" -> "10\.21\.0\.0\/16" \(replaces\)$/m);
        expect(text).to.match(/^replaced \(the property that forces it\):\n(?: {2}.*\n)* {2}aws:ec2\/vpc:Vpc secure-ai-vpc \(cidrBlock\)$/m);
        expect(text.trimEnd().split("\n").at(-1)).to.match(/^\d+ resources are replaced$/);
    });

    it("warns that an AZ change under subnet-change protection is refused, and names the protected resources it would replace", async () => {
        const text = await run("prod", withNetwork(fixture("prod"), (n) => ({ ...n, availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"] })));
        expect(text).to.include("+ aws:ec2/subnet:Subnet secure-ai-training-us-west-2d");
        expect(text).to.include("WARNING: secure-ai:network.availabilityZones: changes the firewall's subnets");
    });

    it("runs from the command line against a git ref", async function () {
        this.timeout(60_000);
        const stack = anyStack();
        const result = spawnSync(process.execPath, ["--import", "tsx", "offline/plan.ts", stack, "--diff", "HEAD"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        expect(result.status, result.stderr).to.equal(0);
        expect(result.stdout).to.include(`Diff of stack ${stack}: Pulumi.${stack}.yaml at HEAD -> working tree\n`);
        expect(result.stdout.trimEnd().split("\n").at(-1)).to.match(/^(no resource is replaced|\d+ resources? (is|are) replaced)$/);
        const bad = spawnSync(process.execPath, ["--import", "tsx", "offline/plan.ts", stack, "--format", "pdf"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        expect(bad.status).to.equal(2);
        expect(bad.stderr).to.include("--format takes text or markdown");
        // A file that is not `pulumi stack output --json`'s: one line naming the command that writes it for this stack.
        await inTempDir("secure-ai-outputs-", (dir) => {
            const notJson = path.join(dir, "outputs.json");
            fs.writeFileSync(notJson, "{");
            const unread = spawnSync(process.execPath, ["--import", "tsx", "offline/plan.ts", stack, "--destroy", "--outputs", notJson], { cwd: PROJECT_ROOT, encoding: "utf8" });
            expect(unread.status).to.equal(1);
            expect(unread.stderr).to.equal(`--outputs ${notJson}: not JSON (write it with \`pulumi stack output --stack ${stack} --json > ${notJson}\`)\n`);
        });
    });
});
