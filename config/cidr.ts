// IPv4 CIDR helpers on top of the maintained `ip-address` library. Pure functions, no Pulumi.
import { Address4 } from "ip-address";

const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const CIDR_TEXT = new RegExp(`^${OCTET}(\\.${OCTET}){3}/([0-9]|[12][0-9]|3[0-2])$`);

/** A parsed IPv4 network: first and last address as integers, prefix length. */
export interface Cidr {
    readonly text: string;
    readonly prefixLength: number;
    readonly first: bigint;
    readonly last: bigint;
}

/** Parses `a.b.c.d/n` strictly (no leading zeros, explicit prefix); undefined when it is not one. */
export function parseCidr(text: string): Cidr | undefined {
    if (!CIDR_TEXT.test(text)) {
        return undefined;
    }
    return networkOf(text);
}

/**
 * A network this program declares itself (a constant such as `10.0.0.0/8`); `Address4` throws on malformed text,
 * so a typo in a table fails at load. User input goes through `parseCidr`.
 */
export function networkOf(text: string): Cidr {
    const address = new Address4(text);
    return {
        text,
        prefixLength: address.subnetMask,
        first: address.startAddress().bigInt(),
        last: address.endAddress().bigInt(),
    };
}

/** True when `text` has no host bits set (e.g. 10.0.0.0/16, not 10.0.0.1/16). */
export function isNetworkAddress(text: string): boolean {
    const address = new Address4(text);
    return address.correctForm() === address.startAddress().correctForm();
}

/** The network address form of a CIDR: `10.0.0.1/16` -> `10.0.0.0/16`. */
export function networkForm(text: string): string {
    return new Address4(text).networkForm();
}

export function cidrText(first: bigint, prefixLength: number): string {
    return `${Address4.fromBigInt(first).correctForm()}/${prefixLength}`;
}

export function cidrSize(prefixLength: number): bigint {
    return 1n << BigInt(32 - prefixLength);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.first <= b.last && b.first <= a.last;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
    return outer.first <= inner.first && inner.last <= outer.last;
}

const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(networkOf);

/** True when the whole network lies inside one RFC 1918 private range. */
export function isRfc1918(cidr: Cidr): boolean {
    return RFC1918.some((range) => contains(range, cidr));
}
