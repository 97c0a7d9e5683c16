// The bootstrap's config: raw Pulumi config -> one validated BootstrapConfig, or one RunError listing every problem
// with its key path (the same contract as the program's config/load.ts).
import * as fs from "node:fs";
import { z } from "zod";
import { ConfigError, REGIONS, type ConfigProblem, type RawConfig } from "../config/load";
import { stackFiles, type StackFile } from "../offline/synth";
import { parse as parseYaml } from "yaml";
import { GITHUB_OIDC } from "./github";
import { secretsProviderUrl } from "./permissions";

export const BOOTSTRAP_PROJECT = "secure-ai-bootstrap";

export const BOOTSTRAP_KEYS = ["aws:region", "aws:profile", `${BOOTSTRAP_PROJECT}:repository`, `${BOOTSTRAP_PROJECT}:githubOidcProviderArn`] as const;

export interface BootstrapConfig {
    readonly region: string;
    readonly profile: string | undefined;
    /** GitHub `owner/repo` whose workflows may assume the roles. */
    readonly repository: string;
    /**
     * An existing GitHub OIDC provider to trust instead of creating one. IAM keeps one OIDC provider per URL in an
     * account (IAM User Guide, "Create an OpenID Connect (OIDC) identity provider in IAM": creating a second for
     * the same URL fails with EntityAlreadyExists), so an account that already trusts GitHub names its provider.
     */
    readonly githubOidcProviderArn: string | undefined;
    /** The program's stacks (its stack files): one deploy role and one GitHub environment each. */
    readonly stacks: readonly string[];
}

/**
 * GitHub's rules for owner and repository names: owners are alphanumeric with single inner hyphens (at most 39
 * characters); repository names are letters, digits, `.`, `-` and `_` (at most 100). The OIDC subject embeds them.
 */
const repositorySchema = z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[A-Za-z0-9._-]{1,100}$/, "must be a GitHub repository as owner/name (e.g. my-org/secure-ai)");

/** IAM's OIDC provider ARN format (Service Authorization Reference, IAM resource type `oidc-provider`) for GitHub's issuer. */
const GITHUB_OIDC_PROVIDER_ARN = new RegExp(`^arn:aws(-[a-z]+)*:iam::\\d{12}:oidc-provider/${GITHUB_OIDC.host.replace(/\./g, "\\.")}$`);

/** The `secretsprovider` a stack file commits (undefined when it has none). */
export function committedSecretsProvider(file: StackFile): string | undefined {
    const doc: unknown = parseYaml(fs.readFileSync(file.file, "utf8"));
    const value = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>)["secretsprovider"] : undefined;
    return typeof value === "string" ? value : undefined;
}

/** Every problem of a bootstrap config, with its key path; the config when there is none. */
export function checkBootstrapConfig(raw: RawConfig, files: readonly StackFile[] = stackFiles()): { config: BootstrapConfig | undefined; problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    for (const key of Object.keys(raw)) {
        if ((key.startsWith(`${BOOTSTRAP_PROJECT}:`) || key.startsWith("aws:")) && !(BOOTSTRAP_KEYS as readonly string[]).includes(key)) {
            problems.push({ path: key, message: `is not a key of the bootstrap (known: ${BOOTSTRAP_KEYS.join(", ")})` });
        }
    }
    const region = raw["aws:region"];
    if (region === undefined) {
        problems.push({ path: "aws:region", message: "is required (the region of the state bucket, the secrets key and the stacks' secretsprovider)" });
    } else if (!(REGIONS as readonly string[]).includes(region)) {
        problems.push({ path: "aws:region", message: `"${region}" is not an AWS region name` });
    }
    const repository = raw[`${BOOTSTRAP_PROJECT}:repository`];
    if (repository === undefined) {
        problems.push({ path: `${BOOTSTRAP_PROJECT}:repository`, message: "is required (the GitHub repository as owner/name whose workflows deploy)" });
    } else {
        const parsed = repositorySchema.safeParse(repository);
        if (!parsed.success) {
            problems.push({ path: `${BOOTSTRAP_PROJECT}:repository`, message: `"${repository}" ${parsed.error.issues.map((i) => i.message).join("; ")}` });
        }
    }
    const oidcKey = `${BOOTSTRAP_PROJECT}:githubOidcProviderArn`;
    const oidcArn = raw[oidcKey];
    if (oidcArn !== undefined && !GITHUB_OIDC_PROVIDER_ARN.test(oidcArn)) {
        problems.push({ path: oidcKey, message: `"${oidcArn}" must be the ARN of the account's GitHub OIDC provider, arn:<partition>:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com` });
    }
    if (files.length === 0) {
        problems.push({ path: "Pulumi.<stack>.yaml", message: "the project has no stack file: there is nothing to deploy" });
    }
    if (region !== undefined) {
        const expected = secretsProviderUrl(region);
        for (const file of files) {
            const committed = committedSecretsProvider(file);
            if (committed !== expected) {
                problems.push({
                    path: "aws:region",
                    message: `"${region}": Pulumi.${file.stack}.yaml commits secretsprovider ${committed === undefined ? "(none)" : `"${committed}"`}, but the stacks' secrets key is ${expected}; bootstrap in that region or set that line in the stack file`,
                });
            }
        }
    }
    if (problems.length > 0 || region === undefined || repository === undefined) {
        return { config: undefined, problems };
    }
    const profile = raw["aws:profile"];
    return { config: Object.freeze({ region, profile, repository, githubOidcProviderArn: oidcArn, stacks: files.map((f) => f.stack) }), problems };
}

/** The validated config, or the one RunError naming every problem. */
export function loadBootstrapConfig(raw: RawConfig, files?: readonly StackFile[]): BootstrapConfig {
    const { config, problems } = checkBootstrapConfig(raw, files);
    if (config === undefined) {
        throw new ConfigError(problems);
    }
    return config;
}
