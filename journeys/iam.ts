// API requests decided the way AWS decides them, by a real IAM policy engine (@cloud-copilot/iam-simulate): the
// identity policies of the caller, the endpoint policy when the request goes through a VPC endpoint, and the
// resource's policy. Shared by the journeys and the who-can-do-what scenarios (test/iamScenarios.ts).
import { createValidatedPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { contextKeyApplies } from "../aws/iam";
import { MOCK_ACCOUNT_ID } from "../offline/mocks";
import type { PolicyDocument } from "../policy/document";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** A policy and the Pulumi logical name of the resource that carries it (the name a verdict reports). */
export interface NamedPolicy {
    readonly name: string;
    readonly policy: PolicyDocument;
}

export interface ApiRequest {
    readonly principal: string;
    readonly action: string;
    readonly resource: string;
    /** The account that owns the resource (default: the stack's). */
    readonly account?: string;
    readonly context?: Readonly<Record<string, string | readonly string[]>>;
    readonly identity?: readonly NamedPolicy[];
    readonly resourcePolicy?: NamedPolicy;
    readonly endpointPolicy?: NamedPolicy;
}

/** The engine's input for a request, with the facts AWS puts in every request's context. */
export function simulation(r: ApiRequest): Simulation {
    const principalAccount = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(r.principal)?.[1];
    const context: Record<string, string | string[]> = {
        // TLS (unless a request says otherwise), the resource's account, and for IAM principals their ARN and account.
        "aws:SecureTransport": "true",
        "aws:ResourceAccount": r.account ?? MOCK_ACCOUNT_ID,
        ...(principalAccount === undefined ? {} : { "aws:PrincipalArn": r.principal, "aws:PrincipalAccount": principalAccount }),
        // IAM User Guide, "AWS global condition context keys": aws:PrincipalIsAWSService is in the context of every
        // signed request (true only for a service principal such as cloudtrail.amazonaws.com), and aws:ViaAWSService
        // is always included (true only when a service makes the request with the principal's credentials, a
        // forward access session). A step that a service makes on a principal's behalf says so in its context.
        "aws:PrincipalIsAWSService": /\.amazonaws\.com(\.cn)?$/.test(r.principal) ? "true" : "false",
        "aws:ViaAWSService": "false",
    };
    for (const [key, value] of Object.entries(r.context ?? {})) {
        context[key] = typeof value === "string" ? value : [...value];
    }
    return {
        request: {
            principal: r.principal,
            action: r.action,
            resource: { resource: r.resource, accountId: r.account ?? MOCK_ACCOUNT_ID },
            contextVariables: context,
        },
        identityPolicies: (r.identity ?? []).map((p) => ({ name: p.name, policy: p.policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(r.resourcePolicy === undefined ? {} : { resourcePolicy: r.resourcePolicy.policy }),
        ...(r.endpointPolicy === undefined ? {} : { vpcEndpointPolicies: [{ name: r.endpointPolicy.name, policy: r.endpointPolicy.policy }] }),
    };
}

/**
 * The engine's decision, or the validation error it reported. The engine drops context keys it cannot match to the
 * action; it matches variable keys only when they use "/" (aws:PrincipalTag/x), so it drops KMS encryption-context
 * keys (kms:EncryptionContext:aws:logs:arn). Such a request is decided again without the engine's input filter,
 * but only after the Service Authorization Reference confirms every dropped key applies to the action; any other
 * dropped key fails the request, so nothing can pass on a key AWS would never send.
 */
export async function decide(s: Simulation): Promise<string> {
    return (await evaluate(s)).decision;
}

export interface Evaluation {
    /** Allowed, ExplicitlyDenied, ImplicitlyDenied, or `error: ...`. */
    readonly decision: string;
    /** Which policy decided: the deny's policy, the layer without a grant, or the grants that allowed. */
    readonly decidedBy: string;
}

interface Layer {
    readonly result?: string;
    readonly denyStatements?: readonly { readonly policyId?: string; readonly statement?: { readonly Sid?: string } }[];
    readonly allowStatements?: readonly { readonly policyId?: string; readonly statement?: { readonly Sid?: string } }[];
}

/** The decision with the policy that made it (names as given in the request: Pulumi logical names). */
export async function evaluateRequest(r: ApiRequest): Promise<Evaluation> {
    const result = await evaluate(simulation(r));
    if (result.decision.startsWith("error")) {
        return { decision: result.decision, decidedBy: "the policy engine" };
    }
    const analysis = result.analysis;
    const layers: [string, Layer | undefined][] = [
        [r.identity?.map((p) => p.name).join(" + ") ?? "no identity policy", analysis?.identityAnalysis],
        [r.endpointPolicy?.name ?? "", analysis?.endpointAnalysis],
        [r.resourcePolicy?.name ?? "", analysis?.resourceAnalysis],
    ];
    const sid = (s: { readonly policyId?: string; readonly statement?: { readonly Sid?: string } } | undefined) => (s?.statement?.Sid === undefined ? "" : ` (${s.statement.Sid})`);
    for (const [name, layer] of layers) {
        if (layer?.result === "ExplicitlyDenied") {
            const deny = layer.denyStatements?.[0];
            return { decision: result.decision, decidedBy: `${deny?.policyId ?? name}${sid(deny)}` };
        }
    }
    if (result.decision === "ImplicitlyDenied") {
        const without = layers.find(([name, layer]) => name !== "" && layer !== undefined && layer.result !== "Allowed");
        return { decision: result.decision, decidedBy: `no grant in ${without?.[0] ?? "any policy"}` };
    }
    const grants = layers
        .filter(([name, layer]) => name !== "" && layer?.result === "Allowed")
        .map(([name, layer]) => {
            const allow = layer?.allowStatements?.[0];
            return `${allow?.policyId ?? name}${sid(allow)}`;
        });
    return { decision: result.decision, decidedBy: grants.join(", ") || "allowed" };
}

interface Analysis {
    readonly identityAnalysis?: Layer;
    readonly endpointAnalysis?: Layer;
    readonly resourceAnalysis?: Layer;
}

async function evaluate(s: Simulation): Promise<{ decision: string; analysis?: Analysis }> {
    const result = await runSimulation(s, {});
    if (result.resultType === "error") {
        return { decision: `error: ${JSON.stringify(result.errors)}` };
    }
    const single = result.resultType === "single" ? result.result : undefined;
    const ignored = single?.ignoredContextKeys ?? [];
    if (ignored.length === 0) {
        return { decision: result.overallResult, ...(single?.analysis === undefined ? {} : { analysis: single.analysis as Analysis }) };
    }
    const action = s.request.action;
    for (const key of ignored) {
        if (!(await contextKeyApplies(key, action))) {
            return { decision: `error: context key ${key} does not apply to ${action}` };
        }
    }
    if (s.vpcEndpointPolicies !== undefined) {
        return { decision: `error: the unfiltered engine ignores VPC endpoint policies; ${ignored.join(", ")} cannot be checked with them` };
    }
    // The unfiltered engine loads the resource policy without a name and then reads it: hand it one, validated as a
    // resource policy by the same library.
    const resourcePolicy = s.resourcePolicy;
    const decision = await runUnsafeSimulation(
        { ...s, ...(resourcePolicy === undefined ? {} : { resourcePolicy: createValidatedPolicy(resourcePolicy, validateResourcePolicy, { name: "resource-policy" }) }) },
        {},
    );
    return { decision };
}
