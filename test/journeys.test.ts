// The journeys (journeys/catalogue.ts) on every stack file: every step's outcome as its expectation, with the
// resource that decided. Then each layer broken on purpose in a copy of the stack's facts (a NACL rule, a route, an
// endpoint-policy statement, the guard, the bucket policy, a firewall rule, a security group rule): a named journey
// must fail. And the documents as they were before issue 15's fixes: each of the five defects fails its journey.
import { expect } from "chai";
import { loadConfig } from "../config/load";
import { copyFacts, stackFacts, type StackFacts } from "../journeys/facts";
import { ruleEvaluation } from "../journeys/firewall";
import { renderJourneys, runJourneys } from "../journeys/run";
import { parsePlanArguments } from "../offline/planArgs";
import { readStackConfig, stackFiles } from "../offline/synth";
import type { PolicyDocument, Statement } from "../policy/document";
import { fixture, journeys, must, synth, synthFixture } from "./support";

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
];

for (const [title, table] of [["breaking one layer makes a named journey fail", BREAKAGES], ["issue 15: each defect, restored, fails its journey", BEFORE_THE_FIXES]] as const) {
    describe(`journeys (dev stack): ${title}`, () => {
        for (const b of table) {
            it(`${b.name} -> ${b.journey} fails`, async () => {
                const facts = copyFacts(stackFacts(await synthFixture("dev")));
                b.breaks(facts);
                const run = await runJourneys(facts, loadConfig(fixture("dev"), "dev"), { judge: ruleEvaluation, only: [b.journey] });
                const result = must(run.results[0], b.journey);
                expect(result.holds, renderJourneys(run)).to.equal(false);
            });
        }
    });
}

describe("npm run plan -- <stack> --journeys: arguments", () => {
    it("takes --journeys and --verbose, and refuses --journeys with --diff or --format and --verbose alone", () => {
        expect(parsePlanArguments(["dev", "--journeys", "--verbose"])).to.deep.equal({ stack: "dev", format: "text", diff: undefined, journeys: true, verbose: true, destroy: false });
        expect(parsePlanArguments(["prod", "--destroy"])).to.deep.equal({ stack: "prod", format: "text", diff: undefined, journeys: false, verbose: false, destroy: true });
        for (const args of [["dev", "--journeys", "--format", "markdown"], ["dev", "--journeys", "--diff", "HEAD"], ["dev", "--verbose"]]) {
            expect(parsePlanArguments(args), args.join(" ")).to.be.a("string").that.includes("--");
        }
    });
});
