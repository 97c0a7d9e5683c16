// Rule group capacity is create-only: changing it replaces the group. Capacity is computed from the rules with
// headroom in steps, so ordinary allowlist edits never change it.

/** Smallest capacity ever set; AWS allows up to 30,000 per group. */
export const MIN_CAPACITY = 100;
export const MAX_CAPACITY = 30_000;

/**
 * At least twice what the rules use, rounded up to a power-of-two multiple of MIN_CAPACITY: 100, 200, 400, ...
 * A group's capacity changes only when its rules more than double past the current step.
 */
export function capacityWithHeadroom(used: number): number {
    let capacity = MIN_CAPACITY;
    while (capacity < used * 2) {
        capacity *= 2;
    }
    if (capacity > MAX_CAPACITY) {
        throw new Error(`rules need capacity ${used} (x2 headroom = ${used * 2}), over the ${MAX_CAPACITY} a rule group allows`);
    }
    return capacity;
}

/** Stateful (Suricata) groups: one unit per rule. */
export function statefulCapacityUsed(ruleCount: number): number {
    return ruleCount;
}

export interface StatelessMatch {
    readonly sources: readonly string[];
    readonly destinations: readonly string[];
    readonly protocols: readonly number[];
}

/**
 * Stateless groups: per rule, sources x destinations x protocols (x port ranges, unused here), each empty
 * list counting as one ("any"), per AWS's capacity formula.
 */
export function statelessCapacityUsed(rules: readonly StatelessMatch[]): number {
    const n = (list: readonly unknown[]): number => Math.max(1, list.length);
    return rules.reduce((sum, r) => sum + n(r.sources) * n(r.destinations) * n(r.protocols), 0);
}
