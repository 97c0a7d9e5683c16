// secure-ai: load config -> providers -> components -> stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { loadConfig, readRawConfig } from "./config/load";
import { makeProviders } from "./config/providers";
import { Baseline } from "./baseline/baseline";
import { Firewall } from "./firewall/firewall";
import { Network } from "./network/network";
import { lookupAccount } from "./policy/account";

// Throws one pulumi.RunError listing every config problem before any resource is registered.
const project = pulumi.getProject();
const stack = pulumi.getStack();
const config = loadConfig(readRawConfig(), stack);
const providers = makeProviders(config, project, stack);
const account = lookupAccount(providers.aws, config.region);
const opts = { providers: [providers.aws, providers.awsNative] };

const network = new Network(
    project,
    {
        namePrefix: `${project}-${stack}`,
        region: config.region,
        network: config.network,
        publicPorts: config.firewall.ingress.ports,
        servingPort: config.baseline.servingPort,
        account,
    },
    opts,
);

// Tiers whose route leads through the firewall to allowlisted domains get web egress in their security groups.
const domainsAllowed = config.firewall.egress.allowedDomains.length > 0;
const baseline = new Baseline(
    project,
    {
        project,
        stack,
        baseline: config.baseline,
        account,
        network: {
            vpcId: network.vpcId,
            s3EndpointId: network.s3EndpointId,
            s3PrefixListId: network.s3PrefixListId,
            endpointSecurityGroupId: network.endpointSecurityGroupId,
            trainingSubnetIds: Object.values(network.subnetIds.training),
            servicesSubnetIds: Object.values(network.subnetIds.services),
        },
        ingressCidrs: config.firewall.ingress.allowedCidrs,
        ingressPorts: config.firewall.ingress.ports,
        webToInternet: { services: domainsAllowed, training: domainsAllowed && config.network.trainingEgress === "filtered" },
    },
    opts,
);

const firewall = new Firewall(
    project,
    {
        namePrefix: `${project}-${stack}`,
        firewall: config.firewall,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        availabilityZones: network.availabilityZones,
        subnetIds: network.subnetIds,
        subnetCidrs: network.subnetCidrs,
        routeTableIds: network.routeTableIds,
        internetGatewayId: network.internetGatewayId,
        logKeyArn: baseline.keyArn,
        logGroupNamePrefix: baseline.logGroupNamePrefix,
        protectLogs: config.baseline.protectData,
    },
    opts,
);

export const region = config.region;
export const vpcId = network.vpcId;
export const vpcCidr = network.vpcCidr;
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.subnetIds.public;
export const firewallSubnetIds = network.subnetIds.firewall;
export const servicesSubnetIds = network.subnetIds.services;
export const trainingSubnetIds = network.subnetIds.training;
export const subnetCidrs = network.subnetCidrs;
export const routeTableIds = network.routeTableIds;
export const natGatewayIds = network.natGatewayIds;
export const internetGatewayId = network.internetGatewayId;
export const s3EndpointId = network.s3EndpointId;
export const interfaceEndpointIds = network.interfaceEndpointIds;

export const firewallArn = firewall.firewallArn;
export const firewallPolicyArn = firewall.policyArn;
export const statefulRuleGroupArn = firewall.statefulRuleGroupArn;
export const statelessRuleGroupArn = firewall.statelessRuleGroupArn;
export const firewallEndpointIdsByAz = firewall.endpointIdsByAz;

export const kmsKeyArn = baseline.keyArn;
export const trainingDataBucketName = baseline.trainingDataBucket.bucketName;
export const trainingDataBucketArn = baseline.trainingDataBucket.arn;
export const modelArtifactsBucketName = baseline.modelArtifactsBucket.bucketName;
export const modelArtifactsBucketArn = baseline.modelArtifactsBucket.arn;
export const auditBucketName = baseline.auditBucket.bucketName;
export const auditBucketArn = baseline.auditBucket.arn;
export const accessLogBucketName = baseline.accessLogBucket.bucketName;
export const accessLogBucketArn = baseline.accessLogBucket.arn;
export const trailArn = baseline.trailArn;
export const trailLogGroupName = baseline.trailLogGroupName;
export const flowLogGroupName = baseline.flowLogGroupName;
export const trainingRoleArn = baseline.trainingRoleArn;
export const inferenceRoleArn = baseline.inferenceRoleArn;
export const sageMakerVpcGuardPolicyArn = baseline.sageMakerVpcGuardPolicyArn;
export const loadBalancerSecurityGroupId = baseline.securityGroups.loadBalancerId;
export const servicesSecurityGroupId = baseline.securityGroups.servicesId;
export const trainingSecurityGroupId = baseline.securityGroups.trainingId;
export const ingressPrefixListId = baseline.securityGroups.ingressPrefixListId;
