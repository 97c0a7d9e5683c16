// `npm run verify`: AWS's automated reasoning over the deployed stack. Every Network Access Analyzer scope of the
// stack is analysed (a finding is a path the README says cannot exist), and the journeys that must work are run as
// Reachability Analyzer paths between the network interfaces found in their tiers. Orchestration and rendering
// only; the client is passed in, so tests drive it with aws-sdk-client-mock.
//
// Calls (EC2 API Reference; @aws-sdk/client-ec2 3.1169.0): StartNetworkInsightsAccessScopeAnalysis,
// DescribeNetworkInsightsAccessScopeAnalyses (Status running|succeeded|failed, FindingsFound true|false|unknown),
// GetNetworkInsightsAccessScopeAnalysisFindings (paged by NextToken), DeleteNetworkInsightsAccessScopeAnalysis,
// DescribeNetworkInterfaces (filters group-id,
// subnet-id), CreateNetworkInsightsPath, StartNetworkInsightsAnalysis, DescribeNetworkInsightsAnalyses
// (NetworkPathFound, ForwardPathComponents, Explanations), DeleteNetworkInsightsAnalysis, DeleteNetworkInsightsPath.
import {
    CreateNetworkInsightsPathCommand,
    DeleteNetworkInsightsAccessScopeAnalysisCommand,
    DeleteNetworkInsightsAnalysisCommand,
    DeleteNetworkInsightsPathCommand,
    DescribeNetworkInsightsAccessScopeAnalysesCommand,
    DescribeNetworkInsightsAnalysesCommand,
    DescribeNetworkInterfacesCommand,
    GetNetworkInsightsAccessScopeAnalysisFindingsCommand,
    StartNetworkInsightsAccessScopeAnalysisCommand,
    StartNetworkInsightsAnalysisCommand,
    type AccessScopeAnalysisFinding,
    type AnalysisComponent,
    type EC2Client,
    type Explanation,
    type NetworkInsightsAccessScopeAnalysis,
    type NetworkInsightsAnalysis,
    type PathComponent,
    type PortRange,
} from "@aws-sdk/client-ec2";
import type { StackOutputs } from "./outputs";

export interface VerifyOptions {
    /** Milliseconds between status polls, and the most polls per analysis (the bound on waiting). */
    readonly pollMs: number;
    readonly maxPolls: number;
    readonly print: (line: string) => void;
}

export interface MustWorkPath {
    readonly name: string;
    /** Where the source and destination come from: a fixed id, or the first interface with a group in a tier. */
    readonly source: Endpoint;
    readonly destination: Endpoint;
    readonly port: number;
}

type Endpoint = { readonly id: string } | { readonly tier: "public" | "services" | "training"; readonly securityGroupId: string; readonly what: string };

/**
 * The journeys that must work and that Reachability Analyzer can run: its sources and destinations are instances,
 * internet gateways, network interfaces, transit gateways and attachments, VPC endpoints and endpoint services,
 * peering connections and VPN gateways (Reachability Analyzer Guide, "How Reachability Analyzer works"). The stack
 * deploys no workload, so the workloads' own network interfaces (which carry the stack's security groups) stand in.
 */
export function mustWorkPaths(o: StackOutputs): MustWorkPath[] {
    const loadBalancer = { tier: "public", securityGroupId: o.loadBalancerSecurityGroupId, what: "load balancer" } as const;
    const modelServer = { tier: "services", securityGroupId: o.servicesSecurityGroupId, what: "model server" } as const;
    const trainingJob = { tier: "training", securityGroupId: o.trainingSecurityGroupId, what: "training job" } as const;
    const firstInterfaceEndpoint = Object.keys(o.interfaceEndpointIds).sort()[0];
    return [
        ...o.ingressPorts.map((port) => ({ name: `internet -> load balancer :${port}`, source: { id: o.internetGatewayId }, destination: loadBalancer, port })),
        { name: `load balancer -> model server :${o.servingPort}`, source: loadBalancer, destination: modelServer, port: o.servingPort },
        ...(firstInterfaceEndpoint === undefined
            ? []
            : [{ name: `model server -> ${firstInterfaceEndpoint} interface endpoint :443`, source: modelServer, destination: { id: o.interfaceEndpointIds[firstInterfaceEndpoint] ?? "" }, port: 443 }]),
        { name: "training job -> S3 gateway endpoint :443", source: trainingJob, destination: { id: o.s3EndpointId }, port: 443 },
    ];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the analysis leaves `running`, at most maxPolls times; undefined when it never did. */
async function poll<T extends { Status?: string | undefined }>(describe: () => Promise<T | undefined>, options: VerifyOptions): Promise<T | undefined> {
    for (let i = 0; i < options.maxPolls; i++) {
        const current = await describe();
        if (current !== undefined && current.Status !== "running") {
            return current;
        }
        await sleep(options.pollMs);
    }
    return undefined;
}

function ports(ranges: readonly PortRange[] | undefined): string {
    return (ranges ?? []).map((r) => (r.From === r.To ? String(r.From) : `${r.From}-${r.To}`)).join(",");
}

/** One hop as a person reads it: what the component is (its name from the stack outputs) and what let the packet on. */
export function describeHop(c: PathComponent, names: ReadonlyMap<string, string>): string {
    const name = (a: AnalysisComponent | undefined): string => {
        if (a === undefined) {
            return "?";
        }
        const id = a.Id ?? a.Arn ?? "?";
        const label = names.get(id) ?? (a.Arn === undefined ? undefined : names.get(a.Arn)) ?? a.Name;
        return label === undefined ? id : `${label} (${id})`;
    };
    const details: string[] = [];
    const route = c.RouteTableRoute;
    if (route !== undefined) {
        const target = route.GatewayId ?? route.NatGatewayId ?? route.NetworkInterfaceId ?? route.TransitGatewayId ?? route.VpcPeeringConnectionId ?? "local";
        details.push(`route ${route.DestinationCidr ?? route.DestinationPrefixListId ?? "?"} -> ${names.get(target) ?? target}`);
    }
    const acl = c.AclRule;
    if (acl !== undefined) {
        details.push(`NACL ${acl.Egress === true ? "outbound" : "inbound"} rule ${acl.RuleNumber ?? "?"} ${acl.RuleAction ?? "?"} ${acl.Protocol ?? "?"} ${acl.Cidr ?? ""}${acl.PortRange === undefined ? "" : ` ports ${ports([acl.PortRange])}`}`.trimEnd());
    }
    const sg = c.SecurityGroupRule;
    if (sg !== undefined) {
        const peer = sg.Cidr ?? sg.PrefixListId ?? sg.SecurityGroupId ?? "?";
        details.push(`security group ${sg.Direction ?? "?"} rule ${sg.Protocol ?? "?"}${sg.PortRange === undefined ? "" : ` ${ports([sg.PortRange])}`} ${sg.Direction === "egress" ? "to" : "from"} ${names.get(peer) ?? peer}`);
    }
    const stateful = c.FirewallStatefulRule;
    if (stateful !== undefined) {
        details.push(`firewall stateful rule ${stateful.RuleAction ?? "?"} ${stateful.Protocol ?? ""} ${(stateful.Destinations ?? []).join(",")} ${ports(stateful.DestinationPorts)}`.replace(/\s+/g, " ").trimEnd());
    }
    const stateless = c.FirewallStatelessRule;
    if (stateless !== undefined) {
        details.push(`firewall stateless rule ${stateless.Priority ?? "?"} ${stateless.RuleAction ?? "?"}`);
    }
    const header = c.OutboundHeader;
    if (header !== undefined && c.SequenceNumber === 1) {
        details.push(`packet ${header.Protocol ?? "?"} ${(header.SourceAddresses ?? []).join(",")} -> ${(header.DestinationAddresses ?? []).join(",")}:${ports(header.DestinationPortRanges)}`);
    }
    const where = c.Subnet === undefined ? "" : ` in ${name(c.Subnet)}`;
    return `${name(c.Component)}${where}${details.length === 0 ? "" : `: ${details.join("; ")}`}`;
}

/** A finding, hop by hop, numbered as AWS numbers the components. */
export function describeFinding(f: AccessScopeAnalysisFinding, names: ReadonlyMap<string, string>): string[] {
    const hops = [...(f.FindingComponents ?? [])].sort((a, b) => (a.SequenceNumber ?? 0) - (b.SequenceNumber ?? 0));
    return [`  finding ${f.FindingId ?? "?"}:`, ...hops.map((h) => `    ${h.SequenceNumber ?? "?"}. ${describeHop(h, names)}`)];
}

export function describeExplanation(e: Explanation, names: ReadonlyMap<string, string>): string {
    const component = e.Component ?? e.Acl ?? e.SecurityGroup ?? e.RouteTable ?? e.Subnet ?? e.InternetGateway ?? e.NatGateway;
    const id = component?.Id ?? component?.Arn;
    return `    ${e.ExplanationCode ?? "?"}${id === undefined ? "" : ` at ${names.get(id) ?? component?.Name ?? id} (${id})`}`;
}

export interface ScopeResult {
    readonly scope: string;
    readonly status: "no findings" | "not proven" | "findings" | "failed" | "timed out";
}

async function analyseScope(ec2: EC2Client, scope: string, scopeId: string, names: ReadonlyMap<string, string>, options: VerifyOptions): Promise<ScopeResult> {
    const started = await ec2.send(new StartNetworkInsightsAccessScopeAnalysisCommand({ NetworkInsightsAccessScopeId: scopeId }));
    const analysisId = started.NetworkInsightsAccessScopeAnalysis?.NetworkInsightsAccessScopeAnalysisId;
    if (analysisId === undefined) {
        options.print(`FAIL scope ${scope} (${scopeId}): StartNetworkInsightsAccessScopeAnalysis returned no analysis id`);
        return { scope, status: "failed" };
    }
    try {
        return await readScope(ec2, scope, analysisId, names, options);
    } finally {
        // An analysis stays in the account until DeleteNetworkInsightsAccessScopeAnalysis removes it (EC2 API
        // Reference); every run starts new ones, so each is deleted once read, whatever its outcome. A failed delete
        // is a warning: it must not hide the result the run already has.
        await deleteQuietly(() => ec2.send(new DeleteNetworkInsightsAccessScopeAnalysisCommand({ NetworkInsightsAccessScopeAnalysisId: analysisId })), `scope ${scope}: analysis ${analysisId}`, options);
    }
}

/** Sends a delete; on error prints a warning naming what was left behind instead of failing the run. */
async function deleteQuietly(remove: () => Promise<unknown>, what: string, options: VerifyOptions): Promise<void> {
    try {
        await remove();
    } catch (e) {
        options.print(`warn ${what} not deleted: ${e instanceof Error ? e.message : String(e)}`);
    }
}

async function readScope(ec2: EC2Client, scope: string, analysisId: string, names: ReadonlyMap<string, string>, options: VerifyOptions): Promise<ScopeResult> {
    const done = await poll<NetworkInsightsAccessScopeAnalysis>(
        async () =>
            (await ec2.send(new DescribeNetworkInsightsAccessScopeAnalysesCommand({ NetworkInsightsAccessScopeAnalysisIds: [analysisId] })))
                .NetworkInsightsAccessScopeAnalyses?.[0],
        options,
    );
    if (done === undefined) {
        options.print(`FAIL scope ${scope}: analysis ${analysisId} still running after ${options.maxPolls} polls`);
        return { scope, status: "timed out" };
    }
    if (done.Status !== "succeeded") {
        options.print(`FAIL scope ${scope}: analysis ${analysisId} ${done.Status ?? "?"}: ${done.StatusMessage ?? "no message"}`);
        return { scope, status: "failed" };
    }
    const eni = done.AnalyzedEniCount === undefined ? "" : `, ${done.AnalyzedEniCount} network interfaces analysed`;
    if (done.FindingsFound === "false") {
        // AnalyzedEniCount (EC2 API Reference, NetworkInsightsAccessScopeAnalysis: "The number of network interfaces
        // analyzed"): with none, no path that starts or ends at a network interface was looked at (Network Access
        // Analyzer Guide, "How Network Access Analyzer works"), so "no findings" says nothing about the workloads the
        // claim is about, only that nothing exists yet. Absent counts as none: AWS did not say it analysed any.
        if ((done.AnalyzedEniCount ?? 0) === 0) {
            options.print(`--   scope ${scope}: not proven, no findings but ${done.AnalyzedEniCount ?? "no"} network interfaces analysed (analysis ${analysisId}); run again once workloads are in its subnets`);
            return { scope, status: "not proven" };
        }
        options.print(`ok   scope ${scope}: no findings (analysis ${analysisId}${eni})`);
        return { scope, status: "no findings" };
    }
    const findings: AccessScopeAnalysisFinding[] = [];
    let nextToken: string | undefined;
    do {
        const page = await ec2.send(new GetNetworkInsightsAccessScopeAnalysisFindingsCommand({ NetworkInsightsAccessScopeAnalysisId: analysisId, NextToken: nextToken }));
        findings.push(...(page.AnalysisFindings ?? []));
        nextToken = page.NextToken;
    } while (nextToken !== undefined);
    if (findings.length === 0 && done.FindingsFound !== "true") {
        // FindingsFound "unknown" with no findings to read: AWS could not decide, which proves nothing.
        options.print(`FAIL scope ${scope}: analysis ${analysisId} could not decide (FindingsFound ${done.FindingsFound ?? "absent"})`);
        return { scope, status: "failed" };
    }
    options.print(`FAIL scope ${scope}: ${findings.length} finding${findings.length === 1 ? "" : "s"} (analysis ${analysisId}${eni})`);
    for (const f of findings) {
        for (const line of describeFinding(f, names)) {
            options.print(line);
        }
    }
    return { scope, status: "findings" };
}

export interface PathResult {
    readonly name: string;
    readonly status: "reachable" | "not reachable" | "not run" | "failed" | "timed out";
}

async function resolveEndpoint(ec2: EC2Client, e: Endpoint, o: StackOutputs): Promise<string | undefined> {
    if ("id" in e) {
        return e.id;
    }
    const subnets = Object.values(e.tier === "public" ? o.publicSubnetIds : e.tier === "services" ? o.servicesSubnetIds : o.trainingSubnetIds);
    const found = await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "group-id", Values: [e.securityGroupId] }, { Name: "subnet-id", Values: subnets }] }),
    );
    return (found.NetworkInterfaces ?? []).map((n) => n.NetworkInterfaceId).filter((id): id is string => id !== undefined).sort()[0];
}

async function runPath(ec2: EC2Client, p: MustWorkPath, o: StackOutputs, names: ReadonlyMap<string, string>, options: VerifyOptions): Promise<PathResult> {
    const [source, destination] = [await resolveEndpoint(ec2, p.source, o), await resolveEndpoint(ec2, p.destination, o)];
    if (source === undefined || destination === undefined) {
        const missing = source === undefined ? p.source : p.destination;
        const what = "id" in missing ? missing.id : `network interface with the ${missing.what}'s security group in the ${missing.tier} subnets`;
        options.print(`--   path ${p.name}: not run, no ${what} yet`);
        return { name: p.name, status: "not run" };
    }
    const created = await ec2.send(
        new CreateNetworkInsightsPathCommand({
            Source: source,
            Destination: destination,
            Protocol: "tcp",
            DestinationPort: p.port,
            TagSpecifications: [{ ResourceType: "network-insights-path", Tags: [{ Key: "Name", Value: `secure-ai verify: ${p.name}` }] }],
        }),
    );
    const pathId = created.NetworkInsightsPath?.NetworkInsightsPathId;
    if (pathId === undefined) {
        options.print(`FAIL path ${p.name}: CreateNetworkInsightsPath returned no path id`);
        return { name: p.name, status: "failed" };
    }
    let analysisId: string | undefined;
    try {
        const started = await ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: pathId }));
        analysisId = started.NetworkInsightsAnalysis?.NetworkInsightsAnalysisId;
        if (analysisId === undefined) {
            options.print(`FAIL path ${p.name}: StartNetworkInsightsAnalysis returned no analysis id`);
            return { name: p.name, status: "failed" };
        }
        const id = analysisId;
        const done = await poll<NetworkInsightsAnalysis>(
            async () => (await ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [id] }))).NetworkInsightsAnalyses?.[0],
            options,
        );
        if (done === undefined) {
            options.print(`FAIL path ${p.name}: analysis ${id} still running after ${options.maxPolls} polls`);
            return { name: p.name, status: "timed out" };
        }
        if (done.Status !== "succeeded") {
            options.print(`FAIL path ${p.name}: analysis ${id} ${done.Status ?? "?"}: ${done.StatusMessage ?? "no message"}`);
            return { name: p.name, status: "failed" };
        }
        const hops = [...(done.ForwardPathComponents ?? [])].sort((a, b) => (a.SequenceNumber ?? 0) - (b.SequenceNumber ?? 0));
        if (done.NetworkPathFound === true) {
            options.print(`ok   path ${p.name}: reachable (analysis ${id})`);
            for (const h of hops) {
                options.print(`    ${h.SequenceNumber ?? "?"}. ${describeHop(h, names)}`);
            }
            return { name: p.name, status: "reachable" };
        }
        options.print(`FAIL path ${p.name}: not reachable (analysis ${id}), blocked by:`);
        for (const e of done.Explanations ?? []) {
            options.print(describeExplanation(e, names));
        }
        return { name: p.name, status: "not reachable" };
    } finally {
        // Paths and analyses stay in the account until deleted (EC2 API Reference, DeleteNetworkInsightsAnalysis,
        // DeleteNetworkInsightsPath). Each delete
        // is tried on its own, so one failure leaves a warning and not the rest behind.
        if (analysisId !== undefined) {
            await deleteQuietly(() => ec2.send(new DeleteNetworkInsightsAnalysisCommand({ NetworkInsightsAnalysisId: analysisId })), `path ${p.name}: analysis ${analysisId}`, options);
        }
        await deleteQuietly(() => ec2.send(new DeleteNetworkInsightsPathCommand({ NetworkInsightsPathId: pathId })), `path ${p.name}: path ${pathId}`, options);
    }
}

export interface VerifyResult {
    readonly ok: boolean;
    readonly scopes: ScopeResult[];
    readonly paths: PathResult[];
}

/** Every scope, then every must-work path; ok when no scope has a finding or failed and every path that ran is reachable. */
export async function verifyStack(ec2: EC2Client, o: StackOutputs, names: ReadonlyMap<string, string>, options: VerifyOptions): Promise<VerifyResult> {
    const scopes: ScopeResult[] = [];
    for (const [scope, id] of Object.entries(o.accessScopeIds).sort(([a], [b]) => a.localeCompare(b))) {
        scopes.push(await analyseScope(ec2, scope, id, names, options));
    }
    const paths: PathResult[] = [];
    for (const p of mustWorkPaths(o)) {
        paths.push(await runPath(ec2, p, o, names, options));
    }
    // Exit 0 (ok) when nothing disproves a claim: no finding, no failed or unfinished analysis, no unreachable path.
    // "verified" only when every claim was also proven: every scope analysed network interfaces and every path ran.
    const ok = scopes.length > 0 && scopes.every((s) => s.status === "no findings" || s.status === "not proven") && paths.every((p) => p.status === "reachable" || p.status === "not run");
    const count = (list: readonly { status: string }[], status: string): number => list.filter((x) => x.status === status).length;
    const proven = count(scopes, "not proven") === 0 && count(paths, "not run") === 0;
    options.print(
        `${ok ? (proven ? "verified" : "no findings, not fully proven") : "NOT verified"}: ${count(scopes, "no findings")}/${scopes.length} scopes without findings, ${count(scopes, "not proven")} not proven (no network interface analysed); ${count(paths, "reachable")}/${paths.length} must-work paths reachable, ${count(paths, "not run")} not run (no workload interface yet)`,
    );
    return { ok, scopes, paths };
}
