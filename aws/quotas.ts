// The quota model: every count of this stack that an AWS default quota limits, computed from the config with the
// same pure planners the components use. Config loading refuses a config over any of them, naming the key, the
// count and the quota; the tests check that synthesized stacks count exactly what this model predicts.
import type { BaselineConfig } from "../config/baseline";
import type { FirewallConfig } from "../config/firewall";
import type { NetworkConfig } from "../config/network";
import { FINDING_RULES } from "../baseline/findingRules";
import { planDnsFirewall } from "../firewall/dns";
import { MANAGED_DOMAIN_LIST_NAMES } from "../firewall/managedDomainLists";
import { planFirewall } from "../firewall/plan";
import { MAX_EGRESS_DOMAINS, type RuleVariables } from "../firewall/rules";
import { MAX_DENIED_CIDRS } from "../firewall/stateless";
import { WEB_PORTS } from "../network/nacl";
import { planEgress, planSubnets, TIERS, type SubnetPlan, type Tier } from "../network/plan";
import { policySizes, type PolicySize } from "./policySizes";

export type QuotaId =
    | "naclRulesPerDirection"
    | "securityGroupRulesPerDirection"
    | "routesPerTable"
    | "elasticIpsPerRegion"
    | "natGatewaysPerAz"
    | "interfaceEndpointsPerVpc"
    | "firewallsPerRegion"
    | "statefulRuleGroupCapacity"
    | "statelessRuleGroupCapacity"
    | "rulesStringBytes"
    | "expandedRuleLength"
    | "egressDomains"
    | "deniedCidrs"
    | "inlinePolicySizePerRole"
    | "managedPolicySize"
    | "trustPolicySize"
    | "keyPolicySize"
    | "bucketPolicySize"
    | "trailsPerRegion"
    | "gatewayEndpointsPerRegion"
    | "dnsFirewallRulesPerRuleGroup"
    | "dnsFirewallRuleGroupsPerVpc"
    | "dnsFirewallRuleGroupsPerRegion"
    | "dnsFirewallDomainsPerRegion"
    | "queryLogConfigsPerRegion"
    | "queryLogConfigVpcAssociationsPerRegion"
    | "malwareProtectedBucketsPerRegion"
    | "snsSubscriptionsPerTopic"
    | "eventBridgeRulesPerBus";

export interface Quota {
    readonly id: QuotaId;
    /** As AWS names it. */
    readonly name: string;
    readonly awsDefault: number;
    /** AWS raises it on request (Service Quotas). */
    readonly adjustable: boolean;
    /** The highest value AWS grants, where it publishes one. */
    readonly ceiling?: number;
    readonly source: string;
}

const VPC_QUOTAS = "Amazon VPC User Guide, Amazon VPC quotas";
const NFW_QUOTAS = "AWS Network Firewall Developer Guide, AWS Network Firewall quotas";
const IAM_QUOTAS = "IAM User Guide, IAM and AWS STS quotas (white space not counted)";
const DNS_FIREWALL_QUOTAS = "Amazon Route 53 Developer Guide, Quotas, Quotas on Route 53 Resolver DNS Firewall";
const QUERY_LOG_QUOTAS = "Amazon Route 53 Developer Guide, Quotas, Quotas on Route 53 Resolver query logs";

/** AWS's default quotas (and this program's own limit on egress domains), each with its source. */
export const QUOTAS: Readonly<Record<QuotaId, Quota>> = {
    naclRulesPerDirection: { id: "naclRulesPerDirection", name: "Rules per network ACL (per direction)", awsDefault: 20, adjustable: true, ceiling: 40, source: VPC_QUOTAS },
    securityGroupRulesPerDirection: {
        id: "securityGroupRulesPerDirection",
        name: "Inbound or outbound rules per security group",
        awsDefault: 60,
        adjustable: true, ceiling: 1000,
        // A referenced prefix list counts its max entries (Amazon VPC quotas); AWS's S3 list weighs 1 (Amazon VPC
        // User Guide, AWS-managed prefix list weight).
        source: VPC_QUOTAS,
    },
    routesPerTable: { id: "routesPerTable", name: "Routes per route table (non-propagated)", awsDefault: 50, adjustable: true, ceiling: 1000, source: VPC_QUOTAS },
    elasticIpsPerRegion: { id: "elasticIpsPerRegion", name: "Elastic IP addresses per Region", awsDefault: 5, adjustable: true, source: "Amazon EC2 User Guide, Elastic IP address quota" },
    natGatewaysPerAz: { id: "natGatewaysPerAz", name: "NAT gateways per Availability Zone", awsDefault: 5, adjustable: true, source: VPC_QUOTAS },
    interfaceEndpointsPerVpc: { id: "interfaceEndpointsPerVpc", name: "Interface and Gateway Load Balancer endpoints per VPC", awsDefault: 50, adjustable: true, source: VPC_QUOTAS },
    firewallsPerRegion: { id: "firewallsPerRegion", name: "Firewalls per account per Region", awsDefault: 5, adjustable: true, source: NFW_QUOTAS },
    statefulRuleGroupCapacity: { id: "statefulRuleGroupCapacity", name: "Maximum stateful rule group capacity", awsDefault: 30_000, adjustable: false, source: NFW_QUOTAS },
    statelessRuleGroupCapacity: { id: "statelessRuleGroupCapacity", name: "Maximum stateless rule group capacity", awsDefault: 30_000, adjustable: false, source: "AWS Network Firewall Developer Guide, Creating a stateless rule group" },
    rulesStringBytes: { id: "rulesStringBytes", name: "Maximum size of a Suricata-compatible rules string for a rule group, in bytes", awsDefault: 2_000_000, adjustable: false, source: NFW_QUOTAS },
    expandedRuleLength: { id: "expandedRuleLength", name: "Maximum character length of a Suricata rule, each variable value counting", awsDefault: 8_192, adjustable: false, source: NFW_QUOTAS },
    egressDomains: { id: "egressDomains", name: "Egress domains per stack (the stateful group's fixed capacity is sized for it)", awsDefault: MAX_EGRESS_DOMAINS, adjustable: false, source: "this program: firewall/rules.ts" },
    deniedCidrs: { id: "deniedCidrs", name: "Denied ranges per stack (the stateless group's fixed capacity is sized for it)", awsDefault: MAX_DENIED_CIDRS, adjustable: false, source: "this program: firewall/stateless.ts" },
    inlinePolicySizePerRole: { id: "inlinePolicySizePerRole", name: "Role policy size (all inline policies of a role together, characters)", awsDefault: 10_240, adjustable: false, source: IAM_QUOTAS },
    managedPolicySize: { id: "managedPolicySize", name: "Managed policy size (characters)", awsDefault: 6_144, adjustable: false, source: IAM_QUOTAS },
    trustPolicySize: { id: "trustPolicySize", name: "Role trust policy length (characters)", awsDefault: 2_048, adjustable: true, ceiling: 4_096, source: IAM_QUOTAS },
    keyPolicySize: { id: "keyPolicySize", name: "Key policy document size (bytes)", awsDefault: 32_768, adjustable: false, source: "AWS KMS Developer Guide, Key policy document size quota; KMS API Reference, PutKeyPolicy" },
    bucketPolicySize: { id: "bucketPolicySize", name: "Bucket policy size (bytes)", awsDefault: 20_480, adjustable: false, source: "Amazon S3 User Guide, Bucket policies (limited to 20 KB)" },
    trailsPerRegion: { id: "trailsPerRegion", name: "Trails per Region", awsDefault: 5, adjustable: false, source: "AWS CloudTrail User Guide, Quotas in AWS CloudTrail (cannot be increased)" },
    gatewayEndpointsPerRegion: { id: "gatewayEndpointsPerRegion", name: "Gateway VPC endpoints per Region", awsDefault: 20, adjustable: true, source: VPC_QUOTAS },
    dnsFirewallRulesPerRuleGroup: { id: "dnsFirewallRulesPerRuleGroup", name: "Number of rules within a DNS Firewall rule group", awsDefault: 100, adjustable: true, source: DNS_FIREWALL_QUOTAS },
    dnsFirewallRuleGroupsPerVpc: { id: "dnsFirewallRuleGroupsPerVpc", name: "Number of DNS Firewall rule groups associated to a VPC", awsDefault: 5, adjustable: false, source: DNS_FIREWALL_QUOTAS },
    dnsFirewallRuleGroupsPerRegion: { id: "dnsFirewallRuleGroupsPerRegion", name: "Number of DNS Firewall rule groups per account per Region", awsDefault: 1_000, adjustable: true, source: DNS_FIREWALL_QUOTAS },
    dnsFirewallDomainsPerRegion: {
        id: "dnsFirewallDomainsPerRegion",
        name: "Number of domain specifications across all DNS Firewall domain lists per account per Region",
        awsDefault: 100_000,
        adjustable: true,
        source: DNS_FIREWALL_QUOTAS,
    },
    queryLogConfigsPerRegion: { id: "queryLogConfigsPerRegion", name: "Resolver query log configurations per Region", awsDefault: 20, adjustable: false, source: QUERY_LOG_QUOTAS },
    queryLogConfigVpcAssociationsPerRegion: {
        id: "queryLogConfigVpcAssociationsPerRegion",
        name: "Resolver query log configuration VPC associations per Region",
        awsDefault: 100,
        adjustable: false,
        source: QUERY_LOG_QUOTAS,
    },
    malwareProtectedBucketsPerRegion: {
        id: "malwareProtectedBucketsPerRegion",
        name: "Maximum protected buckets (GuardDuty Malware Protection for S3 plans) per Region",
        // The English edition: "Maximum protected buckets | 25 | No | The maximum number of S3 buckets for which you can
        // enable Malware Protection for S3. This quota limit is per account in each Region." (The machine-translated
        // de_de and it_it editions still read 10.)
        awsDefault: 25,
        adjustable: false,
        source: "Amazon GuardDuty User Guide, Quotas in Malware Protection for S3 (English edition: Maximum protected buckets 25, per account in each Region, not adjustable)",
    },
    snsSubscriptionsPerTopic: {
        id: "snsSubscriptionsPerTopic",
        name: "Subscriptions per standard SNS topic",
        // Amazon SNS features page (aws.amazon.com/sns/features, Standard Topics): "Message fanout: Each account can
        // support 100,000 Standard topics and each topic supports up to 12.5M subscriptions." The General Reference's
        // quota table (Amazon Simple Notification Service endpoints and quotas) lists the same quota, but its rows
        // (Adjustable column included) could not be read from here: the searchable copies of that page end before
        // the quota table. `adjustable` is therefore the value this row was first written with (commit cdf39fd),
        // NOT confirmed against AWS's table; check the row there (or in the Service Quotas console) before relying on
        // "have the quota raised". A stack subscribes a handful of addresses, far below 12.5M either way.
        awsDefault: 12_500_000,
        adjustable: true,
        source: "Amazon SNS features, Standard Topics (Message fanout: up to 12.5M subscriptions per topic); AWS General Reference, Amazon Simple Notification Service endpoints and quotas",
    },
    eventBridgeRulesPerBus: {
        id: "eventBridgeRulesPerBus",
        name: "EventBridge rules per event bus (the default bus, where AWS services' events arrive)",
        // 300 in most Regions, 100 in af-south-1 and eu-south-1: the model holds the lowest.
        awsDefault: 100,
        adjustable: true,
        source: "Amazon EventBridge User Guide, Amazon EventBridge quotas (Rules: 100 in af-south-1 and eu-south-1, 300 in every other Region)",
    },
};

/** Quotas an account can have raised, and so a stack can declare (`secure-ai:quotas`). */
export const ADJUSTABLE_QUOTA_IDS = [
    "naclRulesPerDirection",
    "securityGroupRulesPerDirection",
    "routesPerTable",
    "elasticIpsPerRegion",
    "natGatewaysPerAz",
    "interfaceEndpointsPerVpc",
    "trustPolicySize",
    "gatewayEndpointsPerRegion",
] as const satisfies readonly QuotaId[];
export type AdjustableQuotaId = (typeof ADJUSTABLE_QUOTA_IDS)[number];
export type QuotaSettings = Readonly<Record<AdjustableQuotaId, number>>;

export interface QuotaUse {
    readonly quota: QuotaId;
    /** What is counted, e.g. `public NACL inbound`. */
    readonly subject: string;
    readonly used: number;
    /** The config key paths whose values drive the count; absent for a count no config key changes. */
    readonly drivenBy?: readonly string[];
    /** What lowers the count, for the error message; absent when only a raised quota helps. */
    readonly remedy?: string;
}

/** The parts of a stack config the model reads; a part is absent when it did not validate. */
export interface QuotaInputs {
    readonly network?: NetworkConfig;
    readonly firewall?: FirewallConfig;
    readonly baseline?: BaselineConfig;
    readonly region?: string;
    /** The stack name, part of the physical names the policy documents carry. */
    readonly stack: string;
}

const NET = "secure-ai:network";
const FW = "secure-ai:firewall";

/** Every quota-limited count of the stack that can be computed from the parts present. */
export function quotaUsage(inputs: QuotaInputs): QuotaUse[] {
    const uses: QuotaUse[] = [];
    const { network, firewall } = inputs;
    if (firewall !== undefined) {
        uses.push(...firewallSecurityGroupUses(firewall));
        uses.push({
            quota: "egressDomains",
            subject: "egress domain allowlist",
            used: firewall.egress.allowedDomains.length,
            drivenBy: [`${FW}.egress.allowedDomains`],
            remedy: 'group domains under a common ".suffix"',
        });
        uses.push({
            quota: "deniedCidrs",
            subject: "denied ranges",
            used: firewall.deniedCidrs.length,
            drivenBy: [`${FW}.deniedCidrs`],
            remedy: "merge adjacent ranges",
        });
    }
    if (network !== undefined) {
        uses.push({
            quota: "interfaceEndpointsPerVpc",
            subject: "interface endpoints in the VPC",
            used: network.interfaceEndpoints.length,
            drivenBy: [`${NET}.interfaceEndpoints`],
            remedy: "list fewer interface endpoints",
        });
        uses.push({ quota: "firewallsPerRegion", subject: "Network Firewalls of this stack", used: 1 });
        uses.push({ quota: "gatewayEndpointsPerRegion", subject: "gateway endpoints of this stack (S3)", used: 1 });
        uses.push({ quota: "trailsPerRegion", subject: "trails of this stack", used: 1 });
    }
    if (firewall !== undefined && inputs.region !== undefined) {
        uses.push(...dnsFirewallUses(firewall, inputs.region));
    }
    if (inputs.baseline !== undefined) {
        uses.push(...detectionUses(inputs.baseline));
    }
    if (network !== undefined && inputs.baseline !== undefined && inputs.region !== undefined) {
        uses.push(...policySizes({ stack: inputs.stack, region: inputs.region, network, baseline: inputs.baseline }).map(policyUse));
    }
    if (network !== undefined && firewall !== undefined) {
        const subnets = planSubnets(network.cidr, network.availabilityZones, network.subnetPrefixLengths);
        uses.push(...networkUses(network, firewall));
        // Past this limit the domain rules cannot be rendered; the use above reports it. (Denied ranges past theirs
        // render, in the stateless group's fixed capacity.)
        if (firewall.egress.allowedDomains.length <= MAX_EGRESS_DOMAINS) {
            uses.push(...ruleGroupUses(network, subnets, firewall));
        }
    }
    return uses;
}

const BASE = "secure-ai:baseline";
const POLICY_QUOTA: Readonly<Record<PolicySize["kind"], QuotaId>> = {
    inline: "inlinePolicySizePerRole",
    managed: "managedPolicySize",
    trust: "trustPolicySize",
    key: "keyPolicySize",
    bucket: "bucketPolicySize",
};
/** What makes each document grow, and how to shrink it. */
const POLICY_DRIVERS: Readonly<Record<PolicySize["kind"], { drivenBy: string[]; remedy: string }>> = {
    inline: { drivenBy: [`${BASE}.imageRepositories`, `${NET}.availabilityZones`], remedy: "list fewer or shorter image repositories, or use fewer availability zones" },
    managed: { drivenBy: [`${NET}.availabilityZones`], remedy: "use fewer availability zones" },
    trust: { drivenBy: [`${BASE}.trainingPrincipals`, `${BASE}.inferencePrincipals`], remedy: "list fewer service principals" },
    key: { drivenBy: [], remedy: "" },
    bucket: { drivenBy: [], remedy: "" },
};

function policyUse(p: PolicySize): QuotaUse {
    const drivers = POLICY_DRIVERS[p.kind];
    return { quota: POLICY_QUOTA[p.kind], subject: `${p.subject} (at most)`, used: p.size, drivenBy: p.drivenBy ?? drivers.drivenBy, remedy: p.remedy ?? drivers.remedy };
}

function firewallSecurityGroupUses(firewall: FirewallConfig): QuotaUse[] {
    const cidrs = firewall.ingress.allowedCidrs.length;
    const ports = firewall.ingress.ports.length;
    return [
        {
            quota: "securityGroupRulesPerDirection",
            subject: `load balancer security group inbound (${ports} port rule${ports === 1 ? "" : "s"} x the ingress prefix list's ${cidrs} entries)`,
            used: cidrs * ports,
            drivenBy: [`${FW}.ingress.allowedCidrs`, `${FW}.ingress.ports`],
            remedy: "merge adjacent ranges or list fewer ports",
        },
    ];
}

/**
 * NACL rules per tier and direction, as the design lays them out (network/nacl.ts describes each rule): per
 * listener port, per public subnet and per training peer subnet one rule; ephemeral-port returns, ICMP
 * fragmentation-needed where traffic leaves the VPC, and one rule per web port the NAT gateway forwards.
 */
export function naclRuleCounts(d: { azs: number; ingressPorts: number; nat: boolean; trainingFiltered: boolean }): Record<Tier, { ingress: number; egress: number }> {
    const web = WEB_PORTS.length;
    const natWeb = d.nat ? web : 0;
    return {
        // in: listener ports + ephemeral replies + fragmentation needed + NAT egress from the private tiers;
        // out: replies + NAT forwarding (web ports, and fragmentation needed to the private hosts) + to the servers
        public: { ingress: d.ingressPorts + 1 + 1 + natWeb, egress: 1 + natWeb + (d.nat ? 1 : 0) + 1 },
        firewall: { ingress: 1, egress: 1 },
        // load balancer per public subnet + endpoints + ephemeral replies (+ fragmentation needed with NAT)
        services: { ingress: d.azs + 1 + 1 + (d.nat ? 1 : 0), egress: 1 + web },
        // peers per training subnet + ephemeral replies (+ fragmentation needed when it leaves the VPC)
        training: { ingress: d.azs + 1 + (d.nat && d.trainingFiltered ? 1 : 0), egress: d.azs + (d.trainingFiltered ? web : 1) },
    };
}

function networkUses(network: NetworkConfig, firewall: FirewallConfig): QuotaUse[] {
    const uses: QuotaUse[] = [];
    const azs = network.availabilityZones;
    const domains = firewall.egress.allowedDomains.length > 0;
    const egress = planEgress(azs, network.natGateways, domains);
    const nat = egress.natAzs.length > 0;
    const trainingWeb = nat && network.trainingEgress === "filtered";

    // Security groups other than the load balancer's (baseline/securityGroups.ts, network endpoints group).
    const endpointsAndS3 = 2;
    uses.push(
        { quota: "securityGroupRulesPerDirection", subject: "services security group outbound", used: endpointsAndS3 + (domains ? WEB_PORTS.length : 0), drivenBy: [`${FW}.egress.allowedDomains`] },
        { quota: "securityGroupRulesPerDirection", subject: "training security group outbound", used: 1 + endpointsAndS3 + (trainingWeb ? WEB_PORTS.length : 0), drivenBy: [`${NET}.trainingEgress`] },
    );

    // Counted from the design, not by calling the NACL planner: the tests hold this count to the NACLs the
    // program synthesizes, so a planner change that adds rules shows up as a disagreement.
    const nacls = naclRuleCounts({
        azs: azs.length,
        ingressPorts: new Set(firewall.ingress.ports).size,
        nat,
        trainingFiltered: network.trainingEgress === "filtered",
    });
    const driver: Readonly<Record<Tier, readonly string[]>> = {
        public: [`${FW}.ingress.ports`],
        firewall: [],
        services: [`${NET}.availabilityZones`],
        training: [`${NET}.availabilityZones`],
    };
    for (const tier of TIERS) {
        for (const direction of ["ingress", "egress"] as const) {
            uses.push({
                quota: "naclRulesPerDirection",
                subject: `${tier} NACL ${direction === "ingress" ? "inbound" : "outbound"}`,
                used: nacls[tier][direction],
                drivenBy: driver[tier],
                remedy: tier === "public" ? "list fewer ingress ports" : "use fewer availability zones",
            });
        }
    }

    // Routes (the local route excluded): the S3 gateway endpoint adds one to each private table.
    uses.push(
        { quota: "routesPerTable", subject: "IGW edge route table", used: azs.length, drivenBy: [`${NET}.availabilityZones`], remedy: "use fewer availability zones" },
        { quota: "routesPerTable", subject: "services route tables", used: 1 + (nat ? 1 : 0) },
        { quota: "routesPerTable", subject: "training route tables", used: 1 + (trainingWeb ? 1 : 0) },
    );

    uses.push({
        quota: "elasticIpsPerRegion",
        subject: `Elastic IPs of this stack's NAT gateways (natGateways: ${network.natGateways})`,
        used: egress.natAzs.length,
        drivenBy: [`${NET}.availabilityZones`, `${NET}.natGateways`],
        remedy: 'set natGateways: single (non-production), use fewer availability zones, or allow no egress domains',
    });
    uses.push({ quota: "natGatewaysPerAz", subject: "NAT gateways per availability zone", used: nat ? 1 : 0 });
    return uses;
}

function ruleGroupUses(network: NetworkConfig, subnets: SubnetPlan, firewall: FirewallConfig): QuotaUse[] {
    const plan = planFirewall({ vpcCidr: network.cidr, publicCidrs: Object.values(subnets.subnets).map((t) => t.public), firewall });
    const domains = [`${FW}.egress.allowedDomains`];
    const longest = Math.max(...plan.stateful.rules.map((r) => expandedLength(r.text, plan.stateful.variables)));
    return [
        { quota: "statefulRuleGroupCapacity", subject: "stateful rule group capacity", used: plan.stateful.capacity, drivenBy: domains, remedy: "allow fewer egress domains" },
        { quota: "statelessRuleGroupCapacity", subject: "stateless rule group capacity", used: plan.stateless.capacity, drivenBy: [`${FW}.deniedCidrs`], remedy: "list fewer denied ranges" },
        { quota: "rulesStringBytes", subject: "stateful rules string", used: Buffer.byteLength(plan.stateful.rulesString), drivenBy: domains, remedy: "allow fewer egress domains" },
        { quota: "expandedRuleLength", subject: "longest stateful rule with its variables expanded", used: longest, drivenBy: [`${FW}.ingress.allowedCidrs`], remedy: "merge adjacent ingress ranges" },
    ];
}

/**
 * What the DNS Firewall (firewall/dns.ts) and its query logging create for one stack. The planner names AWS's managed
 * lists by id; how many rules there are does not depend on the ids, so the model plans with the names standing in.
 */
function dnsFirewallUses(firewall: FirewallConfig, region: string): QuotaUse[] {
    const plan = planDnsFirewall({
        region,
        egressAllowedDomains: firewall.egress.allowedDomains,
        dns: firewall.dns,
        managedDomainListIds: new Map(MANAGED_DOMAIN_LIST_NAMES.map((name) => [name, name])),
    });
    const domains = plan.domainLists.reduce((n, list) => n + list.domains.length, 0);
    return [
        {
            quota: "dnsFirewallRulesPerRuleGroup",
            subject: "DNS Firewall rule group rules",
            used: plan.rules.length,
            drivenBy: [`${FW}.dns.managedDomainLists`, `${FW}.dns.threatConfidence`, `${FW}.egress.allowedDomains`],
            remedy: "block fewer managed lists",
        },
        { quota: "dnsFirewallRuleGroupsPerVpc", subject: "DNS Firewall rule groups associated with the VPC", used: 1 },
        { quota: "dnsFirewallRuleGroupsPerRegion", subject: "DNS Firewall rule groups of this stack", used: 1 },
        {
            quota: "dnsFirewallDomainsPerRegion",
            subject: "DNS Firewall domain specifications of this stack (a .suffix entry counts twice: the name and *.name)",
            used: domains,
            drivenBy: [`${FW}.egress.allowedDomains`],
            remedy: "allow fewer egress domains",
        },
        { quota: "queryLogConfigsPerRegion", subject: "Resolver query log configurations of this stack", used: 1 },
        { quota: "queryLogConfigVpcAssociationsPerRegion", subject: "Resolver query log VPC associations of this stack", used: 1 },
    ];
}

const BASELINE = "secure-ai:baseline";

/** The malware-scan gate (every stack) and the finding alerts (the stack that owns the account guardrails). */
function detectionUses(baseline: BaselineConfig): QuotaUse[] {
    const uses: QuotaUse[] = [{ quota: "malwareProtectedBucketsPerRegion", subject: "protected buckets of this stack (the training data)", used: 1 }];
    if (baseline.manageAccountGuardrails) {
        uses.push(
            { quota: "snsSubscriptionsPerTopic", subject: "finding alert topic subscriptions", used: baseline.alertEmails.length, drivenBy: [`${BASELINE}.alertEmails`], remedy: "list fewer addresses" },
            { quota: "eventBridgeRulesPerBus", subject: "finding rules on the default event bus", used: FINDING_RULES.length },
        );
    }
    return uses;
}

/** A rule's length once every `$VAR` is replaced by its values, as AWS counts it. */
export function expandedLength(rule: string, variables: RuleVariables): number {
    const values: Record<string, string> = {};
    for (const [name, list] of Object.entries(variables.ipSets)) {
        values[name] = `[${list.join(",")}]`;
    }
    for (const [name, list] of Object.entries(variables.portSets)) {
        values[name] = `[${list.join(",")}]`;
    }
    // AWS defines EXTERNAL_NET as the negation of HOME_NET.
    values["EXTERNAL_NET"] = `!${values["HOME_NET"] ?? "any"}`;
    return rule.replace(/\$([A-Z_][A-Z0-9_]*)/g, (whole, name: string) => values[name] ?? whole).length;
}

/** The limit that applies to a quota for this stack: the declared (raised) value or AWS's default. */
export function limitOf(quota: QuotaId, settings: QuotaSettings): number {
    return (ADJUSTABLE_QUOTA_IDS as readonly string[]).includes(quota) ? settings[quota as AdjustableQuotaId] : QUOTAS[quota].awsDefault;
}

/** Per quota, its largest use: what the report shows and what synthesized stacks are measured against. */
export function largestUses(inputs: QuotaInputs): Map<QuotaId, QuotaUse> {
    const largest = new Map<QuotaId, QuotaUse>();
    for (const use of quotaUsage(inputs)) {
        const current = largest.get(use.quota);
        if (current === undefined || use.used > current.used) {
            largest.set(use.quota, use);
        }
    }
    return largest;
}

export interface QuotaProblem {
    readonly path: string;
    readonly message: string;
}

/** One problem per count over its limit, at the first key that drives it, saying how to get under it. */
export function quotaProblems(inputs: QuotaInputs, settings: QuotaSettings): QuotaProblem[] {
    return quotaUsage(inputs)
        .filter((use) => use.used > limitOf(use.quota, settings))
        .map((use) => {
            const quota = QUOTAS[use.quota];
            const limit = limitOf(use.quota, settings);
            const declarable = (ADJUSTABLE_QUOTA_IDS as readonly string[]).includes(use.quota);
            const raise = !quota.adjustable
                ? "this quota cannot be raised"
                : declarable
                  ? `or have the quota raised in Service Quotas and declare it as secure-ai:quotas.${use.quota}`
                  : "or have the quota raised in Service Quotas";
            const fix = [use.remedy ?? "", raise].filter((s) => s !== "").join(", ");
            return {
                path: use.drivenBy?.[0] ?? "secure-ai:quotas",
                message: `${use.subject} needs ${use.used}, over the quota "${quota.name}" of ${limit} (${quota.source}; ${fix})`,
            };
        });
}

/** One stack's part in the regional sums: its region, its quota settings and its quota inputs. */
export interface RegionalStack {
    readonly stack: string;
    readonly region: string;
    readonly settings: QuotaSettings;
    readonly inputs: QuotaInputs;
}

export interface RegionalUse {
    readonly region: string;
    readonly quota: QuotaId;
    readonly used: number;
    /** The lowest limit any of the stacks declares (they share the account's one quota). */
    readonly limit: number;
    readonly stacks: readonly string[];
}

/** Quotas per Region that every stack of a region draws from: summed over the stacks that share the region. */
export const REGIONAL_QUOTA_IDS = [
    "trailsPerRegion",
    "gatewayEndpointsPerRegion",
    "firewallsPerRegion",
    "elasticIpsPerRegion",
    "dnsFirewallRuleGroupsPerRegion",
    "dnsFirewallDomainsPerRegion",
    "queryLogConfigsPerRegion",
    "queryLogConfigVpcAssociationsPerRegion",
    "malwareProtectedBucketsPerRegion",
    "eventBridgeRulesPerBus",
] as const satisfies readonly QuotaId[];

/**
 * The regional sums over a set of stacks (e.g. every stack file of the repo, which a team deploys into one account).
 * Each stack counts what it alone creates; stacks in other accounts share nothing, so this is an upper bound.
 */
export function regionalUsage(stacks: readonly RegionalStack[]): RegionalUse[] {
    const out: RegionalUse[] = [];
    for (const region of [...new Set(stacks.map((s) => s.region))].sort()) {
        const here = stacks.filter((s) => s.region === region);
        for (const quota of REGIONAL_QUOTA_IDS) {
            const used = here.reduce((sum, s) => sum + quotaUsage(s.inputs).filter((u) => u.quota === quota).reduce((a, u) => a + u.used, 0), 0);
            out.push({ region, quota, used, limit: Math.min(...here.map((s) => limitOf(quota, s.settings))), stacks: here.map((s) => s.stack) });
        }
    }
    return out;
}
