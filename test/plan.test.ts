import { expect } from "chai";
import fc from "fast-check";
import { contains, overlaps, parseCidr, type Cidr } from "../config/cidr";
import { AZ_SLOT_LETTERS, planEgress, planProblem, planSubnets, PlanError, TIERS, type SubnetPrefixLengths } from "../network/plan";

const DEFAULT: SubnetPrefixLengths = { public: 24, services: 20, training: 20 };

function cidr(text: string): Cidr {
    const parsed = parseCidr(text);
    if (parsed === undefined) {
        throw new Error(`not a CIDR: ${text}`);
    }
    return parsed;
}

function allCidrs(plan: ReturnType<typeof planSubnets>): string[] {
    return Object.values(plan.subnets).flatMap((tiers) => TIERS.map((t) => tiers[t]));
}

describe("subnet planner: fixed cases", () => {
    const cases = [
        {
            name: "dev's /16 in us-west-2a",
            vpc: "10.20.0.0/16",
            az: "us-west-2a",
            expected: { public: "10.20.192.0/24", firewall: "10.20.198.0/28", services: "10.20.0.0/20", training: "10.20.96.0/20" },
        },
        {
            name: "the same VPC in us-west-2c (third slot of every tier)",
            vpc: "10.20.0.0/16",
            az: "us-west-2c",
            expected: { public: "10.20.194.0/24", firewall: "10.20.198.32/28", services: "10.20.32.0/20", training: "10.20.128.0/20" },
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            expect(planSubnets(c.vpc, [c.az], DEFAULT).subnets[c.az]).to.deep.equal(c.expected);
        });
    }

    it("gives the firewall tier a dedicated /28 whatever the other sizes", () => {
        const plan = planSubnets("10.0.0.0/20", ["us-east-1a", "us-east-1f"], { public: 26, services: 24, training: 24 });
        for (const tiers of Object.values(plan.subnets)) {
            expect(tiers.firewall).to.match(/\/28$/);
        }
    });

    it("refuses what does not fit, naming the sizes", () => {
        expect(planProblem("10.0.0.0/20", DEFAULT)).to.equal(
            "services subnets of /20 do not fit inside the /20 VPC 10.0.0.0/20",
        );
        expect(() => planSubnets("10.0.0.0/17", ["us-west-2a"], DEFAULT)).to.throw(PlanError, "need 50784 addresses");
    });

    it("refuses AZ names whose letter has no slot and duplicates", () => {
        expect(() => planSubnets("10.0.0.0/16", ["us-west-2g"], DEFAULT)).to.throw(PlanError, "does not end in one of the letters abcdef");
        expect(() => planSubnets("10.0.0.0/16", ["us-west-2a", "us-west-2a"], DEFAULT)).to.throw(PlanError, "listed twice");
    });
});

describe("subnet planner: properties", () => {
    // Any private VPC from /16 to /24 with subnet sizes that fit, any subset of AZ letters in any order.
    const arbitraryPlan = fc
        .record({
            base: fc.constantFrom("10.0.0.0", "10.128.0.0", "172.16.0.0", "192.168.0.0"),
            vpcPrefix: fc.integer({ min: 16, max: 22 }),
            publicExtra: fc.integer({ min: 3, max: 8 }),
            servicesExtra: fc.integer({ min: 3, max: 8 }),
            trainingExtra: fc.integer({ min: 3, max: 8 }),
            letters: fc.subarray([...AZ_SLOT_LETTERS], { minLength: 1 }).chain((ls) => fc.shuffledSubarray(ls, { minLength: ls.length })),
        })
        .map((r) => ({
            vpc: `${r.base}/${r.vpcPrefix}`,
            sizes: {
                public: Math.min(28, r.vpcPrefix + r.publicExtra),
                services: Math.min(28, r.vpcPrefix + r.servicesExtra),
                training: Math.min(28, r.vpcPrefix + r.trainingExtra),
            },
            azs: r.letters.map((l) => `eu-west-1${l}`),
        }))
        .filter((p) => planProblem(p.vpc, p.sizes) === undefined);

    it("never overlaps and stays inside the VPC", () => {
        fc.assert(
            fc.property(arbitraryPlan, (p) => {
                const cidrs = allCidrs(planSubnets(p.vpc, p.azs, p.sizes)).map(cidr);
                const vpc = cidr(p.vpc);
                for (const [i, a] of cidrs.entries()) {
                    expect(contains(vpc, a), `${a.text} inside ${p.vpc}`).to.equal(true);
                    for (const b of cidrs.slice(i + 1)) {
                        expect(overlaps(a, b), `${a.text} overlaps ${b.text}`).to.equal(false);
                    }
                }
            }),
            { numRuns: 300 },
        );
    });

    it("is deterministic and independent of AZ order", () => {
        fc.assert(
            fc.property(arbitraryPlan, (p) => {
                const once = planSubnets(p.vpc, p.azs, p.sizes);
                const reordered = planSubnets(p.vpc, [...p.azs].reverse(), p.sizes);
                for (const az of p.azs) {
                    expect(reordered.subnets[az]).to.deep.equal(once.subnets[az]);
                }
                expect(planSubnets(p.vpc, p.azs, p.sizes)).to.deep.equal(once);
            }),
            { numRuns: 200 },
        );
    });

    it("adding or removing an AZ leaves every other AZ's subnets untouched", () => {
        fc.assert(
            fc.property(arbitraryPlan, fc.constantFrom(...AZ_SLOT_LETTERS), (p, letter) => {
                const az = `eu-west-1${letter}`;
                const without = p.azs.filter((a) => a !== az);
                fc.pre(without.length > 0);
                const before = planSubnets(p.vpc, without, p.sizes);
                const after = planSubnets(p.vpc, [...without, az], p.sizes);
                for (const other of without) {
                    expect(after.subnets[other]).to.deep.equal(before.subnets[other]);
                }
            }),
            { numRuns: 200 },
        );
    });
});

describe("subnet planner: NAT gateways (planEgress)", () => {
    it("places none, in either mode, when no egress domain is allowed or there is no AZ", () => {
        for (const mode of ["perAz", "single"] as const) {
            expect(planEgress(["us-west-2b", "us-west-2a"], mode, false), mode).to.deep.equal({ natAzs: [], natFor: {} });
            expect(planEgress([], mode, true), mode).to.deep.equal({ natAzs: [], natFor: {} });
        }
    });
    it("perAz: one NAT gateway in every AZ, each AZ routing to its own", () => {
        expect(planEgress(["us-west-2b", "us-west-2a"], "perAz", true)).to.deep.equal({ natAzs: ["us-west-2a", "us-west-2b"], natFor: { "us-west-2b": "us-west-2b", "us-west-2a": "us-west-2a" } });
    });
    it("single: one NAT gateway in the first AZ by name, every AZ routing to it", () => {
        expect(planEgress(["us-west-2c", "us-west-2a", "us-west-2b"], "single", true)).to.deep.equal({
            natAzs: ["us-west-2a"],
            natFor: { "us-west-2c": "us-west-2a", "us-west-2a": "us-west-2a", "us-west-2b": "us-west-2a" },
        });
    });
    it("names a VPC range that is not an IPv4 CIDR", () => {
        expect(planProblem("10.0.0.0/33", DEFAULT)).to.equal('"10.0.0.0/33" is not an IPv4 CIDR');
        expect(() => planSubnets("10.0.0.0/33", ["us-west-2a"], DEFAULT)).to.throw(PlanError, '"10.0.0.0/33" is not an IPv4 CIDR');
    });
});
