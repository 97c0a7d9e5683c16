// The one place that knows how to run the real program offline: stack YAML -> Pulumi config -> index.ts under
// AwsMocks -> every registered resource, the stack outputs, or the error the program stopped with.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { RawConfig } from "../config/load";
import { setDomainListLister, type DomainListLister } from "../firewall/managedDomainListLookup";
import { AwsMocks, mockFirewallDomainLists, type MockOptions, type RecordedResource } from "./mocks";
import { PROJECT_ROOT, readStackConfig } from "./stackFiles";

// The stack files' reading lives in ./stackFiles (fs and yaml only), so a command can check its arguments without
// loading @pulumi/pulumi; re-exported here for the modules that import it from the synthesis.
export { PROJECT_ROOT, rawConfigFromYaml, readStackConfig, StackFileError, stackFiles, type StackFile } from "./stackFiles";

const PROGRAM = path.join(PROJECT_ROOT, "index.ts");

/** Resource options as the engine receives them (the mocks' newResource never sees these). */
export interface RegisteredOptions {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** URNs of explicit and input dependencies. */
    readonly dependencies: readonly string[];
    /** Per input property, the URNs of the resources its value comes from (what a policy pack sees). */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** Input properties whose change the engine turns into a replacement (`replaceOnChanges`). */
    readonly replaceOnChanges: readonly string[];
}

export interface SynthResource extends RecordedResource, RegisteredOptions {
    readonly urn: string;
    /** Type of the component that owns the resource (empty for top-level resources). */
    readonly parentType: string;
}

export interface Synthesis {
    readonly stack: string;
    /** The config the program ran with (the stack file's, or the one a test or tool passed). */
    readonly config: RawConfig;
    readonly resources: readonly SynthResource[];
    readonly outputs: Readonly<Record<string, unknown>>;
    /** The error the program stopped with (a pulumi.RunError for bad config), if any. */
    readonly error: Error | undefined;
}

export function ofType(s: Synthesis, type: string): SynthResource[] {
    return s.resources.filter((r) => r.type === type);
}

export function byId(s: Synthesis, id: unknown): SynthResource | undefined {
    return s.resources.find((r) => r.id === id);
}

/**
 * What the program registers besides the providers and the stack's read of its own last deployment (pulumi:*
 * types, which create nothing): the components and the resources that would exist in AWS.
 */
export function awsResources(s: Synthesis): SynthResource[] {
    return s.resources.filter((r) => !r.type.startsWith("pulumi:"));
}

/** The resources that would exist in AWS: awsResources without the components. */
export function cloudResources(s: Synthesis): SynthResource[] {
    return awsResources(s).filter((r) => r.custom);
}

export interface SynthOptions {
    readonly stack: string;
    /** Config to run with; defaults to the stack's YAML file. */
    readonly config?: RawConfig;
    readonly endpointOrder?: MockOptions["endpointOrder"];
    /** Outputs of the stack's last deployment; omitted: the stack was never deployed. */
    readonly deployedOutputs?: MockOptions["deployedOutputs"];
    /** Another Pulumi program of the repository (bootstrap/index.ts) and its project name; default: index.ts, secure-ai. */
    readonly program?: { readonly file: string; readonly project: string };
    /** The nth deployment of the stack (randomized names differ), and what already exists in the account. */
    readonly generation?: number;
    readonly existing?: MockOptions["existing"];
    /** Who answers ListFirewallDomainLists; default: the mocks, like Route 53 Resolver in the region. */
    readonly domainLists?: DomainListLister;
}

/** Runs index.ts for one stack under mocks. Runs are sequential: the Pulumi runtime is process-global. */
export async function synthesize(options: SynthOptions): Promise<Synthesis> {
    const config = options.config ?? readStackConfig(options.stack);
    const mocks = new AwsMocks({
        stack: options.stack,
        region: config["aws:region"] ?? "us-west-2",
        endpointOrder: options.endpointOrder ?? "mapping",
        ...(options.deployedOutputs === undefined ? {} : { deployedOutputs: options.deployedOutputs }),
        ...(options.generation === undefined ? {} : { generation: options.generation }),
        ...(options.existing === undefined ? {} : { existing: options.existing }),
    });
    // @pulumi/pulumi's debuggablePromise records `new Error().stack` for every promise it makes (runtime/debuggable.js),
    // and with source maps on (tsx) each trace is source-mapped: most of a mocked run's time. Offline, nothing reads
    // those traces, so the run records none (SECURE_AI_SYNTH_STACKS=1 keeps them, to debug the program); the limit
    // is restored when the run ends. Errors keep their messages.
    const stackTraceLimit = Error.stackTraceLimit;
    if (process.env["SECURE_AI_SYNTH_STACKS"] !== "1") {
        Error.stackTraceLimit = 0;
    }
    // The program's one SDK call (firewall/managedDomainListLookup.ts), answered like Route 53 Resolver in the region.
    const previousLister = setDomainListLister(options.domainLists ?? (async (region) => mockFirewallDomainLists(region)));
    try {
        return await runProgram(options, config, mocks);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        setDomainListLister(previousLister);
    }
}

async function runProgram(options: SynthOptions, config: RawConfig, mocks: AwsMocks): Promise<Synthesis> {
    const program = options.program ?? { file: PROGRAM, project: "secure-ai" };
    await pulumi.runtime.setMocks(mocks, program.project, options.stack, false, "organization");
    pulumi.runtime.setAllConfig({ ...config });
    const monitor = pulumi.runtime.getMonitor();
    const registered = recordOptions(monitor);

    const asyncErrors: Error[] = [];
    const onRejection = (reason: unknown): void => {
        asyncErrors.push(reason instanceof Error ? reason : new Error(String(reason)));
    };
    process.on("unhandledRejection", onRejection);
    let error: Error | undefined;
    let outputs: Record<string, unknown> = {};
    try {
        delete require.cache[require.resolve(program.file)];
        // index.ts exports the function Pulumi runs; its result is the stack outputs.
        const run: unknown = require(program.file);
        if (typeof run !== "function") {
            throw new Error(`${program.file} does not export the program function`);
        }
        const result: unknown = await (run as () => Promise<unknown>)();
        outputs = await resolveOutputs(typeof result === "object" && result !== null ? (result as Record<string, unknown>) : {});
    } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
    }
    try {
        await pulumi.runtime.disconnect();
    } catch (e) {
        error ??= e instanceof Error ? e : new Error(String(e));
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    // A failed mocked invoke reaches the program as an error without a message: report the invoke's own.
    if (error === undefined || error.message === "") {
        error = mocks.errors[0] ?? asyncErrors[0] ?? error;
    }

    return { stack: options.stack, config, resources: withUrns(mocks.resources, monitor, registered), outputs, error };
}

async function resolveOutputs(program: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
        Object.entries(program).map(
            async ([key, value]) =>
                [key, await new Promise<unknown>((resolve) => (pulumi.output(value) as pulumi.Output<unknown>).apply(resolve))] as const,
        ),
    );
    return Object.fromEntries(entries);
}

/** Captures protect, retainOnDelete, replaceOnChanges and dependencies of every registration, keyed by type and name. */
function recordOptions(monitor: unknown): Map<string, RegisteredOptions> {
    const registered = new Map<string, RegisteredOptions>();
    if (monitor instanceof MockMonitor) {
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: RegisterResourceRequest, callback: (err: unknown, response: unknown) => void) => {
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((value, key) => {
                propertyDependencies[key] = value.getUrnsList();
            });
            registered.set(`${req.getType()}::${req.getName()}`, {
                protect: req.getProtect() ?? false,
                retainOnDelete: req.getRetainondelete() ?? false,
                dependencies: req.getDependenciesList(),
                propertyDependencies,
                replaceOnChanges: req.getReplaceonchangesList(),
            });
            return register(req, callback);
        };
    }
    return registered;
}

/** Adds each resource's URN, owning component type and registered options. */
function withUrns(resources: readonly RecordedResource[], monitor: unknown, registered: ReadonlyMap<string, RegisteredOptions>): SynthResource[] {
    const urns = monitor instanceof MockMonitor ? [...monitor.getRegisteredResources().keys()] : [];
    return resources.map((r) => {
        const urn = urns.find((u) => u.endsWith(`::${r.name}`) && typeChain(u).at(-1) === r.type) ?? "";
        const chain = typeChain(urn);
        const options = registered.get(`${r.type}::${r.name}`) ?? { protect: false, retainOnDelete: false, dependencies: [], propertyDependencies: {}, replaceOnChanges: [] };
        return { ...r, ...options, urn, parentType: chain.length > 1 ? (chain[0] ?? "") : "" };
    });
}

/** `urn:pulumi:dev::secure-ai::a$b$c::name` -> [a, b, c]. */
function typeChain(urn: string): string[] {
    return (urn.split("::")[2] ?? "").split("$");
}
