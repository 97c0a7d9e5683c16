// The stack outputs `npm run verify` and `npm run check:policies` read: what `pulumi stack output --json` prints
// for this program (index.ts), checked key by key so a missing or renamed output is named, not crashed on.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

export interface StackOutputs {
    readonly region: string;
    readonly vpcId: string;
    readonly internetGatewayId: string;
    readonly firewallArn: string;
    readonly firewallEndpointIdsByAz: Readonly<Record<string, string>>;
    readonly publicSubnetIds: Readonly<Record<string, string>>;
    readonly servicesSubnetIds: Readonly<Record<string, string>>;
    readonly trainingSubnetIds: Readonly<Record<string, string>>;
    readonly natGatewayIds: Readonly<Record<string, string>>;
    readonly routeTableIds: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly s3EndpointId: string;
    readonly interfaceEndpointIds: Readonly<Record<string, string>>;
    readonly loadBalancerSecurityGroupId: string;
    readonly servicesSecurityGroupId: string;
    readonly trainingSecurityGroupId: string;
    readonly accessScopeIds: Readonly<Record<string, string>>;
    readonly ingressPorts: readonly number[];
    readonly servingPort: number;
}

const STRING_KEYS = [
    "region",
    "vpcId",
    "internetGatewayId",
    "firewallArn",
    "s3EndpointId",
    "loadBalancerSecurityGroupId",
    "servicesSecurityGroupId",
    "trainingSecurityGroupId",
] as const;
const MAP_KEYS = ["firewallEndpointIdsByAz", "publicSubnetIds", "servicesSubnetIds", "trainingSubnetIds", "natGatewayIds", "interfaceEndpointIds", "accessScopeIds"] as const;

function isStringMap(value: unknown): value is Record<string, string> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}

/** The outputs, or every problem with them (one line each, naming the key). */
export function parseOutputs(value: unknown): { outputs?: StackOutputs; problems: string[] } {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return { problems: ["the stack outputs are not a JSON object (expected what `pulumi stack output --json` prints)"] };
    }
    const o = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of STRING_KEYS) {
        if (typeof o[key] !== "string" || o[key] === "") {
            problems.push(`output ${key}: expected a string, got ${JSON.stringify(o[key])}`);
        }
    }
    for (const key of MAP_KEYS) {
        if (!isStringMap(o[key])) {
            problems.push(`output ${key}: expected an object of strings, got ${JSON.stringify(o[key])}`);
        }
    }
    const tables = o["routeTableIds"];
    if (typeof tables !== "object" || tables === null || !Object.values(tables).every(isStringMap)) {
        problems.push(`output routeTableIds: expected tier -> AZ -> id, got ${JSON.stringify(tables)}`);
    }
    const ports = o["ingressPorts"];
    if (!Array.isArray(ports) || !ports.every((p) => Number.isInteger(p))) {
        problems.push(`output ingressPorts: expected a list of ports, got ${JSON.stringify(ports)}`);
    }
    if (!Number.isInteger(o["servingPort"])) {
        problems.push(`output servingPort: expected a port, got ${JSON.stringify(o["servingPort"])}`);
    }
    if (problems.length > 0) {
        return { problems: [...problems, "(deploy this version of the program first: `pulumi up` adds the outputs it reads)"] };
    }
    return { outputs: o as unknown as StackOutputs, problems };
}

/**
 * Where the outputs come from: `--outputs <file>` (a file, or `-` for standard input: what CI passes), else the
 * Pulumi CLI (`pulumi stack output --json --stack <stack>`, through the project's npm `pulumi` package).
 */
export function readOutputs(stack: string, source: string | undefined, cwd: string): unknown {
    const text =
        source === "-"
            ? fs.readFileSync(0, "utf8")
            : source !== undefined
              ? fs.readFileSync(source, "utf8")
              : execFileSync("npx", ["--no-install", "pulumi", "stack", "output", "--json", "--stack", stack], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    return JSON.parse(text) as unknown;
}

/** id -> what a person calls it, from the outputs (e.g. `subnet-0abc` -> `services subnet us-west-2a`). */
export function labels(o: StackOutputs): Map<string, string> {
    const out = new Map<string, string>();
    const byAz = (map: Readonly<Record<string, string>>, what: string): void => {
        for (const [az, id] of Object.entries(map)) {
            out.set(id, `${what} ${az}`);
        }
    };
    out.set(o.vpcId, "VPC");
    out.set(o.internetGatewayId, "internet gateway");
    out.set(o.firewallArn, "network firewall");
    byAz(o.firewallEndpointIdsByAz, "firewall endpoint");
    byAz(o.publicSubnetIds, "public subnet");
    byAz(o.servicesSubnetIds, "services subnet");
    byAz(o.trainingSubnetIds, "training subnet");
    byAz(o.natGatewayIds, "NAT gateway");
    for (const [tier, tables] of Object.entries(o.routeTableIds)) {
        byAz(tables, `${tier} route table`);
    }
    out.set(o.s3EndpointId, "S3 gateway endpoint");
    for (const [service, id] of Object.entries(o.interfaceEndpointIds)) {
        out.set(id, `${service} interface endpoint`);
    }
    out.set(o.loadBalancerSecurityGroupId, "load balancer security group");
    out.set(o.servicesSecurityGroupId, "services security group");
    out.set(o.trainingSecurityGroupId, "training security group");
    for (const [name, id] of Object.entries(o.accessScopeIds)) {
        out.set(id, `scope ${name}`);
    }
    return out;
}
