// Shared test helpers: synthesize each stack once per test run and query what was registered.
import * as fs from "node:fs";
import * as path from "node:path";
import { awsResources, byId, ofType, rawConfigFromYaml, synthesize, type SynthOptions, type SynthResource, type Synthesis } from "../offline/synth";
import type { RawConfig } from "../config/load";
import type { Statement } from "../policy/document";

const cache = new Map<string, Promise<Synthesis>>();

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

/** A fixture stack file's config: test/fixtures/Pulumi.<name>.yaml (stacks that no user stack file covers). */
export function fixtureConfig(name: string): RawConfig {
    return rawConfigFromYaml(fs.readFileSync(path.join(__dirname, "fixtures", `Pulumi.${name}.yaml`), "utf8"));
}

/** A fixture stack's synthesis, run once per process like synth(). */
export function synthFixture(name: string): Promise<Synthesis> {
    const key = `fixture:${name}${activeMutant()}`;
    let run = cache.get(key);
    if (run === undefined) {
        run = queue(() => synthesize({ stack: name, config: fixtureConfig(name) }));
        cache.set(key, run);
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
    if (!Array.isArray(statements) || !statements.every((s) => typeof s === "object" && s !== null && "Effect" in s && "Action" in s)) {
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
