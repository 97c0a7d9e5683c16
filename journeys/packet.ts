// Walks a packet flow through every layer the synthesized stack has, both directions, the way the VPC forwards it:
// the source's security group, the subnet's network ACL (stateless: rule order, replies, ICMP), its route table
// (longest prefix, prefix lists, the local route), the NAT gateway's translation, the Network Firewall endpoint
// (stateless rule group, then the stateful engine) and the internet gateway with its edge route table, then the
// destination subnet's network ACL and the destination's security group. Every hop names the resource that let the
// packet on or stopped it. Sources: Amazon VPC User Guide ("Network ACLs", "Security groups", "Route priority",
// "NAT gateways", "Gateway route tables"), AWS Network Firewall Developer Guide ("Stateless and stateful rules
// engines", "Strict evaluation order").
import type { FirewallFlow, FirewallVerdict } from "./firewall";
import type { NaclEntryFact, NaclFact, RouteFact, RouteTableFact, SecurityGroupFact, SgRuleFact, StackFacts, SubnetFact } from "./facts";
import { cidrContains, prefixLength } from "./net";

/** Where a packet starts or ends: a network interface in a subnet, a service behind a prefix list, or the internet. */
export interface Host {
    readonly label: string;
    readonly ip: string;
    /** Undefined: on the internet. */
    readonly subnetId?: string;
    readonly securityGroupId?: string;
    /** The AWS-managed prefix list the address belongs to (S3 through the gateway endpoint). */
    readonly prefixList?: string;
}

export interface PacketFlow {
    readonly client: Host;
    readonly server: Host;
    readonly protocol: "tcp" | "udp";
    readonly port: number;
    /** What the client sends that names its destination (the firewall reads it). */
    readonly tlsSni?: string;
    readonly httpHost?: string;
}

/** An ICMP error from a router on the internet about a flow a private host opened through the NAT gateway. */
export interface IcmpError {
    readonly about: PacketFlow;
    readonly router: string;
    readonly type: number;
    readonly code: number;
}

export interface Hop {
    readonly layer: string;
    /** Logical name of the deciding resource (and rule, where one decided). */
    readonly resource: string;
    readonly allowed: boolean;
}

export interface PacketResult {
    readonly delivered: boolean;
    readonly hops: readonly Hop[];
    /** The hop that stopped the packet, or the last hop on success. */
    readonly decidedBy: string;
}

interface Packet {
    src: string;
    srcPort: number;
    dst: string;
    dstPort: number;
    readonly protocol: "tcp" | "udp" | "icmp";
    readonly icmp?: { readonly type: number; readonly code: number };
    /** The firewall flow this packet belongs to and its direction. */
    readonly flowKey: string;
    readonly toServer: boolean;
}

const PROTOCOL_NUMBER: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17 };

class Stop extends Error {
    constructor(readonly hop: Hop) {
        super(hop.resource);
    }
}

/** Flows that crossed the firewall during a walk, for a judge to decide in one batch. */
export type FirewallLookup = (flow: FirewallFlow) => FirewallVerdict;

export class PacketWalker {
    private hops: Hop[] = [];
    /** The client's source port (the NAT gateway maps replies back to it). */
    private clientPort = 40001;

    constructor(
        private readonly facts: StackFacts,
        private readonly firewall: FirewallLookup,
    ) {}

    /** A TCP or UDP flow: the client's packet to the server, then the server's reply. */
    flow(f: PacketFlow, key: string, clientPort = 40001): PacketResult {
        this.hops = [];
        this.clientPort = clientPort;
        try {
            const forward: Packet = { src: f.client.ip, srcPort: clientPort, dst: f.server.ip, dstPort: f.port, protocol: f.protocol, flowKey: key, toServer: true };
            this.securityGroup(f.client, "egress", forward, f.server);
            const translated = this.travel(forward, f.client, f, key);
            this.securityGroup(f.server, "ingress", translated, f.client);
            // The reply: security groups are stateful (no check); everything else sees it as a new packet.
            const reply: Packet = { src: f.server.ip, srcPort: f.port, dst: translated.src, dstPort: translated.srcPort, protocol: f.protocol, flowKey: key, toServer: false };
            this.travel(reply, f.server, f, key);
            return this.result(true);
        } catch (e) {
            if (e instanceof Stop) {
                this.hops.push(e.hop);
                return this.result(false);
            }
            throw e;
        }
    }

    /** An ICMP error from an internet router to the NAT gateway that carried the flow, forwarded to the host. */
    icmpError(e: IcmpError, key: string): PacketResult {
        this.hops = [];
        try {
            const nat = this.natFor(e.about.client);
            const router: Host = { label: "internet router", ip: e.router };
            const packet: Packet = { src: e.router, srcPort: 0, dst: nat.ip, dstPort: 0, protocol: "icmp", icmp: { type: e.type, code: e.code }, flowKey: key, toServer: true };
            const arrived = this.travel(packet, router, e.about, key, e.about.client);
            // At the host's network interface its security group decides. Connection tracking does not admit the
            // error: AWS has path MTU discovery take an inbound ICMP 3/4 rule of its own (Amazon EC2 User Guide,
            // "Security group rules for different use cases", Path MTU Discovery).
            this.securityGroup(e.about.client, "ingress", arrived, router);
            return this.result(true);
        } catch (err) {
            if (err instanceof Stop) {
                this.hops.push(err.hop);
                return this.result(false);
            }
            throw err;
        }
    }

    private result(delivered: boolean): PacketResult {
        const last = this.hops[this.hops.length - 1];
        return { delivered, hops: [...this.hops], decidedBy: last === undefined ? "" : `${last.layer} ${last.resource}` };
    }

    private pass(layer: string, resource: string): void {
        this.hops.push({ layer, resource, allowed: true });
    }

    private stop(layer: string, resource: string): never {
        throw new Stop({ layer, resource, allowed: false });
    }

    private subnet(id: string): SubnetFact {
        const s = this.facts.subnets.find((x) => x.id === id);
        if (s === undefined) {
            throw new Error(`no subnet ${id}`);
        }
        return s;
    }

    private subnetOf(ip: string): SubnetFact | undefined {
        return this.facts.subnets.find((s) => cidrContains(s.cidr, ip));
    }

    private natFor(client: Host): { ip: string; subnet: SubnetFact; name: string } {
        const table = this.tableOf(this.subnet(client.subnetId ?? ""));
        const route = table.routes.find((r) => r.target.kind === "nat");
        const nat = route === undefined || route.target.kind !== "nat" ? undefined : this.facts.natGateways.find((n) => route.target.kind === "nat" && n.id === route.target.id);
        if (nat === undefined) {
            this.stop("route table", `${table.name}: no route to a NAT gateway`);
        }
        const subnet = this.subnet(nat.subnetId);
        return { ip: natAddress(subnet), subnet, name: nat.name };
    }

    private tableOf(subnet: SubnetFact): RouteTableFact {
        const t = this.facts.routeTables.find((x) => x.subnetIds.includes(subnet.id));
        if (t === undefined) {
            throw new Error(`${subnet.name} has no route table`);
        }
        return t;
    }

    private naclOf(subnet: SubnetFact): NaclFact {
        const n = this.facts.nacls.find((x) => x.subnetIds.includes(subnet.id));
        if (n === undefined) {
            throw new Error(`${subnet.name} has no network ACL`);
        }
        return n;
    }

    /** NACL rules in rule-number order; the first that matches decides; none: the implicit deny (rule *). */
    private nacl(subnet: SubnetFact, direction: "ingress" | "egress", p: Packet): void {
        const acl = this.naclOf(subnet);
        const peer = direction === "ingress" ? p.src : p.dst;
        const entries = [...acl[direction]].sort((a, b) => a.ruleNo - b.ruleNo);
        const hit = entries.find((e) => naclMatches(e, peer, p));
        const where = `${acl.name} ${direction}`;
        if (hit === undefined) {
            this.stop("network ACL", `${where} rule * (no rule matches ${describe(p)})`);
        }
        if (hit.action === "deny") {
            this.stop("network ACL", `${where} rule ${hit.ruleNo} (deny)`);
        }
        this.pass("network ACL", `${where} rule ${hit.ruleNo}`);
    }

    private securityGroup(host: Host, direction: "ingress" | "egress", p: Packet, peer: Host): void {
        if (host.securityGroupId === undefined) {
            return;
        }
        const group = this.facts.securityGroups.find((g) => g.id === host.securityGroupId);
        if (group === undefined) {
            throw new Error(`no security group ${host.securityGroupId}`);
        }
        const rule = group[direction].find((r) => sgMatches(r, p, peer, this.facts));
        if (rule === undefined) {
            this.stop("security group", `${group.name} ${direction} (no rule admits ${describe(p)})`);
        }
        this.pass("security group", `${group.name} ${direction} ${rule.name}`);
    }

    /** Longest prefix wins; a prefix-list route counts as more specific than the default route. */
    private route(table: RouteTableFact, p: Packet, to: Host | undefined): RouteFact | undefined {
        let best: RouteFact | undefined;
        let bestLength = -1;
        for (const r of table.routes) {
            const length = "cidr" in r.destination
                ? cidrContains(r.destination.cidr, p.dst) ? prefixLength(r.destination.cidr) : -1
                : to?.prefixList !== undefined && to.prefixList === r.destination.prefixList ? 24 : -1;
            if (length > bestLength) {
                best = r;
                bestLength = length;
            }
        }
        return best;
    }

    /**
     * Moves a packet from the host that sent it to the host it is for, across subnets, the NAT gateway, the firewall
     * and the internet gateway. Returns the packet as it arrives (its source rewritten by NAT on the way out).
     */
    private travel(start: Packet, from: Host, flow: PacketFlow, key: string, icmpTarget?: Host): Packet {
        const p: Packet = { ...start };
        let at: SubnetFact | undefined = from.subnetId === undefined ? undefined : this.subnet(from.subnetId);
        let to: Host | undefined = p.toServer ? flow.server : flow.client;
        for (let guard = 0; guard < 12; guard++) {
            if (at === undefined) {
                const dest = this.subnetOf(p.dst);
                if (dest === undefined) {
                    return p;
                }
                // A packet from a service behind a prefix list (S3) enters through the gateway endpoint when the
                // destination subnet's route table routes that prefix list to it: the VPC User Guide ("Gateway
                // endpoints", "Routing") has a gateway endpoint serve the subnets whose route tables carry its
                // prefix-list route, both ways. Without that route S3 is reached (and answers) over the internet.
                const viaEndpoint = from.prefixList === undefined ? undefined : this.gatewayEndpointFor(dest, from.prefixList);
                if (viaEndpoint !== undefined) {
                    this.pass("gateway endpoint", viaEndpoint);
                } else {
                    // From the internet: the IGW takes it, its edge route table decides where it goes in the VPC.
                    this.pass("internet gateway", this.facts.internetGateway.name);
                    const edge = this.facts.routeTables.find((t) => t.gatewayIds.includes(this.facts.internetGateway.id));
                    const r = edge === undefined ? undefined : this.route(edge, p, to);
                    if (edge !== undefined && r !== undefined && r.target.kind === "vpc-endpoint") {
                        this.pass("route table", `${edge.name} ${r.name}`);
                        at = this.throughFirewall(r.target.id, p, flow, key);
                        continue;
                    }
                }
                this.nacl(dest, "ingress", p);
                const next = this.arrive(p, dest, flow, key, icmpTarget);
                if (next === undefined) {
                    return p;
                }
                at = dest;
                to = next;
                continue;
            }
            this.nacl(at, "egress", p);
            const table = this.tableOf(at);
            const r = this.route(table, p, to);
            if (r === undefined) {
                this.stop("route table", `${table.name} (no route to ${p.dst})`);
            }
            this.pass("route table", `${table.name} ${r.name}`);
            if (r.target.kind === "local") {
                const dest = this.subnetOf(p.dst);
                if (dest === undefined) {
                    this.stop("route table", `${table.name} local (no subnet holds ${p.dst})`);
                }
                this.nacl(dest, "ingress", p);
                const next = this.arrive(p, dest, flow, key, icmpTarget);
                if (next === undefined) {
                    return p;
                }
                at = dest;
                to = next;
                continue;
            }
            if (r.target.kind === "nat") {
                const target = r.target;
                const nat = this.facts.natGateways.find((n) => n.id === target.id);
                if (nat === undefined) {
                    this.stop("route table", `${table.name} ${r.name} (NAT gateway ${target.id} is not in the stack)`);
                }
                const natSubnet = this.subnet(nat.subnetId);
                this.nacl(natSubnet, "ingress", p);
                this.pass("NAT gateway", `${nat.name} (source ${p.src} -> ${natAddress(natSubnet)})`);
                p.src = natAddress(natSubnet);
                at = natSubnet;
                continue;
            }
            if (r.target.kind === "internet-gateway") {
                this.pass("internet gateway", this.facts.internetGateway.name);
                at = undefined;
                if (this.subnetOf(p.dst) === undefined) {
                    return p;
                }
                continue;
            }
            // A VPC endpoint: the firewall's in some AZ, or the S3 gateway endpoint.
            const endpoint = this.facts.endpoints.find((e) => e.id === (r.target.kind === "vpc-endpoint" ? r.target.id : ""));
            if (endpoint !== undefined) {
                this.pass("gateway endpoint", endpoint.name);
                return p;
            }
            at = this.throughFirewall(r.target.kind === "vpc-endpoint" ? r.target.id : "", p, flow, key);
        }
        throw new Error(`routing loop for ${describe(p)}`);
    }

    /** The gateway endpoint the subnet's route table sends a prefix list to, by name with its route; undefined: none. */
    private gatewayEndpointFor(subnet: SubnetFact, prefixList: string): string | undefined {
        const table = this.tableOf(subnet);
        for (const r of table.routes) {
            const target = r.target;
            if ("prefixList" in r.destination && r.destination.prefixList === prefixList && target.kind === "vpc-endpoint") {
                const endpoint = this.facts.endpoints.find((e) => e.type === "Gateway" && e.id === target.id);
                if (endpoint !== undefined) {
                    return `${endpoint.name} (into ${subnet.name}: ${table.name} ${r.name})`;
                }
            }
        }
        return undefined;
    }

    /** Arrival in a subnet: the destination itself, or the NAT gateway that forwards replies (and ICMP errors) on. */
    private arrive(p: Packet, subnet: SubnetFact, flow: PacketFlow, key: string, icmpTarget?: Host): Host | undefined {
        const natHere = this.facts.natGateways.find((n) => n.subnetId === subnet.id && natAddress(subnet) === p.dst);
        if (natHere === undefined) {
            return undefined;
        }
        // The NAT gateway maps the reply (or the ICMP error quoting the flow) back to the private host.
        const original = icmpTarget ?? flow.client;
        this.pass("NAT gateway", `${natHere.name} (destination ${p.dst} -> ${original.ip})`);
        p.dst = original.ip;
        p.dstPort = p.protocol === "icmp" ? 0 : this.clientPort;
        void key;
        return original;
    }

    private throughFirewall(endpointId: string, p: Packet, flow: PacketFlow, key: string): SubnetFact {
        const az = Object.entries(this.facts.firewall.endpointsByAz).find(([, id]) => id === endpointId)?.[0];
        const subnet = this.facts.subnets.find((s) => s.tier === "firewall" && s.az === az);
        if (az === undefined || subnet === undefined) {
            this.stop("route table", `target ${endpointId} is not a firewall endpoint of the stack`);
        }
        this.nacl(subnet, "ingress", p);
        const fw = this.facts.firewall;
        // Stateless engine: rules by priority, then the policy's stateless default action.
        const rule = [...fw.stateless.rules]
            .sort((a, b) => a.priority - b.priority)
            .find((r) =>
                (r.sources.length === 0 || r.sources.some((c) => cidrContains(c, p.src))) &&
                (r.destinations.length === 0 || r.destinations.some((c) => cidrContains(c, p.dst))) &&
                (r.protocols.length === 0 || r.protocols.includes(PROTOCOL_NUMBER[p.protocol] ?? -1)),
            );
        const actions = rule?.actions ?? fw.policy.statelessDefaultActions;
        const by = rule === undefined ? `${fw.policy.name} stateless default` : `${fw.stateless.name} priority ${rule.priority}`;
        if (actions.includes("aws:drop")) {
            this.stop("firewall (stateless)", `${by} (aws:drop)`);
        }
        if (actions.includes("aws:forward_to_sfe")) {
            const clientSide = p.toServer ? { ip: p.src, port: p.srcPort } : { ip: p.dst, port: p.dstPort };
            const serverSide = p.toServer ? { ip: p.dst, port: p.dstPort } : { ip: p.src, port: p.srcPort };
            const verdict = this.firewall({
                key,
                protocol: p.protocol,
                client: clientSide.ip,
                clientPort: clientSide.port,
                server: serverSide.ip,
                serverPort: serverSide.port,
                ...(flow.tlsSni === undefined ? {} : { tlsSni: flow.tlsSni }),
                ...(flow.httpHost === undefined ? {} : { httpHost: flow.httpHost }),
                ...(p.icmp === undefined ? {} : { icmp: p.icmp }),
            });
            if (!verdict.pass) {
                this.stop("firewall (stateful)", verdict.by);
            }
            this.pass("firewall (stateful)", verdict.by);
        } else {
            this.pass("firewall (stateless)", `${by} (${actions.join(", ")})`);
        }
        return subnet;
    }
}

/** The NAT gateway's private address in its public subnet (AWS assigns one; the evaluator fixes the tenth). */
export function natAddress(subnet: SubnetFact): string {
    return hostAddress(subnet.cidr, 10);
}

function hostAddress(cidr: string, n: number): string {
    const [base] = cidr.split("/");
    const parts = (base ?? "").split(".").map(Number);
    const value = (((parts[0] ?? 0) << 24) >>> 0) + ((parts[1] ?? 0) << 16) + ((parts[2] ?? 0) << 8) + (parts[3] ?? 0) + n;
    return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

function describe(p: Packet): string {
    return p.protocol === "icmp" ? `ICMP ${p.icmp?.type}/${p.icmp?.code} ${p.src} -> ${p.dst}` : `${p.protocol} ${p.src}:${p.srcPort} -> ${p.dst}:${p.dstPort}`;
}

function protocolOf(entry: string): string {
    return ({ "6": "tcp", "17": "udp", "1": "icmp", all: "-1" } as Record<string, string>)[entry] ?? entry;
}

function naclMatches(e: NaclEntryFact, peer: string, p: Packet): boolean {
    const protocol = protocolOf(e.protocol);
    if (protocol !== "-1" && protocol !== p.protocol) {
        return false;
    }
    if (!cidrContains(e.cidr, peer)) {
        return false;
    }
    if (protocol === "icmp") {
        const typeOk = e.icmpType === undefined || e.icmpType === -1 || e.icmpType === p.icmp?.type;
        const codeOk = e.icmpCode === undefined || e.icmpCode === -1 || e.icmpCode === p.icmp?.code;
        return typeOk && codeOk;
    }
    // The port range is the packet's destination port, in both directions.
    return protocol === "-1" || (p.dstPort >= e.fromPort && p.dstPort <= e.toPort);
}

function sgMatches(r: SgRuleFact, p: Packet, peer: Host, facts: StackFacts): boolean {
    const protocol = protocolOf(r.protocol);
    if (protocol !== "-1" && protocol !== p.protocol) {
        return false;
    }
    if (protocol !== "-1" && protocol !== "icmp" && (p.dstPort < r.fromPort || p.dstPort > r.toPort)) {
        return false;
    }
    // An ICMP rule's from/to "ports" are the ICMP type and code, -1 for any (EC2 API, IpPermission FromPort/ToPort).
    if (protocol === "icmp" && ((r.fromPort !== -1 && r.fromPort !== p.icmp?.type) || (r.toPort !== -1 && r.toPort !== p.icmp?.code))) {
        return false;
    }
    const peerIp = peer.ip;
    if ("cidr" in r.peer) {
        return cidrContains(r.peer.cidr, peerIp);
    }
    if ("prefixList" in r.peer) {
        if (peer.prefixList === r.peer.prefixList) {
            return true;
        }
        // A customer-managed prefix list of the stack (the ingress allowlist) is read from its entries.
        return (facts.prefixLists[r.peer.prefixList] ?? []).some((c) => cidrContains(c, peerIp));
    }
    return peer.securityGroupId === r.peer.securityGroupId;
}

export type { SecurityGroupFact };
