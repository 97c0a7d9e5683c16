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
    return cidrText(parsed(cidr).first + BigInt(n), 32).replace(/\/32$/, "");
}
