// AWS managed DNS Firewall domain lists: AWS's own threat intelligence, which every stack blocks by default
// (`secure-ai:firewall.dns.managedDomainLists`, `[]` opts out). A rule names a list by its id, which differs per
// region, and neither @pulumi/aws 7.48.0 nor aws-native has a lookup by name, so the program asks Route 53 Resolver
// (ListFirewallDomainLists, firewall/managedDomainListLookup.ts) before it registers anything, and a list the
// region does not offer is a config problem. Pure.
import type { FirewallDomainListMetadata } from "@aws-sdk/client-route53resolver";
import type { ConfigProblem } from "../config/load";
import { quote } from "../config/fields";

/**
 * The managed domain lists, as the Amazon Route 53 Developer Guide names and describes them ("Managed Domain Lists",
 * Available AWS Managed Domain Lists). The table order fixes each list's rule priority, so opting out of one list
 * renumbers no other rule. AWS does not publish their contents: "AWS Managed Domain Lists cannot be downloaded or
 * browsed" (same page).
 */
export const MANAGED_DOMAIN_LIST_NAMES = [
    "AWSManagedDomainsMalwareDomainList",
    "AWSManagedDomainsBotnetCommandandControl",
    "AWSManagedDomainsAggregateThreatList",
    "AWSManagedDomainsAmazonGuardDutyThreatList",
] as const;
export type ManagedDomainListName = (typeof MANAGED_DOMAIN_LIST_NAMES)[number];

/** What each list holds (same page). */
export const MANAGED_DOMAIN_LIST_HOLDS: Readonly<Record<ManagedDomainListName, string>> = {
    AWSManagedDomainsMalwareDomainList: "domains associated with sending, hosting or distributing malware",
    AWSManagedDomainsBotnetCommandandControl: "domains associated with controlling networks of computers infected with spamming malware",
    AWSManagedDomainsAggregateThreatList: "domains associated with multiple DNS threat categories (malware, ransomware, botnet, spyware, DNS tunneling)",
    AWSManagedDomainsAmazonGuardDutyThreatList:
        "domains associated with DNS security threats (malware, command and control, cryptocurrency related activity), sourced from Amazon GuardDuty",
};

/**
 * The owner ListFirewallDomainLists reports for AWS's lists (Route 53 Resolver API Reference,
 * FirewallDomainListMetadata.ManagedOwnerName: "the managed domain list AWSManagedDomainsMalwareDomainList has the
 * managed owner name Route 53 Resolver DNS Firewall"; @aws-sdk/client-route53resolver 3.654.0 carries the same text).
 * An account's own list of the same name has no owner name, so it can never stand in for AWS's.
 */
export const MANAGED_OWNER_NAME = "Route 53 Resolver DNS Firewall";

/** The region's AWS managed lists by name -> id, from ListFirewallDomainLists pages. Pure. */
export function managedListIds(lists: readonly FirewallDomainListMetadata[]): ReadonlyMap<string, string> {
    const ids = new Map<string, string>();
    for (const list of lists) {
        if (list.ManagedOwnerName === MANAGED_OWNER_NAME && list.Name !== undefined && list.Id !== undefined) {
            ids.set(list.Name, list.Id);
        }
    }
    return ids;
}

/** One problem per requested list the region does not offer, at its key path. */
export function managedListProblems(requested: readonly string[], ids: ReadonlyMap<string, string>, region: string): ConfigProblem[] {
    const offered = [...ids.keys()].sort();
    return requested.flatMap((name, index) =>
        ids.has(name)
            ? []
            : [
                  {
                      path: `secure-ai:firewall.dns.managedDomainLists[${index}]`,
                      message:
                          `${quote(name)} is not an AWS managed domain list in ${region} (offered there: ${offered.length === 0 ? "none" : offered.join(", ")}); ` +
                          "remove it, or set managedDomainLists: [] where AWS offers none",
                  },
              ],
    );
}
