// Pure identity policies for the AI workloads: the training and inference roles' inline policies and the
// SageMaker VPC guard. Every Allow names exact actions; `Resource: "*"` appears only where AWS offers no
// resource-level permission, with the action named beside it.
import type { AccountScope } from "../policy/account";
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
    const statements: Statement[] = [
        { Sid: "ListTheBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: allBuckets },
        {
            Sid: "ReadObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: objects(allBuckets),
        },
    ];
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

/** SageMaker create actions that carry `sagemaker:VpcSubnets`, with the ARN pattern of what each creates. */
const VPC_PLACED = {
    "sagemaker:CreateTrainingJob": "training-job/*",
    "sagemaker:CreateHyperParameterTuningJob": "hyper-parameter-tuning-job/*",
    "sagemaker:CreateProcessingJob": "processing-job/*",
    // Endpoints run models: a model without VPC config cannot be created, so no endpoint can serve outside it.
    "sagemaker:CreateModel": "model/*",
    "sagemaker:CreateNotebookInstance": "notebook-instance/*",
} as const;
type VpcPlacedAction = keyof typeof VPC_PLACED;
const VPC_PLACED_ACTIONS = Object.keys(VPC_PLACED) as VpcPlacedAction[];

/** Create actions whose compute volumes take `sagemaker:VolumeKmsKey`. */
const VOLUME_ENCRYPTED: readonly VpcPlacedAction[] = [
    "sagemaker:CreateTrainingJob",
    "sagemaker:CreateHyperParameterTuningJob",
    "sagemaker:CreateProcessingJob",
    "sagemaker:CreateNotebookInstance",
];

/**
 * Managed guard policy for the humans and CI roles that launch SageMaker work: training, tuning and processing
 * jobs, models (and so endpoints) and notebooks must run in this stack's private subnets, on encrypted volumes,
 * and notebooks without direct internet access. Denies only; attach it beside the roles' existing grants.
 */
export function sageMakerVpcGuardPolicy(scope: AccountScope, privateSubnetIds: readonly string[]): PolicyDocument {
    const actions = VPC_PLACED_ACTIONS;
    const resources = (names: readonly VpcPlacedAction[]) => names.map((action) => arn(scope, "sagemaker", VPC_PLACED[action]));
    return policy(
        {
            Sid: "DenySageMakerOutsideAVpc",
            Effect: "Deny",
            Action: [...actions],
            Resource: resources(actions),
            Condition: { Null: { "sagemaker:VpcSubnets": "true" } },
        },
        {
            Sid: "DenySageMakerOutsideThisStacksPrivateSubnets",
            Effect: "Deny",
            Action: [...actions],
            Resource: resources(actions),
            Condition: { "ForAnyValue:StringNotEquals": { "sagemaker:VpcSubnets": [...privateSubnetIds] } },
        },
        {
            Sid: "DenyUnencryptedSageMakerVolumes",
            Effect: "Deny",
            Action: [...VOLUME_ENCRYPTED],
            Resource: resources(VOLUME_ENCRYPTED),
            Condition: { Null: { "sagemaker:VolumeKmsKey": "true" } },
        },
        {
            Sid: "DenyNotebooksWithDirectInternetAccess",
            Effect: "Deny",
            Action: "sagemaker:CreateNotebookInstance",
            Resource: resources(["sagemaker:CreateNotebookInstance"]),
            // Absent means the service default, Enabled: only an explicit "Disabled" passes.
            Condition: { StringNotEquals: { "sagemaker:DirectInternetAccess": "Disabled" } },
        },
    );
}
