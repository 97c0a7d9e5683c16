// The baseline as registered for every stack file under mocked AWS, and the FSBP controls it implements: each
// control is one row whose assertion fails if the code stops enforcing it. docs/security.md shows the same table.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadConfig, type StackConfig } from "../config/load";
import { MOCK_ACCOUNT_ID, MOCK_DEPLOYER_ROLE_ARN } from "../offline/mocks";
import { PROJECT_ROOT, readStackConfig, stackFiles, type SynthResource, type Synthesis } from "../offline/synth";
import { actionsOf, type Statement } from "../policy/document";
import { FSBP_CONTROLS, type FsbpControl } from "../baseline/controls";
import { PATH_MTU_ICMP } from "../baseline/securityGroups";
import { auditLogLockDays } from "../config/baseline";
import { asList, awsResources, byId, fixture, ofType, one, policyInput, statement, stringInput, subnetsOfTier, synth, synthFixture, synthWith, must } from "./support";

type Props = Readonly<Record<string, unknown>>;
const props = (v: unknown): Props => (typeof v === "object" && v !== null ? (v as Props) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const BUCKET = "aws:s3/bucket:Bucket";
const KEY = "aws:kms/key:Key";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const BUCKET_SETTINGS = [
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy",
];

function purpose(bucket: SynthResource): string {
    return String(props(bucket.inputs["tags"])["secure-ai:purpose"]);
}

/** The log buckets' purposes: AWS Config's delivery bucket exists on the stack that owns the account guardrails only. */
function logPurposes(config: StackConfig): string[] {
    return ["audit", "access-logs", ...(config.baseline.manageAccountGuardrails ? ["config"] : [])];
}

function bucketOf(s: Synthesis, which: string): SynthResource {
    const found = ofType(s, BUCKET).filter((b) => purpose(b) === which);
    expect(found, `buckets for ${which}`).to.have.length(1);
    return found[0] as SynthResource;
}

/** The one settings resource of a type attached to a bucket. */
function settingOf(s: Synthesis, bucket: SynthResource, type: string): SynthResource {
    const found = ofType(s, type).filter((r) => r.inputs["bucket"] === bucket.id);
    expect(found, `${type} of ${bucket.name}`).to.have.length(1);
    return found[0] as SynthResource;
}

function key(s: Synthesis): SynthResource {
    const keys = ofType(s, KEY);
    expect(keys).to.have.length(1);
    return keys[0] as SynthResource;
}

/**
 * Every policy document that grants: identity, trust, bucket and key policies. VPC endpoint policies are left
 * out: they grant nothing, they cap what may pass through the endpoint (`Action: "*"` limited to this account's
 * principals is AWS's documented form, tested in network.test.ts).
 */
function allPolicies(s: Synthesis): { where: string; identity: boolean; statements: Statement[] }[] {
    const out: { where: string; identity: boolean; statements: Statement[] }[] = [];
    for (const r of s.resources) {
        if (r.type === "aws:iam/rolePolicy:RolePolicy" || r.type === "aws:iam/policy:Policy") {
            out.push({ where: `${r.type} ${r.name}`, identity: true, statements: policyInput(r) });
        } else if (r.type === "aws:s3/bucketPolicy:BucketPolicy" || r.type === KEY) {
            out.push({ where: `${r.type} ${r.name}`, identity: false, statements: policyInput(r) });
        } else if (r.type === "aws:iam/role:Role") {
            out.push({ where: `${r.type} ${r.name} (trust)`, identity: false, statements: policyInput(r, "assumeRolePolicy") });
        }
    }
    return out;
}

function rolePolicy(s: Synthesis, role: string): Statement[] {
    return policyInput(one(s, "aws:iam/rolePolicy:RolePolicy", `secure-ai-${s.stack}-${role}`));
}

function ingressRules(s: Synthesis): SynthResource[] {
    return ofType(s, INGRESS);
}

function groupNamed(s: Synthesis, tier: string): SynthResource {
    return one(s, SG, `secure-ai-sg-${tier}`);
}

function trail(s: Synthesis): SynthResource {
    const trails = ofType(s, "aws:cloudtrail/trail:Trail");
    expect(trails).to.have.length(1);
    return trails[0] as SynthResource;
}

interface Control extends FsbpControl {
    readonly check: (s: Synthesis, config: StackConfig) => void;
}

function fsbp(id: string): FsbpControl {
    const control = FSBP_CONTROLS.find((c) => c.id === id);
    if (control === undefined) {
        throw new Error(`no FSBP control ${id} in baseline/controls.ts`);
    }
    return control;
}

/** FSBP controls this program implements, each with the assertion that proves it on every stack. */
export const CONTROLS: readonly Control[] = [
    {
        ...fsbp("S3.1"),
        check: (s, config) => {
            const blocks = ofType(s, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock");
            expect(blocks).to.have.length(config.baseline.manageAccountGuardrails ? 1 : 0);
            for (const b of blocks) {
                expect([b.inputs["blockPublicAcls"], b.inputs["blockPublicPolicy"], b.inputs["ignorePublicAcls"], b.inputs["restrictPublicBuckets"]]).to.deep.equal([true, true, true, true]);
            }
        },
    },
    {
        ...fsbp("S3.5"),
        check: (s) => {
            for (const bucket of ofType(s, BUCKET)) {
                const tls = statement(policyInput(settingOf(s, bucket, "aws:s3/bucketPolicy:BucketPolicy")), "DenyInsecureTransport");
                expect(tls).to.deep.include({ Effect: "Deny", Principal: "*", Action: "s3:*" });
                expect(asList(tls.Resource)).to.have.members([String(bucket.state["arn"]), `${String(bucket.state["arn"])}/*`]);
                expect(tls.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
            }
        },
    },
    {
        ...fsbp("S3.8"),
        check: (s) => {
            for (const bucket of ofType(s, BUCKET)) {
                const b = settingOf(s, bucket, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
                expect([b.inputs["blockPublicAcls"], b.inputs["blockPublicPolicy"], b.inputs["ignorePublicAcls"], b.inputs["restrictPublicBuckets"]], bucket.name).to.deep.equal([true, true, true, true]);
            }
        },
    },
    {
        ...fsbp("S3.9"),
        check: (s) => {
            const target = bucketOf(s, "access-logs");
            const logged = ofType(s, BUCKET).filter((b) => b !== target);
            const sources = policyInput(settingOf(s, target, "aws:s3/bucketPolicy:BucketPolicy")).filter((st) => st.Effect === "Allow");
            for (const bucket of logged) {
                const logging = settingOf(s, bucket, "aws:s3/bucketLogging:BucketLogging");
                expect(logging.inputs["targetBucket"], bucket.name).to.equal(target.id);
                const prefix = stringInput(logging, "targetPrefix");
                expect(prefix).to.equal(`${purpose(bucket)}/`);
                const admitted = sources.find((st) => st.Resource === `${String(target.state["arn"])}/${prefix}*`);
                expect(admitted?.Condition?.["ArnEquals"]?.["aws:SourceArn"], bucket.name).to.equal(bucket.state["arn"]);
            }
            expect(sources).to.have.length(logged.length);
        },
    },
    {
        ...fsbp("S3.12"),
        check: (s) => {
            for (const bucket of ofType(s, BUCKET)) {
                expect(props(settingOf(s, bucket, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs["rule"])["objectOwnership"]).to.equal("BucketOwnerEnforced");
            }
        },
    },
    {
        ...fsbp("S3.13"),
        check: (s, config) => {
            for (const bucket of ofType(s, BUCKET)) {
                const rules = list(settingOf(s, bucket, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]).map(props);
                expect(rules).to.have.length(1);
                const rule = rules[0] ?? {};
                expect(rule["status"]).to.equal("Enabled");
                const isLog = logPurposes(config).includes(purpose(bucket));
                // A log's overwritten or deleted content lives on as a noncurrent version: on log buckets it is kept
                // at least as long as the log would have been.
                expect(props(rule["noncurrentVersionExpiration"])["noncurrentDays"], bucket.name).to.equal(
                    // Not doubled on log buckets: NoncurrentDays counts from the expiration's delete marker.
                    config.baseline.noncurrentVersionExpirationDays,
                );
                expect(props(rule["abortIncompleteMultipartUpload"])["daysAfterInitiation"]).to.equal(7);
                expect(props(rule["expiration"]), bucket.name).to.deep.equal(isLog ? { days: config.baseline.logObjectExpirationDays } : { expiredObjectDeleteMarker: true });
            }
        },
    },
    {
        ...fsbp("S3.14"),
        check: (s) => {
            for (const bucket of ofType(s, BUCKET)) {
                expect(props(settingOf(s, bucket, "aws:s3/bucketVersioning:BucketVersioning").inputs["versioningConfiguration"])["status"]).to.equal("Enabled");
            }
        },
    },
    {
        ...fsbp("S3.17"),
        check: (s) => {
            const keyArn = key(s).state["arn"];
            for (const bucket of ofType(s, BUCKET)) {
                const rule = props(list(settingOf(s, bucket, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs["rules"])[0]);
                const byDefault = props(rule["applyServerSideEncryptionByDefault"]);
                expect(rule["blockedEncryptionTypes"]).to.deep.equal(["SSE-C"]);
                if (purpose(bucket) === "access-logs") {
                    expect(byDefault).to.deep.equal({ sseAlgorithm: "AES256" });
                } else {
                    expect(byDefault, bucket.name).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn });
                    expect(rule["bucketKeyEnabled"]).to.equal(true);
                }
            }
        },
    },
    {
        ...fsbp("KMS.2"),
        check: (s) => {
            for (const r of ofType(s, "aws:iam/rolePolicy:RolePolicy")) {
                for (const st of policyInput(r).filter((x) => actionsOf(x).some((a) => a.startsWith("kms:")))) {
                    expect(asList(st.Resource), `${r.name} ${st.Sid}`).to.deep.equal([key(s).state["arn"]]);
                }
            }
        },
    },
    {
        ...fsbp("KMS.4"),
        check: (s) => {
            expect(key(s).inputs["enableKeyRotation"]).to.equal(true);
            expect(key(s).inputs["rotationPeriodInDays"]).to.equal(365);
        },
    },
    {
        ...fsbp("IAM.1"),
        check: (s) => {
            for (const doc of allPolicies(s)) {
                for (const st of doc.statements.filter((x) => x.Effect === "Allow")) {
                    for (const action of actionsOf(st)) {
                        expect(action, `${doc.where} ${st.Sid}`).to.not.match(/(^\*$|:\*$)/);
                        if (doc.identity) {
                            expect(action, `${doc.where} ${st.Sid}`).to.not.include("*");
                        }
                    }
                }
            }
        },
    },
    {
        ...fsbp("CloudTrail.2"),
        check: (s) => expect(trail(s).inputs["kmsKeyId"]).to.equal(key(s).state["arn"]),
    },
    {
        ...fsbp("CloudTrail.4"),
        check: (s) => expect(trail(s).inputs["enableLogFileValidation"]).to.equal(true),
    },
    {
        ...fsbp("CloudTrail.5"),
        check: (s) => {
            const group = one(s, "aws:cloudwatch/logGroup:LogGroup", `secure-ai-${s.stack}-cloudtrail`);
            expect(trail(s).inputs["cloudWatchLogsGroupArn"]).to.equal(`${String(group.state["arn"])}:*`);
            const role = ofType(s, "aws:iam/role:Role").find((r) => r.state["arn"] === trail(s).inputs["cloudWatchLogsRoleArn"]);
            expect(role?.name).to.equal(`secure-ai-${s.stack}-cloudtrail-logs`);
            const grants = rolePolicy(s, "cloudtrail-logs");
            expect(grants.flatMap((st) => asList(st.Resource))).to.deep.equal([group.state["arn"], `${String(group.state["arn"])}:*`]);
        },
    },
    {
        ...fsbp("EC2.2"),
        check: (s) => {
            const groups = ofType(s, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            expect(groups).to.have.length(1);
            expect([list(groups[0]?.inputs["ingress"]), list(groups[0]?.inputs["egress"])]).to.deep.equal([[], []]);
        },
    },
    {
        ...fsbp("EC2.6"),
        check: (s) => {
            const logs = ofType(s, "aws:ec2/flowLog:FlowLog");
            expect(logs).to.have.length(1);
            const flow = logs[0] as SynthResource;
            expect(byId(s, flow.inputs["vpcId"])?.type).to.equal("aws:ec2/vpc:Vpc");
            expect(flow.inputs["trafficType"]).to.equal("ALL");
            const group = ofType(s, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.state["arn"] === flow.inputs["logDestination"]);
            expect(group?.inputs["kmsKeyId"]).to.equal(key(s).state["arn"]);
        },
    },
    {
        ...fsbp("EC2.7"),
        check: (s, config) => {
            const on = ofType(s, "aws:ebs/encryptionByDefault:EncryptionByDefault");
            const keys = ofType(s, "aws:ebs/defaultKmsKey:DefaultKmsKey");
            const expected = config.baseline.manageAccountGuardrails ? 1 : 0;
            expect([on.length, keys.length]).to.deep.equal([expected, expected]);
            for (const r of on) {
                expect(r.inputs["enabled"]).to.equal(true);
            }
            for (const r of keys) {
                expect(r.inputs["keyArn"]).to.equal(key(s).state["arn"]);
            }
        },
    },
    {
        ...fsbp("EC2.8"),
        check: (s, config) => {
            const defaults = ofType(s, "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults");
            expect(defaults).to.have.length(config.baseline.manageAccountGuardrails ? 1 : 0);
            for (const d of defaults) {
                expect(d.inputs["httpTokens"]).to.equal("required");
            }
        },
    },
    {
        ...fsbp("EC2.18"),
        // AWS Config vpc-sg-open-only-to-authorized-ports (EC2.18) looks at TCP and UDP ports open to 0.0.0.0/0 or ::/0;
        // the one rule open to 0.0.0.0/0 is ICMP 3/4 for path MTU discovery, on the tiers that reach the internet.
        check: (s) => {
            for (const rule of ingressRules(s)) {
                if (rule.inputs["cidrIpv4"] === "0.0.0.0/0") {
                    expect([rule.inputs["ipProtocol"], rule.inputs["fromPort"], rule.inputs["toPort"]], rule.name).to.deep.equal(["icmp", PATH_MTU_ICMP.type, PATH_MTU_ICMP.code]);
                }
                expect(rule.inputs["cidrIpv6"], rule.name).to.not.equal("::/0");
            }
        },
    },
    {
        ...fsbp("EC2.19"),
        check: (s, config) => {
            for (const rule of ingressRules(s)) {
                const cidr = rule.inputs["cidrIpv4"];
                // EC2.19 (restricted-common-ports) checks TCP ports; ICMP 3/4 has none.
                if (cidr !== undefined && rule.inputs["ipProtocol"] !== "icmp") {
                    expect(cidr, rule.name).to.equal(config.network.cidr);
                }
                expect(rule.inputs["cidrIpv6"]).to.equal(undefined);
            }
        },
    },
    {
        ...fsbp("NetworkFirewall.2"),
        check: (s) => {
            const configs = list(props(ofType(s, "aws-native:networkfirewall:LoggingConfiguration")[0]?.inputs["loggingConfiguration"])["logDestinationConfigs"]).map(props);
            expect(configs.map((c) => c["logType"]).sort()).to.deep.equal(["ALERT", "FLOW"]);
        },
    },
    {
        ...fsbp("NetworkFirewall.9"),
        check: (s, config) => expect(ofType(s, "aws-native:networkfirewall:Firewall")[0]?.inputs["deleteProtection"]).to.equal(config.firewall.protections.deletion),
    },
    {
        ...fsbp("GuardDuty.1"),
        check: (s, config) => {
            const detectors = ofType(s, "aws:guardduty/detector:Detector");
            expect(detectors).to.have.length(config.baseline.manageAccountGuardrails ? 1 : 0);
            for (const d of detectors) {
                expect(d.inputs["enable"]).to.equal(true);
                const on = ofType(s, "aws:guardduty/detectorFeature:DetectorFeature").filter((f) => f.inputs["detectorId"] === d.id && f.inputs["status"] === "ENABLED");
                expect(on.map((f) => f.inputs["name"])).to.include.members(["S3_DATA_EVENTS", "AI_PROTECTION"]);
            }
        },
    },
    {
        ...fsbp("SageMaker.1"),
        check: (s) => {
            const guard = policyInput(one(s, "aws:iam/policy:Policy", `secure-ai-${s.stack}-sagemaker-vpc-guard`));
            expect(statement(guard, "DenyNotebooksWithDirectInternetAccess").Condition).to.deep.equal({
                StringNotEquals: { "sagemaker:DirectInternetAccess": "Disabled" },
            });
            const privateSubnets = [...subnetsOfTier(s, "training").values(), ...subnetsOfTier(s, "services").values()].map((r) => r.id);
            const subnets = statement(guard, "DenySageMakerOutsideThisStacksPrivateSubnets").Condition?.["ForAnyValue:StringNotEquals"]?.["sagemaker:VpcSubnets"];
            expect(asList(subnets)).to.have.members(privateSubnets);
        },
    },
];

for (const { stack } of stackFiles()) {
    const config = loadConfig(readStackConfig(stack), stack);

    describe(`FSBP controls (${stack} stack, mocked AWS)`, () => {
        for (const control of CONTROLS) {
            it(`${control.id} ${control.title}: ${control.proof}`, async () => {
                const s = await synth(stack);
                expect(s.error?.message).to.equal(undefined);
                control.check(s, config);
            });
        }
    });

    describe(`baseline (${stack} stack, mocked AWS)`, () => {
        it(`has ${config.baseline.manageAccountGuardrails ? "five buckets: training data, model artifacts, audit, access logs and AWS Config's" : "four buckets: training data, model artifacts, audit and access logs"}, each with every setting`, async () => {
            const s = await synth(stack);
            expect(ofType(s, BUCKET).map(purpose).sort()).to.deep.equal(["model-artifacts", "training-data", ...logPurposes(config)].sort());
            for (const bucket of ofType(s, BUCKET)) {
                for (const type of BUCKET_SETTINGS) {
                    settingOf(s, bucket, type);
                }
            }
        });

        it("denies data-plane access to the AI buckets outside the stack's S3 endpoint, keeping the deployer (and, on the training data, GuardDuty's scanner) able to reach them", async () => {
            const s = await synth(stack);
            const endpoint = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs["vpcEndpointType"] === "Gateway");
            const scanner = s.outputs["malwareScanRoleArn"];
            for (const [which, exempt] of [["training-data", [MOCK_DEPLOYER_ROLE_ARN, scanner]], ["model-artifacts", MOCK_DEPLOYER_ROLE_ARN]] as const) {
                const deny = statement(policyInput(settingOf(s, bucketOf(s, which), "aws:s3/bucketPolicy:BucketPolicy")), "DenyDataAccessOutsideTheVpcEndpoint");
                expect(deny.Condition).to.deep.equal({
                    StringNotEquals: { "aws:SourceVpce": endpoint?.id },
                    ArnNotLikeIfExists: { "aws:PrincipalArn": [...[exempt].flat(), `arn:${String(bucketOf(s, which).state["arn"]).split(":")[1]}:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/*`] },
                    BoolIfExists: { "aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false" },
                });
            }
        });

        it("scans every new training-data object with GuardDuty Malware Protection, tagging the result, through its own role", async () => {
            const s = await synth(stack);
            const plans = ofType(s, "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan");
            expect(plans).to.have.length(1);
            const plan = plans[0];
            expect(plan?.inputs["protectedResource"]).to.deep.equal({ s3Bucket: { bucketName: bucketOf(s, "training-data").id } });
            expect(plan?.inputs["actions"]).to.deep.equal([{ taggings: [{ status: "ENABLED" }] }]);
            expect(plan?.inputs["role"]).to.equal(s.outputs["malwareScanRoleArn"]);
            const role = must(ofType(s, "aws:iam/role:Role").find((r) => r.state["arn"] === plan?.inputs["role"]), "scan role");
            expect(JSON.parse(String(role.inputs["assumeRolePolicy"]))).to.deep.include({
                Statement: [{ Sid: "ServicesOfThisAccount", Effect: "Allow", Principal: { Service: ["malware-protection-plan.guardduty.amazonaws.com"] }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } } }],
            });
        });

        it(`keeps ${logPurposes(config).join(", ")} logs from deletion by ${config.baseline.protectData ? "anyone" : "anyone but the deployer (so destroy can empty them)"}`, async () => {
            const s = await synth(stack);
            for (const which of logPurposes(config)) {
                const deny = statement(policyInput(settingOf(s, bucketOf(s, which), "aws:s3/bucketPolicy:BucketPolicy")), "DenyLogDeletion");
                expect(deny.Condition).to.deep.equal(config.baseline.protectData ? undefined : { ArnNotEquals: { "aws:PrincipalArn": MOCK_DEPLOYER_ROLE_ARN } });
            }
        });

        it(`locks audit log objects with S3 Object Lock in COMPLIANCE mode ${auditLogLockDays(config.baseline) === undefined ? "(not on this disposable stack)" : `for ${auditLogLockDays(config.baseline)} days`}, never the access-log bucket or AWS Config's`, async () => {
            const s = await synth(stack);
            const locks = ofType(s, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
            const days = auditLogLockDays(config.baseline);
            expect(locks.map((l) => l.inputs["bucket"])).to.deep.equal(days === undefined ? [] : [bucketOf(s, "audit").id]);
            for (const lock of locks) {
                expect(lock.inputs["objectLockEnabled"]).to.equal("Enabled");
                expect(lock.inputs["rule"]).to.deep.equal({ defaultRetention: { mode: "COMPLIANCE", days } });
                // Kept on destroy like the bucket, and the lifecycle expires nothing Object Lock still holds.
                expect(lock.retainOnDelete).to.equal(config.baseline.protectData);
                expect(days ?? 0).to.be.at.most(config.baseline.logObjectExpirationDays);
            }
        });

        it("creates each log bucket's policy after the settings it reserves to the break-glass role (else the deployer's first up is denied)", async () => {
            const s = await synth(stack);
            for (const which of logPurposes(config)) {
                const policyResource = settingOf(s, bucketOf(s, which), "aws:s3/bucketPolicy:BucketPolicy");
                const reserved = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"]
                    .flatMap((type) => ofType(s, type).filter((r) => r.inputs["bucket"] === bucketOf(s, which).id));
                expect(reserved.length).to.be.at.least(2);
                for (const r of reserved) {
                    expect(policyResource.dependencies, `${which}: ${r.type}`).to.include(r.urn);
                }
            }
        });

        it(
            config.baseline.manageAccountGuardrails
                ? "lets only the AWS Config recorder's role write into its bucket, guarded like the other log buckets, while the audit bucket still refuses every IAM writer"
                : "has no AWS Config bucket (the stack that owns the account guardrails has it)",
            async () => {
                const s = await synth(stack);
                const audit = policyInput(settingOf(s, bucketOf(s, "audit"), "aws:s3/bucketPolicy:BucketPolicy"));
                expect(statement(audit, "DenyLogWritesByIamPrincipals").Condition).to.deep.equal({ Bool: { "aws:PrincipalIsAWSService": "false" } });
                if (!config.baseline.manageAccountGuardrails) {
                    expect(ofType(s, BUCKET).map(purpose)).to.not.include("config");
                    expect(s.outputs["configBucketName"]).to.equal(undefined);
                    return;
                }
                const bucket = bucketOf(s, "config");
                const recorder = must(ofType(s, "aws:cfg/recorder:Recorder")[0], "recorder");
                const doc = policyInput(settingOf(s, bucket, "aws:s3/bucketPolicy:BucketPolicy"));
                expect(doc.map((st) => st.Sid)).to.deep.equal(["DenyInsecureTransport", "DenyLogDeletion", "DenyLogErasingBucketChanges", "DenyWritesButByTheConfigRecorderRole"]);
                expect(doc.every((st) => st.Effect === "Deny")).to.equal(true);
                const writes = statement(doc, "DenyWritesButByTheConfigRecorderRole");
                expect([writes.Action, writes.Resource, writes.Condition]).to.deep.equal([
                    "s3:PutObject",
                    `${String(bucket.state["arn"])}/*`,
                    { ArnNotEquals: { "aws:PrincipalArn": recorder.inputs["roleArn"] } },
                ]);
                // TLS, the deletion deny and the settings guard are the audit bucket's, for this bucket.
                const generic = (st: Statement, b: SynthResource) => JSON.stringify(st).split(String(b.state["arn"])).join("<bucket>");
                for (const sid of ["DenyInsecureTransport", "DenyLogDeletion", "DenyLogErasingBucketChanges"]) {
                    expect(generic(statement(doc, sid), bucket), sid).to.equal(generic(statement(audit, sid), bucketOf(s, "audit")));
                }
                expect(ofType(s, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").map((l) => l.inputs["bucket"])).to.not.include(bucket.id);
                expect(s.outputs["configBucketName"]).to.equal(bucket.state["bucket"]);
            },
        );

        it("records S3 data events for exactly the two AI buckets on the stack's trail, delivered to the audit bucket", async () => {
            const s = await synth(stack);
            const t = trail(s);
            expect(t.inputs["name"]).to.equal(`secure-ai-${stack}`);
            expect(t.inputs["s3BucketName"]).to.equal(bucketOf(s, "audit").id);
            const selectors = list(t.inputs["advancedEventSelectors"]).map(props);
            const data = selectors.map((sel) => list(sel["fieldSelectors"]).map(props)).find((fields) => fields.some((f) => list(f["equals"]).includes("Data")));
            const arns = data?.find((f) => f["field"] === "resources.ARN")?.["startsWiths"];
            expect(arns).to.deep.equal([`${String(bucketOf(s, "training-data").state["arn"])}/`, `${String(bucketOf(s, "model-artifacts").state["arn"])}/`]);
            const management = selectors.some((sel) => list(sel["fieldSelectors"]).map(props).some((f) => list(f["equals"]).includes("Management")));
            expect(management).to.equal(config.baseline.recordManagementEvents);
            // The key and bucket policies name the trail before it exists: the ARN they predict must be its ARN.
            const trailArn = t.state["arn"];
            expect(statement(policyInput(key(s)), "CloudTrailEncryptsThisStacksTrail").Condition?.["StringEquals"]?.["aws:SourceArn"]).to.equal(trailArn);
            const audit = policyInput(settingOf(s, bucketOf(s, "audit"), "aws:s3/bucketPolicy:BucketPolicy"));
            expect(statement(audit, "CloudTrailWrite").Condition?.["StringEquals"]?.["aws:SourceArn"]).to.equal(trailArn);
            // The trail is created only after CloudTrail may write to the bucket.
            expect(t.dependencies).to.include(settingOf(s, bucketOf(s, "audit"), "aws:s3/bucketPolicy:BucketPolicy").urn);
        });

        it("encrypts every log group of the stack with the stack key, under the prefix the key policy admits", async () => {
            const s = await synth(stack);
            const groups = ofType(s, "aws:cloudwatch/logGroup:LogGroup");
            expect(groups.length).to.be.at.least(4);
            for (const g of groups) {
                expect(g.inputs["kmsKeyId"], g.name).to.equal(key(s).state["arn"]);
                // The physical name AWS gets: a fixed name, or namePrefix plus the provider's unique id.
                expect(String(g.state["name"])).to.match(new RegExp(`^/secure-ai/${stack}/`));
            }
            const logs = statement(policyInput(key(s)), "CloudWatchLogsForThisStacksLogGroups");
            expect(logs.Condition?.["ArnLike"]?.["kms:EncryptionContext:aws:logs:arn"]).to.equal(`arn:aws:logs:${config.region}:${MOCK_ACCOUNT_ID}:log-group:/secure-ai/${stack}/*`);
        });

        it("trusts the training and inference roles to their configured service principals of this account only", async () => {
            const s = await synth(stack);
            for (const [role, principals] of [["training", config.baseline.trainingPrincipals], ["inference", config.baseline.inferencePrincipals]] as const) {
                const trust = policyInput(one(s, "aws:iam/role:Role", `secure-ai-${stack}-${role}`), "assumeRolePolicy");
                expect(trust).to.deep.equal([
                    {
                        Sid: "ServicesOfThisAccount",
                        Effect: "Allow",
                        Principal: { Service: [...principals] },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
                    },
                ]);
            }
        });

        it("lets training read data and write models, and inference only read models", async () => {
            const s = await synth(stack);
            const arn = (which: string) => String(bucketOf(s, which).state["arn"]);
            const s3 = (role: string, action: string) =>
                rolePolicy(s, role).filter((st) => actionsOf(st).includes(action)).flatMap((st) => asList(st.Resource));
            expect(s3("training", "s3:GetObject")).to.have.members([`${arn("training-data")}/*`, `${arn("model-artifacts")}/*`]);
            expect(s3("training", "s3:PutObject")).to.deep.equal([`${arn("model-artifacts")}/*`]);
            expect(s3("inference", "s3:GetObject")).to.deep.equal([`${arn("model-artifacts")}/*`]);
            expect(s3("inference", "s3:PutObject")).to.deep.equal([]);
            for (const role of ["training", "inference"]) {
                const all = rolePolicy(s, role).flatMap((st) => asList(st.Resource)).filter((r) => r.startsWith("arn:aws:s3:::"));
                expect(all.some((r) => logPurposes(config).some((p) => r.includes(`-${p}-`))), role).to.equal(false);
            }
        });

        it("admits clients to the load balancer only from the ingress allowlist, on the configured ports", async () => {
            const s = await synth(stack);
            const lists = ofType(s, "aws:ec2/managedPrefixList:ManagedPrefixList");
            expect(lists).to.have.length(1);
            const allowlist = lists[0] as SynthResource;
            expect(list(allowlist.inputs["entries"]).map((e) => props(e)["cidr"])).to.deep.equal([...config.firewall.ingress.allowedCidrs]);
            expect(allowlist.inputs["maxEntries"]).to.equal(config.firewall.ingress.allowedCidrs.length);
            const lb = groupNamed(s, "load-balancer");
            const lbIn = ingressRules(s).filter((r) => r.inputs["securityGroupId"] === lb.id);
            expect(lbIn.map((r) => [r.inputs["fromPort"], r.inputs["toPort"], r.inputs["prefixListId"]])).to.deep.equal(
                config.firewall.ingress.ports.map((p) => [p, p, allowlist.id]),
            );
        });

        it("admits the model servers only from the load balancer, on the serving port (and ICMP 3/4 when they reach the internet through NAT)", async () => {
            const s = await synth(stack);
            const services = groupNamed(s, "services");
            const rules = ingressRules(s).filter((r) => r.inputs["securityGroupId"] === services.id);
            const nat = config.firewall.egress.allowedDomains.length > 0;
            expect(rules.map((r) => JSON.stringify([r.inputs["referencedSecurityGroupId"] ?? r.inputs["cidrIpv4"], r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"]])).sort()).to.deep.equal(
                [
                    [groupNamed(s, "load-balancer").id, "tcp", config.baseline.servingPort, config.baseline.servingPort],
                    ...(nat ? [["0.0.0.0/0", "icmp", PATH_MTU_ICMP.type, PATH_MTU_ICMP.code]] : []),
                ].map((r) => JSON.stringify(r)).sort(),
            );
        });

        const webOut = config.network.trainingEgress === "filtered" && config.firewall.egress.allowedDomains.length > 0;
        it(`lets training talk to itself and reach AWS only through the VPC endpoints${webOut ? ", plus web egress that the firewall filters" : ""}`, async () => {
            const s = await synth(stack);
            const training = groupNamed(s, "training");
            const endpointSg = one(s, SG, "secure-ai-endpoints");
            const s3PrefixList = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs["vpcEndpointType"] === "Gateway")?.state["prefixListId"];
            const peer = (r: SynthResource): string =>
                r.inputs["referencedSecurityGroupId"] === training.id ? "self"
                : r.inputs["referencedSecurityGroupId"] === endpointSg.id ? "endpoints"
                : r.inputs["prefixListId"] === s3PrefixList ? "s3"
                : String(r.inputs["cidrIpv4"]);
            const out = ofType(s, EGRESS).filter((r) => r.inputs["securityGroupId"] === training.id).map((r) => `${peer(r)} ${String(r.inputs["ipProtocol"])} ${String(r.inputs["fromPort"] ?? "")}`);
            expect(out.sort()).to.deep.equal(
                ["self -1 ", "endpoints tcp 443", "s3 tcp 443", ...(webOut ? ["0.0.0.0/0 tcp 443", "0.0.0.0/0 tcp 80"] : [])].sort(),
            );
            const into = ingressRules(s).filter((r) => r.inputs["securityGroupId"] === training.id).map(peer);
            expect(into.sort()).to.deep.equal(["self", ...(webOut ? ["0.0.0.0/0"] : [])].sort());
        });

        it(config.baseline.protectData
            ? "protects and retains the buckets with every setting, the key and every log group"
            : "lets `pulumi destroy` remove buckets (emptied), the key and the log groups", async () => {
            const s = await synth(stack);
            const kept = s.resources.filter(
                (r) => [BUCKET, KEY, "aws:cloudwatch/logGroup:LogGroup", "aws:s3/bucketLogging:BucketLogging", ...BUCKET_SETTINGS].includes(r.type),
            );
            // The buckets (AWS Config's on the guardrail-owning stack) with 6 settings each, all but the access-log
            // bucket logged, the key, 2 baseline, 2 firewall and 1 DNS query log groups.
            const buckets = 2 + logPurposes(config).length;
            expect(kept).to.have.length(buckets + buckets * 6 + (buckets - 1) + 1 + 5);
            for (const r of kept) {
                expect([r.protect, r.retainOnDelete], `${r.type} ${r.name}`).to.deep.equal([config.baseline.protectData, config.baseline.protectData]);
            }
            for (const bucket of ofType(s, BUCKET)) {
                expect(bucket.inputs["forceDestroy"]).to.equal(!config.baseline.protectData);
            }
            expect(key(s).inputs["deletionWindowInDays"]).to.equal(config.baseline.keyDeletionWindowDays);
        });
    });
}

describe("baseline: changing the stack", () => {
    const base = fixture("dev");
    const withBaseline = (change: Record<string, unknown>) => ({
        ...base,
        "secure-ai:baseline": JSON.stringify({ ...JSON.parse(base["secure-ai:baseline"] ?? "{}"), ...change }),
    });

    it("owning the account guardrails adds them, kept on destroy except the EBS default key, which falls back to aws/ebs", async () => {
        const s = await synthWith({ stack: "dev", config: withBaseline({ manageAccountGuardrails: true }) });
        expect(s.error?.message).to.equal(undefined);
        const guardrails = s.resources.filter((r) => r.custom && r.parentType === "secure-ai:baseline:AccountGuardrails");
        expect(guardrails.map((r) => [r.type, r.retainOnDelete]).sort()).to.deep.equal(
            [
                ["aws:ebs/defaultKmsKey:DefaultKmsKey", false],
                ["aws:ebs/encryptionByDefault:EncryptionByDefault", true],
                ["aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", true],
                ["aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", true],
            ].sort(),
        );
        expect(statement(policyInput(key(s)), "EbsDefaultEncryptionThroughEc2").Condition?.["StringEquals"]?.["kms:ViaService"]).to.equal("ec2.us-west-2.amazonaws.com");
    });

    it("a stack name that cannot be part of a bucket name stops the program before any resource is registered", async () => {
        const s = await synthWith({ stack: "Prod_EU", config: base });
        expect(s.error?.message).to.match(/^Invalid stack config \(1 problem\):\n {2}stack: "Prod_EU" cannot be part of S3 bucket and IAM role names/);
        expect(awsResources(s)).to.deep.equal([]);
    });

    it("image repositories grant pull on exactly those repositories to both workload roles", async () => {
        const s = await synthWith({ stack: "dev", config: withBaseline({ imageRepositories: ["ml/trainer"] }) });
        for (const role of ["training", "inference"]) {
            expect(statement(rolePolicy(s, role), "PullWorkloadImages").Resource).to.deep.equal([
                `arn:aws:ecr:us-west-2:${MOCK_ACCOUNT_ID}:repository/ml/trainer`,
            ]);
        }
    });

    it("adding an allowed client range changes only the prefix list's entries and size, in place", async () => {
        const before = await synthFixture("dev");
        const firewall = JSON.parse(base["secure-ai:firewall"] ?? "{}") as Record<string, Record<string, unknown>>;
        const wider = { ...firewall, ingress: { ...firewall["ingress"], allowedCidrs: ["203.0.113.0/24", "192.0.2.0/24"] } };
        const after = await synthWith({ stack: "dev", config: { ...base, "secure-ai:firewall": JSON.stringify(wider) } });
        const pick = (s: Synthesis) => s.resources.filter((r) => r.parentType === "secure-ai:baseline:WorkloadSecurityGroups");
        expect(pick(after).map((r) => r.urn)).to.deep.equal(pick(before).map((r) => r.urn));
        const changed = pick(after).filter((r) => {
            const old = pick(before).find((b) => b.urn === r.urn);
            return JSON.stringify(old?.inputs) !== JSON.stringify(r.inputs);
        });
        expect(changed.map((r) => r.type)).to.deep.equal(["aws:ec2/managedPrefixList:ManagedPrefixList"]);
        const [list0] = changed;
        // addressFamily is create-only for a prefix list; entries and maxEntries update in place.
        expect(list0?.inputs["addressFamily"]).to.equal("IPv4");
        expect(list0?.inputs["maxEntries"]).to.equal(2);
    });
});

describe("docs/security.md", () => {
    it("shows the same FSBP control table the tests prove", () => {
        const readme = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "security.md"), "utf8");
        const rows = [...readme.matchAll(/^\| (\S+\.\d+) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1], (m[2] ?? "").trim(), (m[3] ?? "").trim()]);
        expect(rows).to.deep.equal(CONTROLS.map((c) => [c.id, c.title, c.proof]));
    });
    it("proves every control baseline/controls.ts claims, and no other", () => {
        expect(CONTROLS.map((c) => c.id)).to.deep.equal(FSBP_CONTROLS.map((c) => c.id));
    });
});
