// The CrossGuard policy pack's rules, run offline over every stack file and over mutated resources: every stack
// complies, and each mutation violates exactly the policy it targets.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { RULES, type StackResource } from "../policy-pack/rules";
import { cloudResources, PROJECT_ROOT, stackFiles, type Synthesis } from "../offline/synth";
import { synth, synthFixture } from "./support";

function view(s: Synthesis): StackResource[] {
    return cloudResources(s).map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, propertyDependencies: r.propertyDependencies }));
}

function violated(resources: readonly StackResource[]): string[] {
    return RULES.filter((rule) => rule.check(resources).length > 0).map((rule) => rule.name);
}

/** A copy of the resources with one resource's properties changed. */
function mutate(resources: readonly StackResource[], pick: (r: StackResource) => boolean, change: (props: Record<string, unknown>) => Record<string, unknown>): StackResource[] {
    let hit = false;
    const out = resources.map((r) => {
        if (hit || !pick(r)) {
            return r;
        }
        hit = true;
        return { ...r, props: change(JSON.parse(JSON.stringify(r.props)) as Record<string, unknown>) };
    });
    if (!hit) {
        throw new Error("the mutation matched no resource");
    }
    return out;
}

const policyDoc = (props: Record<string, unknown>, key = "policy") => JSON.parse(String(props[key])) as { Statement: Record<string, unknown>[] };

interface Mutation {
    readonly violates: string;
    readonly what: string;
    readonly apply: (resources: readonly StackResource[]) => StackResource[];
}

const MUTATIONS: readonly Mutation[] = [
    {
        violates: "security-group-ingress-not-open-to-the-world",
        what: "the load balancer admits 0.0.0.0/0",
        apply: (rs) => mutate(rs, (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", (p) => ({ ...p, prefixListId: undefined, cidrIpv4: "0.0.0.0/0" })),
    },
    {
        violates: "security-group-ingress-not-open-to-the-world",
        what: "the path-MTU rule widened from ICMP 3/4 to every ICMP type and code",
        apply: (rs) => mutate(rs, (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.props["ipProtocol"] === "icmp", (p) => ({ ...p, fromPort: -1, toPort: -1 })),
    },
    {
        violates: "buckets-block-all-public-access",
        what: "a bucket's public access block lets public buckets through",
        apply: (rs) => mutate(rs, (r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", (p) => ({ ...p, restrictPublicBuckets: false })),
    },
    {
        violates: "buckets-encrypted-with-kms",
        what: "the training-data bucket falls back to SSE-S3",
        apply: (rs) =>
            mutate(
                rs,
                (r) => r.type === "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration" && r.name.endsWith("training-data"),
                (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
            ),
    },
    {
        violates: "buckets-versioned",
        what: "versioning suspended",
        apply: (rs) => mutate(rs, (r) => r.type === "aws:s3/bucketVersioning:BucketVersioning", (p) => ({ ...p, versioningConfiguration: { status: "Suspended" } })),
    },
    {
        violates: "buckets-require-tls",
        what: "a bucket policy loses its TLS-only statement",
        apply: (rs) =>
            mutate(rs, (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy", (p) => {
                const doc = policyDoc(p);
                return { ...p, policy: JSON.stringify({ ...doc, Statement: doc.Statement.filter((s) => s["Sid"] !== "DenyInsecureTransport") }) };
            }),
    },
    {
        violates: "log-groups-encrypted-with-retention",
        what: "a log group without its KMS key",
        apply: (rs) => mutate(rs, (r) => r.type === "aws:cloudwatch/logGroup:LogGroup", (p) => ({ ...p, kmsKeyId: undefined })),
    },
    {
        violates: "kms-keys-rotate",
        what: "the stack key stops rotating",
        apply: (rs) => mutate(rs, (r) => r.type === "aws:kms/key:Key", (p) => ({ ...p, enableKeyRotation: false })),
    },
    {
        violates: "no-wildcard-allows",
        what: "the training role is granted s3:*",
        apply: (rs) =>
            mutate(rs, (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.endsWith("-training"), (p) => {
                const doc = policyDoc(p);
                return { ...p, policy: JSON.stringify({ ...doc, Statement: [...doc.Statement, { Sid: "Oops", Effect: "Allow", Action: "s3:*", Resource: "*" }] }) };
            }),
    },
    {
        violates: "firewall-policy-strict-order-drop-default",
        what: "the firewall policy passes by default",
        apply: (rs) =>
            mutate(rs, (r) => r.type === "aws-native:networkfirewall:FirewallPolicy", (p) => ({ ...p, firewallPolicy: { ...(p["firewallPolicy"] as object), statefulDefaultActions: ["aws:alert_strict"] } })),
    },
    {
        violates: "firewall-policy-strict-order-drop-default",
        what: "the firewall policy forgets the stateless rule group",
        apply: (rs) => rs.map((r) => (r.type === "aws-native:networkfirewall:FirewallPolicy" ? { ...r, propertyDependencies: { ...r.propertyDependencies, firewallPolicy: (r.propertyDependencies["firewallPolicy"] ?? []).filter((u) => !u.endsWith("::secure-ai-stateless")) } } : r)),
    },
    {
        violates: "training-has-no-route-off-the-vpc",
        what: "a stack that says trainingEgress: none still routes training to its NAT gateway",
        apply: (rs) =>
            rs.map((r) =>
                r.type === "aws:ec2/subnet:Subnet" && (r.props["tags"] as Record<string, string>)["secure-ai:tier"] === "training"
                    ? { ...r, props: { ...r.props, tags: { ...(r.props["tags"] as object), "secure-ai:training-egress": "none" } } }
                    : r,
            ),
    },
    {
        violates: "firewall-rules-in-aws-suricata-subset",
        what: "a stateful rule uses threshold, which AWS does not support",
        apply: (rs) =>
            mutate(rs, (r) => r.type === "aws-native:networkfirewall:RuleGroup" && r.props["type"] === "STATEFUL", (p) => {
                const group = p["ruleGroup"] as { rulesSource: { rulesString: string } };
                return { ...p, ruleGroup: { ...group, rulesSource: { rulesString: `${group.rulesSource.rulesString}alert tcp any any -> any any (msg:"x"; threshold: type limit, track by_src, count 1, seconds 60; sid:42;)\n` } } };
            }),
    },
    {
        violates: "vpc-dns-filtered-fail-closed-and-logged",
        what: "DNS Firewall is set to fail open",
        apply: (rs) => mutate(rs, (r) => r.type === "aws:route53/resolverFirewallConfig:ResolverFirewallConfig", (p) => ({ ...p, firewallFailOpen: "ENABLED" })),
    },
    {
        violates: "vpc-encryption-control-monitor-and-logged",
        what: "an encryption control in enforce mode is added to the VPC (its flow log records encryption-status)",
        apply: (rs) => withEncryptionControl(rs, "enforce", true),
    },
    {
        violates: "vpc-encryption-control-monitor-and-logged",
        what: "a monitor-mode encryption control is added while the VPC's flow log keeps AWS's default format",
        apply: (rs) => withEncryptionControl(rs, "monitor", false),
    },
];

/** The resources plus an encryption control on the stack's VPC, the flow log extended with encryption-status or not. */
function withEncryptionControl(resources: readonly StackResource[], mode: string, logged: boolean): StackResource[] {
    const vpc = resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
    if (vpc === undefined) {
        throw new Error("no VPC");
    }
    const control: StackResource = {
        type: "aws:ec2/vpcEncryptionControl:VpcEncryptionControl",
        name: "added-control",
        urn: `${vpc.urn}-added-control`,
        props: { mode, vpcId: vpc.props["id"] },
        propertyDependencies: { vpcId: [vpc.urn] },
    };
    const extended = logged ? mutate(resources, (r) => r.type === "aws:ec2/flowLog:FlowLog", (p) => ({ ...p, logFormat: "${version} ${srcaddr} ${encryption-status}" })) : [...resources];
    return [...extended, control];
}

describe("policy pack: every stack file complies with every policy", () => {
    for (const { stack } of stackFiles()) {
        it(`${stack}: ${RULES.length} policies, no violation`, async () => {
            const resources = view(await synth(stack));
            expect(RULES.flatMap((rule) => rule.check(resources).map((v) => `${rule.name}: ${v.message}`))).to.deep.equal([]);
        });
    }
});

describe("policy pack: each mutation violates exactly its policy (dev stack)", () => {
    it("covers every policy with at least one mutation", () => {
        expect([...new Set(MUTATIONS.map((m) => m.violates))].sort()).to.deep.equal(RULES.map((r) => r.name).sort());
    });
    for (const m of MUTATIONS) {
        it(`${m.what} -> ${m.violates}`, async () => {
            expect(violated(m.apply(view(await synthFixture("dev"))))).to.deep.equal([m.violates]);
        });
    }
});

describe("policy pack: structure", () => {
    it("importing the rules loads no CrossGuard server (@pulumi/policy)", () => {
        const loaded = Object.keys(require.cache).filter((k) => k.includes(`${path.sep}@pulumi${path.sep}policy${path.sep}`));
        expect(loaded).to.deep.equal([]);
    });

    it("has one policy per file, each named for the compliant state and described", () => {
        const files = fs.readdirSync(path.join(PROJECT_ROOT, "policy-pack", "rules")).filter((f) => !["index.ts", "stack.ts"].includes(f));
        expect(files).to.have.length(RULES.length);
        for (const rule of RULES) {
            expect(rule.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)+$/);
            expect(rule.description.length, rule.name).to.be.greaterThan(40);
        }
    });

    it("is a policy pack the Pulumi CLI can load: PulumiPolicy.yaml, index.js registering tsx, pack.ts wiring every rule as mandatory", () => {
        const yaml = fs.readFileSync(path.join(PROJECT_ROOT, "policy-pack", "PulumiPolicy.yaml"), "utf8");
        expect(yaml).to.match(/^runtime:\n {2}name: nodejs$/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policy-pack", "package.json"), "utf8")) as { main?: string; dependencies?: object };
        expect(pkg.main).to.equal("index.js");
        const entry = fs.readFileSync(path.join(PROJECT_ROOT, "policy-pack", "index.js"), "utf8");
        expect(entry).to.include('require("tsx/cjs/api")');
        expect(entry).to.include('require("./pack.ts")');
        expect(pkg.dependencies, "dependencies come from the project's node_modules").to.equal(undefined);
        const index = fs.readFileSync(path.join(PROJECT_ROOT, "policy-pack", "pack.ts"), "utf8");
        expect(index).to.include("new PolicyPack(");
        expect(index).to.include('enforcementLevel: "mandatory"');
    });
});
