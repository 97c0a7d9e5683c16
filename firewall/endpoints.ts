// aws-native Firewall.endpointIds is an UNORDERED list of "<az>:<vpce-id>". Never index it by position.

/** Parses endpointIds into a map keyed by AZ name; throws on a malformed or repeated entry. */
export function endpointsByAz(endpointIds: readonly string[]): Record<string, string> {
    const byAz: Record<string, string> = {};
    for (const entry of endpointIds) {
        const match = /^([a-z0-9-]+):(vpce-[0-9a-f]+)$/.exec(entry);
        const az = match?.[1];
        const endpoint = match?.[2];
        if (az === undefined || endpoint === undefined) {
            throw new Error(`firewall endpoint id ${JSON.stringify(entry)} is not "<az>:<vpce-id>"`);
        }
        if (byAz[az] !== undefined) {
            throw new Error(`firewall reports two endpoints in ${az}: ${byAz[az]} and ${endpoint}`);
        }
        byAz[az] = endpoint;
    }
    return byAz;
}

/** The endpoint in one AZ; throws naming the AZs it does have. */
export function endpointForAz(endpointIds: readonly string[], az: string): string {
    const byAz = endpointsByAz(endpointIds);
    const endpoint = byAz[az];
    if (endpoint === undefined) {
        throw new Error(`firewall has no endpoint in ${az} (it has: ${Object.keys(byAz).sort().join(", ") || "none"})`);
    }
    return endpoint;
}
