// The stack's Network Access Analyzer scopes as resources (AWS::EC2::NetworkInsightsAccessScope through aws-native):
// the planner (verify/scopes.ts) decides their paths from the stack's ids; this component only registers them.
// Scope names are known from config, so every scope is in the preview; their paths resolve with the ids.
import * as pulumi from "@pulumi/pulumi";
import * as awsNative from "@pulumi/aws-native";
import type { AccessScopePathRequest, PathStatementRequest, ResourceStatementRequest } from "@aws-sdk/client-ec2";
import { planScopes, scopeNames, type PlannedScope, type ScopeFacts, type ScopeName } from "./scopes";

type PathArgs = awsNative.types.input.ec2.NetworkInsightsAccessScopeAccessScopePathRequestArgs;
type StatementArgs = awsNative.types.input.ec2.NetworkInsightsAccessScopePathStatementRequestArgs;
type ResourceArgs = awsNative.types.input.ec2.NetworkInsightsAccessScopeResourceStatementRequestArgs;

export interface AccessScopesArgs {
    readonly namePrefix: string;
    readonly trainingEgress: ScopeFacts["trainingEgress"];
    readonly ingressPorts: readonly number[];
    readonly servingPort: number;
    readonly egressAzOf: Readonly<Record<string, string>>;
    readonly internetGatewayId: pulumi.Input<string>;
    readonly firewallArn: pulumi.Input<string>;
    readonly firewallEndpointIdsByAz: pulumi.Input<Record<string, string>>;
    readonly servicesSubnetIds: Readonly<Record<string, pulumi.Input<string>>>;
    readonly trainingSubnetIds: Readonly<Record<string, pulumi.Input<string>>>;
}

function resourceArgs(r: ResourceStatementRequest | undefined): ResourceArgs | undefined {
    return r === undefined ? undefined : { ...(r.Resources === undefined ? {} : { resources: r.Resources }), ...(r.ResourceTypes === undefined ? {} : { resourceTypes: r.ResourceTypes }) };
}

function statementArgs(s: PathStatementRequest | undefined): StatementArgs | undefined {
    if (s === undefined) {
        return undefined;
    }
    const h = s.PacketHeaderStatement;
    return {
        resourceStatement: resourceArgs(s.ResourceStatement),
        ...(h === undefined ? {} : { packetHeaderStatement: { protocols: h.Protocols, destinationPorts: h.DestinationPorts } }),
    };
}

/** The SDK's request shape (PascalCase, what the planner speaks) as aws-native inputs (camelCase). */
export function pathArgs(p: AccessScopePathRequest): PathArgs {
    return {
        source: statementArgs(p.Source),
        destination: statementArgs(p.Destination),
        ...(p.ThroughResources === undefined ? {} : { throughResources: p.ThroughResources.map((t) => ({ resourceStatement: resourceArgs(t.ResourceStatement) })) }),
    };
}

export class AccessScopes extends pulumi.ComponentResource {
    /** Scope id by scope name: `npm run verify` starts one analysis per entry. */
    readonly scopeIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: AccessScopesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:verify:AccessScopes", name, {}, opts);
        const planned = pulumi
            .all([args.internetGatewayId, args.firewallArn, args.firewallEndpointIdsByAz, pulumi.all(args.servicesSubnetIds), pulumi.all(args.trainingSubnetIds)])
            .apply(([internetGatewayId, firewallArn, firewallEndpointIdsByAz, servicesSubnetIds, trainingSubnetIds]) =>
                planScopes({
                    trainingEgress: args.trainingEgress,
                    ingressPorts: args.ingressPorts,
                    servingPort: args.servingPort,
                    egressAzOf: args.egressAzOf,
                    internetGatewayId,
                    firewallArn,
                    firewallEndpointIdsByAz,
                    servicesSubnetIds,
                    trainingSubnetIds,
                }),
            );
        const scopeOf = (scopes: PlannedScope[], scopeName: ScopeName): PlannedScope => {
            const found = scopes.find((s) => s.name === scopeName);
            if (found === undefined) {
                throw new Error(`the planner returned no scope ${scopeName}`);
            }
            return found;
        };
        this.scopeIds = {};
        for (const scopeName of scopeNames(args.trainingEgress)) {
            const scope = planned.apply((scopes) => scopeOf(scopes, scopeName));
            const resource = new awsNative.ec2.NetworkInsightsAccessScope(
                `${args.namePrefix}-scope-${scopeName}`,
                {
                    matchPaths: scope.apply((s) => s.matchPaths.map(pathArgs)),
                    excludePaths: scope.apply((s) => s.excludePaths.map(pathArgs)),
                    tags: [
                        { key: "Name", value: `${args.namePrefix}-${scopeName}` },
                        { key: "secure-ai:claim", value: scope.apply((s) => s.claim.slice(0, 256)) },
                    ],
                },
                { parent: this },
            );
            this.scopeIds[scopeName] = resource.networkInsightsAccessScopeId;
        }
        this.registerOutputs({ scopeIds: this.scopeIds });
    }
}
