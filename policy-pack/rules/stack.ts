// What every rule reads: the stack's resources as a policy pack sees them (type, name, URN, properties and which
// resources each property's value comes from). Plain data, so the rules are pure functions the tests run over
// synthesized stacks without starting the pack's server.

export interface StackResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Properties; a value still unknown during a preview is absent. */
    readonly props: Readonly<Record<string, unknown>>;
    /** Per property, the URNs of the resources its value comes from. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export interface Violation {
    readonly urn: string;
    readonly message: string;
}

/** One policy: named for the compliant state, described for a reviewer, a pure check. */
export interface Rule {
    readonly name: string;
    readonly description: string;
    readonly check: (resources: readonly StackResource[]) => Violation[];
}

export function ofType(resources: readonly StackResource[], type: string): StackResource[] {
    return resources.filter((r) => r.type === type);
}

/** Resources of `type` whose `property` is computed from `target`. */
export function referring(resources: readonly StackResource[], type: string, property: string, target: StackResource): StackResource[] {
    return ofType(resources, type).filter((r) => (r.propertyDependencies[property] ?? []).includes(target.urn));
}

export function record(value: unknown): Readonly<Record<string, unknown>> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function list(value: unknown): readonly unknown[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect?: string;
    readonly Principal?: unknown;
    readonly Action?: unknown;
    readonly Resource?: unknown;
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The statements of a policy property (JSON text or object); undefined while the value is unknown. */
export function statements(value: unknown): readonly PolicyStatement[] | undefined {
    if (value === undefined) {
        return undefined;
    }
    const doc: unknown = typeof value === "string" ? JSON.parse(value) : value;
    return list(record(doc)["Statement"]).map((s) => record(s) as PolicyStatement);
}
