// VPC Block Public Access and this program's Network Firewall. AWS: "AWS Network Firewall: All inbound and outbound
// traffic is blocked even if the subnet containing firewall endpoints is excluded." (Amazon VPC User Guide, "VPC BPA
// basics", AWS service impact and support; the page says nothing about a VPC-level exclusion.) Every stack's internet
// traffic crosses its firewall in both directions (the IGW edge route and the public subnets' default route lead to
// it; the ingress allowlist is never empty), so the design (exclude the public and firewall subnets) is
// documented not to work and nothing documented makes a mode safe: config loading refuses both keys, naming the key,
// the value, what AWS says and what it leaves undocumented, before anything is registered.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { deployPolicy, PROGRAM_TYPES } from "../bootstrap/permissions";
import { stackTypes } from "../bootstrap/stackTypes";
import { checkConfig, loadConfig, type RawConfig } from "../config/load";
import { MOCK_ACCOUNT_ID } from "../offline/mocks";
import { VPC_BLOCK_PUBLIC_ACCESS_MODES } from "../config/baseline";
import { deployRoleDecision } from "./iamScenarios";
import { awsResources, fixture, ofType, synth, synthWith } from "./support";
import { PROJECT_ROOT, stackFiles } from "../offline/synth";

function withBaseline(raw: RawConfig, change: Record<string, unknown>): RawConfig {
    const baseline = JSON.parse(raw["secure-ai:baseline"] ?? "{}") as Record<string, unknown>;
    return { ...raw, "secure-ai:baseline": JSON.stringify({ ...baseline, ...change }) };
}

const problems = (raw: RawConfig): string[] => checkConfig(raw, "prod").problems.map((p) => `${p.path}: ${p.message}`);

describe("VPC Block Public Access: refused, since AWS documents traffic through a Network Firewall blocked in either mode, its subnet excluded or not", () => {
    for (const mode of VPC_BLOCK_PUBLIC_ACCESS_MODES.filter((m) => m !== "off")) {
        it(`${mode}: refused on the stack that owns the account guardrails too, quoting AWS`, () => {
            expect(problems(withBaseline(fixture("prod"), { manageAccountGuardrails: true, vpcBlockPublicAccess: mode }))).to.deep.equal([
                `secure-ai:baseline.vpcBlockPublicAccess: "${mode}" ` + "is not turned on by this program: all of this stack's internet traffic crosses its Network Firewall, and AWS documents that under VPC Block Public Access \"All inbound and outbound traffic is blocked even if the subnet containing firewall endpoints is excluded\" (Amazon VPC User Guide, \"VPC BPA basics\"); whether a VPC-level exclusion restores that traffic is not documented. Leave it off (allowed: off), and before anyone turns a mode on by hand where a stack of this program runs, check the stack's paths with Reachability Analyzer in a sandbox account",
            ]);
        });
    }

    it("exclusions are refused too (excluding the firewall subnet is documented not to restore the path); off and false are accepted", () => {
        expect(problems(withBaseline(fixture("prod"), { vpcBlockPublicAccessExclusions: true }))).to.deep.equal([
            "secure-ai:baseline.vpcBlockPublicAccessExclusions: true is refused: the program creates no Block Public Access exclusion. Excluding the subnet containing firewall endpoints is documented not to restore traffic through a Network Firewall (\"even if the subnet containing firewall endpoints is excluded\", Amazon VPC User Guide, \"VPC BPA basics\"), and whether a VPC-level exclusion does is not documented. Remove the key (allowed: false, or unset), and check any exclusion made by hand with Reachability Analyzer in a sandbox account first",
        ]);
        expect(problems(withBaseline(fixture("prod"), { vpcBlockPublicAccess: "off", vpcBlockPublicAccessExclusions: false }))).to.deep.equal([]);
        expect(problems(withBaseline(fixture("prod"), { vpcBlockPublicAccess: "on" }))).to.deep.equal([
            'secure-ai:baseline.vpcBlockPublicAccess: "on" is not a VPC Block Public Access mode (off, block-bidirectional, block-ingress)',
        ]);
    });

    it("a refused mode registers nothing, and no deploy role may set the account's mode or exclusions", async () => {
        const s = await synthWith({ stack: "prod", config: withBaseline(fixture("prod"), { manageAccountGuardrails: true, vpcBlockPublicAccess: "block-ingress" }) });
        expect(s.error?.message).to.match(/secure-ai:baseline\.vpcBlockPublicAccess: "block-ingress" is not turned on by this program/);
        expect(awsResources(s)).to.deep.equal([]);
        expect(PROGRAM_TYPES.filter((t) => /vpcBlockPublicAccess/.test(t))).to.deep.equal([]);
    });

    for (const { stack } of stackFiles()) {
        it(`${stack} stack: its internet path crosses the firewall (why no mode is safe), and it registers no Block Public Access resource`, async () => {
            const s = await synth(stack);
            // The IGW edge route table sends every public subnet's traffic to a firewall endpoint: the path AWS blocks.
            const edge = ofType(s, "aws:ec2/routeTable:RouteTable").filter((t) => ofType(s, "aws:ec2/routeTableAssociation:RouteTableAssociation").some((a) => a.inputs["routeTableId"] === t.id && a.inputs["gatewayId"] !== undefined));
            expect(edge).to.have.length(1);
            const edgeRoutes = ofType(s, "aws:ec2/route:Route").filter((r) => r.inputs["routeTableId"] === edge[0]?.id);
            expect(edgeRoutes.length).to.be.greaterThan(0);
            expect(edgeRoutes.every((r) => typeof r.inputs["vpcEndpointId"] === "string")).to.equal(true);
            expect(s.resources.filter((r) => /vpcBlockPublicAccess/.test(r.type))).to.deep.equal([]);
        });
    }
});

describe("VPC Block Public Access: upgrading a stack that holds the retired resources, decided by the IAM engine", () => {
    // Stacks deployed from main between 78b1cc3 and 74b218c can hold exclusions (tagged with the stack's default tags)
    // and the account's options resource (retainOnDelete): `pulumi up` deletes the exclusions, `pulumi refresh` reads both.
    const region = "us-west-2";
    const arns = { partition: "aws", account: MOCK_ACCOUNT_ID, region, stateBucketArn: "arn:aws:s3:::state", secretsKeyArn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/k` };
    const exclusion = `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc-block-public-access-exclusion/vpcbpa-exclude-0123456789abcdef0`;
    // The deploy policy once for the block (it is a function of the arguments only).
    let policy: ReturnType<typeof deployPolicy> | undefined;
    const decide = async (action: string, resource: string, context: Record<string, string>): Promise<string> =>
        deployRoleDecision(await (policy ??= deployPolicy(arns, "prod", { region, types: stackTypes(loadConfig(fixture("prod"), "prod")) })), action, resource, region, context);

    it("the deploy role may read both and delete only its own stack's exclusions; it may never create or change an exclusion or the account's mode", async () => {
        const mine = { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": "prod" };
        const cases: [string, string, Record<string, string>, string][] = [
            ["ec2:DeleteVpcBlockPublicAccessExclusion", exclusion, mine, "Allowed"],
            ["ec2:DeleteVpcBlockPublicAccessExclusion", exclusion, { "aws:ResourceTag/project": "secure-ai", "aws:ResourceTag/stack": "dev" }, "ExplicitlyDenied"],
            ["ec2:DeleteVpcBlockPublicAccessExclusion", exclusion, {}, "ImplicitlyDenied"],
            ["ec2:DescribeVpcBlockPublicAccessExclusions", "*", {}, "Allowed"],
            ["ec2:DescribeVpcBlockPublicAccessOptions", "*", {}, "Allowed"],
            ["ec2:CreateVpcBlockPublicAccessExclusion", exclusion, { "aws:RequestTag/project": "secure-ai", "aws:RequestTag/stack": "prod" }, "ImplicitlyDenied"],
            ["ec2:ModifyVpcBlockPublicAccessExclusion", exclusion, mine, "ImplicitlyDenied"],
            ["ec2:ModifyVpcBlockPublicAccessOptions", "*", {}, "ImplicitlyDenied"],
        ];
        const got = await Promise.all(cases.map(async ([action, resource, context]) => [action, JSON.stringify(context), await decide(action, resource, context)]));
        expect(got).to.deep.equal(cases.map(([action, , context, expected]) => [action, JSON.stringify(context), expected]));
    });

    it("docs/security.md names the one-time migration: the mode stays as it was, how to check it and turn it off", () => {
        const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "security.md"), "utf8");
        expect(doc).to.include("aws ec2 describe-vpc-block-public-access-options");
        expect(doc).to.include("aws ec2 modify-vpc-block-public-access-options --internet-gateway-block-mode off");
        expect(doc).to.include("aws ec2 describe-vpc-block-public-access-exclusions");
    });
});
