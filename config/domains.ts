// Egress domain allowlist entries: `files.pythonhosted.org` (exactly that name) or `.pypi.org` (pypi.org and
// every subdomain), as AWS Network Firewall domain lists define them.
import { quote } from "./fields";

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `entry` is not an allowlist entry, or undefined when it is one. */
export function domainProblem(entry: string): string | undefined {
    const allowed = `a lowercase host name such as "files.pythonhosted.org", or ".pypi.org" for pypi.org and its subdomains`;
    if (entry.includes("://") || entry.includes("/")) {
        return `${quote(entry)} is a URL, not a domain (allowed: ${allowed})`;
    }
    if (entry.startsWith("*")) {
        return `${quote(entry)} uses a wildcard (write ${quote(`.${entry.replace(/^\*\.?/, "")}`)} to allow a domain and its subdomains)`;
    }
    if (entry.includes(":")) {
        return `${quote(entry)} has a port (domains apply to HTTPS and HTTP; allowed: ${allowed})`;
    }
    if (entry !== entry.toLowerCase()) {
        return `${quote(entry)} has uppercase letters (write ${quote(entry.toLowerCase())})`;
    }
    const name = entry.startsWith(".") ? entry.slice(1) : entry;
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
        // RFC 6066, section 3 (Server Name Indication): "Literal IPv4 and IPv6 addresses are not permitted in
        // "HostName"." The firewall matches TLS by SNI, so such an entry could never match a TLS flow.
        return `${quote(entry)} is an IP address: the firewall matches domains by TLS SNI and HTTP Host, and SNI never carries an address (RFC 6066, section 3), so no TLS flow could match it (allowed: ${allowed})`;
    }
    if (name.length > 253) {
        return `${quote(entry)} is ${name.length} characters long (a domain name has at most 253)`;
    }
    const labels = name.split(".");
    const long = labels.find((l) => l.length > 63);
    if (long !== undefined) {
        return `${quote(entry)} has the ${long.length}-character label ${quote(long)} (a label has at most 63)`;
    }
    if (!labels.every((l) => LABEL.test(l))) {
        return `${quote(entry)} is not a valid domain name (allowed: ${allowed}; labels of a-z, 0-9 and inner hyphens)`;
    }
    if (labels.length < 2) {
        return `${quote(entry)} is a top-level domain alone, far too broad (allowed: ${allowed})`;
    }
    // RFC 3696, section 2: "There is an additional rule that essentially requires that top-level domain names not be
    // all-numeric." No name under an all-numeric last label resolves on the internet.
    if (/\.\d+$/.test(name)) {
        return `${quote(entry)} ends in an all-numeric label, which no top-level domain is (RFC 3696, section 2; allowed: ${allowed})`;
    }
    return undefined;
}

export interface DomainMatch {
    /** The name without a leading dot. */
    readonly name: string;
    /** True for `.example.com`: the name and all its subdomains. */
    readonly includeSubdomains: boolean;
}

export function parseDomain(entry: string): DomainMatch {
    return entry.startsWith(".")
        ? { name: entry.slice(1), includeSubdomains: true }
        : { name: entry, includeSubdomains: false };
}

/** The entry that already allows everything `entry` allows (`.pypi.org` covers `pypi.org` and `x.pypi.org`). */
export function coveredBy(entry: DomainMatch, by: DomainMatch): boolean {
    return by.includeSubdomains && (entry.name === by.name || entry.name.endsWith(`.${by.name}`));
}

/**
 * Entries an earlier or broader entry already allows: each is reported at its index with the entry that covers
 * it. Exact duplicates are reported by the list's uniqueness check instead.
 */
export function redundantDomains(entries: readonly string[]): { index: number; entry: string; coveredBy: string; coveredAt: number }[] {
    // Only valid entries take part: an invalid one is reported for what it is.
    const parsed = entries.map((e) => (domainProblem(e) === undefined ? parseDomain(e) : undefined));
    return entries.flatMap((entry, index) => {
        const self = parsed[index];
        // Another entry (an exact duplicate is the uniqueness check's to report) that covers this one; no such entry
        // is index -1, whose entries[-1] is undefined.
        const at = self === undefined ? -1 : parsed.findIndex((other, j) => other !== undefined && entries[j] !== entry && coveredBy(self, other));
        const cover = entries[at];
        return cover === undefined ? [] : [{ index, entry, coveredBy: cover, coveredAt: at }];
    });
}
