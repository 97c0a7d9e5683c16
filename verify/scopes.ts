// Network Access Analyzer scopes: the stack's isolation claims as AWS's automated reasoning reads them. A scope's
// findings are the paths that match one of its MatchPaths and none of its ExcludePaths; every scope here is a
// must-not claim, so any finding is a violation. Pure: plain ids in, the CloudFormation-shaped request out.
//
// Sources (Amazon VPC, Network Access Analyzer Guide): "Network Access Scopes" (MatchPaths/ExcludePaths),
// "Resource statements" (internet gateways and subnets: source and destination only, by id; network firewalls,
// NAT gateways and VPC endpoints: through, by id or ARN; load balancers by ARN or by resource type, through only),
// "Packet header statements" (Protocols tcp|udp, ports as strings; omitted fields match everything), "How Network
// Access Analyzer works" (findings start or end at internet gateways, network interfaces, VPC endpoints, peering,
// transit gateway attachments and virtual private gateways). API shapes: EC2 API Reference AccessScopePathRequest,
// PathStatementRequest, ThroughResourcesStatementRequest, ResourceStatementRequest, PacketHeaderStatementRequest,
// the same as @aws-sdk/client-ec2 3.1169.0 and the registry schema of AWS::EC2::NetworkInsightsAccessScope.
import type {
    AccessScopePathRequest,
    PacketHeaderStatementRequest,
    ResourceStatementRequest,
} from "@aws-sdk/client-ec2";

/** Resource types a resource statement names for traffic that leaves the VPC (Resource statements page). */
export const OFF_VPC_TYPES = [
    "AWS::EC2::InternetGateway",
    "AWS::EC2::TransitGatewayAttachment",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::VPNGateway",
] as const;
/** Application and Network Load Balancers as a through resource, by type (Resource statements page). */
export const LOAD_BALANCER_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer";

/** What the scopes are planned from: the same facts the network and firewall are built from. */
export interface ScopeFacts {
    readonly trainingEgress: "none" | "filtered";
    /** Load balancer listener ports (firewall.ingress.ports) and the model servers' port (baseline.servingPort). */
    readonly ingressPorts: readonly number[];
    readonly servingPort: number;
    readonly internetGatewayId: string;
    readonly firewallArn: string;
    readonly firewallEndpointIdsByAz: Readonly<Record<string, string>>;
    readonly servicesSubnetIds: Readonly<Record<string, string>>;
    readonly trainingSubnetIds: Readonly<Record<string, string>>;
    /** AZ -> the AZ of the NAT gateway its private subnets leave through (network/plan.ts planEgress natFor). */
    readonly egressAzOf: Readonly<Record<string, string>>;
}

export type ScopeName = "internet-to-private-tiers" | "training-off-the-vpc" | "training-around-the-firewall" | "private-egress-around-own-firewall-endpoint";

export interface PlannedScope {
    readonly name: ScopeName;
    /** The claim in the README's words: what a finding would disprove. */
    readonly claim: string;
    readonly matchPaths: AccessScopePathRequest[];
    readonly excludePaths: AccessScopePathRequest[];
}

/** The scope names a stack deploys: known from config alone, so every scope is a resource at preview. */
export function scopeNames(trainingEgress: "none" | "filtered"): ScopeName[] {
    return [
        "internet-to-private-tiers",
        trainingEgress === "none" ? "training-off-the-vpc" : "training-around-the-firewall",
        "private-egress-around-own-firewall-endpoint",
    ];
}

const ids = (statementIds: readonly string[]): ResourceStatementRequest => ({ Resources: [...statementIds] });
const types = (list: readonly string[]): ResourceStatementRequest => ({ ResourceTypes: [...list] });
const tcpTo = (ports: readonly number[]): PacketHeaderStatementRequest => ({ Protocols: ["tcp"], DestinationPorts: ports.map(String) });

function sortedValues(byAz: Readonly<Record<string, string>>): string[] {
    return Object.keys(byAz).sort().map((az) => byAz[az] ?? "");
}

function endpointFor(f: ScopeFacts, az: string): string {
    const egressAz = f.egressAzOf[az] ?? az;
    const endpoint = f.firewallEndpointIdsByAz[egressAz];
    if (endpoint === undefined) {
        throw new Error(`no firewall endpoint in ${egressAz} (endpoints in: ${Object.keys(f.firewallEndpointIdsByAz).sort().join(", ")})`);
    }
    return endpoint;
}

/**
 * What a path through the firewall proves: that the packet is routed through it, not what its rules do. Network
 * Access Analyzer Guide, "How Network Access Analyzer works", Unsupported network configurations, Network firewalls:
 * "Network Access Analyzer does not analyze network firewall rules". The rules are proven offline, in the Suricata
 * engine (test/firewall.suricata.test.ts).
 */
export const RULES_NOT_ANALYSED = "routing only, firewall rules not analysed";

export function planScopes(f: ScopeFacts): PlannedScope[] {
    const services = sortedValues(f.servicesSubnetIds);
    const training = sortedValues(f.trainingSubnetIds);
    const igw = ids([f.internetGatewayId]);
    const azs = Object.keys(f.servicesSubnetIds).sort();
    const byName: Record<ScopeName, () => PlannedScope> = {
        "internet-to-private-tiers": () => ({
            name: "internet-to-private-tiers",
            claim: `nothing from the internet reaches the services or training subnets but TCP to the load balancer ports (${f.ingressPorts.join(", ")}) routed through the firewall and a load balancer, to the serving port (${f.servingPort}) in services (${RULES_NOT_ANALYSED})`,
            matchPaths: [{ Source: { ResourceStatement: igw }, Destination: { ResourceStatement: ids([...services, ...training]) } }],
            excludePaths: [
                {
                    Source: { ResourceStatement: igw, PacketHeaderStatement: tcpTo(f.ingressPorts) },
                    ThroughResources: [{ ResourceStatement: ids([f.firewallArn]) }, { ResourceStatement: types([LOAD_BALANCER_TYPE]) }],
                    Destination: { ResourceStatement: ids(services), PacketHeaderStatement: tcpTo([f.servingPort]) },
                },
            ],
        }),
        "training-off-the-vpc": () => ({
            name: "training-off-the-vpc",
            claim: "trainingEgress none: no path from the training subnets leaves the VPC (internet gateway, peering, transit gateway, VPN)",
            matchPaths: [{ Source: { ResourceStatement: ids(training) }, Destination: { ResourceStatement: types(OFF_VPC_TYPES) } }],
            excludePaths: [],
        }),
        "training-around-the-firewall": () => ({
            name: "training-around-the-firewall",
            claim: `trainingEgress filtered: the training subnets leave the VPC only on paths routed through the firewall to the internet gateway, never by peering, transit gateway or VPN (${RULES_NOT_ANALYSED})`,
            matchPaths: [{ Source: { ResourceStatement: ids(training) }, Destination: { ResourceStatement: types(OFF_VPC_TYPES) } }],
            excludePaths: [
                {
                    Source: { ResourceStatement: ids(training) },
                    ThroughResources: [{ ResourceStatement: ids([f.firewallArn]) }],
                    Destination: { ResourceStatement: igw },
                },
            ],
        }),
        "private-egress-around-own-firewall-endpoint": () => ({
            name: "private-egress-around-own-firewall-endpoint",
            claim: `every path from a services or training subnet to the internet gateway is routed through the firewall endpoint of the AZ its NAT gateway is in, its own AZ with natGateways perAz (${RULES_NOT_ANALYSED})`,
            matchPaths: [{ Source: { ResourceStatement: ids([...services, ...training]) }, Destination: { ResourceStatement: igw } }],
            excludePaths: azs.map((az) => ({
                Source: { ResourceStatement: ids([f.servicesSubnetIds[az] ?? "", f.trainingSubnetIds[az] ?? ""].filter((s) => s !== "")) },
                ThroughResources: [{ ResourceStatement: ids([endpointFor(f, az)]) }],
                Destination: { ResourceStatement: igw },
            })),
        }),
    };
    return scopeNames(f.trainingEgress).map((name) => byName[name]());
}

