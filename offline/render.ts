// Renders a Synthesis as a readable plan. Ids in properties are shown as the logical names of the resources
// they belong to, so a reviewer reads "-> nat secure-ai-nat-us-west-2a" rather than an opaque id.
import { cloudResources, type SynthResource, type Synthesis } from "./synth";

type Props = Readonly<Record<string, unknown>>;
type Summary = (inputs: Props, ref: (id: unknown) => string) => string[];

const str = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Props => {
    // Provider inputs arrive as JSON text.
    const value: unknown = typeof v === "string" && v.startsWith("{") ? JSON.parse(v) : v;
    return typeof value === "object" && value !== null ? (value as Props) : {};
};
const ports = (r: Props): string =>
    r["fromPort"] === r["toPort"] ? str(r["fromPort"]) : `${str(r["fromPort"])}-${str(r["toPort"])}`;

function naclRules(direction: string, rules: unknown): string[] {
    return list(rules)
        .map(obj)
        .map((r) => `${direction} ${str(r["ruleNo"])} ${str(r["action"])} ${r["protocol"] === "-1" ? "all" : r["protocol"] === "icmp" ? `icmp type ${str(r["icmpType"])} code ${str(r["icmpCode"])}` : `${str(r["protocol"])} ${ports(r)}`} ${direction === "in" ? "from" : "to"} ${str(r["cidrBlock"])}`);
}

/** What to show per resource type. Types not listed show their name only. */
const SUMMARIES: Readonly<Record<string, Summary>> = {
    "pulumi:providers:aws": (i) => [`region=${str(i["region"])} defaultTags=${str(obj(i["defaultTags"])["tags"])}`],
    "pulumi:providers:aws-native": (i) => [`region=${str(i["region"])} defaultTags=${str(obj(i["defaultTags"])["tags"])}`],
    "aws:ec2/vpc:Vpc": (i) => [`cidr=${str(i["cidrBlock"])} dnsSupport=${str(i["enableDnsSupport"])} dnsHostnames=${str(i["enableDnsHostnames"])}`],
    "aws:ec2/subnet:Subnet": (i) => [`${str(i["cidrBlock"])} in ${str(i["availabilityZone"])} publicIpOnLaunch=${str(i["mapPublicIpOnLaunch"])}`],
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (i, ref) => [
        `${i["subnetId"] !== undefined ? ref(i["subnetId"]) : `gateway ${ref(i["gatewayId"])}`} -> ${ref(i["routeTableId"])}`,
    ],
    "aws:ec2/route:Route": (i, ref) => {
        const target = ["natGatewayId", "gatewayId", "vpcEndpointId", "networkInterfaceId", "transitGatewayId"]
            .filter((k) => i[k] !== undefined)
            .map((k) => `${k.replace(/Id$/, "")} ${ref(i[k])}`);
        return [`${ref(i["routeTableId"])}: ${str(i["destinationCidrBlock"])} -> ${target.join(", ")}`];
    },
    "aws:ec2/natGateway:NatGateway": (i, ref) => [`in ${ref(i["subnetId"])} eip=${ref(i["allocationId"])}`],
    "aws:ec2/networkAcl:NetworkAcl": (i, ref) => [
        `subnets: ${list(i["subnetIds"]).map(ref).join(", ")}`,
        ...naclRules("in", i["ingress"]),
        ...naclRules("out", i["egress"]),
    ],
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": (i) => [`rules: ${list(i["ingress"]).length + list(i["egress"]).length} (all stripped)`],
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (i) => [`rules: ${list(i["ingress"]).length + list(i["egress"]).length} (all stripped)`],
    "aws:ec2/defaultRouteTable:DefaultRouteTable": (i) => [`routes: ${list(i["routes"]).length} (all stripped)`],
    "aws:ec2/vpcEndpoint:VpcEndpoint": (i, ref) => [
        `${str(i["vpcEndpointType"])} ${str(i["serviceName"])}${i["privateDnsEnabled"] === true ? " privateDns" : ""} policy=${i["policy"] === undefined ? "NONE" : "set"}`,
        ...(i["routeTableIds"] !== undefined ? [`route tables: ${list(i["routeTableIds"]).map(ref).join(", ")}`] : []),
        ...(i["subnetIds"] !== undefined ? [`subnets: ${list(i["subnetIds"]).map(ref).join(", ")}`] : []),
    ],
    "aws:ec2/securityGroup:SecurityGroup": (i) => [str(i["description"])],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (i, ref) => [sgRule("in", i, ref)],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (i, ref) => [sgRule("out", i, ref)],
    "aws-native:networkfirewall:RuleGroup": (i) => {
        const group = obj(i["ruleGroup"]);
        const source = obj(group["rulesSource"]);
        const rules = typeof source["rulesString"] === "string" ? source["rulesString"].trim().split("\n") : [];
        const stateless = list(obj(source["statelessRulesAndCustomActions"])["statelessRules"]).map(obj);
        return [
            `${str(i["type"])} capacity=${str(i["capacity"])} order=${str(obj(group["statefulRuleOptions"])["ruleOrder"] ?? "-")}`,
            ...Object.entries(obj(obj(group["ruleVariables"])["ipSets"])).map(([k, v]) => `ipSet ${k} = ${list(obj(v)["definition"]).join(", ")}`),
            ...Object.entries(obj(obj(group["ruleVariables"])["portSets"])).map(([k, v]) => `portSet ${k} = ${list(obj(v)["definition"]).join(", ")}`),
            ...rules,
            ...stateless.map((r) => `priority ${str(r["priority"])}: ${str(obj(r["ruleDefinition"])["actions"])} ${str(obj(obj(r["ruleDefinition"])["matchAttributes"]))}`),
        ];
    },
    "aws-native:networkfirewall:FirewallPolicy": (i, ref) => {
        const p = obj(i["firewallPolicy"]);
        const refs = (key: string): string => list(p[key]).map(obj).map((r) => `${ref(r["resourceArn"])} (priority ${str(r["priority"])})`).join(", ");
        return [
            `stateless default ${str(p["statelessDefaultActions"])}, fragments ${str(p["statelessFragmentDefaultActions"])}`,
            `stateful default ${str(p["statefulDefaultActions"])} engine ${str(p["statefulEngineOptions"])}`,
            `stateless groups: ${refs("statelessRuleGroupReferences")}`,
            `stateful groups: ${refs("statefulRuleGroupReferences")}`,
        ];
    },
    "aws-native:networkfirewall:Firewall": (i, ref) => [
        `policy ${ref(i["firewallPolicyArn"])}; subnets: ${list(i["subnetMappings"]).map((m) => ref(obj(m)["subnetId"])).join(", ")}`,
        `protection: delete=${str(i["deleteProtection"])} subnetChange=${str(i["subnetChangeProtection"])} policyChange=${str(i["firewallPolicyChangeProtection"])}`,
    ],
    "aws-native:networkfirewall:LoggingConfiguration": (i) =>
        list(obj(i["loggingConfiguration"])["logDestinationConfigs"]).map(obj).map((c) => `${str(c["logType"])} -> ${str(c["logDestinationType"])} ${str(obj(c["logDestination"])["logGroup"])}`),
    // A group not yet deployed is created as namePrefix + a unique id the provider picks.
    "aws:cloudwatch/logGroup:LogGroup": (i, ref) => [`${i["name"] === undefined ? `${str(i["namePrefix"])}<unique id>` : str(i["name"])} retention=${str(i["retentionInDays"])}d kms=${i["kmsKeyId"] === undefined ? "NONE" : ref(i["kmsKeyId"])}`],
    "aws:kms/key:Key": (i) => [`rotation=${str(i["enableKeyRotation"])} deletionWindow=${str(i["deletionWindowInDays"])}d`],
    "aws:ec2/flowLog:FlowLog": (i, ref) => [
        `${ref(i["vpcId"])} traffic=${str(i["trafficType"])} -> ${ref(i["logDestination"])}${i["logFormat"] === undefined ? "" : ` format=${str(i["logFormat"])}`}`,
    ],
    "aws:ec2/vpcEncryptionControl:VpcEncryptionControl": (i, ref) => [`${ref(i["vpcId"])} mode=${str(i["mode"])}`],
    "aws:ec2/managedPrefixList:ManagedPrefixList": (i) => [
        `${str(i["addressFamily"])} maxEntries=${str(i["maxEntries"])}: ${list(i["entries"]).map((e) => str(obj(e)["cidr"])).join(", ")}`,
    ],
    "aws:s3/bucket:Bucket": (i) => [`forceDestroy=${str(i["forceDestroy"])}`],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (i, ref) =>
        list(i["rules"]).map(obj).map((r) => {
            const d = obj(r["applyServerSideEncryptionByDefault"]);
            return `${str(d["sseAlgorithm"])}${d["kmsMasterKeyId"] === undefined ? "" : ` key=${ref(d["kmsMasterKeyId"])}`} bucketKey=${str(r["bucketKeyEnabled"] ?? false)} blocked=${str(r["blockedEncryptionTypes"])}`;
        }),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (i) => [publicAccessBlock(i)],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (i) => [str(obj(i["rule"])["objectOwnership"])],
    "aws:s3/bucketVersioning:BucketVersioning": (i) => [str(obj(i["versioningConfiguration"])["status"])],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (i) =>
        list(i["rules"]).map(obj).map((r) =>
            [
                `${str(r["id"])}:`,
                `abort incomplete uploads after ${str(obj(r["abortIncompleteMultipartUpload"])["daysAfterInitiation"])}d,`,
                `noncurrent versions after ${str(obj(r["noncurrentVersionExpiration"])["noncurrentDays"])}d,`,
                obj(r["expiration"])["days"] !== undefined ? `objects after ${str(obj(r["expiration"])["days"])}d` : "expired delete markers",
            ].join(" "),
        ),
    "aws:s3/bucketLogging:BucketLogging": (i, ref) => [`-> ${ref(i["targetBucket"])}/${str(i["targetPrefix"])}`],
    "aws:s3/bucketPolicy:BucketPolicy": (i) => policyLines(i["policy"]),
    "aws:cloudtrail/trail:Trail": (i, ref) => [
        `${str(i["name"])} -> ${ref(i["s3BucketName"])} kms=${ref(i["kmsKeyId"])} validation=${str(i["enableLogFileValidation"])} multiRegion=${str(i["isMultiRegionTrail"])}`,
        ...list(i["advancedEventSelectors"]).map((sel) => `selector: ${str(obj(sel)["name"])}`),
    ],
    "aws:iam/role:Role": (i) =>
        list(obj(i["assumeRolePolicy"])["Statement"]).map(obj).map((st) => {
            const principal = obj(st["Principal"]);
            const who = [principal["Service"], principal["AWS"], principal["Federated"]].flat().filter((p) => p !== undefined).map(str).join(", ");
            return `trusted by ${who}${st["Condition"] === undefined ? "" : ` if ${str(st["Condition"])}`}`;
        }),
    "aws:iam/rolePolicy:RolePolicy": (i) => policyLines(i["policy"]),
    "aws:iam/policy:Policy": (i) => policyLines(i["policy"]),
    "aws:ebs/encryptionByDefault:EncryptionByDefault": (i) => [`enabled=${str(i["enabled"])}`],
    "aws:ebs/defaultKmsKey:DefaultKmsKey": (i, ref) => [`key=${ref(i["keyArn"])}`],
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": (i) => [publicAccessBlock(i)],
    "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults": (i) => [`httpTokens=${str(i["httpTokens"])} hopLimit=${str(i["httpPutResponseHopLimit"])}`],
};

function publicAccessBlock(i: Props): string {
    return ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map((k) => `${k}=${str(i[k])}`).join(" ");
}

/** One line per statement: sid, effect, actions and resources. */
function policyLines(document: unknown): string[] {
    const words = (v: unknown): string => [v].flat().map(str).join(" ");
    return list(obj(document)["Statement"]).map(obj).map((st) => `${str(st["Sid"])}: ${str(st["Effect"])} ${words(st["Action"])} on ${words(st["Resource"])}`);
}

function sgRule(direction: "in" | "out", i: Props, ref: (id: unknown) => string): string {
    const peer =
        i["cidrIpv4"] ?? (i["referencedSecurityGroupId"] !== undefined ? `sg ${ref(i["referencedSecurityGroupId"])}` : undefined) ??
        (i["prefixListId"] !== undefined ? `prefix list ${ref(i["prefixListId"])}` : "?");
    const what = i["ipProtocol"] === "-1" ? "all" : `${str(i["ipProtocol"])} ${ports(i)}`;
    return `${ref(i["securityGroupId"])} ${direction} ${what} ${direction === "in" ? "from" : "to"} ${str(peer)}`;
}

export function renderPlan(synthesis: Synthesis): string {
    const names = new Map<string, string>();
    for (const r of synthesis.resources) {
        names.set(r.id, `${shortType(r.type)} ${r.name}`);
        for (const key of ["arn", "ruleGroupArn", "firewallPolicyArn", "firewallArn"]) {
            if (typeof r.state[key] === "string" && !names.has(r.state[key])) {
                names.set(r.state[key], `${shortType(r.type)} ${r.name}`);
            }
        }
        // Firewall endpoints are not resources of their own: name them by AZ.
        for (const entry of list(r.state["endpointIds"])) {
            const [az, vpce] = str(entry).split(":");
            names.set(vpce ?? "", `firewall endpoint ${vpce} (${az})`);
        }
    }
    const ref = (id: unknown): string => (typeof id === "string" ? (names.get(id) ?? id) : str(id));

    const lines: string[] = [];
    lines.push(`secure-ai offline plan for stack "${synthesis.stack}" (mocked AWS answers; nothing is deployed)`);
    const groups = new Map<string, SynthResource[]>();
    for (const r of synthesis.resources.filter((x) => x.custom || x.type.startsWith("pulumi:providers:"))) {
        const key = r.parentType === "" ? "(stack)" : r.parentType;
        groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const [group, resources] of groups) {
        const components = synthesis.resources.filter((r) => !r.custom && r.type === group).map((r) => `"${r.name}"`);
        lines.push("", components.length === 0 ? group : `${group} ${components.join(", ")}`);
        for (const r of [...resources].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))) {
            lines.push(`  ${shortType(r.type)} ${r.name}`);
            for (const detail of SUMMARIES[r.type]?.(r.inputs, ref) ?? []) {
                lines.push(`      ${detail}`);
            }
        }
    }

    // The AWS resources as the markdown report counts them (cloudResources); Pulumi's own (providers, the
    // StackReference that reads this stack's last outputs) are named apart, so both reports give one figure.
    const counts = new Map<string, number>();
    for (const r of cloudResources(synthesis)) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const components = synthesis.resources.filter((x) => !x.custom).length;
    const providers = synthesis.resources.filter((x) => x.type.startsWith("pulumi:providers:")).length;
    const references = synthesis.resources.filter((x) => x.custom && x.type === "pulumi:pulumi:StackReference").length;
    lines.push("", `${total} AWS resources, ${components} components, ${providers} providers, ${references} stack reference${references === 1 ? "" : "s"}:`);
    for (const [type, count] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
        lines.push(`  ${String(count).padStart(4)}  ${type}`);
    }
    lines.push("", "stack outputs:");
    for (const [key, value] of Object.entries(synthesis.outputs)) {
        // Pulumi exports no output whose value is undefined (a feature this stack does not deploy).
        lines.push(`  ${key}: ${value === undefined ? "(not exported by this stack)" : JSON.stringify(value)}`);
    }
    return `${lines.join("\n")}\n`;
}

/** `aws:ec2/routeTable:RouteTable` -> `ec2:RouteTable`. */
function shortType(type: string): string {
    const parts = type.split(":");
    if (parts.length !== 3) {
        return type;
    }
    const [pkg, mod, name] = parts;
    return `${pkg === "aws" ? "" : `${pkg}:`}${(mod ?? "").split("/")[0]}:${name}`;
}
