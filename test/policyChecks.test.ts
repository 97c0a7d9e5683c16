// Pull requests: IAM Access Analyzer's policy checks on the planned documents, driven through aws-sdk-client-mock
// with responses typed by @aws-sdk/client-accessanalyzer's own output types; the never-granted actions held to the
// Service Authorization Reference; no credentials through the SDK's real default chain.
import {
    AccessAnalyzerClient,
    CheckAccessNotGrantedCommand,
    CheckNoNewAccessCommand,
    CheckNoPublicAccessCommand,
    ValidatePolicyCommand,
} from "@aws-sdk/client-accessanalyzer";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { expandAction } from "../aws/iam";
import { MOCK_ACCOUNT_ID } from "../offline/mocks";
import { stackFiles } from "../offline/synth";
import { NEVER_GRANTED, checkPolicies, commentMarker, exitCodeOf, plannedDocuments, renderMarkdown } from "../verify/policies";
import { NO_CREDENTIALS_POLICIES, POLICIES_HELP, runPolicyChecks, USAGE } from "../verify/policiesCli";
import { anyStack, must, ofType, synth, synthFixture, withoutAwsCredentials } from "./support";

process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true";

describe("check:policies: the never-granted actions", () => {
    for (const action of Object.values(NEVER_GRANTED).flat()) {
        it(`${action} is an action of the Service Authorization Reference`, async () => {
            expect((await expandAction(action)).map((a) => `${a.service}:${a.name}`.toLowerCase())).to.deep.equal([action.toLowerCase()]);
        });
    }
});

for (const { stack } of stackFiles()) {
    describe(`check:policies: planned documents (${stack} stack)`, () => {
        it("are every bucket policy, the key policy, every role's trust policy, every inline role policy and every managed policy the stack would deploy", async () => {
            const s = await synth(stack);
            const docs = plannedDocuments(s.resources);
            expect(docs.filter((d) => d.kind === "trust policy").map((d) => [d.name, d.document])).to.deep.equal(
                ofType(s, "aws:iam/role:Role").map((r) => [r.name, r.inputs["assumeRolePolicy"]]).sort(([a], [b]) => String(a).localeCompare(String(b))),
            );
            expect(docs.filter((d) => d.kind === "managed policy").map((d) => d.name).sort()).to.deep.equal(ofType(s, "aws:iam/policy:Policy").map((r) => r.name).sort());
            expect(docs.filter((d) => d.kind === "managed policy"), "the SageMaker guard is a managed policy").to.have.length.greaterThan(0);
            expect(docs.filter((d) => d.kind === "bucket policy").map((d) => d.name).sort()).to.deep.equal(ofType(s, "aws:s3/bucketPolicy:BucketPolicy").map((r) => r.name).sort());
            expect(docs.filter((d) => d.kind === "key policy")).to.have.length(ofType(s, "aws:kms/key:Key").length);
            expect(docs.filter((d) => d.kind === "role policy").map((d) => d.name).sort()).to.deep.equal(ofType(s, "aws:iam/rolePolicy:RolePolicy").map((r) => r.name).sort());
            for (const d of docs) {
                expect(() => JSON.parse(d.document) as unknown, d.name).not.to.throw();
            }
        });

        it("offline, the policy engine agrees: no role's policy grants a never-granted action on the stack's buckets, key or trail", async () => {
            const s = await synth(stack);
            const o = s.outputs;
            const arn = (key: string): string => String(o[key]);
            // Each action on the resource type it takes (Service Authorization Reference): objects, buckets, the key, the trail.
            // AWS Config's delivery bucket exists on the stack that owns the account guardrails only.
            const buckets = [arn("trainingDataBucketArn"), arn("modelArtifactsBucketArn"), arn("auditBucketArn"), arn("accessLogBucketArn"), ...(o["configBucketArn"] === undefined ? [] : [arn("configBucketArn")])];
            expect(buckets).to.have.length(ofType(s, "aws:s3/bucket:Bucket").length);
            const targetsOf = (action: string): readonly string[] =>
                action === "s3:DeleteBucket" ? buckets : action.startsWith("s3:") ? buckets.map((b) => `${b}/some/object`) : action.startsWith("kms:") ? [arn("kmsKeyArn")] : [arn("trailArn")];
            const roles = ofType(s, "aws:iam/role:Role");
            expect(roles.length).to.be.greaterThan(0);
            for (const role of roles) {
                const identityPolicies = ofType(s, "aws:iam/rolePolicy:RolePolicy")
                    .filter((p) => p.inputs["role"] === role.id)
                    .map((p) => ({ name: p.name, policy: JSON.parse(String(p.inputs["policy"])) as unknown }));
                for (const action of Object.values(NEVER_GRANTED).flat()) {
                    for (const resource of targetsOf(action)) {
                        const result = await runSimulation(
                            {
                                request: { principal: String(role.state["arn"]), action, resource: { resource, accountId: MOCK_ACCOUNT_ID }, contextVariables: { "aws:SecureTransport": "true" } },
                                identityPolicies,
                                serviceControlPolicies: [],
                                resourceControlPolicies: [],
                            },
                            {},
                        );
                        const decision = result.resultType === "error" ? `error: ${JSON.stringify(result.errors)}` : result.overallResult;
                        expect(decision, `${role.name}: ${action} on ${resource}`).to.equal("ImplicitlyDenied");
                    }
                }
            }
        });
    });
}

describe("check:policies against a mocked IAM Access Analyzer", () => {
    const mock = mockClient(AccessAnalyzerClient);
    const client = new AccessAnalyzerClient({ region: "us-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" } });
    afterEach(() => mock.reset());
    after(() => mock.restore());

    it("asks the right question of each document: public access for bucket and key policies, the never-granted actions for role policies, new access only where a document changed", async () => {
        mock.on(CheckNoPublicAccessCommand).resolves({ result: "PASS", message: "The resource policy does not grant public access for the given resource type.", reasons: [] });
        mock.on(CheckAccessNotGrantedCommand).resolves({ result: "PASS", message: "The policy document does not grant access to perform the listed actions or resources.", reasons: [] });
        mock.on(CheckNoNewAccessCommand).resolves({ result: "PASS", message: "The modified permissions do not grant new access compared to your existing policy.", reasons: [] });
        mock.on(ValidatePolicyCommand).resolves({ findings: [] });
        const docs = plannedDocuments((await synthFixture("dev")).resources);
        const changed = docs.find((d) => d.kind === "role policy");
        const previous = docs.map((d) => (d === changed ? { ...d, document: JSON.stringify({ Version: "2012-10-17", Statement: [] }) } : d));
        const rows = await checkPolicies(client, docs, previous);
        const identity = (kind: string): boolean => kind === "role policy" || kind === "managed policy";
        // Resource types of the IAM Access Analyzer API Reference: trust policies validate and check as
        // AWS::IAM::AssumeRolePolicyDocument, bucket policies as AWS::S3::Bucket, a key policy validates with no type.
        const publicType = { "bucket policy": "AWS::S3::Bucket", "key policy": "AWS::KMS::Key", "trust policy": "AWS::IAM::AssumeRolePolicyDocument" } as const;
        const publicCalls = mock.commandCalls(CheckNoPublicAccessCommand).map((c) => c.args[0].input);
        expect(publicCalls.map((i) => [i.policyDocument, i.resourceType])).to.deep.equal(docs.filter((d) => !identity(d.kind)).map((d) => [d.document, publicType[d.kind as keyof typeof publicType]]));
        expect(publicCalls.filter((i) => i.resourceType === "AWS::IAM::AssumeRolePolicyDocument"), "every role's trust policy").to.have.length(ofType(await synthFixture("dev"), "aws:iam/role:Role").length);
        const validated = mock.commandCalls(ValidatePolicyCommand).map((c) => c.args[0].input);
        expect(validated.map((i) => i.policyDocument), "every document validated once").to.deep.equal(docs.map((d) => d.document));
        const validateAs = { "bucket policy": ["RESOURCE_POLICY", "AWS::S3::Bucket"], "key policy": ["RESOURCE_POLICY", undefined], "trust policy": ["RESOURCE_POLICY", "AWS::IAM::AssumeRolePolicyDocument"], "role policy": ["IDENTITY_POLICY", undefined], "managed policy": ["IDENTITY_POLICY", undefined] } as const;
        expect(validated.map((i) => [i.policyType, i.validatePolicyResourceType])).to.deep.equal(docs.map((d) => validateAs[d.kind]));
        const notGranted = mock.commandCalls(CheckAccessNotGrantedCommand).map((c) => c.args[0].input);
        expect(notGranted.map((i) => i.policyDocument)).to.deep.equal(docs.filter((d) => identity(d.kind)).map((d) => d.document));
        for (const i of notGranted) {
            expect(i.policyType).to.equal("IDENTITY_POLICY");
            expect(i.access).to.deep.equal([{ actions: Object.values(NEVER_GRANTED).flat() }]);
        }
        const newAccess = mock.commandCalls(CheckNoNewAccessCommand).map((c) => c.args[0].input);
        expect(newAccess).to.deep.equal([{ newPolicyDocument: changed?.document, existingPolicyDocument: previous.find((p) => p.name === changed?.name)?.document, policyType: "IDENTITY_POLICY" }]);
        expect(rows.every((r) => r.result === "PASS")).to.equal(true);
        expect(renderMarkdown("dev", rows, "note")).to.include(`All ${rows.length} checks pass.`);
    });

    it("a failing check is a bold row and a section naming the statement and AWS's reason", async () => {
        const docs = plannedDocuments((await synthFixture("prod")).resources);
        const bucket = docs.find((d) => d.kind === "bucket policy");
        mock.on(CheckNoPublicAccessCommand).resolves({ result: "PASS", message: "ok", reasons: [] });
        mock.on(CheckNoPublicAccessCommand, { policyDocument: bucket?.document }).resolves({
            result: "FAIL",
            message: "The resource policy grants public access for the given resource type.",
            reasons: [{ description: "Public access granted in the following statement with sid: PublicRead.", statementIndex: 0, statementId: "PublicRead" }],
        });
        mock.on(CheckAccessNotGrantedCommand).resolves({ result: "PASS", message: "ok", reasons: [] });
        mock.on(ValidatePolicyCommand).resolves({ findings: [] });
        const rows = await checkPolicies(client, docs, undefined);
        const md = renderMarkdown("prod", rows, "No-new-access not checked (no --against ref).");
        expect(md).to.include(`**1 of ${rows.length} checks fail (blocking).**`);
        expect(exitCodeOf(rows)).to.equal(1);
        expect(md).to.include(`| CheckNoPublicAccess | bucket policy \`${bucket?.name ?? ""}\` | **FAIL** | The resource policy grants public access for the given resource type. |`);
        expect(md).to.include("- statement PublicRead: Public access granted in the following statement with sid: PublicRead.");
        expect(mock.commandCalls(CheckNoNewAccessCommand)).to.have.length(0);
    });

    it("new access on a pull request is reported for review and does not fail the command; a never-granted action still does", async () => {
        const docs = plannedDocuments((await synthFixture("dev")).resources);
        const role = docs.find((d) => d.kind === "role policy");
        const previous = docs.map((d) => (d === role ? { ...d, document: JSON.stringify({ Version: "2012-10-17", Statement: [] }) } : d));
        mock.on(CheckNoPublicAccessCommand).resolves({ result: "PASS", message: "ok", reasons: [] });
        mock.on(CheckAccessNotGrantedCommand).resolves({ result: "PASS", message: "ok", reasons: [] });
        mock.on(ValidatePolicyCommand).resolves({ findings: [] });
        mock.on(CheckNoNewAccessCommand).resolves({
            result: "FAIL",
            message: "The modified permissions grant new access compared to your existing policy.",
            reasons: [{ description: "New access in the statement with index: 0.", statementIndex: 0 }],
        });
        const rows = await checkPolicies(client, docs, previous);
        expect(rows.filter((r) => r.result === "FAIL").map((r) => r.check)).to.deep.equal(["CheckNoNewAccess"]);
        expect(exitCodeOf(rows), "new access alone: exit 0").to.equal(0);
        const md = renderMarkdown("dev", rows, "note");
        expect(md.split("\n")[0]).to.equal(commentMarker("dev"));
        expect(md).to.include("1 document grants new access compared with the deployed one (CheckNoNewAccess): reported for review, not blocking.");
        expect(md).to.include(`| CheckNoNewAccess | role policy \`${role?.name ?? ""}\` | FAIL (review) | The modified permissions grant new access compared to your existing policy. |`);
        expect(md).to.include(`#### CheckNoNewAccess FAIL (review, not blocking): role policy \`${role?.name ?? ""}\``);
        expect(md).not.to.include("blocking).**");

        mock.on(CheckAccessNotGrantedCommand, { policyDocument: role?.document }).resolves({ result: "FAIL", message: "The policy document grants access to perform one or more of the listed actions.", reasons: [] });
        const both = await checkPolicies(client, docs, previous);
        expect(exitCodeOf(both), "a never-granted action: exit 1").to.equal(1);
        expect(renderMarkdown("dev", both, "note")).to.include(`**1 of ${both.length} checks fail (blocking).** 1 document grants new access`);
    });

    it("ValidatePolicy: an ERROR or SECURITY_WARNING in any document (a trust policy here) blocks; WARNING and SUGGESTION are reported; findings are read from every page", async () => {
        const docs = plannedDocuments((await synthFixture("prod")).resources);
        const trust = must(docs.find((d) => d.kind === "trust policy"), "a trust policy");
        const managed = must(docs.find((d) => d.kind === "managed policy"), "a managed policy");
        mock.on(CheckNoPublicAccessCommand).resolves({ result: "PASS", message: "ok", reasons: [] });
        mock.on(CheckAccessNotGrantedCommand).resolves({ result: "PASS", message: "ok", reasons: [] });
        mock.on(ValidatePolicyCommand).resolves({ findings: [] });
        const location = (index: number) => [{ path: [{ value: "Statement" }, { index }, { value: "Principal" }], span: { start: { line: 1, column: 1, offset: 1 }, end: { line: 1, column: 9, offset: 9 } } }];
        mock.on(ValidatePolicyCommand, { policyDocument: managed.document })
            .resolvesOnce({ findings: [{ findingType: "SUGGESTION", issueCode: "EMPTY_SID_VALUE", findingDetails: "Add a value to the empty string in the Sid element.", learnMoreLink: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html", locations: location(0) }], nextToken: "p2" })
            .resolvesOnce({ findings: [{ findingType: "WARNING", issueCode: "MISSING_VERSION", findingDetails: "We recommend that you specify the Version element.", learnMoreLink: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html", locations: [] }] })
            .resolves({ findings: [] });
        const warnOnly = await checkPolicies(client, docs, undefined);
        expect(mock.commandCalls(ValidatePolicyCommand, { policyDocument: managed.document }).map((c) => c.args[0].input.nextToken)).to.deep.equal([undefined, "p2"]);
        const managedRow = must(warnOnly.find((r) => r.check === "ValidatePolicy" && r.document === managed), "row");
        expect([managedRow.result, managedRow.message]).to.deep.equal(["WARN", "2 findings: 1 SUGGESTION, 1 WARNING."]);
        expect(exitCodeOf(warnOnly), "warnings and suggestions do not block").to.equal(0);
        expect(renderMarkdown("prod", warnOnly, "note")).to.include("- statement #0: SUGGESTION EMPTY_SID_VALUE: Add a value to the empty string in the Sid element.");

        mock.on(ValidatePolicyCommand, { policyDocument: trust.document }).resolves({
            findings: [{ findingType: "SECURITY_WARNING", issueCode: "MISSING_PRINCIPAL_CONDITION", findingDetails: "Add a condition to restrict who can assume the role.", learnMoreLink: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html", locations: location(1) }],
        });
        const blocked = await checkPolicies(client, docs, undefined);
        expect(exitCodeOf(blocked)).to.equal(1);
        const md = renderMarkdown("prod", blocked, "note");
        expect(md).to.include(`| ValidatePolicy | trust policy \`${trust.name}\` | **FAIL** | 1 finding: 1 SECURITY_WARNING. |`);
        expect(md).to.include("- statement #1: SECURITY_WARNING MISSING_PRINCIPAL_CONDITION: Add a condition to restrict who can assume the role.");
    });

    it("no credentials: one line naming what it needs, exit 2, before synthesizing anything", async () => {
        await withoutAwsCredentials(async () => {
            const lines: string[] = [];
            expect(await runPolicyChecks([anyStack()], { out: (l) => lines.push(l), err: (l) => lines.push(l) })).to.equal(2);
            expect(lines).to.deep.equal([NO_CREDENTIALS_POLICIES]);
        });
    });

    it("--help prints what it does and exits 0; an unknown stack or git ref is one line and exit 2, before AWS is asked", async () => {
        const lines: string[] = [];
        const io = { out: (l: string) => lines.push(`out: ${l}`), err: (l: string) => lines.push(`err: ${l}`) };
        const noClient = (): never => {
            throw new Error("AWS must not be asked");
        };
        expect(await runPolicyChecks(["--help"], io, noClient)).to.equal(0);
        expect(lines).to.deep.equal([`out: ${POLICIES_HELP}`]);
        expect(POLICIES_HELP.split("\n")[0]).to.equal(USAGE);
        lines.length = 0;
        expect(await runPolicyChecks(["no-such-stack"], io, noClient)).to.equal(2);
        expect(lines).to.deep.equal([`err: no stack file Pulumi.no-such-stack.yaml (stacks: ${stackFiles().map((f) => f.stack).join(", ")})`]);
        lines.length = 0;
        expect(await runPolicyChecks([anyStack(), "--against", "no-such-ref-4f2a"], io, noClient)).to.equal(2);
        expect(lines).to.deep.equal(["err: --against no-such-ref-4f2a: no such git ref in this repository (fetch it, or name a branch, tag or commit)"]);
    });
});
