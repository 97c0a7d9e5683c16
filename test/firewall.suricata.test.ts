// The deployed firewall in the real Suricata 7 engine, for every stack file, a fixture stack that lists denied ranges,
// and the largest allowlists the config accepts: the rules string, rule variables and stateful default actions are
// read from the synthesized RuleGroup and FirewallPolicy (what Pulumi sends to AWS), the stateless rules replayed as
// their own stage before them. Syntax first, then verdicts on crafted traffic per flow and direction, with the
// policy's default action emulated as AWS documents it. Install Suricata with `sudo bash scripts/install-suricata.sh`.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { parseDomain } from "../config/domains";
import { loadConfig, type RawConfig, type StackConfig } from "../config/load";
import { planFirewall } from "../firewall/plan";
import { addressOutside, hostIn } from "../journeys/net";
import { blockDnsToOtherResolvers, DNS_PORTS, MAX_EGRESS_DOMAINS } from "../firewall/rules";
import { planSubnets } from "../network/plan";
import { readStackConfig, stackFiles, type Synthesis } from "../offline/synth";
import { deployedFirewall, statelessAsSuricata, type DeployedFirewall } from "./deployedFirewall";
import { dnsQuery, fragmentationNeeded, httpRequest, httpResponse, icmpPacket, tcpSession, tlsClientHello, tlsServerHello, udpPacket, type Endpoint } from "./pcap";
import { checkSyntax, replay, replayStages, suricataVersion, type Flow, type FlowVerdict } from "./suricata";
import { fixture, stringInput, subnetsOfTier, synth, synthFixture, synthWith } from "./support";

/** A public address standing in for the internet servers egress flows reach. */
const SERVER_IP = "151.101.0.223";
/** A router on the internet path, which sends ICMP errors. */
const ROUTER_IP = "4.2.2.2";
/** The MSS of an internet path (1500-byte MTU): a client sends nothing larger, whatever its own MTU. */
const INTERNET_MSS = 1460;

interface Case {
    readonly flow: Flow;
    readonly expect: "pass" | "drop";
    /** For an allowed egress flow: the allowlist entry its one log alert must name. */
    readonly logs?: string;
    /** For a dropped flow: the intent whose rule must be the one that drops it. */
    readonly droppedBy?: { readonly intent: string; readonly sids: readonly number[] };
}

/** The planner's stateful rules with their intents (the synthesized rules string carries no intent names). */
function statefulPlanFor(config: StackConfig) {
    const subnets = planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths);
    const publicCidrs = Object.values(subnets.subnets).map((t) => t.public);
    return planFirewall({ vpcCidr: config.network.cidr, publicCidrs, firewall: config.firewall }).stateful;
}

/** The public subnets' CIDRs as synthesized, in AZ order: where the NAT gateways and the load balancer live. */
function publicCidrsOf(s: Synthesis): string[] {
    return [...subnetsOfTier(s, "public").entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, subnet]) => stringInput(subnet, "cidrBlock"));
}

/** Every flow the stack's rules must decide, with the decision. */
function casesFor(config: StackConfig, publicCidrs: readonly string[]): Case[] {
    // Egress is seen by the firewall from the NAT gateway's address in a public subnet.
    const natIp = hostIn(publicCidrs[0] ?? "", 10);
    const loadBalancerIp = hostIn(publicCidrs[publicCidrs.length - 1] ?? "", 20);
    let nextPort = 20000;
    const endpoint = (ip: string): Endpoint => ({ ip, port: nextPort++ });
    const tls = (sni: string, variant: "plain" | "pq-sni-first" | "pq-sni-last" = "plain"): Flow => {
        const client = endpoint(natIp);
        const server = { ip: SERVER_IP, port: 443 };
        const hello = tlsClientHello(sni, { postQuantum: variant !== "plain", sniLast: variant === "pq-sni-last" });
        const label = variant === "plain" ? "TLS" : `post-quantum TLS (${hello.length}-byte ClientHello in two segments, SNI in the ${variant === "pq-sni-first" ? "first" : "second"})`;
        return { name: `${label} to ${sni}`, client, server, packets: tcpSession(client, server, [{ from: "client", data: hello, mss: INTERNET_MSS }, { from: "server", data: tlsServerHello() }]) };
    };
    const http = (hostName: string, split = false): Flow => {
        const client = endpoint(natIp);
        const server = { ip: SERVER_IP, port: 80 };
        const steps = [{ from: "client" as const, data: httpRequest(hostName), ...(split ? { mss: 24 } : {}) }, { from: "server" as const, data: httpResponse() }];
        return { name: `HTTP${split ? " (request in 24-byte segments)" : ""} to ${hostName}`, client, server, packets: tcpSession(client, server, steps) };
    };
    const ingress = (source: string, port: number): Flow => {
        const client = endpoint(source);
        const server = { ip: loadBalancerIp, port };
        return { name: `TCP from ${source} to the load balancer on ${port}`, client, server, packets: tcpSession(client, server, [{ from: "client", data: tlsClientHello("model.internal", { postQuantum: true }), mss: INTERNET_MSS }, { from: "server", data: tlsServerHello() }]) };
    };

    const cases: Case[] = [];
    for (const entry of config.firewall.egress.allowedDomains) {
        const d = parseDomain(entry);
        cases.push(
            { flow: tls(d.name), expect: "pass", logs: entry },
            { flow: tls(d.name, "pq-sni-first"), expect: "pass", logs: entry },
            { flow: tls(d.name, "pq-sni-last"), expect: "pass", logs: entry },
            { flow: http(d.name), expect: "pass", logs: entry },
            { flow: http(d.name, true), expect: "pass", logs: entry },
            { flow: tls(`sub.${d.name}`), expect: d.includeSubdomains ? "pass" : "drop", ...(d.includeSubdomains ? { logs: entry } : {}) },
            { flow: tls(d.name.toUpperCase()), expect: "pass", logs: entry },
            { flow: tls(`not${d.name}`, "pq-sni-last"), expect: "drop" },
            { flow: http(`not${d.name}`), expect: "drop" },
            { flow: tls(`${d.name}.evil.com`, "pq-sni-first"), expect: "drop" },
            { flow: http(`${d.name}.evil.com`, true), expect: "drop" },
        );
    }
    cases.push(
        { flow: tls("evil.example.net"), expect: "drop" },
        { flow: tls("evil.example.net", "pq-sni-last"), expect: "drop" },
        { flow: http("evil.example.net"), expect: "drop" },
    );
    if (config.firewall.egress.allowedDomains.length === 0) {
        cases.push({ flow: tls("pypi.org", "pq-sni-first"), expect: "drop" });
    }
    for (const cidr of config.firewall.ingress.allowedCidrs) {
        for (const port of config.firewall.ingress.ports) {
            cases.push({ flow: ingress(hostIn(cidr, 7), port), expect: "pass" });
        }
    }
    const first = config.firewall.ingress.allowedCidrs[0] ?? "";
    cases.push({ flow: ingress(hostIn(first, 7), 22), expect: "drop" });
    const outsider = addressOutside(config.firewall.ingress.allowedCidrs);
    cases.push({ flow: ingress(outsider, config.firewall.ingress.ports[0] ?? 443), expect: "drop" });

    const quicClient = endpoint(natIp);
    cases.push({ flow: { name: "QUIC (UDP/443) outbound", client: quicClient, server: { ip: SERVER_IP, port: 443 }, packets: [udpPacket(quicClient, { ip: SERVER_IP, port: 443 }, [0xc0, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8])] }, expect: "drop" });
    const sshClient = endpoint(natIp);
    const sshServer = { ip: SERVER_IP, port: 22 };
    cases.push({ flow: { name: "SSH outbound", client: sshClient, server: sshServer, packets: tcpSession(sshClient, sshServer, [{ from: "client", data: [...Buffer.from("SSH-2.0-OpenSSH_9.6\r\n")] }, { from: "server", data: [...Buffer.from("SSH-2.0-OpenSSH_9.6\r\n")] }]) }, expect: "drop" });
    // Handshake-only inbound TCP (no payload, so no application-layer default can drop it): only the stateful
    // deny of unsolicited inbound TCP stops it.
    const unservedPort = [8443, 8444, 9443, 10443].find((p) => !config.firewall.ingress.ports.includes(p)) ?? 1;
    const handshake = (source: string, target: string, port: number, name: string): Flow => {
        const client = endpoint(source);
        const server = { ip: target, port };
        return { name, client, server, packets: tcpSession(client, server, []) };
    };
    cases.push(
        { flow: handshake(outsider, loadBalancerIp, config.firewall.ingress.ports[0] ?? 443, `handshake-only TCP from ${outsider} (not allowlisted) to the load balancer`), expect: "drop" },
        { flow: handshake(outsider, natIp, 22, `handshake-only TCP from ${outsider} to the NAT gateway's address on 22`), expect: "drop" },
        { flow: handshake(hostIn(first, 7), loadBalancerIp, unservedPort, `handshake-only TCP from an allowlisted client to a port the load balancer does not serve (${unservedPort})`), expect: "drop" },
    );
    // DNS to outside resolvers, both transports and DNS over TLS: dropped by the named rule, not by a catch-all. The
    // query names an allowlisted domain where there is one, so only the resolver makes it wrong.
    const dnsName = parseDomain(config.firewall.egress.allowedDomains[0] ?? "pypi.org").name;
    const dnsRules = { intent: "blockDnsToOtherResolvers", sids: blockDnsToOtherResolvers().map((r) => r.sid) };
    for (const resolver of ["8.8.8.8", "1.1.1.1"]) {
        for (const port of DNS_PORTS) {
            const udpClient = endpoint(natIp);
            const udpServer = { ip: resolver, port };
            cases.push({ flow: { name: `DNS query over UDP to ${resolver}:${port}`, client: udpClient, server: udpServer, packets: [udpPacket(udpClient, udpServer, dnsQuery(dnsName))] }, expect: "drop", droppedBy: dnsRules });
            const tcpClient = endpoint(natIp);
            const tcpServer = { ip: resolver, port };
            const data = port === 53 ? dnsQuery(dnsName, { forTcp: true }) : tlsClientHello("dns.google");
            cases.push({ flow: { name: `DNS ${port === 53 ? "query" : "over TLS"} over TCP to ${resolver}:${port}`, client: tcpClient, server: tcpServer, packets: tcpSession(tcpClient, tcpServer, [{ from: "client", data }, { from: "server", data: [0, 2, 0, 0] }]) }, expect: "drop", droppedBy: dnsRules });
        }
    }
    // UDP that is neither QUIC nor DNS: NTP, and unsolicited inbound UDP.
    const udp = (name: string, from: Endpoint, to: Endpoint, payload: number[]): Flow => ({ name, client: from, server: to, packets: [udpPacket(from, to, payload)] });
    cases.push(
        { flow: udp("NTP (UDP/123) outbound", endpoint(natIp), { ip: SERVER_IP, port: 123 }, [0x23, ...new Array<number>(47).fill(0)]), expect: "drop" },
        { flow: udp("unsolicited UDP from the internet to the load balancer on 443", endpoint(outsider), { ip: loadBalancerIp, port: 443 }, [0xc0, 0, 0, 0, 1]), expect: "drop" },
    );
    // The stateless layer's denied ranges, both directions, even where the stateful rules would pass the flow.
    for (const denied of config.firewall.deniedCidrs) {
        const inside = hostIn(denied, 5);
        const deniedClient = endpoint(inside);
        const lb = { ip: loadBalancerIp, port: config.firewall.ingress.ports[0] ?? 443 };
        cases.push({ flow: { name: `TLS from the denied range ${denied} to the load balancer`, client: deniedClient, server: lb, packets: tcpSession(deniedClient, lb, [{ from: "client", data: tlsClientHello("model.internal") }, { from: "server", data: tlsServerHello() }]) }, expect: "drop" });
        const allowed = config.firewall.egress.allowedDomains[0];
        const sni = allowed === undefined ? "pypi.org" : parseDomain(allowed).name;
        const natClient = endpoint(natIp);
        const server = { ip: inside, port: 443 };
        cases.push({ flow: { name: `TLS to ${sni} at an address in the denied range ${denied}`, client: natClient, server, packets: tcpSession(natClient, server, [{ from: "client", data: tlsClientHello(sni) }, { from: "server", data: tlsServerHello() }]) }, expect: "drop" });
    }
    const router = { ip: ROUTER_IP, port: 0 };
    const nat = { ip: natIp, port: 0 };
    cases.push(
        { flow: { name: "ICMP fragmentation needed from an internet router to the NAT gateway (path MTU discovery)", icmp: true, client: router, server: nat, packets: [icmpPacket(ROUTER_IP, natIp, 3, 4, fragmentationNeeded({ ip: natIp, port: 40001 }, { ip: SERVER_IP, port: 443 }, 1400))] }, expect: "pass" },
        { flow: { name: "ICMP echo request from the internet", icmp: true, client: { ip: "192.0.2.99", port: 0 }, server: nat, packets: [icmpPacket("192.0.2.99", natIp, 8, 0, [0, 1, 0, 1])] }, expect: "drop" },
    );
    return cases;
}

/** Why a verdict does not match its case, or undefined when it does. */
function mismatch(c: Case, v: FlowVerdict | undefined): string | undefined {
    if (v === undefined) {
        return `${c.flow.name}: no verdict`;
    }
    if (c.expect === "drop") {
        if (!v.toServerDropped) {
            return `${c.flow.name}: client-to-server packets were not dropped`;
        }
        const by = c.droppedBy;
        // Suricata reports every drop rule that matched; AWS's STRICT_ORDER acts on the first, and the named rule
        // precedes the catch-alls (checked against the plan below).
        if (by !== undefined && !v.sids.some((sid) => by.sids.includes(sid))) {
            return `${c.flow.name}: dropped by sids ${v.sids.join(", ")}, not by ${by.intent} (${by.sids.join(", ")})`;
        }
        return undefined;
    }
    if (v.toServerDropped || v.toClientDropped) {
        return `${c.flow.name}: dropped (sids ${v.sids.join(", ")})`;
    }
    if (c.logs !== undefined) {
        const named = v.alerts.filter((a) => a.msg.endsWith(` to ${c.logs}`) && a.msg.startsWith("egress: "));
        if (v.alerts.length !== 1 || named.length !== 1) {
            return `${c.flow.name}: expected exactly one log alert naming ${c.logs}, got ${JSON.stringify(v.alerts)}`;
        }
    }
    return undefined;
}

const INSTALL = "sudo bash scripts/install-suricata.sh (Debian 12 or Ubuntu 24.04)";
const version = suricataVersion();
const engine = version !== undefined && /version 7\./.test(version);

/**
 * Without Suricata 7 the engine suite is skipped with one line saying so, except in CI (CI=true), where a missing
 * engine fails the run: CI must prove the rules in the real engine.
 */
if (!engine && process.env["CI"] !== "true") {
    describe("firewall rules in Suricata 7 (real engine)", () => {
        it.skip(`Suricata 7 was not found (${version ?? "no suricata on PATH"}): the engine tests were skipped; install it with ${INSTALL}`, () => undefined);
    });
} else describe("firewall rules in Suricata 7 (real engine)", function () {
    before(() => {
        if (!engine) {
            throw new Error(`Suricata 7 is required in CI (found: ${version ?? "none"}); install it with ${INSTALL}`);
        }
    });

    const stacks = [
        ...stackFiles().map(({ stack }) => ({ title: `${stack} stack`, config: loadConfig(readStackConfig(stack), stack), synthesize: () => synth(stack) })),
        { title: "denied-ranges fixture stack (test/fixtures/Pulumi.denied.yaml)", config: loadConfig(fixture("denied"), "denied"), synthesize: () => synthFixture("denied") },
    ];
    for (const { title, config, synthesize } of stacks) {
        describe(title, () => {
            let fw: DeployedFirewall;
            let cases: Case[];
            before(async () => {
                const s = await synthesize();
                expect(s.error?.message).to.equal(undefined);
                fw = deployedFirewall(s);
                cases = casesFor(config, publicCidrsOf(s));
            });

            it("drops DNS to other resolvers before any pass or catch-all rule (STRICT_ORDER acts on the first match)", () => {
                const plan = statefulPlanFor(config);
                const intents = plan.rules.map((r) => r.intent);
                const first = intents.indexOf("blockDnsToOtherResolvers");
                expect(first).to.be.greaterThan(-1);
                const passes = plan.rules.filter((r) => r.text.startsWith("pass ") && r.intent !== "allowIngressFromAllowlist" && r.intent !== "allowPathMtuDiscovery");
                for (const later of [...passes.map((r) => r.intent), "denyOtherUdp", "denyUnsolicitedInbound"]) {
                    expect(intents.indexOf(later), later).to.be.greaterThan(first);
                }
                expect(fw.rulesString).to.equal(plan.rulesString);
            });

            it("loads in `suricata -T` with the deployed rule variables", () => {
                expect(checkSyntax(fw.rulesString, fw.variables)).to.equal(undefined);
                expect(checkSyntax(statelessAsSuricata(fw.stateless), fw.variables)).to.equal(undefined);
            });

            it("replays every flow with the deployed default actions, each verdict as intended per direction", () => {
                const verdicts = replayStages(statelessAsSuricata(fw.stateless), fw.rulesString, fw.variables, cases.map((c) => c.flow), fw.policy.statefulDefaultActions);
                const wrong = cases.map((c) => mismatch(c, verdicts.get(c.flow.name))).filter((m): m is string => m !== undefined);
                expect(cases.some((c) => c.flow.name.startsWith("handshake-only"))).to.equal(true);
                expect(wrong).to.deep.equal([]);
            });

            if (config.firewall.egress.allowedDomains.length > 0) {
                it("would drop a post-quantum ClientHello to an allowed domain under plain aws:drop_established (why the policy uses the application-layer default)", () => {
                    const pq = cases.filter((c) => c.expect === "pass" && c.flow.name.startsWith("post-quantum"));
                    const old = replay(fw.rulesString, fw.variables, pq.map((c) => c.flow), ["aws:drop_established"]);
                    expect(pq.length).to.be.greaterThan(0);
                    for (const c of pq) {
                        expect(old.get(c.flow.name)?.toServerDropped, c.flow.name).to.equal(true);
                    }
                });
            }
        });
    }

    it("leaves nothing in the temporary directory (a replay of the largest allowlists writes about 24 MB there)", () => {
        const saved = process.env["TMPDIR"];
        const keep = process.env["SECURE_AI_KEEP_SURICATA"];
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secure-ai-tmpdir-"));
        try {
            process.env["TMPDIR"] = tmp;
            // What a run leaves by default, even where the developer asked the other runs to keep theirs.
            delete process.env["SECURE_AI_KEEP_SURICATA"];
            const flow: Flow = { name: "one", client: { ip: "10.0.0.1", port: 40000 }, server: { ip: SERVER_IP, port: 53 }, packets: [udpPacket({ ip: "10.0.0.1", port: 40000 }, { ip: SERVER_IP, port: 53 }, [1, 2, 3, 4])] };
            expect(checkSyntax("pass ip any any -> any any (sid:1;)", { ipSets: { HOME_NET: ["10.0.0.0/16"] }, portSets: {} })).to.equal(undefined);
            expect(replay("drop udp any any -> any 53 (sid:2;)", { ipSets: { HOME_NET: ["10.0.0.0/16"] }, portSets: {} }, [flow], []).get("one")?.toServerDropped).to.equal(true);
            expect(() => replay("drop udp any any -> (sid:3;)", { ipSets: { HOME_NET: ["10.0.0.0/16"] }, portSets: {} }, [flow], [])).to.throw("suricata replay failed");
            expect(fs.readdirSync(tmp)).to.deep.equal([]);
        } finally {
            for (const [name, value] of [["TMPDIR", saved], ["SECURE_AI_KEEP_SURICATA", keep]] as const) {
                if (value === undefined) {
                    delete process.env[name];
                } else {
                    process.env[name] = value;
                }
            }
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    describe(`the largest accepted allowlists (60 client ranges, ${MAX_EGRESS_DOMAINS} domains)`, () => {
        const base = fixture("dev");
        const raw: RawConfig = {
            ...base,
            "secure-ai:firewall": JSON.stringify({
                ingress: { allowedCidrs: Array.from({ length: 60 }, (_, i) => `44.${i}.0.0/16`), ports: [443] },
                egress: { allowedDomains: Array.from({ length: MAX_EGRESS_DOMAINS }, (_, i) => (i % 2 === 0 ? `.d${i}.example.com` : `d${i}.example.org`)) },
            }),
        };
        const config: StackConfig = loadConfig(raw, "dev");
        let s: Synthesis;
        let fw: DeployedFirewall;
        before(async () => {
            s = await synthWith({ stack: "dev", config: raw });
            expect(s.error?.message).to.equal(undefined);
            fw = deployedFirewall(s);
        });

        it("loads in `suricata -T`", () => {
            expect(checkSyntax(fw.rulesString, fw.variables)).to.equal(undefined);
        });

        it("decides every one of its flows as intended (each allowed domain passes split post-quantum hellos, logged once)", () => {
            const cases = casesFor(config, publicCidrsOf(s));
            expect(cases.length).to.be.greaterThan(MAX_EGRESS_DOMAINS * 10);
            const verdicts = replayStages(statelessAsSuricata(fw.stateless), fw.rulesString, fw.variables, cases.map((c) => c.flow), fw.policy.statefulDefaultActions);
            const wrong = cases.map((c) => mismatch(c, verdicts.get(c.flow.name))).filter((m): m is string => m !== undefined);
            expect(wrong.slice(0, 5)).to.deep.equal([]);
        });
    });
});
