// The schema data the fidelity tests read is as current as the provider: every property the aws-native SDK has for
// every aws-native type the program creates (its Args and its outputs, read from the SDK's own type declarations
// with the TypeScript compiler) appears in the registry schema aws/registry.ts reads. Fails, naming the property,
// when @pulumi/aws-native moves ahead of the schema files.
import * as path from "node:path";
import { expect } from "chai";
import * as ts from "typescript";
import { registrySchema } from "../aws/registry";
import { stackFiles } from "../offline/synth";
import { synth } from "./support";

/** The SDK's declared properties of a resource: its `<Name>Args` interface and the class's readonly outputs. */
function sdkProperties(nativeType: string): string[] {
    const match = /^aws-native:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(nativeType);
    if (match === null) {
        throw new Error(`${nativeType} is not an aws-native type`);
    }
    const [, module, name] = match;
    const file = path.join(path.dirname(require.resolve("@pulumi/aws-native/package.json")), module ?? "", `${(name ?? "").charAt(0).toLowerCase()}${(name ?? "").slice(1)}.d.ts`);
    const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? "", ts.ScriptTarget.Latest);
    const out = new Set<string>();
    // The provider's own bookkeeping on every resource class, not resource properties.
    const internal = new Set(["__pulumiType", "urn", "id"]);
    source.forEachChild((node) => {
        const members =
            ts.isInterfaceDeclaration(node) && node.name.text === `${name ?? ""}Args`
                ? node.members
                : ts.isClassDeclaration(node) && node.name?.text === name
                  ? node.members
                  : undefined;
        for (const member of members ?? []) {
            const isProperty = ts.isPropertySignature(member) || ts.isPropertyDeclaration(member);
            const isStatic = ts.canHaveModifiers(member) && (ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
            if (isProperty && !isStatic && member.name !== undefined && ts.isIdentifier(member.name) && !internal.has(member.name.text)) {
                out.add(member.name.text);
            }
        }
    });
    if (out.size === 0) {
        throw new Error(`no properties read from ${file}`);
    }
    return [...out].sort();
}

describe("schema currency: the registry schemas cover every property of the aws-native SDK", () => {
    it("every aws-native type any stack creates has every SDK property in its schema", async () => {
        const types = new Set<string>();
        for (const { stack } of stackFiles()) {
            for (const r of (await synth(stack)).resources) {
                if (r.type.startsWith("aws-native:")) {
                    types.add(r.type);
                }
            }
        }
        expect([...types].sort()).to.include.members(["aws-native:networkfirewall:Firewall", "aws-native:networkfirewall:RuleGroup"]);
        const missing: string[] = [];
        for (const type of types) {
            const known = new Set(Object.keys(registrySchema(type).properties).map((p) => p.toLowerCase()));
            for (const property of sdkProperties(type)) {
                if (!known.has(property.toLowerCase())) {
                    missing.push(`${type}.${property}`);
                }
            }
        }
        expect(missing, "SDK properties the schema lacks: refresh aws/schemas/ (see its README)").to.deep.equal([]);
    });

    it("reads the SDK's declarations: the properties the old npm schemas lacked are there", () => {
        expect(sdkProperties("aws-native:networkfirewall:Firewall")).to.include.members(["availabilityZoneMappings", "enabledAnalysisTypes", "transitGatewayId"]);
        expect(sdkProperties("aws-native:networkfirewall:RuleGroup")).to.include("summaryConfiguration");
        expect(sdkProperties("aws-native:networkfirewall:LoggingConfiguration")).to.include("enableMonitoringDashboard");
    });
});
