// The two explicit providers, built from the one validated region so they can never target different regions.
import * as aws from "@pulumi/aws";
import * as awsNative from "@pulumi/aws-native";
import type { StackConfig } from "./load";

export interface Providers {
    readonly aws: aws.Provider;
    readonly awsNative: awsNative.Provider;
}

/** Tags every resource carries, from both providers. */
export function defaultTags(project: string, stack: string): Record<string, string> {
    return { project, stack, "managed-by": "pulumi" };
}

export function makeProviders(config: StackConfig, project: string, stack: string): Providers {
    const common = {
        region: config.region,
        ...(config.profile === undefined ? {} : { profile: config.profile }),
        defaultTags: { tags: defaultTags(project, stack) },
    };
    return {
        aws: new aws.Provider("aws", common),
        awsNative: new awsNative.Provider("aws-native", common),
    };
}
