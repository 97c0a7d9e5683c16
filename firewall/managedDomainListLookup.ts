// The one AWS call of config checking besides the zone lookup: the region's DNS Firewall domain lists, so the
// program can name AWS's managed lists by id (firewall/managedDomainLists.ts). Offline runs answer it in Route 53
// Resolver's place (offline/synth.ts sets the lister to the mocks' answer for the region).
import { paginateListFirewallDomainLists, Route53ResolverClient, type FirewallDomainListMetadata } from "@aws-sdk/client-route53resolver";
import type { ConfigProblem } from "../config/load";

export type DomainListLister = (region: string, profile: string | undefined) => Promise<FirewallDomainListMetadata[]>;

/**
 * Every domain list Route 53 Resolver reports in the region (ListFirewallDomainLists, all pages), with the credentials
 * the providers use (the same region and profile). Needs route53resolver:ListFirewallDomainLists (granted to the
 * pipeline roles, bootstrap/permissions.ts PROGRAM_READS).
 */
export const listFromRoute53Resolver: DomainListLister = async (region, profile) => {
    const client = new Route53ResolverClient({ region, ...(profile === undefined ? {} : { profile }) });
    const lists: FirewallDomainListMetadata[] = [];
    try {
        for await (const page of paginateListFirewallDomainLists({ client }, { MaxResults: 100 })) {
            lists.push(...(page.FirewallDomainLists ?? []));
        }
    } finally {
        client.destroy();
    }
    return lists;
};

let lister: DomainListLister = listFromRoute53Resolver;

/** Replaces who answers ListFirewallDomainLists (offline runs); returns the previous one to restore. */
export function setDomainListLister(next: DomainListLister): DomainListLister {
    const previous = lister;
    lister = next;
    return previous;
}

export function listFirewallDomainLists(region: string, profile: string | undefined): Promise<FirewallDomainListMetadata[]> {
    return lister(region, profile);
}

/**
 * The region's domain lists, or the one config problem saying why they could not be read (no credentials, no
 * route53resolver:ListFirewallDomainLists), at the key that asked for them, so it is reported with the others.
 */
export async function lookupFirewallDomainLists(
    region: string,
    profile: string | undefined,
): Promise<{ readonly lists: FirewallDomainListMetadata[]; readonly problems: ConfigProblem[] }> {
    try {
        return { lists: await listFirewallDomainLists(region, profile), problems: [] };
    } catch (e) {
        const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        return {
            lists: [],
            problems: [
                {
                    path: "secure-ai:firewall.dns.managedDomainLists",
                    message: `the AWS managed domain lists of ${region} could not be looked up (route53resolver:ListFirewallDomainLists failed: ${reason}); grant the call, or set managedDomainLists: [] to block none`,
                },
            ],
        };
    }
}
