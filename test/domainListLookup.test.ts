// The one AWS call at preview: ListFirewallDomainLists, through the SDK's own client and standard retry, answered by
// a stub HTTP handler (no network, no credentials lookup): transient failures are retried, a refusal is not, and a
// final failure is one config problem naming what failed and the key that turns the lookup off.
import type { FirewallDomainListMetadata } from "@aws-sdk/client-route53resolver";
import { expect } from "chai";
import * as http from "node:http";
import {
    listDomainLists,
    listFromRoute53Resolver,
    LOOKUP_RETRY,
    lookupFailureMessage,
    lookupFirewallDomainLists,
    MANAGED_LISTS_KEY,
    route53ResolverClient,
    setDomainListLister,
} from "../firewall/managedDomainListLookup";
import { awsResources, fixture, synthWith } from "./support";

interface StubResponse {
    readonly statusCode: number;
    /** The awsJson1_1 body Route 53 Resolver sends (errors: `__type` names the exception). */
    readonly body?: unknown;
    /** A connection error instead of a response (Node's `code`, as @smithy/node-http-handler passes it on). */
    readonly networkError?: string;
}

/** A request handler answering in turn with the given responses, recording every request it gets. */
function stubHandler(responses: readonly StubResponse[]) {
    const requests: { target: string; body: string }[] = [];
    return {
        requests,
        handler: {
            async handle(request: { headers: Record<string, string>; body?: unknown }) {
                requests.push({ target: request.headers["x-amz-target"] ?? "", body: String(request.body) });
                const next = responses[Math.min(requests.length - 1, responses.length - 1)];
                if (next === undefined) {
                    throw new Error("no stub response");
                }
                if (next.networkError !== undefined) {
                    throw Object.assign(new Error(`connect ${next.networkError}`), { code: next.networkError });
                }
                return {
                    response: {
                        statusCode: next.statusCode,
                        headers: { "content-type": "application/x-amz-json-1.1" },
                        body: new TextEncoder().encode(JSON.stringify(next.body ?? {})),
                    },
                };
            },
            destroy() {},
        },
    };
}

const LIST: FirewallDomainListMetadata = { Id: "rslvr-fdl-0123456789abcdef", Name: "AWSManagedDomainsMalwareDomainList", ManagedOwnerName: "Route 53 Resolver DNS Firewall" };
const OK: StubResponse = { statusCode: 200, body: { FirewallDomainLists: [LIST] } };
const THROTTLED: StubResponse = { statusCode: 400, body: { __type: "ThrottlingException", message: "Rate exceeded" } };
const UNAVAILABLE: StubResponse = { statusCode: 503, body: { __type: "InternalServiceErrorException", message: "try again" } };
const INVALID: StubResponse = { statusCode: 400, body: { __type: "ValidationException", message: "1 validation error detected" } };
const DENIED: StubResponse = { statusCode: 400, body: { __type: "AccessDeniedException", message: "User is not authorized to perform: route53resolver:ListFirewallDomainLists" } };

async function list(responses: readonly StubResponse[]) {
    const stub = stubHandler(responses);
    // Static credentials: the stub answers, so nothing is signed for AWS; the chain is not consulted.
    const client = route53ResolverClient("us-west-2", undefined, { requestHandler: stub.handler, credentials: { accessKeyId: "AKIDSTUB", secretAccessKey: "stub" } });
    try {
        return { result: await listDomainLists(client).then((lists) => ({ lists }), (error: unknown) => ({ error })), requests: stub.requests };
    } finally {
        client.destroy();
    }
}

describe("Managed domain lists at preview: ListFirewallDomainLists with the SDK's standard retry", () => {
    it("sets the retry explicitly: standard mode, more attempts than the SDK's default 3", async () => {
        const client = route53ResolverClient("us-west-2", undefined);
        try {
            expect(await client.config.maxAttempts()).to.equal(LOOKUP_RETRY.maxAttempts);
            const mode = client.config.retryMode;
            expect(typeof mode === "string" ? mode : await mode()).to.equal("standard");
            expect(LOOKUP_RETRY.maxAttempts).to.be.greaterThan(3);
        } finally {
            client.destroy();
        }
    });

    it("asks with the providers' profile when the stack names one (aws:profile), and with the default chain otherwise", () => {
        const named = route53ResolverClient("us-west-2", "ci-deployer");
        try {
            // The resolved config keeps what the client was built with (@aws-sdk/client-route53resolver 3.654.0).
            expect((named.config as { readonly profile?: unknown }).profile).to.equal("ci-deployer");
        } finally {
            named.destroy();
        }
    });

    it("returns the lists the lister answers with, and no problem", async () => {
        const previous = setDomainListLister(() => Promise.resolve([LIST]));
        try {
            expect(await lookupFirewallDomainLists("us-west-2", undefined)).to.deep.equal({ lists: [LIST], problems: [] });
        } finally {
            setDomainListLister(previous);
        }
    });

    it("tells an expired or unknown identity to renew its credentials, and counts attempts only when the SDK retried", () => {
        for (const name of ["ExpiredTokenException", "UnrecognizedClientException"]) {
            const e = Object.assign(new Error("The security token included in the request is expired"), { name, $metadata: { attempts: 1 } });
            const message = lookupFailureMessage("us-west-2", e);
            expect(message, name).to.include(`failed: ${name}: The security token`);
            expect(message, name).to.include("grant route53resolver:ListFirewallDomainLists to the identity that runs the program (the bootstrap's roles have it) or renew its credentials");
        }
        const twice = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { attempts: 2 } });
        expect(lookupFailureMessage("us-west-2", twice)).to.include("in us-west-2 failed after 2 attempts: ThrottlingException: Rate exceeded");
        // Not an SDK error (the SDK throws Errors with $metadata): neither throttling nor transient by its classification.
        expect(lookupFailureMessage("us-west-2", "socket hang up")).to.include("in us-west-2 failed: socket hang up); the SDK does not retry this error");
    });

    it("retries throttling, a 503 and a reset connection, then returns the lists of the one request AWS answered", async () => {
        const { result, requests } = await list([THROTTLED, UNAVAILABLE, { statusCode: 0, networkError: "ECONNRESET" }, OK]);
        expect(result).to.deep.equal({ lists: [LIST] });
        expect(requests.map((r) => r.target)).to.deep.equal(Array.from({ length: 4 }, () => "Route53Resolver.ListFirewallDomainLists"));
        expect(JSON.parse(requests[0]?.body ?? "{}")).to.deep.equal({ MaxResults: 100 });
    });

    it("does not retry a refusal: one request, and the problem says what to grant and which key turns the lookup off", async () => {
        const { result, requests } = await list([DENIED, OK]);
        expect(requests).to.have.length(1);
        const error = "error" in result ? result.error : undefined;
        expect(lookupFailureMessage("us-west-2", error)).to.equal(
            "the AWS managed domain lists of us-west-2 could not be looked up at preview (route53resolver:ListFirewallDomainLists in us-west-2 failed: " +
                "AccessDeniedException: User is not authorized to perform: route53resolver:ListFirewallDomainLists); a retry will not help: grant route53resolver:ListFirewallDomainLists " +
                "to the identity that runs the program (the bootstrap's roles have it) or renew its credentials, or set managedDomainLists: [] to block none " +
                "(the DNS Firewall then blocks no AWS managed threat list)",
        );
    });

    it("gives up after the configured attempts and says so, with AWS's last error", async () => {
        const { result, requests } = await list([UNAVAILABLE]);
        expect(requests).to.have.length(LOOKUP_RETRY.maxAttempts);
        const error = "error" in result ? result.error : undefined;
        expect(lookupFailureMessage("us-west-2", error)).to.equal(
            `the AWS managed domain lists of us-west-2 could not be looked up at preview (route53resolver:ListFirewallDomainLists in us-west-2 failed after ${LOOKUP_RETRY.maxAttempts} attempts: ` +
                "InternalServiceErrorException: try again); the SDK retried it as AWS's standard retry mode allows (throttling, timeouts, connection resets, " +
                "HTTP 500/502/503/504: up to 5 attempts), so run it again later, or set managedDomainLists: [] to block none (the DNS Firewall then blocks no AWS managed threat list)",
        );
    });

    it("does not retry a client error (ValidationException): one request, and the problem says a retry will not help and what to check", async () => {
        const { result, requests } = await list([INVALID, OK]);
        expect(requests).to.have.length(1);
        const error = "error" in result ? result.error : undefined;
        expect(lookupFailureMessage("us-west-2", error)).to.equal(
            "the AWS managed domain lists of us-west-2 could not be looked up at preview (route53resolver:ListFirewallDomainLists in us-west-2 failed: " +
                "ValidationException: 1 validation error detected); AWS refused the request itself (HTTP 400), which the SDK does not retry and a retry will not change: " +
                "check that aws:region (us-west-2) is a Region where Route 53 Resolver DNS Firewall is offered and that no endpoint override (AWS_ENDPOINT_URL, " +
                "AWS_ENDPOINT_URL_ROUTE53RESOLVER) sends the call elsewhere, or set managedDomainLists: [] to block none (the DNS Firewall then blocks no AWS managed threat list)",
        );
    });

    it("retries HTTP 500/502/503/504 only, not every 5xx: a 501 is answered once and not called retried", async () => {
        const { result, requests } = await list([{ statusCode: 501, body: { __type: "InternalServiceErrorException", message: "not implemented" } }, OK]);
        expect(requests).to.have.length(1);
        const error = "error" in result ? result.error : undefined;
        const message = lookupFailureMessage("us-west-2", error);
        expect(message).to.include("the SDK does not retry this error (it is neither throttling nor transient)");
        expect(message).to.not.include("retried");
    });

    it("calls only a 4xx AWS's refusal of the request: a 3xx answered once is not", () => {
        const moved = Object.assign(new Error("Moved Permanently"), { name: "Route53ResolverServiceException", $metadata: { attempts: 1, httpStatusCode: 301 } });
        const message = lookupFailureMessage("us-west-2", moved);
        expect(message).to.include("the SDK does not retry this error (it is neither throttling nor transient)");
        expect(message).to.not.include("AWS refused the request itself");
    });

    it("the program's own lister asks the endpoint the environment names, with the providers' credentials, and closes its connections", async () => {
        // The SDK's endpoint override (AWS_ENDPOINT_URL_ROUTE53RESOLVER, @smithy/middleware-endpoint 3.2.8
        // getEndpointUrlConfig) and credentials from the environment (@aws-sdk/credential-provider-env), so the real
        // client of listFromRoute53Resolver talks to a local server; its keep-alive agent (@smithy/node-http-handler)
        // would hold the socket open if the client were not destroyed.
        const server = http.createServer((request, response) => {
            request.resume();
            request.on("end", () => {
                response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
                response.end(JSON.stringify({ FirewallDomainLists: [LIST] }));
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const address = server.address();
        const port = typeof address === "object" && address !== null ? address.port : 0;
        const names = ["AWS_ENDPOINT_URL_ROUTE53RESOLVER", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] as const;
        const saved = names.map((n) => [n, process.env[n]] as const);
        Object.assign(process.env, { AWS_ENDPOINT_URL_ROUTE53RESOLVER: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: "AKIDLOCAL", AWS_SECRET_ACCESS_KEY: "local" });
        delete process.env["AWS_SESSION_TOKEN"];
        delete process.env["AWS_PROFILE"];
        try {
            expect(await listFromRoute53Resolver("us-west-2", undefined)).to.deep.equal([LIST]);
            // A destroyed client's agent has closed the socket: the server sees it go (a leaked one stays open).
            const open = async () => new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
            for (let i = 0; i < 50 && (await open()) > 0; i++) {
                await new Promise((resolve) => setTimeout(resolve, 10));
            }
            expect(await open()).to.equal(0);
        } finally {
            for (const [n, v] of saved) {
                if (v === undefined) {
                    delete process.env[n];
                } else {
                    process.env[n] = v;
                }
            }
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });

    it("without credentials (a CI job without its role): one problem at the key, naming what to run with", async () => {
        // What @smithy/property-provider's chain throws when no provider has credentials.
        const missing = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
        const previous = setDomainListLister(() => Promise.reject(missing));
        try {
            const { problems } = await lookupFirewallDomainLists("eu-west-1", undefined);
            expect(problems.map((p) => p.path)).to.deep.equal([MANAGED_LISTS_KEY]);
            expect(problems[0]?.message).to.equal(
                "the AWS managed domain lists of eu-west-1 could not be looked up at preview (route53resolver:ListFirewallDomainLists in eu-west-1 failed: " +
                    "CredentialsProviderError: Could not load credentials from any providers); no AWS credentials were found: run with the credentials " +
                    "`pulumi up` uses (AWS_PROFILE or aws:profile, `aws sso login`, the pipeline's role), or set managedDomainLists: [] to block none " +
                    "(the DNS Firewall then blocks no AWS managed threat list)",
            );
        } finally {
            setDomainListLister(previous);
        }
    });

});

describe("Managed domain lists at preview, through the program", () => {
    it("at preview, the program stops with the one RunError at the key before registering anything (a CI job without credentials)", async () => {
        const missing = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
        const s = await synthWith({ stack: "prod", config: fixture("prod"), domainLists: () => Promise.reject(missing) });
        expect(s.error?.message).to.include(`${MANAGED_LISTS_KEY}: the AWS managed domain lists of`);
        expect(s.error?.message).to.include("no AWS credentials were found");
        expect(awsResources(s)).to.deep.equal([]);
    });
});
