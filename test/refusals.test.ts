// The refusal model (config/deployed.ts) against a simulation of `pulumi up` over pairs of configs: the deployed
// one and the edit. The simulation walks the steps Pulumi takes (create new and replacement subnets, update the
// firewall's subnet mappings and protections, replace what a new VPC replaces, delete what is gone) and applies
// AWS's rules at each step, as the sources in REFUSAL_RULES state them. The property: the model refuses an edit
// exactly when the simulation fails part-way, and every refusal names its steps.
import { expect } from "chai";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { overlaps, parseCidr } from "../config/cidr";
import { changeProblems, parseDeployedState, REFUSAL_RULES } from "../config/deployed";
import { firewallSchema } from "../config/firewall";
import { checkConfig, type RawConfig, type StackConfig } from "../config/load";
import { networkSchema } from "../config/network";
import { planSubnets, TIERS } from "../network/plan";
import { awsResources, fixture, synthWith } from "./support";

/** What the last deployment of `config` exported (index.ts's outputs). */
function outputsOf(config: Sections): Record<string, unknown> {
    const plan = planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths);
    const subnetCidrs = Object.fromEntries(TIERS.map((t) => [t, Object.fromEntries(Object.entries(plan.subnets).map(([az, c]) => [az, c[t]]))]));
    return { availabilityZones: config.network.availabilityZones, firewallProtections: config.firewall.protections, vpcCidr: config.network.cidr, subnetCidrs };
}

/** Simulates `pulumi up` of `after` over the deployment of `before`; returns the step AWS refuses, if any. */
function simulate(before: Sections, after: Sections): string | undefined {
    const deployedPlan = planSubnets(before.network.cidr, before.network.availabilityZones, before.network.subnetPrefixLengths).subnets;
    const plan = planSubnets(after.network.cidr, after.network.availabilityZones, after.network.subnetPrefixLengths).subnets;
    const protections = before.firewall.protections;
    if (before.network.cidr !== after.network.cidr) {
        // A new VPC: its subnets and a new firewall are created there; the old firewall is deleted last.
        return protections.deletion ? "DeleteFirewall of the old firewall (delete protection)" : undefined;
    }
    // Subnets existing in the VPC as Pulumi goes: start with every deployed one.
    const existing = Object.entries(deployedPlan).flatMap(([az, c]) => TIERS.map((t) => ({ key: `${t}/${az}`, cidr: c[t] })));
    for (const [az, cidrs] of Object.entries(plan)) {
        for (const tier of TIERS) {
            const old = deployedPlan[az]?.[tier];
            if (old === cidrs[tier]) {
                continue;
            }
            const mine = parseCidr(cidrs[tier]);
            if (existing.some((e) => {
                const other = parseCidr(e.cidr);
                return mine !== undefined && other !== undefined && overlaps(mine, other);
            })) {
                return `CreateSubnet ${tier}/${az} ${cidrs[tier]} (overlaps an existing subnet)`;
            }
            existing.push({ key: `${tier}/${az}#new`, cidr: cidrs[tier] });
        }
    }
    const firewallSubnets = (p: typeof plan) => Object.entries(p).map(([az, c]) => `${az}=${c.firewall}`).sort().join(",");
    if (firewallSubnets(plan) !== firewallSubnets(deployedPlan)) {
        if (protections.subnetChange) {
            return "AssociateSubnets/DisassociateSubnets (subnet-change protection)";
        }
        if (after.firewall.protections.subnetChange) {
            return "AssociateSubnets/DisassociateSubnets may follow UpdateSubnetChangeProtection(true)";
        }
    }
    return undefined;
}

type Sections = Pick<StackConfig, "network" | "firewall">;
const loaded = new Map<string, Sections | undefined>();
const NETWORK = networkSchema("us-west-2");
const FIREWALL = firewallSchema(undefined);
/** The two sections the model reads, validated by their schemas (checkConfig's whole run is 10x slower). */
function load(raw: RawConfig): Sections | undefined {
    const key = JSON.stringify(raw);
    if (!loaded.has(key)) {
        const network = NETWORK.safeParse(JSON.parse(raw["secure-ai:network"] ?? "{}"));
        const firewall = FIREWALL.safeParse(JSON.parse(raw["secure-ai:firewall"] ?? "{}"));
        loaded.set(key, network.success && firewall.success ? { network: network.data, firewall: firewall.data } : undefined);
    }
    return loaded.get(key);
}

const ZONES = ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"];
const side = fc.record({
    cidr: fc.constantFrom("10.20.0.0/16", "10.21.0.0/16", "10.20.0.0/15"),
    azs: fc.subarray(ZONES, { minLength: 1 }),
    pub: fc.constantFrom(24, 25, 26),
    services: fc.constantFrom(19, 20, 21),
    training: fc.constantFrom(20, 21),
    subnetChange: fc.boolean(),
    deletion: fc.boolean(),
});
type Side = typeof side extends fc.Arbitrary<infer T> ? T : never;
const raw = (s: Side): RawConfig => ({
    "aws:region": "us-west-2",
    "secure-ai:network": JSON.stringify({ cidr: s.cidr, availabilityZones: s.azs, trainingEgress: "none", subnetPrefixLengths: { public: s.pub, services: s.services, training: s.training } }),
    "secure-ai:firewall": JSON.stringify({
        ingress: { allowedCidrs: ["203.0.113.0/24"] },
        protections: { deletion: s.deletion, subnetChange: s.subnetChange, policyChange: true },
    }),
});
/** Pairs whose second side is often a small edit of the first, so every rule is reached. */
const pairs = fc
    .tuple(side, side, fc.constantFrom("any", "sizes", "azs", "cidr", "protections"))
    .map(([a, b, kind]): [Side, Side] => {
        switch (kind) {
            case "sizes":
                return [a, { ...a, pub: b.pub, services: b.services, training: b.training }];
            case "azs":
                return [a, { ...a, azs: b.azs }];
            case "cidr":
                return [a, { ...a, cidr: b.cidr }];
            case "protections":
                return [a, { ...a, azs: b.azs, subnetChange: b.subnetChange, deletion: b.deletion }];
            default:
                return [a, b];
        }
    });

describe("refusal model: edits AWS would refuse half-way, against the last deployment", () => {
    it("each rule names its source", () => {
        for (const rule of Object.values(REFUSAL_RULES)) {
            expect(rule.source, rule.id).to.match(/API Reference|schema|docs/);
        }
    });

    it("refuses an edit exactly when a simulated `pulumi up` fails part-way, naming the steps (generated pairs)", () => {
        const seen = new Set<string>();
        fc.assert(
            fc.property(pairs, ([a, b]) => {
                const before = load(raw(a));
                const after = load(raw(b));
                fc.pre(before !== undefined && after !== undefined);
                if (before === undefined || after === undefined) {
                    return;
                }
                const refused = simulate(before, after);
                const problems = changeProblems(parseDeployedState(outputsOf(before)), after);
                expect(problems.length > 0, `${JSON.stringify(a)} -> ${JSON.stringify(b)}: simulation ${refused ?? "succeeds"}, model ${JSON.stringify(problems)}`).to.equal(refused !== undefined);
                for (const p of problems) {
                    seen.add(p.rule);
                    expect(p.message, p.rule).to.match(/Steps that work|three `pulumi up` runs/);
                }
            }),
            { numRuns: 200, seed: 20261201 },
        );
        expect([...seen].sort()).to.deep.equal(Object.keys(REFUSAL_RULES).sort());
    });

    it("the steps it names each deploy: protection off, the edit, protection on", () => {
        const before = must(load(raw({ cidr: "10.20.0.0/16", azs: ["us-west-2a", "us-west-2b"], pub: 24, services: 20, training: 20, subnetChange: true, deletion: true })));
        const step = (s: Side) => must(load(raw(s)));
        const steps: Side[] = [
            { cidr: "10.20.0.0/16", azs: ["us-west-2a", "us-west-2b"], pub: 24, services: 20, training: 20, subnetChange: false, deletion: false },
            { cidr: "10.21.0.0/16", azs: ["us-west-2a", "us-west-2b", "us-west-2c"], pub: 25, services: 19, training: 21, subnetChange: false, deletion: false },
            { cidr: "10.21.0.0/16", azs: ["us-west-2a", "us-west-2b", "us-west-2c"], pub: 25, services: 19, training: 21, subnetChange: true, deletion: true },
        ];
        expect(changeProblems(parseDeployedState(outputsOf(before)), step(must(steps[1]))).map((p) => p.rule)).to.include("firewallReplacedUnderDeleteProtection");
        let deployed = before;
        for (const s of steps) {
            const next = step(s);
            expect(changeProblems(parseDeployedState(outputsOf(deployed)), next), JSON.stringify(s)).to.deep.equal([]);
            expect(simulate(deployed, next)).to.equal(undefined);
            deployed = next;
        }
    });

    it("a tier resize that moves subnets over deployed ones stops the program before any AWS resource", async () => {
        const base = fixture("prod");
        const network = JSON.parse(base["secure-ai:network"] ?? "{}") as Record<string, unknown>;
        const deployedConfig = must(checkConfig(base, "prod").config);
        const resized = { ...base, "secure-ai:network": JSON.stringify({ ...network, subnetPrefixLengths: { public: 25, services: 20, training: 20 } }) };
        const s = await synthWith({ stack: "prod", config: resized, deployedOutputs: outputsOf(deployedConfig) });
        expect(s.error).to.be.instanceOf(pulumi.RunError);
        expect(s.error?.message, s.error?.message).to.include("secure-ai:network.subnetPrefixLengths: moves the");
        expect(s.error?.message).to.include("EC2 refuses overlapping subnets. Steps that work: keep secure-ai:network.subnetPrefixLengths as deployed ({ public: 24, services: 20, training: 20 })");
        expect(awsResources(s)).to.deep.equal([]);
    });
});

function must<T>(value: T | undefined): T {
    if (value === undefined) {
        throw new Error("config did not load");
    }
    return value;
}


