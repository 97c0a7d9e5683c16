// Shared test helpers: synthesize each stack once per test run and query what was registered.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadConfig, type RawConfig, type StackConfig } from "../config/load";
import { planNacls } from "../network/nacl";
import { planSubnets } from "../network/plan";
import { stackFacts } from "../journeys/facts";
import { runJourneys, type JourneyRun } from "../journeys/run";
import { awsResources, byId, ofType, PROJECT_ROOT, readStackConfig, stackFiles, synthesize, type SynthOptions, type SynthResource, type Synthesis } from "../offline/synth";
import type { Statement } from "../policy/document";

const cache = new Map<string, Promise<Synthesis>>();
const journeyRuns = new Map<string, Promise<JourneyRun>>();

/**
 * Under mutation testing (`npm run mutate`) the test files load once and every mutant is switched on in the same
 * process: a synthesis cached under one mutant would hide the next. Stryker names the active mutant in its global
 * namespace (`__stryker__`, Stryker's default globalNamespace), so the cache is kept per mutant. Outside Stryker it
 * is undefined and each stack is synthesized once per process.
 */
let cachedFor = "";
function activeMutant(): string {
    const stryker = (globalThis as { __stryker__?: { activeMutant?: unknown } }).__stryker__;
    const mutant = stryker?.activeMutant === undefined ? "" : `#${String(stryker.activeMutant)}`;
    if (mutant !== cachedFor) {
        cache.clear(); // one mutant at a time: drop the previous one's syntheses
        journeyRuns.clear();
        cachedFor = mutant;
    }
    return mutant;
}

/** The stack's synthesis, run once per process (the Pulumi runtime is global, so runs are sequential). */
export function synth(stack: string): Promise<Synthesis> {
    const key = `${stack}${activeMutant()}`;
    let run = cache.get(key);
    if (run === undefined) {
        run = queue(() => synthesize({ stack }));
        cache.set(key, run);
    }
    return run;
}

/** Every journey on the stack's synthesis (Suricata decides the firewall steps where installed), once per process. */
export function journeys(stack: string): Promise<JourneyRun> {
    const key = `${stack}${activeMutant()}`;
    let run = journeyRuns.get(key);
    if (run === undefined) {
        run = synth(stack).then((s) => runJourneys(stackFacts(s), loadConfig(readStackConfig(stack), stack)));
        journeyRuns.set(key, run);
    }
    return run;
}

let tail: Promise<unknown> = Promise.resolve();
/** Runs synthesize calls one after another. */
function queue<T>(run: () => Promise<T>): Promise<T> {
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return next;
}

/**
 * Test inputs with particular values (test/fixtures/Pulumi.<name>.yaml), for tests whose expectations name AZs,
 * resources or counts. Tests about the stack files themselves iterate stackFiles() instead, so a user's edit of a
 * stack file, a renamed one or a new one never turns a test red.
 */
export const FIXTURES_DIR = path.join(PROJECT_ROOT, "test", "fixtures");
/** dev and prod: stacks with particular values; denied: a stack that lists denied ranges (no user stack file does). */
export type FixtureName = "dev" | "prod" | "denied";

export function fixture(name: FixtureName): RawConfig {
    return readStackConfig(name, FIXTURES_DIR);
}

/**
 * The fixture's synthesis (stack name = fixture name), run once per process; when the stack file of that name
 * holds the same config, its synthesis is the same and is shared.
 */
export function synthFixture(name: FixtureName): Promise<Synthesis> {
    const config = fixture(name);
    const file = stackFiles().find((s) => s.stack === name);
    if (file !== undefined && JSON.stringify(readStackConfig(name)) === JSON.stringify(config)) {
        return synth(name);
    }
    const key = `fixture:${name}${activeMutant()}`;
    let run = cache.get(key);
    if (run === undefined) {
        run = queue(() => synthesize({ stack: name, config }));
        cache.set(key, run);
    }
    return run;
}

/** The journeys of a fixture (test/fixtures), evaluated once per process. */
export async function fixtureJourneys(name: FixtureName): Promise<JourneyRun> {
    return runJourneys(stackFacts(await synthFixture(name)), loadConfig(fixture(name), name));
}

/** The name of a stack file (the first): for tests that hold for any stack and derive expectations from it. */
export function anyStack(): string {
    const first = stackFiles()[0];
    if (first === undefined) {
        throw new Error(`no Pulumi.<stack>.yaml in ${PROJECT_ROOT}`);
    }
    return first.stack;
}

/** Runs `use` in a new temp directory and removes the directory afterwards, whatever `use` does. */
export async function inTempDir<T>(prefix: string, use: (dir: string) => T | Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    try {
        return await use(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * Runs `use` with no AWS credentials anywhere the SDK's default chain looks: no AWS_* variables, the shared config and
 * credentials files pointed into an empty temp dir (passed to `use`), no instance metadata. The environment is
 * restored afterwards.
 */
export function withoutAwsCredentials<T>(use: (dir: string) => Promise<T>): Promise<T> {
    return inTempDir("no-aws-", async (empty) => {
        const saved = { ...process.env };
        try {
            for (const key of Object.keys(process.env).filter((k) => k.startsWith("AWS_"))) {
                delete process.env[key];
            }
            Object.assign(process.env, { AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: path.join(empty, "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(empty, "credentials") });
            return await use(empty);
        } finally {
            process.env = saved;
        }
    });
}

export function synthWith(options: SynthOptions): Promise<Synthesis> {
    return queue(() => synthesize(options));
}

export { awsResources, byId, ofType };

export function one(s: Synthesis, type: string, name: string): SynthResource {
    const found = s.resources.find((r) => r.type === type && r.name === name);
    if (found === undefined) {
        throw new Error(`no ${type} named ${name} (have: ${ofType(s, type).map((r) => r.name).join(", ")})`);
    }
    return found;
}

export function stringInput(r: SynthResource, key: string): string {
    const value = r.inputs[key];
    if (typeof value !== "string") {
        throw new Error(`${r.type} ${r.name}: input ${key} is ${JSON.stringify(value)}, not a string`);
    }
    return value;
}

/** Subnets of a tier, keyed by AZ, from the tier tag the network puts on every subnet. */
export function subnetsOfTier(s: Synthesis, tier: string): Map<string, SynthResource> {
    const out = new Map<string, SynthResource>();
    for (const subnet of ofType(s, "aws:ec2/subnet:Subnet")) {
        const tags = subnet.inputs["tags"];
        if (typeof tags === "object" && tags !== null && (tags as Record<string, unknown>)["secure-ai:tier"] === tier) {
            out.set(stringInput(subnet, "availabilityZone"), subnet);
        }
    }
    return out;
}

/** The route table a subnet is associated with (explicit association; there must be exactly one). */
export function routeTableOf(s: Synthesis, subnet: SynthResource): SynthResource {
    const associations = ofType(s, "aws:ec2/routeTableAssociation:RouteTableAssociation").filter(
        (a) => a.inputs["subnetId"] === subnet.id,
    );
    if (associations.length !== 1) {
        throw new Error(`${subnet.name} has ${associations.length} route table associations`);
    }
    const table = byId(s, associations[0]?.inputs["routeTableId"]);
    if (table === undefined) {
        throw new Error(`${subnet.name}'s route table is not a registered resource`);
    }
    return table;
}

/** Every route in a route table: separate Route resources plus gateway endpoints attached to it. */
export function routesOf(s: Synthesis, table: SynthResource): { destination: string; target: SynthResource | undefined; targetKey: string }[] {
    const routes = ofType(s, "aws:ec2/route:Route")
        .filter((r) => r.inputs["routeTableId"] === table.id)
        .map((r) => {
            const targetKey = ["natGatewayId", "gatewayId", "vpcEndpointId", "networkInterfaceId", "transitGatewayId"].find(
                (k) => r.inputs[k] !== undefined,
            ) ?? "none";
            return { destination: stringInput(r, "destinationCidrBlock"), target: byId(s, r.inputs[targetKey]), targetKey };
        });
    const endpoints = ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint")
        .filter((e) => Array.isArray(e.inputs["routeTableIds"]) && (e.inputs["routeTableIds"] as unknown[]).includes(table.id))
        .map((e) => ({ destination: `prefix list of ${stringInput(e, "serviceName")}`, target: e, targetKey: "vpcEndpointId" }));
    return [...routes, ...endpoints];
}

/** A policy input (JSON text) parsed into statements; throws if it is not a policy document. */
export function policyInput(r: SynthResource, key = "policy"): Statement[] {
    const doc: unknown = JSON.parse(stringInput(r, key));
    const statements = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>)["Statement"] : undefined;
    if (!Array.isArray(statements) || !statements.every((s) => typeof s === "object" && s !== null && "Effect" in s && ("Action" in s || "NotAction" in s))) {
        throw new Error(`${r.type} ${r.name}: ${key} is not a policy document`);
    }
    return statements as Statement[];
}

/** The statement with this Sid; throws naming the Sids there are. */
export function statement(statements: readonly Statement[], sid: string): Statement {
    const found = statements.find((s) => s.Sid === sid);
    if (found === undefined) {
        throw new Error(`no statement ${sid} (have: ${statements.map((s) => s.Sid).join(", ")})`);
    }
    return found;
}

/** The value, or a failure naming what was missing (tests use it instead of non-null assertions). */
export function must<T>(value: T | undefined, what: string): T {
    if (value === undefined) {
        throw new Error(`missing: ${what}`);
    }
    return value;
}

/** A value or list as a list. */
export function asList<T>(value: T | readonly T[] | undefined): readonly T[] {
    return value === undefined ? [] : Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** The NACLs the planner gives a stack's config, as network/network.ts calls it (pure: no synthesis). */
export function plannedNacls(config: StackConfig) {
    return planNacls({
        plan: planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths),
        publicPorts: config.firewall.ingress.ports,
        servingPort: config.baseline.servingPort,
        trainingEgress: config.network.trainingEgress,
        natEgress: config.firewall.egress.allowedDomains.length > 0,
    });
}
