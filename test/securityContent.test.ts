// Security content asserted, not shapes: what the deployed NACLs, stateless rules, rule order, S3 endpoint policy
// and workload grants actually admit, each against AWS's documented behaviour. Every case here was written to kill
// a one-line mutation that the rest of the suite let through (issue 21); `npm run mutate` keeps them killed.
import { expect } from "chai";
import { contains, parseCidr } from "../config/cidr";
import { loadConfig, type StackConfig } from "../config/load";
import { workloadPolicy } from "../baseline/workloadPolicies";
import { allowEgressToDomains, blockDnsToOtherResolvers } from "../firewall/rules";
import { BOGON_SOURCES, statelessRules } from "../firewall/stateless";
import { interfaceEndpointPolicy, s3EndpointPolicy } from "../network/endpointPolicy";
import { planSubnets } from "../network/plan";
import { MOCK_ACCOUNT_ID } from "../offline/mocks";
import { readStackConfig, stackFiles, type Synthesis } from "../offline/synth";
import { deployedFirewall } from "./deployedFirewall";
import { strictOrderProblems } from "./ruleOrder";
import { fixture, must, one, plannedNacls, policyInput, statement, synth, synthFixture } from "./support";

/**
 * Source ports each kind of client picks (Amazon VPC User Guide, "Ephemeral ports" under "Network ACLs"): a NACL
 * must admit replies to the whole range of every client that can open a connection through it.
 */
const EPHEMERAL_PORTS = {
    linux: { from: 32768, to: 61000, source: "Many Linux kernels (including the Amazon Linux kernel)" },
    elasticLoadBalancing: { from: 1024, to: 65535, source: "Requests originating from Elastic Load Balancing" },
    windows2003: { from: 1025, to: 5000, source: "Windows operating systems through Windows Server 2003" },
    windows2008: { from: 49152, to: 65535, source: "Windows Server 2008 and later versions" },
    natGateway: { from: 1024, to: 65535, source: "A NAT gateway" },
} as const;
type Client = keyof typeof EPHEMERAL_PORTS;

interface NaclEntry {
    readonly protocol: string;
    readonly cidrBlock: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly action: string;
}

/** The deployed NACL of a tier, one direction. */
function nacl(s: Synthesis, tier: string, direction: "ingress" | "egress"): NaclEntry[] {
    return one(s, "aws:ec2/networkAcl:NetworkAcl", `secure-ai-${tier}-nacl`).inputs[direction] as NaclEntry[];
}

/**
 * The TCP ports of `range` that no allow rule for `peer` admits (NACL rules here are all allows, so a port is
 * admitted when any rule for the peer's address covers it; the implicit final rule denies the rest).
 */
function uncovered(rules: readonly NaclEntry[], peer: string, range: { from: number; to: number }): string[] {
    const address = must(parseCidr(`${peer}/32`), peer);
    const spans = rules
        .filter((r) => r.action === "allow" && (r.protocol === "tcp" || r.protocol === "6" || r.protocol === "-1"))
        .filter((r) => contains(must(parseCidr(r.cidrBlock), r.cidrBlock), address))
        .map((r) => (r.protocol === "-1" ? { from: 0, to: 65535 } : { from: r.fromPort, to: r.toPort }))
        .sort((a, b) => a.from - b.from);
    const gaps: string[] = [];
    let next = range.from;
    for (const span of spans) {
        if (span.from > next && next <= range.to) {
            gaps.push(`${next}-${Math.min(span.from - 1, range.to)}`);
        }
        next = Math.max(next, span.to + 1);
    }
    if (next <= range.to) {
        gaps.push(`${next}-${range.to}`);
    }
    return gaps;
}

/** The n-th address of a CIDR. */
function hostIn(cidr: string, n: number): string {
    const parsed = must(parseCidr(cidr), cidr);
    const value = parsed.first + BigInt(n);
    return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 255n)).join(".");
}

const INTERNET_SERVER = "151.101.0.223";
const INTERNET_CLIENT = "198.51.100.9";

/**
 * The return paths of a stack's designed flows. Titles come from the config alone; addresses inside the VPC are
 * planned only when a test runs (`peer()`), so no planner runs while mocha loads the file (under Stryker a planner
 * call at load time makes each of its mutants need a fresh process).
 */
function returnPaths(config: StackConfig) {
    const tierIp = (tier: "public" | "services" | "training") => () => {
        const subnets = planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths).subnets;
        const azs = Object.keys(subnets).sort();
        return hostIn(must(subnets[must(azs[0], "an AZ")]?.[tier], tier), 10);
    };
    const at = (address: string) => () => address;
    const nat = config.firewall.egress.allowedDomains.length > 0;
    const paths: { what: string; tier: string; direction: "ingress" | "egress"; peer: () => string; client: Client }[] = [
        // The load balancer in the public tier answers internet clients on their source ports.
        ...(["linux", "windows2003", "windows2008"] as const).map((client) => ({ what: `load balancer replies to ${client} clients on the internet`, tier: "public", direction: "egress" as const, peer: at(INTERNET_CLIENT), client })),
        // The load balancer opens connections to the model servers from its own source ports.
        { what: "model servers' replies leave the services tier towards the load balancer", tier: "services", direction: "egress", peer: tierIp("public"), client: "elasticLoadBalancing" },
        { what: "model servers' replies reach the load balancer in the public tier", tier: "public", direction: "ingress", peer: tierIp("services"), client: "elasticLoadBalancing" },
    ];
    if (nat) {
        // The NAT gateway translates private clients to its own source ports, 1024-65535: internet replies come
        // back to all of them.
        paths.push({ what: "internet servers' replies to the NAT gateway", tier: "public", direction: "ingress", peer: at(INTERNET_SERVER), client: "natGateway" });
        // It then forwards each reply to the private client's own source port.
        const natClients: ("services" | "training")[] = config.network.trainingEgress === "filtered" ? ["services", "training"] : ["services"];
        for (const tier of natClients) {
            paths.push(
                { what: `the NAT gateway forwards replies to Linux clients in the ${tier} tier`, tier: "public", direction: "egress", peer: tierIp(tier), client: "linux" },
                { what: `replies through the NAT gateway reach Linux clients in the ${tier} tier`, tier, direction: "ingress", peer: at(INTERNET_SERVER), client: "linux" },
            );
        }
    }
    // S3 (gateway endpoint) and interface endpoints answer the private tiers' Linux clients.
    for (const tier of ["services", "training"] as const) {
        paths.push({ what: `S3 through the gateway endpoint replies to Linux clients in the ${tier} tier`, tier, direction: "ingress", peer: at("52.218.0.10"), client: "linux" });
    }
    return paths;
}

/** The S3 gateway endpoint policy's statements, as AWS documents each one. */
function s3EndpointStatements(accountId: string, region: string, readOnlyBuckets: readonly string[]): unknown[] {
    return [
        {
            Sid: "OnlyThisAccountsPrincipalsAndBuckets",
            Effect: "Allow",
            Principal: "*",
            Action: "*",
            Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalAccount": accountId, "aws:ResourceAccount": accountId } },
        },
        {
            // Amazon ECR User Guide, "Amazon ECR interface VPC endpoints (AWS PrivateLink)", minimum Amazon S3
            // bucket permissions: no condition, because the layer download is signed by ECR's presigned URL, not
            // by the workload.
            Sid: "EcrImageLayers",
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:GetObject"],
            Resource: [`arn:aws:s3:::prod-${region}-starport-layer-bucket/*`],
        },
        ...(readOnlyBuckets.length === 0
            ? []
            : [{ Sid: "ReadOnlyBucketsOfTheStackConfig", Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: readOnlyBuckets.map((b) => `arn:aws:s3:::${b}/*`) }]),
    ];
}


const stacks = [...stackFiles().map(({ stack }) => ({ stack, raw: readStackConfig(stack), synthesize: () => synth(stack) })), { stack: "denied (fixture)", raw: fixture("denied"), synthesize: () => synthFixture("denied") }];

/**
 * Every return path of the stack's designed flows whose NACL rules miss part of its clients' ephemeral range, with
 * the ports missed; empty when every path admits the whole range.
 */
function naclGaps(config: StackConfig, rules: (tier: string, direction: "ingress" | "egress") => readonly NaclEntry[]): string[] {
    return returnPaths(config).flatMap((path) => {
        const range = EPHEMERAL_PORTS[path.client];
        const gaps = uncovered(rules(path.tier, path.direction), path.peer(), range);
        return gaps.length === 0 ? [] : [`${path.what}: ${path.tier} ${path.direction} misses ${gaps.join(", ")} of ${range.from}-${range.to} (${range.source})`];
    });
}

// The config is loaded inside the tests, never while mocha loads this file: under Stryker, code that runs at load
// time makes each of its mutants need a fresh process (see docs/mutation.md).
for (const { stack, raw, synthesize } of stacks) {
    const configOf = () => loadConfig(raw, stack.split(" ")[0] ?? stack);

    describe(`security content (${stack} stack)`, () => {
        it("NACL: every designed flow's return path admits its clients' whole ephemeral range (load balancer, NAT gateway, S3, Linux and Windows clients)", async () => {
            const s = await synthesize();
            expect(naclGaps(configOf(), (tier, direction) => nacl(s, tier, direction))).to.deep.equal([]);
        });

        it("S3 endpoint: lets through only this account's principals reaching this account's buckets, plus ECR's layer bucket read-only", async () => {
            const config = configOf();
            const s = await synthesize();
            const statements = policyInput(one(s, "aws:ec2/vpcEndpoint:VpcEndpoint", "secure-ai-s3"));
            expect(statements).to.deep.equal(s3EndpointStatements(MOCK_ACCOUNT_ID, config.region, config.network.s3EndpointReadOnlyBuckets));
        });

        it("interface endpoints: let through only this account's principals (the callers' own policies decide the rest)", async () => {
            const config = configOf();
            const s = await synthesize();
            const interfaces = s.resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs["vpcEndpointType"] === "Interface");
            expect(interfaces.length).to.equal(config.network.interfaceEndpoints.length);
            for (const endpoint of interfaces) {
                expect(policyInput(endpoint), endpoint.name).to.deep.equal([
                    { Sid: "OnlyPrincipalsOfThisAccount", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": MOCK_ACCOUNT_ID } } },
                ]);
            }
        });

        it("workload roles: CreateGrant on the stack key only for AWS resources (kms:GrantIsForAWSResource)", async () => {
            const s = await synthesize();
            for (const role of ["training", "inference"]) {
                const policies = s.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.includes(`-${role}`));
                const grants = policies.flatMap((p) => policyInput(p)).filter((st) => ([] as string[]).concat(st.Action ?? []).includes("kms:CreateGrant"));
                expect(grants.length, role).to.equal(1);
                expect(grants[0]?.Condition, role).to.deep.equal({ Bool: { "kms:GrantIsForAWSResource": "true" } });
            }
        });

        it("stateless rules: bogon sources to anywhere, denied ranges dropped from and to anywhere, nothing else", async () => {
            const config = configOf();
            const deployed = deployedFirewall(await synthesize()).stateless;
            const denied = config.firewall.deniedCidrs;
            const expected = [
                { priority: 10, actions: ["aws:drop"], sources: [...BOGON_SOURCES], destinations: [], protocols: [] },
                ...(denied.length === 0
                    ? []
                    : [
                        { priority: 20, actions: ["aws:drop"], sources: [...denied], destinations: [], protocols: [] },
                        { priority: 30, actions: ["aws:drop"], sources: [], destinations: [...denied], protocols: [] },
                    ]),
            ];
            expect(deployed).to.deep.equal(expected);
        });

        it("STRICT_ORDER: each log alert directly before its pass, no drop before a pass it overlaps (deployed rules and variables)", async () => {
            const config = configOf();
            const fw = deployedFirewall(await synthesize());
            expect([fw.policy.ruleOrder, fw.statefulRuleOrder]).to.deep.equal(["STRICT_ORDER", "STRICT_ORDER"]);
            expect(strictOrderProblems(fw.rulesString, fw.variables)).to.deep.equal([]);
            if (config.firewall.egress.allowedDomains.length > 0) {
                expect(fw.rulesString).to.match(/^alert tls .*\npass tls /m);
            }
        });
    });
}

describe("security content: the fixture's denied ranges reach the deployed stateless group", () => {
    it("lists two denied ranges and allowed domains (so the stateless drop must win over the stateful pass of egress to them)", () => {
        const config = loadConfig(fixture("denied"), "denied");
        expect(config.firewall.deniedCidrs.length).to.be.greaterThan(1);
        expect(config.firewall.egress.allowedDomains.length).to.be.greaterThan(0);
    });
});

describe("security content: stateless rules per intent (pure)", () => {
    it("drops bogon sources (RFC 6890 this-network, loopback, link-local, multicast, reserved) towards any destination", () => {
        expect(BOGON_SOURCES).to.deep.equal(["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4"]);
        expect(statelessRules([])).to.deep.equal([{ intent: "dropBogonSources", priority: 10, sources: [...BOGON_SOURCES], destinations: [], protocols: [], action: "aws:drop" }]);
    });
    it("drops denied ranges as sources towards anything, and anything towards denied ranges", () => {
        const rules = statelessRules(["192.0.2.0/24", "198.18.0.0/15"]);
        expect(rules.map((r) => [r.intent, r.sources, r.destinations, r.protocols, r.action])).to.deep.equal([
            ["dropBogonSources", [...BOGON_SOURCES], [], [], "aws:drop"],
            ["dropFromDeniedCidrs", ["192.0.2.0/24", "198.18.0.0/15"], [], [], "aws:drop"],
            ["dropToDeniedCidrs", [], ["192.0.2.0/24", "198.18.0.0/15"], [], "aws:drop"],
        ]);
        expect(new Set(rules.map((r) => r.priority)).size).to.equal(rules.length);
    });
});

describe("security content: the STRICT_ORDER check itself", () => {
    const variables = { ipSets: { HOME_NET: ["10.0.0.0/16"], PUBLIC_NET: ["10.0.0.0/24"], INGRESS_ALLOWED: ["203.0.113.0/24"] }, portSets: { INGRESS_PORTS: [443] } };
    const alert = 'alert tls $HOME_NET any -> $EXTERNAL_NET 443 (msg:"egress: TLS to x"; flow:to_server,established; tls.sni; content:"x"; sid:1;)';
    const pass = 'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (msg:"egress: TLS to x"; flow:to_server,established; tls.sni; content:"x"; sid:2;)';
    it("accepts an alert directly before its pass", () => {
        expect(strictOrderProblems(`${alert}\n${pass}\n`, variables)).to.deep.equal([]);
    });
    it("flags a pass placed before its alert", () => {
        expect(strictOrderProblems(`${pass}\n${alert}\n`, variables)).to.have.length(2);
    });
    it("flags a drop before a pass it overlaps, and not one it cannot match", () => {
        const dropTcp = 'drop tcp $HOME_NET any -> $EXTERNAL_NET any (msg:"d"; sid:3;)';
        const dropUdp = 'drop udp $HOME_NET any -> $EXTERNAL_NET 443 (msg:"q"; sid:4;)';
        const dropInbound = 'drop tcp $EXTERNAL_NET any -> $HOME_NET any (msg:"i"; sid:5;)';
        expect(strictOrderProblems(`${dropTcp}\n${alert}\n${pass}\n`, variables).join("\n")).to.include("rule 1 (drop \"d\") comes before rule 3");
        expect(strictOrderProblems(`${dropUdp}\n${dropInbound}\n${alert}\n${pass}\n`, variables)).to.deep.equal([]);
        const ingress = 'pass tcp $INGRESS_ALLOWED any -> $PUBLIC_NET $INGRESS_PORTS (msg:"in"; sid:6;)';
        expect(strictOrderProblems(`${dropInbound}\n${ingress}\n`, variables)).to.have.length(1);
    });
});

describe("security content: workload CreateGrant (pure)", () => {
    it("allows kms:CreateGrant on the stack key only with kms:GrantIsForAWSResource true", () => {
        const doc = workloadPolicy({
            scope: { accountId: "111122223333", partition: "aws", region: "us-west-2" },
            workload: "TrainingJobs",
            keyArn: "arn:aws:kms:us-west-2:111122223333:key/k",
            readBucketArns: ["arn:aws:s3:::d"],
            writeBucketArns: [],
            vpcId: "vpc-0a",
            subnetIds: ["subnet-0a"],
            securityGroupId: "sg-0a",
            imageRepositories: [],
        });
        expect(statement(doc.Statement, "EncryptAttachedVolumesWithTheStackKey")).to.deep.equal({
            Sid: "EncryptAttachedVolumesWithTheStackKey",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: "arn:aws:kms:us-west-2:111122223333:key/k",
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        });
    });
});

for (const { stack, raw } of stacks) {
    const configOf = () => loadConfig(raw, stack.split(" ")[0] ?? stack);
    describe(`security content: NACL planner and endpoint policies (${stack} stack, pure)`, () => {
        it("NACL plan: every designed flow's return path admits its clients' whole ephemeral range", () => {
            const config = configOf();
            const planned = plannedNacls(config);
            expect(naclGaps(config, (tier, direction) => planned[tier as keyof typeof planned][direction])).to.deep.equal([]);
        });
        it("S3 endpoint policy: this account's principals and buckets, ECR's layer bucket and the listed buckets read-only", () => {
            const config = configOf();
            const scope = { accountId: "111122223333", partition: "aws", region: config.region };
            expect(s3EndpointPolicy(scope, config.network.s3EndpointReadOnlyBuckets).Statement).to.deep.equal(s3EndpointStatements("111122223333", config.region, config.network.s3EndpointReadOnlyBuckets));
            expect(s3EndpointPolicy(scope, ["example-models"]).Statement).to.deep.equal(s3EndpointStatements("111122223333", config.region, ["example-models"]));
            expect(interfaceEndpointPolicy(scope).Statement).to.deep.equal([
                { Sid: "OnlyPrincipalsOfThisAccount", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } } },
            ]);
        });
    });
}

/**
 * The designed forward flows of a stack, each on the NACL it crosses: TCP to one port, from or to a peer. What the
 * planner must admit (Amazon VPC User Guide, "Network ACLs": stateless, so each direction needs its own rule).
 */
function forwardFlows(config: StackConfig): { what: string; tier: string; direction: "ingress" | "egress"; peer: string; port: number }[] {
    const subnets = planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths).subnets;
    const azs = Object.keys(subnets).sort();
    const ip = (az: string | undefined, tier: "public" | "services" | "training") => hostIn(must(subnets[must(az, "an AZ")]?.[tier], tier), 10);
    const serving = config.baseline.servingPort;
    const nat = config.firewall.egress.allowedDomains.length > 0;
    const web = config.network.trainingEgress === "filtered" ? [443, 80] : [443];
    return [
        ...config.firewall.ingress.ports.map((port) => ({ what: `internet clients to the load balancer on ${port}`, tier: "public", direction: "ingress" as const, peer: INTERNET_CLIENT, port })),
        ...azs.flatMap((az) => [
            { what: `load balancer to the model servers in ${az}`, tier: "public", direction: "egress" as const, peer: ip(az, "services"), port: serving },
            { what: `model servers in the services tier from the load balancer in ${az}`, tier: "services", direction: "ingress" as const, peer: ip(az, "public"), port: serving },
        ]),
        { what: "interface endpoints in the services tier from the training tier", tier: "services", direction: "ingress", peer: ip(azs[0], "training"), port: 443 },
        ...[443, 80].map((port) => ({ what: `services tier out on ${port}`, tier: "services", direction: "egress" as const, peer: INTERNET_SERVER, port })),
        ...web.map((port) => ({ what: `training tier out on ${port}`, tier: "training", direction: "egress" as const, peer: INTERNET_SERVER, port })),
        ...azs.flatMap((az) => [
            // Distributed training peers reach each other on any port (below the ephemeral range too).
            { what: `training peers in ${az}, inbound`, tier: "training", direction: "ingress" as const, peer: ip(az, "training"), port: 22 },
            { what: `training peers in ${az}, outbound`, tier: "training", direction: "egress" as const, peer: ip(az, "training"), port: 22 },
        ]),
        ...(nat
            ? [443, 80].flatMap((port) => [
                  { what: `private tiers to the NAT gateway on ${port}`, tier: "public", direction: "ingress" as const, peer: ip(azs[0], "services"), port },
                  { what: `NAT gateway to the internet on ${port}`, tier: "public", direction: "egress" as const, peer: INTERNET_SERVER, port },
              ])
            : []),
        ...["ingress" as const, "egress" as const].map((direction) => ({ what: `firewall endpoints pass everything (${direction})`, tier: "firewall", direction, peer: INTERNET_SERVER, port: 22 })),
    ];
}

/** The stack file's config, and the same with the other training egress mode and a serving port below 1024. */
function variants(config: StackConfig): StackConfig[] {
    const other = config.network.trainingEgress === "filtered" ? "none" : "filtered";
    return [config, { ...config, network: { ...config.network, trainingEgress: other }, baseline: { ...config.baseline, servingPort: 80 } }];
}

for (const { stack, raw } of stacks) {
    const configOf = () => loadConfig(raw, stack.split(" ")[0] ?? stack);
    describe(`security content: NACL planner forward flows (${stack} stack, pure)`, () => {
        it("NACL plan: every rule is an allow with a TCP, UDP, ICMP or all-protocol match on a CIDR, numbered uniquely within 1-32766 per direction, with its reason", () => {
            // Amazon VPC User Guide, "Network ACL rules": rule numbers 1 to 32766, evaluated lowest first.
            for (const config of variants(configOf())) {
                const planned = plannedNacls(config);
                for (const [tier, nacl] of Object.entries(planned)) {
                    for (const direction of ["ingress", "egress"] as const) {
                        const rules = nacl[direction];
                        const numbers = rules.map((r) => r.ruleNo);
                        expect(new Set(numbers).size, `${tier} ${direction}`).to.equal(rules.length);
                        expect(numbers.every((n) => Number.isInteger(n) && n >= 1 && n <= 32766), `${tier} ${direction}`).to.equal(true);
                        for (const r of rules) {
                            expect(["tcp", "udp", "icmp", "-1"], `${tier} ${direction}`).to.include(r.protocol);
                            expect(parseCidr(r.cidrBlock), `${tier} ${direction} ${r.cidrBlock}`).not.to.equal(undefined);
                            expect(r.action).to.equal("allow");
                            expect(r.purpose.trim(), `${tier} ${direction} rule ${r.ruleNo}: its reason, shown by npm run plan`).not.to.equal("");
                        }
                    }
                }
            }
        });
        it("NACL plan: admits every designed flow on the NACL it crosses (also with the other training egress mode and serving port 80)", () => {
            for (const config of variants(configOf())) {
                const planned = plannedNacls(config);
                const missing = forwardFlows(config).filter((f) => uncovered(planned[f.tier as keyof typeof planned][f.direction], f.peer, { from: f.port, to: f.port }).length > 0);
                expect(missing.map((f) => f.what), config.network.trainingEgress).to.deep.equal([]);
            }
        });
        it("NACL plan: admits nothing else below the ephemeral range (SSH from the internet; training port 80 without filtered egress)", () => {
            for (const config of variants(configOf())) {
                const planned = plannedNacls(config);
                expect(uncovered(planned.public.ingress, INTERNET_CLIENT, { from: 22, to: 22 })).to.have.length(config.firewall.ingress.ports.includes(22) ? 0 : 1);
                expect(uncovered(planned.training.egress, INTERNET_SERVER, { from: 80, to: 80 }), config.network.trainingEgress).to.have.length(config.network.trainingEgress === "filtered" ? 0 : 1);
            }
        });
        it("NACL plan: ICMP fragmentation needed (type 3, code 4) reaches the public tier, and the private tiers that use the NAT gateway", () => {
            for (const config of variants(configOf())) {
                const planned = plannedNacls(config);
                const fragNeeded = (rules: readonly { protocol: string; icmp?: { type: number; code: number }; cidrBlock: string }[]) =>
                    rules.some((r) => r.protocol === "icmp" && r.icmp?.type === 3 && r.icmp.code === 4 && r.cidrBlock === "0.0.0.0/0");
                const nat = config.firewall.egress.allowedDomains.length > 0;
                expect([fragNeeded(planned.public.ingress), fragNeeded(planned.services.ingress), fragNeeded(planned.training.ingress)]).to.deep.equal([
                    true,
                    nat,
                    nat && config.network.trainingEgress === "filtered",
                ]);
            }
        });
    });
}

describe("security content: NACL planner numbering and order (pure)", () => {
    const devConfig = () => loadConfig(fixture("dev"), "dev");
    const withPorts = (config: StackConfig, ports: number[]): StackConfig => ({ ...config, firewall: { ...config.firewall, ingress: { ...config.firewall.ingress, ports } } });

    it("a NACL at its quota of 20 rules per direction is still numbered uniquely within 1-32766", () => {
        // Amazon VPC User Guide, "Network ACL rules": rule numbers 1 to 32766; Amazon VPC quotas: 20 rules per NACL and
        // direction by default. 16 listener ports with egress domains fill the public NACL's inbound (docs/config.md).
        const planned = plannedNacls(withPorts(devConfig(), Array.from({ length: 16 }, (_, i) => 8000 + i)));
        const numbers = planned.public.ingress.map((r) => r.ruleNo);
        expect(numbers).to.have.length(20);
        expect(new Set(numbers).size).to.equal(20);
        expect(numbers.filter((n) => !(Number.isInteger(n) && n >= 1 && n <= 32766))).to.deep.equal([]);
    });

    it("reordering the stack file's ports or availability zones changes no NACL entry (an entry is keyed by its rule number)", () => {
        // EC2 API Reference, CreateNetworkAclEntry / ReplaceNetworkAclEntry: an entry is identified by its rule number
        // and direction, so the same rules under other numbers would be rewritten for nothing.
        const config = devConfig();
        const zones = config.network.availabilityZones;
        expect(zones.length).to.be.greaterThan(1);
        const reordered: StackConfig = { ...withPorts(config, [9443, 443, 8443]), network: { ...config.network, availabilityZones: [...zones].reverse() } };
        expect(plannedNacls(reordered)).to.deep.equal(plannedNacls(withPorts(config, [443, 8443, 9443])));
        expect(plannedNacls(withPorts(config, [8443, 443]))).to.deep.equal(plannedNacls(withPorts(config, [443, 8443])));
    });

    it("the training tier's web egress rules say where the traffic goes: no route off the VPC (none), NAT and the firewall (filtered)", () => {
        // DESIGN, network shape: trainingEgress none leaves the training tier no route off the VPC; filtered routes it
        // through the NAT gateway to the firewall. The rule's reason is what `npm run plan` shows a reviewer.
        const config = devConfig();
        for (const mode of ["none", "filtered"] as const) {
            const planned = plannedNacls({ ...config, network: { ...config.network, trainingEgress: mode } });
            const web = planned.training.egress.filter((r) => r.cidrBlock === "0.0.0.0/0");
            expect(web.length, mode).to.be.greaterThan(0);
            for (const rule of web) {
                expect(rule.purpose.includes("no route off the VPC"), `${mode}: ${rule.purpose}`).to.equal(mode === "none");
                expect(rule.purpose.includes("NAT and firewall"), `${mode}: ${rule.purpose}`).to.equal(mode === "filtered");
            }
        }
    });
});

describe("security content: what the firewall's domain and DNS rules match (pure)", () => {
    // Suricata User Guide (7.0), "Transformations": dotprefix prepends a dot to the buffer, so content ".name" with
    // endswith matches the name and every subdomain but not "othername"; "Payload keywords": startswith + endswith
    // make the content the whole buffer. Network Firewall's Suricata rules support tls.sni and http.host (AWS
    // Network Firewall Developer Guide, "Suricata compatible rule string"). SNI is sent as typed (nocase); Suricata
    // lower-cases http.host itself.
    it("an exact name matches the whole SNI and Host, a wildcard entry the name and its subdomains, alert before pass", () => {
        const texts = allowEgressToDomains(["pypi.org", ".hf.co"]).map((r) => r.text.replace(/ sid:\d+; rev:1;\)$/, ""));
        expect(texts).to.deep.equal([
            'alert tls $HOME_NET any -> $EXTERNAL_NET 443 (msg:"egress: TLS to pypi.org"; flow:to_server,established; tls.sni; content:"pypi.org"; nocase; startswith; endswith;',
            'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (msg:"egress: TLS to pypi.org"; flow:to_server,established; tls.sni; content:"pypi.org"; nocase; startswith; endswith;',
            'alert http $HOME_NET any -> $EXTERNAL_NET 80 (msg:"egress: HTTP to pypi.org"; flow:to_server,established; http.host; content:"pypi.org"; startswith; endswith;',
            'pass http $HOME_NET any -> $EXTERNAL_NET 80 (msg:"egress: HTTP to pypi.org"; flow:to_server,established; http.host; content:"pypi.org"; startswith; endswith;',
            'alert tls $HOME_NET any -> $EXTERNAL_NET 443 (msg:"egress: TLS to .hf.co"; flow:to_server,established; tls.sni; dotprefix; content:".hf.co"; nocase; endswith;',
            'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (msg:"egress: TLS to .hf.co"; flow:to_server,established; tls.sni; dotprefix; content:".hf.co"; nocase; endswith;',
            'alert http $HOME_NET any -> $EXTERNAL_NET 80 (msg:"egress: HTTP to .hf.co"; flow:to_server,established; http.host; dotprefix; content:".hf.co"; endswith;',
            'pass http $HOME_NET any -> $EXTERNAL_NET 80 (msg:"egress: HTTP to .hf.co"; flow:to_server,established; http.host; dotprefix; content:".hf.co"; endswith;',
        ]);
    });
    it("drops DNS (53) and DNS over TLS or QUIC (853, RFC 7858, RFC 9250) to any resolver outside the VPC, over UDP and TCP, each under its own sid", () => {
        const rules = blockDnsToOtherResolvers();
        expect(rules.map((r) => r.text.replace(/ sid:\d+; rev:1;\)$/, ""))).to.deep.equal([
            'drop udp $HOME_NET any -> $EXTERNAL_NET [53,853] (msg:"egress: DNS over UDP to a resolver other than the VPC resolver";',
            'drop tcp $HOME_NET any -> $EXTERNAL_NET [53,853] (msg:"egress: DNS over TCP to a resolver other than the VPC resolver";',
        ]);
        expect(rules.map((r) => r.text.endsWith(` sid:${r.sid}; rev:1;)`))).to.deep.equal([true, true]);
        expect(new Set(rules.map((r) => r.sid)).size).to.equal(2);
    });
});
