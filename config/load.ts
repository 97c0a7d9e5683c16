// Stack config loading: raw Pulumi config -> one validated, frozen StackConfig, or one RunError listing every
// problem with its key path. Nothing downstream reads pulumi.Config.
// The enum module only: the Region enum without the provider SDK's 3,900 declaration files (a type check of the
// config core, e.g. Stryker's TypeScript checker, then reads ~400 files instead of ~4,000).
import { Region } from "@pulumi/aws-native/types/enums";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { quote, similarKey } from "./fields";
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
/** Namespaces whose keys must be KNOWN_KEYS: this program's and its explicit providers'. */
const CHECKED_NAMESPACES = [PROJECT, "aws", "aws-native"];
/**
 * Every namespace a key may have: the program's, its providers' (aws, aws-native) and Pulumi's own settings
 * (`pulumi:tags`, `pulumi:template`, ...). A key of any other namespace, or without one, is read by nothing here:
 * a misspelled `secure_ai:baseline` would silently drop the whole section.
 */
export const NAMESPACES = [...CHECKED_NAMESPACES, "pulumi"] as const;

/** Lower-case letters and digits only: `secure_ai:Baseline` and `secure-ai:baseline` compare equal. */
const squash = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The problem with a config key, or undefined when the program (or Pulumi) reads it. */
export function keyProblem(key: string): string | undefined {
    if ((KNOWN_KEYS as readonly string[]).includes(key)) {
        return undefined;
    }
    const similar =
        KNOWN_KEYS.find((k) => squash(k) === squash(key) || squash(k) === squash(`${PROJECT}:${key}`) || k.endsWith(`:${key.slice(key.lastIndexOf(":") + 1)}`)) ??
        similarKey(key, KNOWN_KEYS);
    const hint = similar === undefined ? "" : ` (did you mean ${similar}?)`;
    const colon = key.indexOf(":");
    if (colon < 0) {
        return `has no namespace, so nothing reads it${hint === "" ? ` (this program's keys are ${KNOWN_KEYS.join(", ")})` : hint}`;
    }
    const namespace = key.slice(0, colon);
    if (namespace === "pulumi") {
        return undefined;
    }
    if ((CHECKED_NAMESPACES as readonly string[]).includes(namespace)) {
        return `unknown key${hint} (allowed keys: ${KNOWN_KEYS.join(", ")}; other provider settings would be ignored by this program's explicit providers)`;
    }
    return `namespace ${quote(namespace)} is read by nothing in this program${hint} (allowed namespaces: ${NAMESPACES.map((n) => `${n}:`).join(", ")})`;
}

/** Region names both providers know (the aws-native SDK's enum). */
export const REGIONS: readonly Region[] = Object.values(Region);

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
/** Why a stack name cannot name this program's resources, or undefined when it can. */
export function stackNameProblem(stack: string): string | undefined {
    return STACK_NAME.test(stack) && stack.length <= MAX_STACK_NAME_LENGTH
        ? undefined
        : `${quote(stack)} cannot be part of S3 bucket and IAM role names (allowed: lower-case letters, digits and "-", ` +
              `1 to ${MAX_STACK_NAME_LENGTH} characters, starting and ending with a letter or digit; rename with \`pulumi stack rename\`)`;
}

export function checkConfig(raw: RawConfig, stack: string): ConfigCheck {
    const problems: ConfigProblem[] = [];
    const nameProblem = stackNameProblem(stack);
    if (nameProblem !== undefined) {
        problems.push({ path: "stack", message: nameProblem });
    }

    for (const key of Object.keys(raw).sort()) {
        const message = keyProblem(key);
        if (message !== undefined) {
            problems.push({ path: key, message });
        }
    }

    const region = section(problems, "aws:region", raw["aws:region"], regionSchema);
    const profile = section(problems, "aws:profile", raw["aws:profile"], profileSchema);
    // An absent profile is valid (undefined); a bad one is reported, and no provider is built from it.
    const providerSettings = region !== undefined && !problems.some((p) => p.path === "aws:profile") ? { region, profile } : undefined;
    const partials = new Map<string, unknown>();
    const rawNetwork = parseJson(problems, `${PROJECT}:network`, raw[`${PROJECT}:network`]);
    const network = section(problems, `${PROJECT}:network`, rawNetwork, networkSchema(region), partials);
    // The firewall checks its ranges against the VPC CIDR whenever that CIDR itself is valid.
    const vpcCidr = vpcCidrField.safeParse(field(rawNetwork, "cidr"));
    const vpc = vpcCidr.success ? parseCidr(vpcCidr.data) : undefined;
    const firewall = section(problems, `${PROJECT}:firewall`, parseJson(problems, `${PROJECT}:firewall`, raw[`${PROJECT}:firewall`]), firewallSchema(vpc), partials);
    const baseline = section(problems, `${PROJECT}:baseline`, parseJson(problems, `${PROJECT}:baseline`, raw[`${PROJECT}:baseline`], "{}"), baselineSchema, partials);
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
        // A section with a schema error still counts, as far as its valid entries go (section's partials).
        const networkForQuotas = network ?? (partials.get(`${PROJECT}:network`) as NetworkConfig | undefined);
        const firewallForQuotas = firewall ?? (partials.get(`${PROJECT}:firewall`) as FirewallConfig | undefined);
        const baselineForQuotas = baseline ?? (partials.get(`${PROJECT}:baseline`) as BaselineConfig | undefined);
        problems.push(
            ...quotaProblems({ network: networkForQuotas, firewall: firewallForQuotas, baseline: baselineForQuotas, region, stack }, quotas),
        );
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

const regionSchema = z.enum(Region, {
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
        problems.push({ path: key, message: "is required (a YAML mapping of the keys in docs/config.md)" });
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

function section<S extends z.ZodType>(problems: ConfigProblem[], key: string, value: unknown, schema: S, partials?: Map<string, unknown>): z.output<S> | undefined {
    if (value === MISSING) {
        return undefined;
    }
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) {
        return result.data;
    }
    problems.push(...result.error.issues.flatMap((issue) => describeIssue(key, issue)));
    // What the section would be without its bad entries: enough for the quota model, so a typo in one section
    // does not hide a quota the others exceed; undefined (the model leaves the section out) when even that does not
    // validate. Never used as the config.
    partials?.set(key, schema.safeParse(prune(value, result.error.issues)).data);
    return undefined;
}

/** A copy of `value` without the keys and list entries the issues point at (unknown keys included). */
export function prune(value: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
    const copy: unknown = structuredClone(value);
    const removals = issues.flatMap((issue) =>
        issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path],
    );
    // Deepest and highest index first, so removing one list entry does not shift another that is still to go.
    removals.sort((a, b) => b.length - a.length || Number(b.at(-1)) - Number(a.at(-1)));
    // An issue about the whole value (empty path) removes nothing: it has no last key.
    for (const path of removals) {
        const parent = path.slice(0, -1).reduce<unknown>((node, part) => (typeof node === "object" && node !== null ? (node as Record<PropertyKey, unknown>)[part] : undefined), copy);
        const last = path.at(-1);
        if (Array.isArray(parent) && typeof last === "number") {
            parent.splice(last, 1);
        } else if (typeof parent === "object" && parent !== null && last !== undefined) {
            delete (parent as Record<PropertyKey, unknown>)[last];
        }
    }
    return copy;
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

/** Freezes every object in `value`. Object.isFrozen is true for primitives, null and undefined (ECMAScript 2015). */
function deepFreeze<T>(value: T): T {
    if (!Object.isFrozen(value)) {
        for (const child of Object.values(value as object)) {
            deepFreeze(child);
        }
        Object.freeze(value);
    }
    return value;
}
