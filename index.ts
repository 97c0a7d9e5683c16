// secure-ai: load config -> providers -> components -> stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { changeProblems, objectLockProblems, readDeployedState } from "./config/deployed";
import { checkConfig, ConfigError, readRawConfig, zoneProblems } from "./config/load";
import { availabilityZoneNames, makeProviders } from "./config/providers";
import { Baseline } from "./baseline/baseline";
import { DnsFirewall } from "./firewall/dnsFirewall";
import { Firewall } from "./firewall/firewall";
import { Network } from "./network/network";
import { planEgress } from "./network/plan";
import { AccessScopes } from "./verify/accessScopes";
import { lookupAccount } from "./policy/account";
import { deployedLogGroups } from "./baseline/logGroupNames";
import { alertSubscribeCommand } from "./baseline/detection";
import { lookupFirewallDomainLists } from "./firewall/managedDomainListLookup";
import { managedListIds, managedListProblems } from "./firewall/managedDomainLists";

// Pulumi runs the exported function and takes the object it returns as the stack outputs.
export = async () => {
    // One pulumi.RunError listing every config problem, before any AWS resource is registered: first what the YAML
    // alone shows, then what needs the account (its zones) and the stack's last deployment (its AZs and protection).
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const check = checkConfig(readRawConfig(), stack);
    if (check.providerSettings === undefined) {
        throw new ConfigError(check.problems);
    }
    const providers = makeProviders(check.providerSettings, project, stack);
    // The last deployment matters only to a config that is otherwise valid; the zones are checked for every config.
    // AWS's managed DNS Firewall lists are named by ids that differ per region: looked up when the config asks for any.
    const wantsManagedLists = (check.config?.firewall.dns.managedDomainLists.length ?? 0) > 0;
    const [zones, deployed, domainLists] = await Promise.all([
        availabilityZoneNames(providers.aws),
        check.config === undefined ? undefined : readDeployedState(project, stack),
        wantsManagedLists ? lookupFirewallDomainLists(check.providerSettings.region, check.providerSettings.profile) : { lists: [], problems: [] },
    ]);
    const managedDomainListIds = managedListIds(domainLists.lists);
    const problems = [
        ...check.problems,
        ...zoneProblems(check.requestedAzs, zones, check.providerSettings.region),
        ...(check.config === undefined ? [] : changeProblems(deployed, check.config)),
        ...(check.config === undefined ? [] : objectLockProblems(deployed, check.config)),
        ...domainLists.problems,
        ...(check.config === undefined || domainLists.problems.length > 0
            ? []
            : managedListProblems(check.config.firewall.dns.managedDomainLists, managedDomainListIds, check.providerSettings.region)),
    ];
    if (problems.length > 0 || check.config === undefined) {
        throw new ConfigError(problems);
    }
    const config = check.config;
    // Log groups keep their deployed names; a stack that is not deployed (new, or destroyed with its log groups
    // retained) names new ones that cannot collide with those left in the account.
    const logGroups = deployed?.logGroups ?? deployedLogGroups(false, undefined);
    const account = lookupAccount(providers.aws, config.region);
    // Tiers whose route leads through the firewall to allowlisted domains get NAT gateways and web egress.
    const domainsAllowed = config.firewall.egress.allowedDomains.length > 0;
    const opts = { providers: [providers.aws, providers.awsNative] };

    const network = new Network(
        project,
        {
            namePrefix: `${project}-${stack}`,
            region: config.region,
            network: config.network,
            publicPorts: config.firewall.ingress.ports,
            servingPort: config.baseline.servingPort,
            egressAllowed: domainsAllowed,
            account,
        },
        opts,
    );

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
                flowLogFormat: network.flowLogFormat,
                encryptionControl: network.encryptionControl,
            },
            ingressCidrs: config.firewall.ingress.allowedCidrs,
            ingressPorts: config.firewall.ingress.ports,
            webToInternet: { services: domainsAllowed, training: domainsAllowed && config.network.trainingEgress === "filtered" },
            logGroups,
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
            logGroups,
        },
        opts,
    );

    // The isolation claims as Network Access Analyzer scopes (`npm run verify` analyses them after each up).
    const scopes = new AccessScopes(
        project,
        {
            namePrefix: `${project}-${stack}`,
            trainingEgress: config.network.trainingEgress,
            ingressPorts: config.firewall.ingress.ports,
            servingPort: config.baseline.servingPort,
            egressAzOf: planEgress(config.network.availabilityZones, config.network.natGateways, domainsAllowed).natFor,
            internetGatewayId: network.internetGatewayId,
            firewallArn: firewall.firewallArn,
            firewallEndpointIdsByAz: firewall.endpointIdsByAz,
            servicesSubnetIds: network.subnetIds.services,
            trainingSubnetIds: network.subnetIds.training,
        },
        opts,
    );

    const dnsFirewall = new DnsFirewall(
        `${project}-dns`,
        {
            namePrefix: `${project}-${stack}`,
            region: config.region,
            egressAllowedDomains: config.firewall.egress.allowedDomains,
            dns: config.firewall.dns,
            managedDomainListIds,
            vpcId: network.vpcId,
            logKeyArn: baseline.keyArn,
            logGroupNamePrefix: baseline.logGroupNamePrefix,
            logGroups,
            logRetentionDays: config.firewall.logRetentionDays,
            protectLogs: config.baseline.protectData,
            mutationProtection: config.firewall.protections.deletion,
        },
        opts,
    );

    return {
        region: config.region,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        availabilityZones: network.availabilityZones,
        firewallProtections: config.firewall.protections,
        publicSubnetIds: network.subnetIds.public,
        firewallSubnetIds: network.subnetIds.firewall,
        servicesSubnetIds: network.subnetIds.services,
        trainingSubnetIds: network.subnetIds.training,
        subnetCidrs: network.subnetCidrs,
        routeTableIds: network.routeTableIds,
        natGatewayIds: network.natGatewayIds,
        internetGatewayId: network.internetGatewayId,
        s3EndpointId: network.s3EndpointId,
        interfaceEndpointIds: network.interfaceEndpointIds,

        firewallArn: firewall.firewallArn,
        firewallPolicyArn: firewall.policyArn,
        statefulRuleGroupArn: firewall.statefulRuleGroupArn,
        statelessRuleGroupArn: firewall.statelessRuleGroupArn,
        firewallEndpointIdsByAz: firewall.endpointIdsByAz,
        // VPC encryption controls (opt-in, monitor mode): on this stack's VPC only.
        ...(network.encryptionControlId === undefined ? {} : { vpcEncryptionControlId: network.encryptionControlId }),
        dnsFirewallRuleGroupId: dnsFirewall.ruleGroupId,
        dnsQueryLogGroupName: dnsFirewall.queryLogGroupName,

        kmsKeyArn: baseline.keyArn,
        trainingDataBucketName: baseline.trainingDataBucket.bucketName,
        trainingDataBucketArn: baseline.trainingDataBucket.arn,
        modelArtifactsBucketName: baseline.modelArtifactsBucket.bucketName,
        modelArtifactsBucketArn: baseline.modelArtifactsBucket.arn,
        auditBucketName: baseline.auditBucket.bucketName,
        auditBucketArn: baseline.auditBucket.arn,
        accessLogBucketName: baseline.accessLogBucket.bucketName,
        accessLogBucketArn: baseline.accessLogBucket.arn,
        // AWS Config's delivery bucket: on the stack that owns the account guardrails only.
        ...(baseline.configBucket === undefined ? {} : { configBucketName: baseline.configBucket.bucketName, configBucketArn: baseline.configBucket.arn }),
        trailArn: baseline.trailArn,
        ...(baseline.breakGlassRoleArn === undefined ? {} : { breakGlassRoleArn: baseline.breakGlassRoleArn }),
        // Read back by `npm run plan -- <stack> --destroy --outputs` (what a destroy keeps follows the deployment).
        protectData: config.baseline.protectData,
        // Read back by the next run (config/deployed.ts): a deployed Object Lock cannot be removed.
        ...(config.baseline.auditLogLockDays === undefined ? {} : { auditLogLockDays: config.baseline.auditLogLockDays }),
        trailLogGroupName: baseline.trailLogGroupName,
        flowLogGroupName: baseline.flowLogGroupName,
        logGroupNames: {
            cloudtrail: baseline.trailLogGroupName,
            "vpc-flow-logs": baseline.flowLogGroupName,
            "network-firewall/alert": firewall.alertLogGroupName,
            "network-firewall/flow": firewall.flowLogGroupName,
            "dns-queries": dnsFirewall.queryLogGroupName,
        },
        trainingRoleArn: baseline.trainingRoleArn,
        malwareScanRoleArn: baseline.malwareScanRoleArn,
        malwareProtectionPlanArn: baseline.malwareProtectionPlanArn,
        findingAlertTopicArn: baseline.alertTopicArn,
        findingAlertSubscribeCommand: baseline.alertTopicArn?.apply((arn) => alertSubscribeCommand(arn, config.region)),
        inferenceRoleArn: baseline.inferenceRoleArn,
        sageMakerVpcGuardPolicyArn: baseline.sageMakerVpcGuardPolicyArn,
        loadBalancerSecurityGroupId: baseline.securityGroups.loadBalancerId,
        servicesSecurityGroupId: baseline.securityGroups.servicesId,
        trainingSecurityGroupId: baseline.securityGroups.trainingId,
        ingressPrefixListId: baseline.securityGroups.ingressPrefixListId,
        accessScopeIds: scopes.scopeIds,
        servingPort: config.baseline.servingPort,
        ingressPorts: config.firewall.ingress.ports,
    };
};
