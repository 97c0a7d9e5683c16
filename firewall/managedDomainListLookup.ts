// The one AWS call of config checking besides the zone lookup: the region's DNS Firewall domain lists, so the
// program can name AWS's managed lists by id (firewall/managedDomainLists.ts). Offline runs answer it in Route 53
// Resolver's place (offline/synth.ts sets the lister to the mocks' answer for the region).
import {
    paginateListFirewallDomainLists,
    Route53ResolverClient,
    type FirewallDomainListMetadata,
    type Route53ResolverClientConfig,
} from "@aws-sdk/client-route53resolver";
import { isThrottlingError, isTransientError } from "@smithy/service-error-classification";
import type { ConfigProblem } from "../config/load";

export type DomainListLister = (region: string, profile: string | undefined) => Promise<FirewallDomainListMetadata[]>;

/** The config key whose lists the lookup serves, and which turns it off (`[]`). */
export const MANAGED_LISTS_KEY = "secure-ai:firewall.dns.managedDomainLists";

/**
 * The SDK's standard retry, set explicitly so neither AWS_MAX_ATTEMPTS nor AWS_RETRY_MODE in a CI environment changes
 * it (@aws-sdk/client-route53resolver 3.654.0 with @smithy/middleware-retry 3.0.34: RetryInputConfig.maxAttempts,
 * "The maximum number of times requests that encounter retryable failures should be attempted", and retryMode
 * standard, @smithy/util-retry 3.0.11 RETRY_MODES; its default is 3 attempts, DEFAULT_MAX_ATTEMPTS). Standard retry
 * retries throttling (HTTP 429 and error names such as ThrottlingException), transient errors (HTTP 500, 502, 503, 504,
 * timeouts) and connection errors (ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT), with exponential backoff and jitter
 * (@smithy/service-error-classification 3.0.11); it does not retry a refusal (AccessDeniedException) or missing
 * credentials, which no retry fixes.
 */
export const LOOKUP_RETRY = { maxAttempts: 5, retryMode: "standard" } as const satisfies Partial<Route53ResolverClientConfig>;

/** The client of the lookup: the providers' region and profile, the retry above; `extra` is for tests (a stub handler). */
export function route53ResolverClient(region: string, profile: string | undefined, extra: Partial<Route53ResolverClientConfig> = {}): Route53ResolverClient {
    return new Route53ResolverClient({ region, ...(profile === undefined ? {} : { profile }), ...LOOKUP_RETRY, ...extra });
}

/** Every domain list the client's region reports (ListFirewallDomainLists, all pages). */
export async function listDomainLists(client: Route53ResolverClient): Promise<FirewallDomainListMetadata[]> {
    const lists: FirewallDomainListMetadata[] = [];
    for await (const page of paginateListFirewallDomainLists({ client }, { MaxResults: 100 })) {
        lists.push(...(page.FirewallDomainLists ?? []));
    }
    return lists;
}

/**
 * Every domain list Route 53 Resolver reports in the region, with the credentials the providers use (the same region
 * and profile). Needs route53resolver:ListFirewallDomainLists (granted to the pipeline roles,
 * bootstrap/permissions.ts PROGRAM_READS).
 */
export const listFromRoute53Resolver: DomainListLister = async (region, profile) => {
    const client = route53ResolverClient(region, profile);
    try {
        return await listDomainLists(client);
    } finally {
        client.destroy();
    }
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

const OFF = "or set managedDomainLists: [] to block none (the DNS Firewall then blocks no AWS managed threat list)";

/** What the SDK says about a failed call (@smithy/types MetadataBearer: `$metadata.attempts`). */
interface SdkErrorFields {
    readonly $metadata?: { readonly attempts?: number; readonly httpStatusCode?: number };
}

/**
 * Why the lookup failed, as a config problem's message: what failed (the call, AWS's or the SDK's error, after how
 * many attempts), and what to do about it, the config key that turns the lookup off included.
 */
export function lookupFailureMessage(region: string, e: unknown): string {
    const name = e instanceof Error ? e.name : "Error";
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const attempts = e instanceof Error ? (e as Error & SdkErrorFields).$metadata?.attempts : undefined;
    const failed = `route53resolver:ListFirewallDomainLists in ${region} failed${attempts === undefined || attempts < 2 ? "" : ` after ${attempts} attempts`}: ${reason}`;
    const head = `the AWS managed domain lists of ${region} could not be looked up at preview (${failed})`;
    // @smithy/property-provider: the credential chain found nothing (a CI job without its role, a shell without a profile).
    if (name === "CredentialsProviderError") {
        return `${head}; no AWS credentials were found: run with the credentials \`pulumi up\` uses (AWS_PROFILE or aws:profile, \`aws sso login\`, the pipeline's role), ${OFF}`;
    }
    if (name === "AccessDeniedException" || name === "UnrecognizedClientException" || name === "ExpiredTokenException") {
        return `${head}; a retry will not help: grant route53resolver:ListFirewallDomainLists to the identity that runs the program (the bootstrap's roles have it) or renew its credentials, ${OFF}`;
    }
    // The standard retry strategy retries only what it classes as throttling or transient (@smithy/middleware-retry
    // 3.0.34 getRetryErrorType, @smithy/util-retry 3.0.11 StandardRetryStrategy.isRetryableError), with
    // @smithy/service-error-classification 3.0.11: throttling (HTTP 429 or a throttling error code), transient
    // (timeouts, ECONNRESET/ECONNREFUSED/EPIPE/ETIMEDOUT, HTTP 500/502/503/504). Anything else is answered once: a
    // client error (ValidationException and the like) fails the same way on every run.
    const sdkError = e instanceof Error ? (e as Parameters<typeof isThrottlingError>[0] & SdkErrorFields) : undefined;
    if (sdkError !== undefined && (isThrottlingError(sdkError) || isTransientError(sdkError))) {
        return (
            `${head}; the SDK retried it as AWS's standard retry mode allows (throttling, timeouts, connection resets, HTTP 500/502/503/504: up to ` +
            `${LOOKUP_RETRY.maxAttempts} attempts), so run it again later, ${OFF}`
        );
    }
    // Endpoint overrides: @smithy/middleware-endpoint 3.2.8 getEndpointUrlConfig reads AWS_ENDPOINT_URL_<serviceId>
    // (serviceId "Route53Resolver", @aws-sdk/client-route53resolver runtimeConfig.shared) before AWS_ENDPOINT_URL.
    const status = sdkError?.$metadata?.httpStatusCode;
    if (status !== undefined && status >= 400 && status < 500) {
        return (
            `${head}; AWS refused the request itself (HTTP ${status}), which the SDK does not retry and a retry will not change: check that aws:region ` +
            `(${region}) is a Region where Route 53 Resolver DNS Firewall is offered and that no endpoint override (AWS_ENDPOINT_URL, ` +
            `AWS_ENDPOINT_URL_ROUTE53RESOLVER) sends the call elsewhere, ${OFF}`
        );
    }
    return `${head}; the SDK does not retry this error (it is neither throttling nor transient): fix what it names and run again, ${OFF}`;
}

/**
 * The region's domain lists, or the one config problem saying why they could not be read, at the key that asked for
 * them, so it is reported with the others.
 */
export async function lookupFirewallDomainLists(
    region: string,
    profile: string | undefined,
): Promise<{ readonly lists: FirewallDomainListMetadata[]; readonly problems: ConfigProblem[] }> {
    try {
        return { lists: await listFirewallDomainLists(region, profile), problems: [] };
    } catch (e) {
        return { lists: [], problems: [{ path: MANAGED_LISTS_KEY, message: lookupFailureMessage(region, e) }] };
    }
}
