// The network and policy facts of a synthesized stack, read from the resources the program registered (their
// inputs and the state the mocks answered with) and the stack outputs: what the journey evaluators walk. Plain
// data, so a test can copy it, break one layer (drop a NACL rule, a route, an endpoint-policy statement) and see
// which journey fails. Every fact names the Pulumi logical name of the resource it came from.
import { MOCK_ACCOUNT_ID, MOCK_DEPLOYER_ROLE_ARN } from "../offline/mocks";
import { ofType, type SynthResource, type Synthesis } from "../offline/synth";
import type { PolicyDocument } from "../policy/document";
import type { NamedPolicy } from "./iam";

export type Tier = "public" | "firewall" | "services" | "training";

export interface SubnetFact {
    readonly name: string;
    readonly id: string;
    readonly cidr: string;
    readonly az: string;
    readonly tier: Tier;
}

export type RouteTarget =
    | { readonly kind: "local" }
    | { readonly kind: "nat"; readonly id: string }
    | { readonly kind: "internet-gateway"; readonly id: string }
    /** A VPC endpoint: the firewall's endpoint in an AZ (routes) or the S3 gateway endpoint (prefix-list route). */
    | { readonly kind: "vpc-endpoint"; readonly id: string };

export interface RouteFact {
    /** Logical name of the Route (or the endpoint that added it; "local" for the VPC's local route). */
    readonly name: string;
    /** A CIDR, or the id of the AWS-managed prefix list of a gateway endpoint's service. */
    readonly destination: { readonly cidr: string } | { readonly prefixList: string };
    readonly target: RouteTarget;
}

export interface RouteTableFact {
    readonly name: string;
    readonly id: string;
    readonly routes: RouteFact[];
    readonly subnetIds: string[];
    /** Gateways the table is associated with (the IGW edge table). */
    readonly gatewayIds: string[];
}

export interface NaclEntryFact {
    readonly ruleNo: number;
    /** "-1" (all), "tcp", "udp", "icmp" or an IP protocol number. */
    readonly protocol: string;
    readonly action: "allow" | "deny";
    readonly cidr: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly icmpType?: number;
    readonly icmpCode?: number;
}

export interface NaclFact {
    readonly name: string;
    readonly id: string;
    readonly subnetIds: string[];
    ingress: NaclEntryFact[];
    egress: NaclEntryFact[];
}

export type SgPeer = { readonly cidr: string } | { readonly securityGroupId: string } | { readonly prefixList: string };

export interface SgRuleFact {
    readonly name: string;
    /** "-1", "tcp", "udp", "icmp". */
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly peer: SgPeer;
}

export interface SecurityGroupFact {
    readonly name: string;
    readonly id: string;
    ingress: SgRuleFact[];
    egress: SgRuleFact[];
}

export interface NatGatewayFact {
    readonly name: string;
    readonly id: string;
    readonly subnetId: string;
}

export interface EndpointFact {
    readonly name: string;
    readonly id: string;
    readonly type: "Gateway" | "Interface";
    /** Short service name: s3, sts, logs, ... */
    readonly service: string;
    policy: PolicyDocument;
    readonly subnetIds: string[];
    readonly securityGroupIds: string[];
    /** Gateway endpoints: the AWS-managed prefix list of the service. */
    readonly prefixListId: string | undefined;
}

export interface StatelessRuleFact {
    readonly priority: number;
    readonly actions: readonly string[];
    readonly sources: readonly string[];
    readonly destinations: readonly string[];
    /** IP protocol numbers; empty means all. */
    readonly protocols: readonly number[];
}

export interface FirewallFact {
    readonly name: string;
    /** Firewall endpoint (vpce id) by AZ. */
    readonly endpointsByAz: Readonly<Record<string, string>>;
    readonly stateless: { readonly name: string; rules: StatelessRuleFact[] };
    readonly stateful: { readonly name: string; rulesString: string; readonly ipSets: Readonly<Record<string, readonly string[]>>; readonly portSets: Readonly<Record<string, readonly number[]>> };
    readonly policy: { readonly name: string; statelessDefaultActions: string[]; statefulDefaultActions: string[]; readonly ruleOrder: string };
}

export interface BucketFact {
    readonly name: string;
    readonly arn: string;
    readonly policy: NamedPolicy;
}

export interface RoleFact {
    readonly name: string;
    readonly arn: string;
    readonly policies: NamedPolicy[];
}

export interface StackFacts {
    readonly stack: string;
    readonly region: string;
    readonly accountId: string;
    readonly deployerArn: string;
    readonly vpcCidr: string;
    readonly subnets: SubnetFact[];
    readonly routeTables: RouteTableFact[];
    readonly nacls: NaclFact[];
    readonly securityGroups: SecurityGroupFact[];
    readonly natGateways: NatGatewayFact[];
    /** The stack's own managed prefix lists (the ingress allowlist), id -> CIDRs. */
    readonly prefixLists: Readonly<Record<string, readonly string[]>>;
    readonly internetGateway: { readonly name: string; readonly id: string };
    readonly endpoints: EndpointFact[];
    readonly firewall: FirewallFact;
    readonly buckets: Readonly<Record<"data" | "models" | "audit" | "accessLogs", BucketFact>>;
    readonly key: { readonly name: string; readonly arn: string; policy: NamedPolicy };
    readonly roles: Readonly<Record<"training" | "inference" | "flowLogs", RoleFact>>;
    guard: NamedPolicy;
    readonly trailArn: string;
    readonly trailLogGroup: string;
    readonly flowLogGroup: string;
    /** Allowed egress domains and ingress CIDRs as the stack's firewall rule variables and rules carry them. */
    readonly loadBalancerSecurityGroupId: string;
    readonly servicesSecurityGroupId: string;
    readonly trainingSecurityGroupId: string;
}

function must<T>(value: T | undefined, what: string): T {
    if (value === undefined) {
        throw new Error(`the synthesized stack has no ${what}`);
    }
    return value;
}

function str(r: SynthResource, key: string): string {
    const value = r.inputs[key];
    if (typeof value !== "string") {
        throw new Error(`${r.type} ${r.name}: input ${key} is ${JSON.stringify(value)}, not a string`);
    }
    return value;
}

/** The stateless rules of a STATELESS RuleGroup's `ruleGroup` input, as sent to AWS (none when it has none). */
export function statelessRuleFacts(ruleGroup: unknown): StatelessRuleFact[] {
    const rules = record(record(record(ruleGroup)["rulesSource"])["statelessRulesAndCustomActions"])["statelessRules"];
    return (Array.isArray(rules) ? rules : []).map((rule): StatelessRuleFact => {
        const definition = record(record(rule)["ruleDefinition"]);
        const match = record(definition["matchAttributes"]);
        const addresses = (list: unknown) => (Array.isArray(list) ? list.map((a) => String(record(a)["addressDefinition"])) : []);
        return {
            priority: num(record(rule)["priority"]),
            actions: strings(definition["actions"]),
            sources: addresses(match["sources"]),
            destinations: addresses(match["destinations"]),
            protocols: (Array.isArray(match["protocols"]) ? match["protocols"] : []).map((p) => num(p)),
        };
    });
}

/** The IP and port set variables of a STATEFUL RuleGroup's `ruleGroup` input. */
export function ruleVariableFacts(ruleGroup: unknown): { ipSets: Record<string, string[]>; portSets: Record<string, number[]> } {
    const variables = record(record(ruleGroup)["ruleVariables"]);
    const definitions = (sets: unknown) => Object.entries(record(sets)).map(([name, value]) => [name, strings(record(value)["definition"])] as const);
    return {
        ipSets: Object.fromEntries(definitions(variables["ipSets"])),
        portSets: Object.fromEntries(definitions(variables["portSets"]).map(([name, ports]) => [name, ports.map(Number)])),
    };
}

function num(value: unknown, fallback = 0): number {
    return typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : fallback;
}

function strings(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function doc(r: SynthResource, key = "policy"): PolicyDocument {
    return JSON.parse(str(r, key)) as PolicyDocument;
}

function record(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function naclEntries(value: unknown): NaclEntryFact[] {
    return (Array.isArray(value) ? value : []).map((e) => {
        const entry = record(e);
        const icmpType = entry["icmpType"];
        const icmpCode = entry["icmpCode"];
        return {
            ruleNo: num(entry["ruleNo"]),
            protocol: String(entry["protocol"]),
            action: entry["action"] === "deny" ? "deny" : "allow",
            cidr: String(entry["cidrBlock"]),
            fromPort: num(entry["fromPort"]),
            toPort: num(entry["toPort"]),
            ...(icmpType === undefined ? {} : { icmpType: num(icmpType) }),
            ...(icmpCode === undefined ? {} : { icmpCode: num(icmpCode) }),
        };
    });
}

function sgRule(r: SynthResource): SgRuleFact {
    const peer: SgPeer =
        typeof r.inputs["cidrIpv4"] === "string"
            ? { cidr: str(r, "cidrIpv4") }
            : typeof r.inputs["prefixListId"] === "string"
              ? { prefixList: str(r, "prefixListId") }
              : { securityGroupId: str(r, "referencedSecurityGroupId") };
    return { name: r.name, protocol: str(r, "ipProtocol"), fromPort: num(r.inputs["fromPort"], -1), toPort: num(r.inputs["toPort"], -1), peer };
}

/** The service's short name from its endpoint service name (com.amazonaws.us-west-2.ecr.api -> ecr.api). */
function shortService(serviceName: string, region: string): string {
    const marker = `.${region}.`;
    const at = serviceName.indexOf(marker);
    return at < 0 ? serviceName : serviceName.slice(at + marker.length);
}

/** Reads every fact the journeys need from a synthesized stack. Throws naming what the stack lacks. */
export function stackFacts(s: Synthesis): StackFacts {
    if (s.error !== undefined) {
        throw new Error(`the ${s.stack} stack did not synthesize: ${s.error.message}`);
    }
    const region = String(s.outputs["region"]);
    const vpc = must(ofType(s, "aws:ec2/vpc:Vpc")[0], "VPC");
    const subnets: SubnetFact[] = ofType(s, "aws:ec2/subnet:Subnet").map((r) => ({
        name: r.name,
        id: r.id,
        cidr: str(r, "cidrBlock"),
        az: str(r, "availabilityZone"),
        tier: String(record(r.inputs["tags"])["secure-ai:tier"]) as Tier,
    }));
    const associations = ofType(s, "aws:ec2/routeTableAssociation:RouteTableAssociation");
    const endpoints: EndpointFact[] = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").map((r) => ({
        name: r.name,
        id: r.id,
        type: r.inputs["vpcEndpointType"] === "Gateway" ? "Gateway" : "Interface",
        service: shortService(str(r, "serviceName"), region),
        policy: doc(r),
        subnetIds: strings(r.inputs["subnetIds"]),
        securityGroupIds: strings(r.inputs["securityGroupIds"]),
        prefixListId: typeof r.state["prefixListId"] === "string" ? r.state["prefixListId"] : undefined,
    }));
    const gatewayEndpoints = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs["vpcEndpointType"] === "Gateway");
    const routeTables: RouteTableFact[] = ofType(s, "aws:ec2/routeTable:RouteTable").map((t) => {
        const routes: RouteFact[] = [{ name: "local", destination: { cidr: str(vpc, "cidrBlock") }, target: { kind: "local" } }];
        for (const r of ofType(s, "aws:ec2/route:Route").filter((x) => x.inputs["routeTableId"] === t.id)) {
            const target: RouteTarget =
                typeof r.inputs["natGatewayId"] === "string"
                    ? { kind: "nat", id: str(r, "natGatewayId") }
                    : typeof r.inputs["gatewayId"] === "string"
                      ? { kind: "internet-gateway", id: str(r, "gatewayId") }
                      : { kind: "vpc-endpoint", id: str(r, "vpcEndpointId") };
            routes.push({ name: r.name, destination: { cidr: str(r, "destinationCidrBlock") }, target });
        }
        for (const e of gatewayEndpoints.filter((x) => strings(x.inputs["routeTableIds"]).includes(t.id))) {
            routes.push({ name: e.name, destination: { prefixList: String(e.state["prefixListId"]) }, target: { kind: "vpc-endpoint", id: e.id } });
        }
        const own = associations.filter((a) => a.inputs["routeTableId"] === t.id);
        return {
            name: t.name,
            id: t.id,
            routes,
            subnetIds: own.flatMap((a) => strings([a.inputs["subnetId"]])),
            gatewayIds: own.flatMap((a) => strings([a.inputs["gatewayId"]])),
        };
    });
    const nacls: NaclFact[] = ofType(s, "aws:ec2/networkAcl:NetworkAcl").map((r) => ({
        name: r.name,
        id: r.id,
        subnetIds: strings(r.inputs["subnetIds"]),
        ingress: naclEntries(r.inputs["ingress"]),
        egress: naclEntries(r.inputs["egress"]),
    }));
    const rules = (type: string) => ofType(s, type);
    const securityGroups: SecurityGroupFact[] = ofType(s, "aws:ec2/securityGroup:SecurityGroup").map((g) => ({
        name: g.name,
        id: g.id,
        ingress: rules("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs["securityGroupId"] === g.id).map(sgRule),
        egress: rules("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs["securityGroupId"] === g.id).map(sgRule),
    }));
    const igw = must(ofType(s, "aws:ec2/internetGateway:InternetGateway")[0], "internet gateway");

    const firewall = must(ofType(s, "aws-native:networkfirewall:Firewall")[0], "Network Firewall");
    const groups = ofType(s, "aws-native:networkfirewall:RuleGroup");
    const statelessGroup = must(groups.find((g) => g.inputs["type"] === "STATELESS"), "stateless rule group");
    const statefulGroup = must(groups.find((g) => g.inputs["type"] === "STATEFUL"), "stateful rule group");
    const policyResource = must(ofType(s, "aws-native:networkfirewall:FirewallPolicy")[0], "firewall policy");
    const policy = record(policyResource.inputs["firewallPolicy"]);
    const statefulRuleGroup = record(statefulGroup.inputs["ruleGroup"]);
    const statelessRules = statelessRuleFacts(statelessGroup.inputs["ruleGroup"]);
    const { ipSets, portSets } = ruleVariableFacts(statefulRuleGroup);

    const bucket = (purpose: string): BucketFact => {
        const b = must(ofType(s, "aws:s3/bucket:Bucket").find((r) => record(r.inputs["tags"])["secure-ai:purpose"] === purpose), `${purpose} bucket`);
        const p = must(ofType(s, "aws:s3/bucketPolicy:BucketPolicy").find((x) => x.inputs["bucket"] === b.id), `${purpose} bucket policy`);
        return { name: b.name, arn: String(b.state["arn"]), policy: { name: `${p.name} (bucket policy)`, policy: doc(p) } };
    };
    const role = (suffix: string): RoleFact => {
        const r = must(ofType(s, "aws:iam/role:Role").find((x) => x.name.endsWith(`-${suffix}`)), `${suffix} role`);
        const inline = ofType(s, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === r.id);
        return { name: r.name, arn: String(r.state["arn"]), policies: inline.map((p) => ({ name: `${p.name} (role policy)`, policy: doc(p) })) };
    };
    const key = must(ofType(s, "aws:kms/key:Key")[0], "KMS key");
    const guard = must(ofType(s, "aws:iam/policy:Policy").find((p) => p.name.endsWith("-sagemaker-vpc-guard")), "SageMaker guard policy");
    const output = (name: string) => String(s.outputs[name]);
    return {
        stack: s.stack,
        region,
        accountId: MOCK_ACCOUNT_ID,
        deployerArn: MOCK_DEPLOYER_ROLE_ARN,
        vpcCidr: str(vpc, "cidrBlock"),
        subnets,
        routeTables,
        nacls,
        securityGroups,
        natGateways: ofType(s, "aws:ec2/natGateway:NatGateway").map((n) => ({ name: n.name, id: n.id, subnetId: str(n, "subnetId") })),
        prefixLists: Object.fromEntries(
            ofType(s, "aws:ec2/managedPrefixList:ManagedPrefixList").map((l) => [l.id, (Array.isArray(l.inputs["entries"]) ? l.inputs["entries"] : []).map((e) => String(record(e)["cidr"]))]),
        ),
        internetGateway: { name: igw.name, id: igw.id },
        endpoints,
        firewall: {
            name: firewall.name,
            endpointsByAz: record(s.outputs["firewallEndpointIdsByAz"]) as Record<string, string>,
            stateless: { name: statelessGroup.name, rules: statelessRules },
            stateful: {
                name: statefulGroup.name,
                rulesString: String(record(statefulRuleGroup["rulesSource"])["rulesString"]),
                ipSets,
                portSets,
            },
            policy: {
                name: policyResource.name,
                statelessDefaultActions: strings(policy["statelessDefaultActions"]),
                statefulDefaultActions: strings(policy["statefulDefaultActions"]),
                ruleOrder: String(record(policy["statefulEngineOptions"])["ruleOrder"]),
            },
        },
        buckets: { data: bucket("training-data"), models: bucket("model-artifacts"), audit: bucket("audit"), accessLogs: bucket("access-logs") },
        key: { name: key.name, arn: String(key.state["arn"]), policy: { name: `${key.name} (key policy)`, policy: doc(key) } },
        roles: { training: role("training"), inference: role("inference"), flowLogs: role("flow-logs") },
        guard: { name: `${guard.name} (guard)`, policy: doc(guard) },
        trailArn: output("trailArn"),
        trailLogGroup: output("trailLogGroupName"),
        flowLogGroup: output("flowLogGroupName"),
        loadBalancerSecurityGroupId: output("loadBalancerSecurityGroupId"),
        servicesSecurityGroupId: output("servicesSecurityGroupId"),
        trainingSecurityGroupId: output("trainingSecurityGroupId"),
    };
}

/** A deep copy a test may break without touching the cached synthesis. */
export function copyFacts(f: StackFacts): StackFacts {
    return structuredClone(f);
}
