// IPv4 address arithmetic for the evaluators, on the project's CIDR helpers (config/cidr.ts, ip-address).
import { cidrText, parseCidr } from "../config/cidr";

function parsed(cidr: string) {
    const c = parseCidr(cidr);
    if (c === undefined) {
        throw new Error(`not a CIDR: ${cidr}`);
    }
    return c;
}

export function ipValue(ip: string): bigint {
    return parsed(`${ip}/32`).first;
}

export function cidrContains(cidr: string, ip: string): boolean {
    const c = parsed(cidr);
    const v = ipValue(ip);
    return v >= c.first && v <= c.last;
}

export function prefixLength(cidr: string): number {
    return parsed(cidr).prefixLength;
}

/** The n-th address of a CIDR (AWS reserves the first four and the last of a subnet: use n >= 4). */
export function hostIn(cidr: string, n: number): string {
    // Always inside the range: the n-th address wraps in a small range (a /32 has only its one address).
    const c = parsed(cidr);
    return cidrText(c.first + (BigInt(n) % (c.last - c.first + 1n)), 32).replace(/\/32$/, "");
}

/**
 * A public address no allowlisted range contains: the documentation ranges first (RFC 5737), then x.77.77.77 in the
 * public first octets, so any allowlist the config accepts (it refuses 0.0.0.0/0) leaves one.
 */
export function addressOutside(allowedCidrs: readonly string[]): string {
    const privateOrReserved = new Set([0, 10, 100, 127, 169, 172, 192, 198, 203]);
    const publicOctets = Array.from({ length: 223 }, (_, i) => i + 1).filter((o) => !privateOrReserved.has(o));
    const candidates = ["192.0.2.77", "203.0.113.77", "198.51.100.77", ...publicOctets.map((o) => `${o}.77.77.77`)];
    const found = candidates.find((ip) => !allowedCidrs.some((c) => cidrContains(c, ip)));
    if (found === undefined) {
        throw new Error(`no public address outside the ingress allowlist ${allowedCidrs.join(", ")}`);
    }
    return found;
}
