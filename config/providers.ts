// The two explicit providers, built from the one validated region so they can never target different regions.
import * as aws from "../aws/pulumiAws";
import * as awsNative from "@pulumi/aws-native";
import type { ProviderSettings } from "./load";

export interface Providers {
    readonly aws: aws.Provider;
    readonly awsNative: awsNative.Provider;
}

/** Tags every resource carries, from both providers. */
export function defaultTags(project: string, stack: string): Record<string, string> {
    return { project, stack, "managed-by": "pulumi" };
}

export function makeProviders(settings: ProviderSettings, project: string, stack: string): Providers {
    const common = {
        region: settings.region,
        ...(settings.profile === undefined ? {} : { profile: settings.profile }),
        defaultTags: { tags: defaultTags(project, stack) },
    };
    return {
        aws: new aws.Provider("aws", common),
        awsNative: new awsNative.Provider("aws-native", common),
    };
}

/**
 * The availability zones the account has in the provider's region (DescribeAvailabilityZones: available zones of
 * type availability-zone, so Local and Wavelength Zones never count).
 */
export async function availabilityZoneNames(provider: aws.Provider): Promise<string[]> {
    const zones = await aws.getAvailabilityZones(
        { state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] },
        { provider },
    );
    return zones.names;
}
