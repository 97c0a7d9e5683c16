// The stateless layer: drops what should never reach the stateful engine (bogon sources, the stack's denied
// ranges, both directions) and forwards everything else to it (the policy's stateless default action).

export interface StatelessRule {
    readonly intent: string;
    readonly priority: number;
    readonly sources: readonly string[];
    readonly destinations: readonly string[];
    /** IANA protocol numbers; empty = any. */
    readonly protocols: readonly number[];
    readonly action: "aws:drop";
}

/** Source addresses no internet packet may carry (RFC 6890 "this network", loopback, link-local, multicast, reserved). */
export const BOGON_SOURCES = ["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4"] as const;

/** Denied ranges a stack may list: each counts twice (from and to) against the stateless group's capacity. */
export const MAX_DENIED_CIDRS = 100;

export function statelessRules(deniedCidrs: readonly string[]): StatelessRule[] {
    const rules: StatelessRule[] = [
        { intent: "dropBogonSources", priority: 10, sources: [...BOGON_SOURCES], destinations: [], protocols: [], action: "aws:drop" },
    ];
    if (deniedCidrs.length > 0) {
        rules.push(
            { intent: "dropFromDeniedCidrs", priority: 20, sources: [...deniedCidrs], destinations: [], protocols: [], action: "aws:drop" },
            { intent: "dropToDeniedCidrs", priority: 30, sources: [], destinations: [...deniedCidrs], protocols: [], action: "aws:drop" },
        );
    }
    return rules;
}
