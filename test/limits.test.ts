// Size and count limits: every policy document's size as its service measures it, computed from the config and
// refused at config load when over AWS's quota; the per-Region quotas summed over every stack file of a Region.
import { expect } from "chai";
import fc from "fast-check";
import { policySizes, resourcePolicyBytes } from "../aws/policySizes";
import { limitOf, QUOTAS, regionalUsage, type RegionalStack } from "../aws/quotas";
import { checkConfig, ConfigError, loadConfig, type RawConfig } from "../config/load";
import { readStackConfig, stackFiles } from "../offline/synth";
import type { PolicyDocument } from "../policy/document";
import { fixture, type FixtureName, ofType, synth } from "./support";

const withBaseline = (stack: FixtureName, baseline: object): RawConfig => {
    const raw = fixture(stack);
    return { ...raw, "secure-ai:baseline": JSON.stringify({ ...(JSON.parse(raw["secure-ai:baseline"] ?? "{}") as object), ...baseline }) };
};
const repositories = (count: number, length: number) =>
    Array.from({ length: count }, (_, i) => `team/${String(i).padStart(3, "0")}-${"x".repeat(Math.max(1, length - 9))}`);

describe("limits: policy sizes are refused at config load when over AWS's quotas", () => {
    it("image repositories that overflow the roles' 10,240-character inline policy: one RunError naming the key, the size and the quota", () => {
        const raw = withBaseline("dev", { imageRepositories: repositories(60, 200) });
        let error: unknown;
        try {
            loadConfig(raw, "dev");
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(ConfigError);
        const problems = (error as ConfigError).problems;
        const inline = problems.filter((p) => p.message.includes('"Role policy size'));
        expect(inline.map((p) => p.path)).to.deep.equal(["secure-ai:baseline.imageRepositories", "secure-ai:baseline.imageRepositories"]);
        expect(inline[0]?.message).to.match(/^training role inline policy \(at most\) needs \d+, over the quota "Role policy size \(all inline policies of a role together, characters\)" of 10240 \(IAM User Guide/);
    });

    it("a property over generated configs: every accepted one has every document within its quota; far too many repositories are refused", () => {
        const zones = ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"];
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 90 }),
                fc.integer({ min: 10, max: 256 }),
                fc.subarray(zones, { minLength: 1 }),
                fc.array(fc.constantFrom("sagemaker.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "bedrock.amazonaws.com"), { minLength: 1, maxLength: 4 }),
                (count, length, azs, principals) => {
                    const base = withBaseline("dev", { imageRepositories: repositories(count, length), trainingPrincipals: [...new Set(principals)] });
                    const network = JSON.parse(base["secure-ai:network"] ?? "{}") as object;
                    const check = checkConfig({ ...base, "secure-ai:network": JSON.stringify({ ...network, availabilityZones: azs }) }, "dev");
                    const sizeProblems = check.problems.filter((p) => / \(at most\) needs /.test(p.message));
                    // 60 repositories of 150 characters cannot fit the training role's 10,240 characters.
                    if (count * length > 9_000) {
                        expect(sizeProblems.map((p) => p.path)).to.include("secure-ai:baseline.imageRepositories");
                    }
                    if (check.config === undefined) {
                        expect(check.problems.length).to.be.greaterThan(0);
                        return;
                    }
                    expect(sizeProblems).to.deep.equal([]);
                    const c = check.config;
                    for (const size of policySizes({ stack: "dev", region: c.region, network: c.network, baseline: c.baseline })) {
                        const quota = { inline: "inlinePolicySizePerRole", managed: "managedPolicySize", trust: "trustPolicySize", key: "keyPolicySize", bucket: "bucketPolicySize" } as const;
                        expect(size.size, size.subject).to.be.at.most(limitOf(quota[size.kind], c.quotas));
                    }
                },
            ),
            { numRuns: 40, seed: 20261201 },
        );
    });

    for (const { stack } of stackFiles()) {
        it(`${stack}: every synthesized bucket policy is within the model's bound (it bounds the deployer's ARN from above)`, async () => {
            const s = await synth(stack);
            const config = loadConfig(readStackConfig(stack), stack);
            const model = policySizes({ stack, region: config.region, network: config.network, baseline: config.baseline }).filter((p) => p.kind === "bucket");
            const largest = Math.max(...model.map((p) => p.size));
            const policies = ofType(s, "aws:s3/bucketPolicy:BucketPolicy");
            expect(policies.length).to.equal(model.length);
            for (const p of policies) {
                const bytes = resourcePolicyBytes(JSON.parse(String(p.inputs["policy"])) as PolicyDocument);
                expect(bytes, p.name).to.be.at.most(largest);
                expect(bytes, p.name).to.be.at.most(QUOTAS.bucketPolicySize.awsDefault);
            }
        });
    }
});

describe("limits: per-Region quotas summed over every stack file that shares a Region", () => {
    const stacks = (files: readonly { stack: string; raw: RawConfig }[]): RegionalStack[] =>
        files.map(({ stack, raw }) => {
            const c = loadConfig(raw, stack);
            return {
                stack,
                region: c.region,
                settings: c.quotas,
                inputs: { network: c.network, firewall: c.firewall, servingPort: c.baseline.servingPort, baseline: c.baseline, region: c.region, stack },
            };
        });

    it("the repo's stack files together stay within trails, gateway endpoints, firewalls and Elastic IPs per Region", () => {
        const uses = regionalUsage(stacks(stackFiles().map(({ stack }) => ({ stack, raw: readStackConfig(stack) }))));
        expect(uses.filter((u) => u.quota === "trailsPerRegion").reduce((a, u) => a + u.used, 0)).to.equal(stackFiles().length);
        expect(uses.filter((u) => u.used > u.limit)).to.deep.equal([]);
    });

    it("six stacks in one Region need six trails, over CloudTrail's 5 (which AWS does not raise)", () => {
        const files = ["a", "b", "c", "d", "e", "f"].map((stack) => ({ stack, raw: fixture("dev") }));
        const trails = regionalUsage(stacks(files)).find((u) => u.quota === "trailsPerRegion");
        expect(trails).to.deep.include({ used: 6, limit: 5 });
        expect(QUOTAS.trailsPerRegion.adjustable).to.equal(false);
    });

    it("one stack more than GuardDuty's protected-bucket quota in one Region (25, which AWS does not raise) is over it", () => {
        const limit = QUOTAS.malwareProtectedBucketsPerRegion.awsDefault;
        // Amazon GuardDuty User Guide, Quotas in Malware Protection for S3 (English edition): Maximum protected buckets 25.
        expect(limit).to.equal(25);
        const files = Array.from({ length: limit + 1 }, (_, i) => ({ stack: `s${i}`, raw: fixture("dev") }));
        const buckets = regionalUsage(stacks(files)).find((u) => u.quota === "malwareProtectedBucketsPerRegion");
        expect(buckets).to.deep.include({ used: limit + 1, limit });
        expect(QUOTAS.malwareProtectedBucketsPerRegion.adjustable).to.equal(false);
    });
});
