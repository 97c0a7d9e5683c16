// The rendered rules in the real Suricata 7 engine, for every stack file: syntax, then verdicts on crafted
// traffic per flow and direction. Install Suricata with `sudo bash scripts/install-suricata.sh`.
import { expect } from "chai";
import { cidrText, parseCidr } from "../config/cidr";
import { parseDomain } from "../config/domains";
import { loadConfig } from "../config/load";
import { planFirewall } from "../firewall/plan";
import { planSubnets } from "../network/plan";
import { readStackConfig, stackFiles } from "../offline/synth";
import { httpRequest, httpResponse, tcpSession, tlsClientHello, tlsServerHello, udpPacket, type Endpoint } from "./pcap";
import { checkSyntax, replay, suricataVersion, type Flow } from "./suricata";

/** A public address standing in for the internet servers egress flows reach. */
const SERVER_IP = "151.101.0.223";

/** The n-th host address of a CIDR. */
function host(cidr: string, n: number): string {
    const parsed = parseCidr(cidr);
    if (parsed === undefined) {
        throw new Error(`not a CIDR: ${cidr}`);
    }
    return cidrText(parsed.first + BigInt(n), 32).replace(/\/32$/, "");
}

interface Case {
    readonly flow: Flow;
    readonly expect: "pass" | "drop";
}

describe("firewall rules in Suricata 7 (real engine)", function () {
    before(function () {
        const version = suricataVersion();
        if (version === undefined || !/version 7\./.test(version)) {
            throw new Error(`Suricata 7 is required (found: ${version ?? "none"}); install it with: sudo bash scripts/install-suricata.sh`);
        }
    });

    for (const { stack } of stackFiles()) {
        describe(`${stack} stack`, () => {
            const config = loadConfig(readStackConfig(stack), stack);
            const subnets = planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths);
            const publicCidrs = Object.values(subnets.subnets).map((t) => t.public);
            const plan = planFirewall({ vpcCidr: config.network.cidr, publicCidrs, firewall: config.firewall });
            // Egress is seen by the firewall from the NAT gateway's address in a public subnet.
            const natIp = host(publicCidrs[0] ?? "", 10);
            const loadBalancerIp = host(publicCidrs[publicCidrs.length - 1] ?? "", 20);
            let nextPort = 40000;
            const endpoint = (ip: string): Endpoint => ({ ip, port: nextPort++ });

            const tls = (sni: string): Flow => {
                const client = endpoint(natIp);
                const server = { ip: SERVER_IP, port: 443 };
                return { name: `TLS to ${sni}`, client, server, packets: tcpSession(client, server, [{ from: "client", data: tlsClientHello(sni) }, { from: "server", data: tlsServerHello() }]) };
            };
            const http = (hostName: string): Flow => {
                const client = endpoint(natIp);
                const server = { ip: SERVER_IP, port: 80 };
                return { name: `HTTP to ${hostName}`, client, server, packets: tcpSession(client, server, [{ from: "client", data: httpRequest(hostName) }, { from: "server", data: httpResponse() }]) };
            };
            const ingress = (source: string, port: number): Flow => {
                const client = endpoint(source);
                const server = { ip: loadBalancerIp, port };
                return { name: `TCP from ${source} to the load balancer on ${port}`, client, server, packets: tcpSession(client, server, [{ from: "client", data: tlsClientHello("model.internal") }, { from: "server", data: tlsServerHello() }]) };
            };
            const cases: Case[] = [];
            for (const entry of config.firewall.egress.allowedDomains) {
                const d = parseDomain(entry);
                cases.push({ flow: tls(d.name), expect: "pass" }, { flow: http(d.name), expect: "pass" });
                cases.push({ flow: tls(`sub.${d.name}`), expect: d.includeSubdomains ? "pass" : "drop" });
                cases.push({ flow: tls(d.name.toUpperCase()), expect: "pass" });
                cases.push({ flow: tls(`not${d.name}`), expect: "drop" }, { flow: http(`not${d.name}`), expect: "drop" });
                cases.push({ flow: tls(`${d.name}.evil.com`), expect: "drop" }, { flow: http(`${d.name}.evil.com`), expect: "drop" });
            }
            cases.push({ flow: tls("evil.example.net"), expect: "drop" }, { flow: http("evil.example.net"), expect: "drop" });
            if (config.firewall.egress.allowedDomains.length === 0) {
                cases.push({ flow: tls("pypi.org"), expect: "drop" });
            }
            for (const cidr of config.firewall.ingress.allowedCidrs) {
                for (const port of config.firewall.ingress.ports) {
                    cases.push({ flow: ingress(host(cidr, 7), port), expect: "pass" });
                }
                cases.push({ flow: ingress(host(cidr, 7), 22), expect: "drop" });
            }
            const outsider = ["192.0.2.77", "203.0.113.77", "198.51.100.77"].find(
                (ipAddress) => !config.firewall.ingress.allowedCidrs.some((c) => {
                    const a = parseCidr(c);
                    const b = parseCidr(`${ipAddress}/32`);
                    return a !== undefined && b !== undefined && a.first <= b.first && b.last <= a.last;
                }),
            ) ?? "192.0.2.77";
            cases.push({ flow: ingress(outsider, config.firewall.ingress.ports[0] ?? 443), expect: "drop" });
            const quicClient = endpoint(natIp);
            cases.push({ flow: { name: "QUIC (UDP/443) outbound", client: quicClient, server: { ip: SERVER_IP, port: 443 }, packets: [udpPacket(quicClient, { ip: SERVER_IP, port: 443 }, [0xc0, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8])] }, expect: "drop" });
            const sshClient = endpoint(natIp);
            const sshServer = { ip: SERVER_IP, port: 22 };
            cases.push({ flow: { name: "SSH outbound", client: sshClient, server: sshServer, packets: tcpSession(sshClient, sshServer, [{ from: "client", data: [...Buffer.from("SSH-2.0-OpenSSH_9.6\r\n")] }, { from: "server", data: [...Buffer.from("SSH-2.0-OpenSSH_9.6\r\n")] }]) }, expect: "drop" });

            it("loads in `suricata -T` with the stack's rule variables", () => {
                expect(checkSyntax(plan.stateful.rulesString, plan.stateful.variables)).to.equal(undefined);
            });

            describe("verdicts on replayed traffic (--simulate-ips, aws:drop_established emulated)", () => {
                let verdicts: ReturnType<typeof replay>;
                before(() => {
                    verdicts = replay(plan.stateful.rulesString, plan.stateful.variables, cases.map((c) => c.flow));
                });
                for (const c of cases) {
                    it(`${c.expect === "pass" ? "passes" : "drops"} ${c.flow.name}${c.expect === "pass" ? " in both directions" : ""}`, () => {
                        const v = verdicts.get(c.flow.name);
                        expect(v, c.flow.name).not.to.equal(undefined);
                        if (c.expect === "pass") {
                            expect({ toServer: v?.toServerDropped, toClient: v?.toClientDropped, sids: v?.sids }).to.deep.equal({ toServer: false, toClient: false, sids: [] });
                        } else {
                            expect(v?.toServerDropped, `client-to-server packets of ${c.flow.name}`).to.equal(true);
                        }
                    });
                }
            });
        });
    }
});
