// The journeys (journeys/catalogue.ts) on every stack file: every step's outcome as its expectation, with the
// resource that decided. Then each layer broken on purpose in a copy of the stack's facts (a NACL rule, a route, an
// endpoint-policy statement, the guard, the bucket policy, a firewall rule, a security group rule): a named journey
// must fail. And the documents as they were before issue 15's fixes: each of the five defects fails its journey.
import { expect } from "chai";
import { loadConfig } from "../config/load";
import { workloadPolicy } from "../baseline/workloadPolicies";
import type { StackConfig } from "../config/load";
import type { Step } from "../journeys/catalogue";
import { copyFacts, stackFacts, type StackFacts } from "../journeys/facts";
import { ruleEvaluation } from "../journeys/firewall";
import { addressOutside, cidrContains, hostIn } from "../journeys/net";
import { renderJourneys, runJourneys } from "../journeys/run";
import { parsePlanArguments } from "../offline/planArgs";
import { readStackConfig, stackFiles } from "../offline/synth";
import type { PolicyDocument, Statement } from "../policy/document";
import { fixture, journeys, must, synth, synthFixture, synthWith } from "./support";

for (const { stack } of stackFiles()) {
    describe(`journeys (${stack} stack): what users and workloads do, walked through every layer`, () => {
        it("every journey holds, each step decided by a named resource", async () => {
            const run = await journeys(stack);
            const failing = run.results.filter((r) => !r.holds);
            expect(failing.map((r) => r.journey.id), renderJourneys({ ...run, results: failing })).to.deep.equal([]);
            expect(run.results.length).to.be.greaterThan(10);
            const names = new Set((await synth(stack)).resources.map((r) => r.name));
            for (const step of run.results.flatMap((r) => r.steps)) {
                // Denials name a resource of the stack (a NACL, route table, security group, firewall group or policy).
                if (step.outcome === "denied") {
                    expect([...names].some((n) => step.decidedBy.includes(n)), `${step.step.what}: ${step.decidedBy}`).to.equal(true);
                }
            }
        });

        // Review 6: S3's replies came back through the internet gateway. A gateway endpoint carries both directions
        // for the subnets whose route tables route S3's prefix list to it (Amazon VPC User Guide, gateway endpoints).
        it("carries S3 traffic both ways through the gateway endpoint, never the internet gateway", async () => {
            const run = await journeys(stack);
            const s3Steps = run.results.flatMap((r) => r.steps).filter((st) => st.step.kind === "packet" && st.step.flow.server.prefixList !== undefined);
            expect(s3Steps.length).to.be.greaterThan(0);
            for (const st of s3Steps) {
                const layers = st.path.map((p) => p.slice(4).split(":")[0]);
                expect(layers.filter((l) => l === "gateway endpoint"), `${st.step.what}\n${st.path.join("\n")}`).to.have.length(2);
                expect(layers, `${st.step.what}\n${st.path.join("\n")}`).to.not.include("internet gateway");
            }
        });

        it("walks packets through the security groups, NACLs, routes, NAT, the firewall and the IGW edge", async () => {
            const run = await journeys(stack);
            const layers = new Set(run.results.flatMap((r) => r.steps).flatMap((s) => s.path).map((p) => p.slice(4).split(":")[0]));
            for (const layer of ["security group", "network ACL", "route table", "firewall (stateful)", "internet gateway", "gateway endpoint"]) {
                expect([...layers], layer).to.include(layer);
            }
            const config = loadConfig(readStackConfig(stack), stack);
            if (config.firewall.egress.allowedDomains.length > 0) {
                expect([...layers]).to.include("NAT gateway");
            }
        });
    });
}

interface Breakage {
    readonly name: string;
    readonly journey: string;
    readonly breaks: (f: StackFacts) => void;
    /** Run on the stack with an ECR repository configured (the image-pull journey pulls only then). */
    readonly withImages?: true;
}

const REPOSITORY = "trainer";

/**
 * The stack as it is with `baseline.imageRepositories: [trainer]`: the config, and the training role's inline policy
 * with the ECR statements the real builder (workloadPolicy) adds for that repository.
 */
function withImageRepository(f: StackFacts, config: StackConfig): StackConfig {
    const ecr = workloadPolicy({
        scope: { accountId: f.accountId, partition: "aws", region: f.region },
        workload: "TrainingJobs",
        keyArn: f.key.arn,
        readBucketArns: [],
        writeBucketArns: [],
        vpcId: "vpc-0",
        subnetIds: [],
        securityGroupId: f.trainingSecurityGroupId,
        imageRepositories: [REPOSITORY],
    }).Statement.filter((st) => st.Sid === "AuthenticateToEcr" || st.Sid === "PullWorkloadImages");
    expect(ecr).to.have.length(2);
    const inline = must(f.roles.training.policies[0], "training role inline policy");
    f.roles.training.policies[0] = { ...inline, policy: { ...inline.policy, Statement: [...inline.policy.Statement, ...ecr] } };
    return { ...config, baseline: { ...config.baseline, imageRepositories: [REPOSITORY] } };
}

function withoutStatement(doc: PolicyDocument, sid: string): PolicyDocument {
    const kept = doc.Statement.filter((s) => s.Sid !== sid);
    expect(kept.length, `statement ${sid}`).to.equal(doc.Statement.length - 1);
    return { ...doc, Statement: kept };
}

function replaceStatement(doc: PolicyDocument, sid: string, statements: readonly Statement[]): PolicyDocument {
    return { ...doc, Statement: [...withoutStatement(doc, sid).Statement, ...statements] };
}

const s3Endpoint = (f: StackFacts) => must(f.endpoints.find((e) => e.service === "s3"), "S3 endpoint");
const publicNacl = (f: StackFacts) => must(f.nacls.find((n) => n.name.includes("public")), "public NACL");

/** One layer broken at a time; the journey that must notice. Evaluated on the dev stack (NAT, egress, two AZs). */
const BREAKAGES: readonly Breakage[] = [
    {
        name: "drop the public NACL's egress rule for ICMP fragmentation-needed",
        journey: "path-mtu-discovery-behind-nat",
        breaks: (f) => {
            const acl = publicNacl(f);
            acl.egress = acl.egress.filter((e) => e.protocol !== "icmp");
        },
    },
    {
        name: "drop the training security group's rule admitting itself",
        journey: "distributed-training",
        breaks: (f) => {
            const sg = must(f.securityGroups.find((g) => g.id === f.trainingSecurityGroupId), "training SG");
            sg.ingress = sg.ingress.filter((r) => !("securityGroupId" in r.peer));
        },
    },
    {
        name: "drop the services tier's default route to the NAT gateway",
        journey: "pip-install",
        breaks: (f) => {
            for (const t of f.routeTables.filter((x) => x.name.includes("services"))) {
                t.routes.splice(0, t.routes.length, ...t.routes.filter((r) => r.target.kind !== "nat"));
            }
        },
    },
    {
        name: "drop the S3 gateway endpoint's prefix-list route from the training route tables",
        journey: "train-on-local-storage-gpu",
        breaks: (f) => {
            for (const t of f.routeTables.filter((x) => x.name.includes("training"))) {
                t.routes.splice(0, t.routes.length, ...t.routes.filter((r) => !("prefixList" in r.destination)));
            }
        },
    },
    {
        name: "drop the S3 endpoint policy's ECR layer statement",
        journey: "pull-training-image",
        withImages: true,
        breaks: (f) => {
            s3Endpoint(f).policy = withoutStatement(s3Endpoint(f).policy, "EcrImageLayers");
        },
    },
    {
        name: "widen the guard: no VPC required",
        journey: "job-outside-the-vpc",
        breaks: (f) => {
            f.guard = { ...f.guard, policy: withoutStatement(f.guard.policy, "DenySageMakerOutsideAVpc") };
        },
    },
    {
        name: "widen the guard: no volume key required",
        journey: "train-on-ebs-instance",
        breaks: (f) => {
            f.guard = { ...f.guard, policy: withoutStatement(f.guard.policy, "DenyUnencryptedEbsVolumes") };
        },
    },
    {
        name: "drop the data perimeter from the training-data bucket policy",
        journey: "admin-outside-the-vpc",
        breaks: (f) => {
            const p = f.buckets.data.policy;
            (f.buckets as { data: { policy: { name: string; policy: PolicyDocument } } }).data.policy = { ...p, policy: withoutStatement(p.policy, "DenyDataAccessOutsideTheVpcEndpoint") };
        },
    },
    {
        name: "drop the firewall's TLS pass rules for the allowed domains",
        journey: "pip-install",
        breaks: (f) => {
            f.firewall.stateful.rulesString = f.firewall.stateful.rulesString.split("\n").filter((l) => !/^pass tls /.test(l)).join("\n");
        },
    },
    {
        name: "drop the firewall's ingress allowlist pass rule",
        journey: "deploy-like-the-sdk",
        breaks: (f) => {
            f.firewall.stateful.rulesString = f.firewall.stateful.rulesString.split("\n").filter((l) => !l.includes("$INGRESS_ALLOWED")).join("\n");
        },
    },
    {
        name: "make the firewall pass everything (no default drop, no deny rules)",
        journey: "domain-not-allowed",
        breaks: (f) => {
            f.firewall.policy.statefulDefaultActions = [];
            f.firewall.stateful.rulesString = f.firewall.stateful.rulesString.split("\n").filter((l) => !l.startsWith("drop ")).join("\n");
        },
    },
    {
        name: "drop the load balancer security group's ingress rules",
        journey: "deploy-like-the-sdk",
        breaks: (f) => {
            const sg = must(f.securityGroups.find((g) => g.id === f.loadBalancerSecurityGroupId), "load balancer SG");
            sg.ingress = [];
        },
    },
];

/** The documents as they were before issue 15's fixes (git history of baseline/ and network/), one defect each. */
const BEFORE_THE_FIXES: readonly Breakage[] = [
    {
        name: "1. the guard required a volume key on every training, tuning and processing job",
        journey: "train-on-local-storage-gpu",
        breaks: (f) => {
            const old = must(f.guard.policy.Statement.find((s) => s.Sid === "DenyUnencryptedEbsVolumes"), "volume statement");
            f.guard = { ...f.guard, policy: replaceStatement(f.guard.policy, "DenyUnencryptedEbsVolumes", [{ ...old, Sid: "DenyUnencryptedSageMakerVolumes", Condition: { Null: { "sagemaker:VolumeKmsKeyArn": "true" } } }]) };
        },
    },
    {
        name: "2. the guard required VPC subnets on CreateEndpointConfig",
        journey: "deploy-like-the-sdk",
        breaks: (f) => {
            const old = must(f.guard.policy.Statement.find((s) => s.Sid === "DenySageMakerOutsideAVpc"), "VPC statement");
            const action = "sagemaker:CreateEndpointConfig";
            const resource = `arn:aws:sagemaker:${f.region}:${f.accountId}:endpoint-config/*`;
            f.guard = { ...f.guard, policy: replaceStatement(f.guard.policy, "DenySageMakerOutsideAVpc", [{ ...old, Action: [...(old.Action ?? []), action], Resource: [...(old.Resource ?? []), resource] }]) };
        },
    },
    {
        name: "3. the ECR layer statement required aws:PrincipalAccount",
        journey: "pull-training-image",
        withImages: true,
        breaks: (f) => {
            const old = must(s3Endpoint(f).policy.Statement.find((s) => s.Sid === "EcrImageLayers"), "ECR statement");
            s3Endpoint(f).policy = replaceStatement(s3Endpoint(f).policy, "EcrImageLayers", [{ ...old, Condition: { StringEquals: { "aws:PrincipalAccount": f.accountId } } }]);
        },
    },
    {
        name: "4. the public NACL's egress rules were TCP only",
        journey: "path-mtu-discovery-behind-nat",
        breaks: (f) => {
            const acl = publicNacl(f);
            acl.egress = acl.egress.filter((e) => e.protocol === "tcp");
        },
    },
    {
        name: "5. the data perimeter listed actions by name",
        journey: "admin-outside-the-vpc",
        breaks: (f) => {
            const p = f.buckets.data.policy;
            const old = must(p.policy.Statement.find((s) => s.Sid === "DenyDataAccessOutsideTheVpcEndpoint"), "perimeter");
            const { NotAction: _notAction, ...rest } = old;
            const named: Statement = { ...rest, Action: ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:ListBucket*", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload", "s3:RestoreObject", "s3:Replicate*"] };
            (f.buckets as { data: { policy: { name: string; policy: PolicyDocument } } }).data.policy = { ...p, policy: replaceStatement(p.policy, "DenyDataAccessOutsideTheVpcEndpoint", [named]) };
        },
    },
    {
        name: "review 2: the local-storage exception covered CreateNotebookInstance",
        journey: "notebook-on-a-local-storage-instance-type",
        breaks: (f) => {
            const notebook = "sagemaker:CreateNotebookInstance";
            const widen = (st: Statement): Statement => ({ ...st, Action: [...[st.Action ?? []].flat(), notebook] });
            const ebs = must(f.guard.policy.Statement.find((st) => st.Sid === "DenyUnencryptedEbsVolumes"), "EBS statement");
            const unnamed = must(f.guard.policy.Statement.find((st) => st.Sid === "DenyUnencryptedVolumesOfUnnamedInstanceTypes"), "unnamed statement");
            const policy = replaceStatement(replaceStatement(withoutStatement(f.guard.policy, "DenyNotebooksWithoutAVolumeKey"), "DenyUnencryptedEbsVolumes", [widen(ebs)]), "DenyUnencryptedVolumesOfUnnamedInstanceTypes", [widen(unnamed)]);
            f.guard = { ...f.guard, policy };
        },
    },
    {
        name: "review 3: the local-storage table lacked p5, p5e, p5en, g6, g6e, trn1n and trn2",
        journey: "train-on-local-storage-gpu",
        breaks: (f) => {
            const newer = ["p5", "p5e", "p5en", "g6", "g6e", "trn1n", "trn2"].map((family) => `ml.${family}.*`);
            const old = must(f.guard.policy.Statement.find((st) => st.Sid === "DenyUnencryptedEbsVolumes"), "EBS statement");
            const patterns = [old.Condition?.["ForAnyValue:StringNotLike"]?.["sagemaker:InstanceTypes"] ?? []].flat().filter((p): p is string => typeof p === "string" && !newer.includes(p));
            const condition = { ...old.Condition, "ForAnyValue:StringNotLike": { "sagemaker:InstanceTypes": patterns } };
            f.guard = { ...f.guard, policy: replaceStatement(f.guard.policy, "DenyUnencryptedEbsVolumes", [{ ...old, Condition: condition }]) };
        },
    },
    {
        name: "review 4: the security groups of hosts behind NAT had no ICMP 3/4 rule",
        journey: "path-mtu-discovery-behind-nat",
        breaks: (f) => {
            for (const g of f.securityGroups) {
                g.ingress = g.ingress.filter((r) => r.protocol !== "icmp");
            }
        },
    },
    {
        name: "review 5: the data perimeter had none of AWS's exclusions for AWS services and service-linked roles",
        journey: "aws-services-on-the-data-bucket",
        breaks: (f) => {
            const p = f.buckets.data.policy;
            const old = must(p.policy.Statement.find((s) => s.Sid === "DenyDataAccessOutsideTheVpcEndpoint"), "perimeter");
            // The form before the fix: the endpoint, and only the deployer and the scanner exempt.
            const exempt = [old.Condition?.["ArnNotLikeIfExists"]?.["aws:PrincipalArn"] ?? []].flat().filter((a): a is string => typeof a === "string" && !a.includes(":role/aws-service-role/"));
            const bare: Statement = { ...old, Condition: { StringNotEquals: old.Condition?.["StringNotEquals"] ?? {}, ArnNotEquals: { "aws:PrincipalArn": exempt } } };
            (f.buckets as { data: { policy: { name: string; policy: PolicyDocument } } }).data.policy = { ...p, policy: replaceStatement(p.policy, "DenyDataAccessOutsideTheVpcEndpoint", [bare]) };
        },
    },
];

for (const [title, table] of [["breaking one layer makes a named journey fail", BREAKAGES], ["issue 15: each defect, restored, fails its journey", BEFORE_THE_FIXES]] as const) {
    describe(`journeys (dev stack): ${title}`, () => {
        for (const b of table) {
            it(`${b.name} -> ${b.journey} fails`, async () => {
                const facts = copyFacts(stackFacts(await synthFixture("dev")));
                const loaded = loadConfig(fixture("dev"), "dev");
                const config = b.withImages === true ? withImageRepository(facts, loaded) : loaded;
                b.breaks(facts);
                const run = await runJourneys(facts, config, { judge: ruleEvaluation, only: [b.journey] });
                const result = must(run.results[0], b.journey);
                expect(result.holds, renderJourneys(run)).to.equal(false);
            });
        }
    });
}

describe("journeys: an image pull is ECR's real request sequence, and stops at the first refusal", () => {
    const ecrActions = (steps: readonly Step[]) => steps.flatMap((st) => (st.kind === "api" && st.request.action.startsWith("ecr:") ? [st.request.action] : []));

    it("with a repository configured: GetAuthorizationToken, BatchGetImage, GetDownloadUrlForLayer, then the layer from S3, all allowed", async () => {
        const facts = copyFacts(stackFacts(await synthFixture("dev")));
        const config = withImageRepository(facts, loadConfig(fixture("dev"), "dev"));
        const run = await runJourneys(facts, config, { judge: ruleEvaluation, only: ["pull-training-image"] });
        const result = must(run.results[0], "pull-training-image");
        expect(result.holds, renderJourneys(run)).to.equal(true);
        expect(ecrActions(result.journey.steps)).to.deep.equal(["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]);
        expect(result.steps.every((st) => st.outcome === "allowed"), renderJourneys(run)).to.equal(true);
        expect(must(result.journey.steps.at(-1), "last step").what).to.include("layer in ECR's layer bucket");
    });

    // Review 7: the journey held on a stack with no repository while GetAuthorizationToken was denied, and still
    // claimed the layer download ECR would never have presigned.
    for (const { stack } of stackFiles()) {
        it(`${stack} stack: no request is expected to pass after one the pull is refused at`, async () => {
            const run = await journeys(stack);
            const result = must(run.results.find((r) => r.journey.id === "pull-training-image"), "pull-training-image");
            const firstDenied = result.journey.steps.findIndex((st) => st.kind === "api" && st.expect === "denied");
            if (firstDenied >= 0) {
                expect(result.journey.steps.slice(firstDenied + 1).map((st) => st.what)).to.deep.equal([]);
            }
            const config = loadConfig(readStackConfig(stack), stack);
            expect(firstDenied >= 0, "refused exactly when no repository is configured").to.equal(config.baseline.imageRepositories.length === 0);
        });
    }
});

describe("npm run plan -- <stack> --journeys: arguments", () => {
    it("takes --journeys and --verbose, and refuses --journeys with --diff or --format and --verbose alone", () => {
        expect(parsePlanArguments(["dev", "--journeys", "--verbose"])).to.deep.equal({ stack: "dev", format: "text", diff: undefined, journeys: true, verbose: true, destroy: false, outputs: undefined });
        expect(parsePlanArguments(["prod", "--destroy"])).to.deep.equal({ stack: "prod", format: "text", diff: undefined, journeys: false, verbose: false, destroy: true, outputs: undefined });
        expect(parsePlanArguments(["prod", "--destroy", "--outputs", "prod-outputs.json"])).to.deep.include({ destroy: true, outputs: "prod-outputs.json" });
        for (const args of [["dev", "--journeys", "--format", "markdown"], ["dev", "--journeys", "--diff", "HEAD"], ["dev", "--verbose"], ["prod", "--outputs", "prod-outputs.json"], ["prod", "--destroy", "--outputs"]]) {
            expect(parsePlanArguments(args), args.join(" ")).to.be.a("string").that.includes("--");
        }
    });
});

describe("journeys: the outsider client stays outside whatever allowlist the config accepts", () => {
    it("with all three documentation ranges allowlisted, client-outside-the-allowlist is sent from another public address and is denied", async () => {
        const dev = fixture("dev");
        const firewall = JSON.parse(dev["secure-ai:firewall"] ?? "{}") as { ingress: Record<string, unknown> };
        const raw = { ...dev, "secure-ai:firewall": JSON.stringify({ ...firewall, ingress: { ...firewall.ingress, allowedCidrs: ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"] } }) };
        const s = await synthWith({ stack: "dev", config: raw });
        expect(s.error?.message).to.equal(undefined);
        const run = await runJourneys(stackFacts(s), loadConfig(raw, "dev"), { judge: ruleEvaluation, only: ["client-outside-the-allowlist"] });
        const result = must(run.results[0], "client-outside-the-allowlist");
        expect(result.holds, renderJourneys(run)).to.equal(true);
    });
});

describe("journeys: addresses derived from the allowlist stay where the journey says", () => {
    it("the n-th host of a range stays inside it (a /32 is its one address); the outsider is outside every range", () => {
        expect(hostIn("203.0.113.7/32", 7)).to.equal("203.0.113.7");
        expect(hostIn("192.0.2.0/30", 7)).to.equal("192.0.2.3");
        expect(hostIn("192.0.2.0/24", 7)).to.equal("192.0.2.7");
        const all = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "1.0.0.0/8"];
        const outsider = addressOutside(all);
        expect(all.some((c) => cidrContains(c, outsider)), outsider).to.equal(false);
    });
});
