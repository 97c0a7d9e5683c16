// Stack config loading: raw Pulumi config -> one validated, frozen StackConfig, or one RunError listing every
// problem with its key path. Nothing downstream reads pulumi.Config.
import * as awsNative from "@pulumi/aws-native";
import type { Region } from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { quote } from "./fields";
import { baselineSchema, type BaselineConfig } from "./baseline";
import { parseCidr } from "./cidr";
import { firewallSchema, type FirewallConfig } from "./firewall";
import { azNamesOf, networkSchema, vpcCidrField, type NetworkConfig } from "./network";
import { quotasSchema, type QuotasConfig } from "./quotas";
import { quotaProblems } from "../aws/quotas";

export const PROJECT = "secure-ai";

/** The config keys this program reads. Any other `secure-ai:`, `aws:` or `aws-native:` key is an error. */
export const KNOWN_KEYS = [
    "aws:region",
    "aws:profile",
    `${PROJECT}:network`,
    `${PROJECT}:firewall`,
    `${PROJECT}:baseline`,
    `${PROJECT}:quotas`,
] as const;
const CHECKED_NAMESPACES = [`${PROJECT}:`, "aws:", "aws-native:"];

/** Region names both providers know (the aws-native SDK's enum). */
export const REGIONS: readonly Region[] = Object.values(awsNative.Region);

export interface StackConfig {
    readonly region: Region;
    /** Optional named AWS profile, passed to both providers. */
    readonly profile: string | undefined;
    readonly network: NetworkConfig;
    readonly firewall: FirewallConfig;
    readonly baseline: BaselineConfig;
    /** The account's values of the adjustable quotas the stack is checked against. */
    readonly quotas: QuotasConfig;
}

/** What the providers need: the one validated region and the optional profile. */
export interface ProviderSettings {
    readonly region: Region;
    readonly profile: string | undefined;
}

/** The result of checking a stack's config without any AWS call. */
export interface ConfigCheck {
    /** The validated config; undefined when there is any problem. */
    readonly config: StackConfig | undefined;
    readonly problems: readonly ConfigProblem[];
    /** Present when region and profile are valid: enough to build the providers and look the zones up. */
    readonly providerSettings: ProviderSettings | undefined;
    /** The availability zone names listed in the network section (its strings, even when other keys are bad). */
    readonly requestedAzs: readonly string[];
}

export interface ConfigProblem {
    /** Key path such as `secure-ai:network.availabilityZones[1]`. */
    readonly path: string;
    readonly message: string;
}

export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(
            `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  ${p.path}: ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Raw config as Pulumi hands it over: key -> string (objects and arrays as JSON text). */
export type RawConfig = Readonly<Record<string, string>>;

/** Reads the stack's raw config from the Pulumi runtime (the CLI or the offline mocks). */
export function readRawConfig(): RawConfig {
    return pulumi.runtime.allConfig();
}

/**
 * Longest stack name whose physical names still fit: `secure-ai-<stack>-model-artifacts-<7 random>` within S3's
 * 63 characters and `secure-ai-<stack>-cloudtrail-logs-<7 random>` within IAM's 64.
 */
const MAX_STACK_NAME_LENGTH = 29;
const STACK_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * Validates the raw config of the named stack (the stack name becomes part of bucket and role names). Throws
 * ConfigError (a pulumi.RunError) listing every problem. Checks that need AWS (the account's zones) are made by
 * index.ts on top of checkConfig.
 */
export function loadConfig(raw: RawConfig, stack: string): StackConfig {
    const check = checkConfig(raw, stack);
    if (check.config === undefined) {
        throw new ConfigError(check.problems);
    }
    return check.config;
}

/** Every problem of the raw config that can be found without calling AWS, and the validated config if none. */
export function checkConfig(raw: RawConfig, stack: string): ConfigCheck {
    const problems: ConfigProblem[] = [];
    if (!STACK_NAME.test(stack) || stack.length > MAX_STACK_NAME_LENGTH) {
        problems.push({
            path: "stack",
            message:
                `${quote(stack)} cannot be part of S3 bucket and IAM role names (allowed: lower-case letters, digits and "-", ` +
                `1 to ${MAX_STACK_NAME_LENGTH} characters, starting and ending with a letter or digit; rename with \`pulumi stack rename\`)`,
        });
    }

    for (const key of Object.keys(raw).sort()) {
        const known = (KNOWN_KEYS as readonly string[]).includes(key);
        if (!known && CHECKED_NAMESPACES.some((ns) => key.startsWith(ns))) {
            problems.push({
                path: key,
                message: `unknown key (allowed keys: ${KNOWN_KEYS.join(", ")}; other provider settings would be ignored by this program's explicit providers)`,
            });
        }
    }

    const region = section(problems, "aws:region", raw["aws:region"], regionSchema);
    const profile = section(problems, "aws:profile", raw["aws:profile"], profileSchema);
    // An absent profile is valid (undefined); a bad one is reported, and no provider is built from it.
    const providerSettings = region !== undefined && !problems.some((p) => p.path === "aws:profile") ? { region, profile } : undefined;
    const rawNetwork = parseJson(problems, `${PROJECT}:network`, raw[`${PROJECT}:network`]);
    const network = section(problems, `${PROJECT}:network`, rawNetwork, networkSchema(region));
    // The firewall checks its ranges against the VPC CIDR whenever that CIDR itself is valid.
    const vpcCidr = vpcCidrField.safeParse(field(rawNetwork, "cidr"));
    const vpc = vpcCidr.success ? parseCidr(vpcCidr.data) : undefined;
    const firewall = section(problems, `${PROJECT}:firewall`, parseJson(problems, `${PROJECT}:firewall`, raw[`${PROJECT}:firewall`]), firewallSchema(vpc));
    const baseline = section(problems, `${PROJECT}:baseline`, parseJson(problems, `${PROJECT}:baseline`, raw[`${PROJECT}:baseline`], "{}"), baselineSchema);
    const quotas = section(problems, `${PROJECT}:quotas`, parseJson(problems, `${PROJECT}:quotas`, raw[`${PROJECT}:quotas`], "{}"), quotasSchema);

    // Checks across sections run on every section that validated, so one bad key hides no other problem.
    if (network !== undefined && firewall !== undefined && network.trainingEgress === "filtered" && firewall.egress.allowedDomains.length === 0) {
        problems.push({
            path: `${PROJECT}:network.trainingEgress`,
            message:
                `"filtered" sends training through a NAT gateway to the firewall's domain allowlist, but ` +
                `${PROJECT}:firewall.egress.allowedDomains is empty (allowed: none, or list the domains training needs)`,
        });
    }
    if (quotas !== undefined) {
        problems.push(...quotaProblems({ network, firewall, servingPort: baseline?.servingPort, baseline, region, stack }, quotas));
    }

    const requestedAzs = stringsOf(field(rawNetwork, "availabilityZones"));
    if (problems.length > 0 || region === undefined || network === undefined || firewall === undefined || baseline === undefined || quotas === undefined) {
        return { config: undefined, problems, providerSettings, requestedAzs };
    }
    return { config: deepFreeze({ region, profile, network, firewall, baseline, quotas }), problems, providerSettings, requestedAzs };
}

/**
 * The listed zones the account does not have in the region (DescribeAvailabilityZones through the stack's
 * provider). Names that are not of the region's form are already reported by the schema.
 */
export function zoneProblems(requested: readonly string[], available: readonly string[], region: string): ConfigProblem[] {
    return requested.flatMap((az, index) =>
        azNamesOf(region).includes(az) && !available.includes(az)
            ? [
                  {
                      path: `${PROJECT}:network.availabilityZones[${index}]`,
                      message: `${quote(az)} is not an availability zone this account has in ${region} (available: ${[...available].sort().join(", ")})`,
                  },
              ]
            : [],
    );
}

function stringsOf(value: unknown): string[] {
    return Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v : "")) : [];
}

const regionSchema = z.enum(awsNative.Region, {
    error: (issue) =>
        issue.input === undefined
            ? "is required (an AWS region name such as us-west-2)"
            : `${quote(issue.input)} is not an AWS region (allowed: ${REGIONS.join(", ")})`,
});

const profileSchema = z.string().min(1, { error: "must not be empty (a profile name from ~/.aws/config)" }).optional();

const MISSING = Symbol("missing");

/**
 * A structured key's value: Pulumi hands objects over as JSON text. MISSING (already reported) when it is absent
 * without a default or not JSON.
 */
function parseJson(problems: ConfigProblem[], key: string, text: string | undefined, fallback?: string): unknown {
    const source = text ?? fallback;
    if (source === undefined) {
        problems.push({ path: key, message: "is required (a YAML mapping; see README)" });
        return MISSING;
    }
    try {
        return JSON.parse(source);
    } catch {
        problems.push({ path: key, message: `${quote(source)} is not a structured value (expected a YAML mapping)` });
        return MISSING;
    }
}

function field(value: unknown, name: string): unknown {
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function section<S extends z.ZodType>(problems: ConfigProblem[], key: string, value: unknown, schema: S): z.output<S> | undefined {
    if (value === MISSING) {
        return undefined;
    }
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) {
        return result.data;
    }
    problems.push(...result.error.issues.flatMap((issue) => describeIssue(key, issue)));
    return undefined;
}

/** One or more problems from a zod issue, each with its full key path. */
export function describeIssue(key: string, issue: z.core.$ZodIssue): ConfigProblem[] {
    const at = keyPath(key, issue.path);
    switch (issue.code) {
        case "unrecognized_keys":
            return issue.keys.map((k) => ({ path: keyPath(key, [...issue.path, k]), message: issue.message }));
        case "invalid_type":
            if (issue.message.startsWith("Invalid input")) {
                return [
                    {
                        path: at,
                        message:
                            issue.input === undefined
                                ? `is required (${issue.expected})`
                                : `${quote(issue.input)} is not ${article(issue.expected)} (expected ${issue.expected})`,
                    },
                ];
            }
            return [{ path: at, message: issue.message }];
        default:
            return [{ path: at, message: issue.message }];
    }
}

function article(expected: string): string {
    return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** `secure-ai:network` + ["availabilityZones", 1] -> `secure-ai:network.availabilityZones[1]`. */
export function keyPath(key: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>(
        (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`),
        key,
    );
}

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        for (const child of Object.values(value)) {
            deepFreeze(child);
        }
        Object.freeze(value);
    }
    return value;
}
