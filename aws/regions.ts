// AWS's commercial regions and their Availability Zones, as AWS publishes them.
//
// Source: AWS Global Infrastructure, "AWS Regions and Availability Zones" guide, page "AWS Availability Zones"
// (docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html): one row per AZ ID and
// Region, in the tables North America, Africa, Asia Pacific, Europe, Middle East and South America. The page lists
// the commercial partition only (GovCloud, China and the isolated partitions have their own guides). Its one
// footnote: "Newer accounts can access two Availability Zones in US West (N. California)".
//
// Zone names are per account in the oldest regions ("Regions with independently mapped Availability Zones"); the
// page's own example maps us-east-2a/b/c to use2-az1/2/3. The offline mocks answer DescribeAvailabilityZones with
// the name whose letter is the AZ ID's number (az1 -> a, az4 -> d), which is the uniform mapping of the newer
// regions; a real account may name them differently, which is why index.ts asks the account.

/** A region's AZ IDs: `${idPrefix}-az${n}` for each n. */
export interface RegionZones {
    readonly idPrefix: string;
    readonly azNumbers: readonly number[];
}

/** The AZ IDs of every commercial region, from the page above. */
export const REGION_ZONES: Readonly<Record<string, RegionZones>> = {
    // North America
    "us-east-1": { idPrefix: "use1", azNumbers: [1, 2, 3, 4, 5, 6] },
    "us-east-2": { idPrefix: "use2", azNumbers: [1, 2, 3] },
    "us-west-1": { idPrefix: "usw1", azNumbers: [1, 2, 3] },
    "us-west-2": { idPrefix: "usw2", azNumbers: [1, 2, 3, 4] },
    "ca-central-1": { idPrefix: "cac1", azNumbers: [1, 2, 4] },
    "ca-west-1": { idPrefix: "caw1", azNumbers: [1, 2, 3] },
    "mx-central-1": { idPrefix: "mxc1", azNumbers: [1, 2, 3] },
    // Africa
    "af-south-1": { idPrefix: "afs1", azNumbers: [1, 2, 3] },
    // Asia Pacific
    "ap-east-1": { idPrefix: "ape1", azNumbers: [1, 2, 3] },
    "ap-east-2": { idPrefix: "ape2", azNumbers: [1, 2, 3] },
    "ap-northeast-1": { idPrefix: "apne1", azNumbers: [1, 2, 3, 4] },
    "ap-northeast-2": { idPrefix: "apne2", azNumbers: [1, 2, 3, 4] },
    "ap-northeast-3": { idPrefix: "apne3", azNumbers: [1, 2, 3] },
    "ap-south-1": { idPrefix: "aps1", azNumbers: [1, 2, 3] },
    "ap-south-2": { idPrefix: "aps2", azNumbers: [1, 2, 3] },
    "ap-southeast-1": { idPrefix: "apse1", azNumbers: [1, 2, 3] },
    "ap-southeast-2": { idPrefix: "apse2", azNumbers: [1, 2, 3] },
    "ap-southeast-3": { idPrefix: "apse3", azNumbers: [1, 2, 3] },
    "ap-southeast-4": { idPrefix: "apse4", azNumbers: [1, 2, 3] },
    "ap-southeast-5": { idPrefix: "apse5", azNumbers: [1, 2, 3] },
    "ap-southeast-6": { idPrefix: "apse6", azNumbers: [1, 2, 3] },
    "ap-southeast-7": { idPrefix: "apse7", azNumbers: [1, 2, 3] },
    // Europe
    "eu-central-1": { idPrefix: "euc1", azNumbers: [1, 2, 3] },
    "eu-central-2": { idPrefix: "euc2", azNumbers: [1, 2, 3] },
    "eu-north-1": { idPrefix: "eun1", azNumbers: [1, 2, 3] },
    "eu-south-1": { idPrefix: "eus1", azNumbers: [1, 2, 3] },
    "eu-south-2": { idPrefix: "eus2", azNumbers: [1, 2, 3] },
    "eu-west-1": { idPrefix: "euw1", azNumbers: [1, 2, 3] },
    "eu-west-2": { idPrefix: "euw2", azNumbers: [1, 2, 3, 4] },
    "eu-west-3": { idPrefix: "euw3", azNumbers: [1, 2, 3] },
    // Middle East
    "il-central-1": { idPrefix: "ilc1", azNumbers: [1, 2, 3] },
    "me-central-1": { idPrefix: "mec1", azNumbers: [1, 2, 3] },
    "me-south-1": { idPrefix: "mes1", azNumbers: [1, 2, 3] },
    // South America
    "sa-east-1": { idPrefix: "sae1", azNumbers: [1, 2, 3] },
};

/** Every commercial region the page lists, sorted. */
export const COMMERCIAL_REGIONS: readonly string[] = Object.keys(REGION_ZONES).sort();

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** The AZ names the offline mocks report for a commercial region (az<N> -> the N-th letter); undefined otherwise. */
export function zoneNamesOf(region: string): readonly string[] | undefined {
    return REGION_ZONES[region]?.azNumbers.map((n) => `${region}${LETTERS.charAt(n - 1)}`);
}

/** The AZ IDs of a commercial region, as DescribeAvailabilityZones reports them (`usw2-az1`), in zoneNamesOf's order. */
export function zoneIdsOf(region: string): readonly string[] | undefined {
    const zones = REGION_ZONES[region];
    return zones?.azNumbers.map((n) => `${zones.idPrefix}-az${n}`);
}

/** One line for a region the offline mocks cannot answer for. */
export function unknownRegionMessage(region: string): string {
    return (
        `aws:region ${JSON.stringify(region)} is not an AWS commercial region with published Availability Zones, so the offline ` +
        `plan cannot answer for it (known: ${COMMERCIAL_REGIONS.join(", ")}; source: AWS "AWS Availability Zones" page)`
    );
}
