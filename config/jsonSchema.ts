// One source of truth for the stack config's documentation: the zod schemas (their descriptions and defaults)
// become the JSON Schema editors validate Pulumi.<stack>.yaml against (schema/stack-config.schema.json) and the
// README's config reference table. `npm run docs` writes both; tests fail when either is stale.
import { z } from "zod";
import { baselineSchema } from "./baseline";
import { firewallSchema } from "./firewall";
import { KNOWN_KEYS, PROJECT, REGIONS } from "./load";
import { networkSchema } from "./network";
import { quotasSchema } from "./quotas";

export const SCHEMA_FILE = "schema/stack-config.schema.json";
/** First line of every stack file: yaml-language-server validates and completes keys with the schema. */
export const MODELINE = `# yaml-language-server: $schema=./${SCHEMA_FILE}`;

type JsonSchema = { [key: string]: unknown };

function section(schema: z.ZodType): JsonSchema {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", target: "draft-7" }) as JsonSchema;
    return rest;
}

/** The JSON Schema of a whole Pulumi.<stack>.yaml. */
export function stackConfigJsonSchema(): JsonSchema {
    const keys: Record<string, JsonSchema> = {
        "aws:region": { type: "string", enum: [...REGIONS], description: "region of both providers; availability zone names must belong to it" },
        "aws:profile": { type: "string", minLength: 1, description: "named AWS profile (~/.aws/config) for both providers" },
        [`${PROJECT}:network`]: { ...section(networkSchema(undefined)), description: "the VPC: CIDR, availability zones, training egress, NAT gateways, subnet sizes, interface endpoints" },
        [`${PROJECT}:firewall`]: { ...section(firewallSchema(undefined)), description: "the Network Firewall: who may reach the model, where egress may go, logging, protections" },
        [`${PROJECT}:baseline`]: { ...section(baselineSchema), description: "the security baseline: keys, buckets, logs, roles, guardrails" },
        [`${PROJECT}:quotas`]: { ...section(quotasSchema), description: "the account's raised values of adjustable AWS quotas, when it has any" },
    };
    if (Object.keys(keys).join() !== KNOWN_KEYS.join()) {
        throw new Error(`internal: the JSON Schema keys ${Object.keys(keys).join(", ")} differ from KNOWN_KEYS`);
    }
    return {
        $schema: "http://json-schema.org/draft-07/schema#",
        $id: "https://secure-ai.invalid/stack-config.schema.json",
        title: "secure-ai stack file (Pulumi.<stack>.yaml)",
        description: "Generated from the zod schemas in config/ by `npm run docs`; do not edit.",
        type: "object",
        required: ["config"],
        properties: {
            config: {
                type: "object",
                required: ["aws:region", `${PROJECT}:network`, `${PROJECT}:firewall`],
                properties: keys,
                // Keys of other namespaces belong to other tools; this program's namespaces are closed.
                patternProperties: { [`^(?!aws:|aws-native:|${PROJECT}:)`]: {} },
                additionalProperties: false,
            },
        },
    };
}

/** The schema file's text. */
export function stackConfigJsonSchemaText(): string {
    return `${JSON.stringify(stackConfigJsonSchema(), null, 2)}\n`;
}

function rows(prefix: string, schema: JsonSchema, required: readonly string[]): string[] {
    const properties = schema["properties"] as Record<string, JsonSchema> | undefined;
    if (properties === undefined || schema["type"] !== "object" || prefix === "") {
        return [];
    }
    return Object.entries(properties).flatMap(([key, child]) => {
        const path = prefix.endsWith(":") || prefix === "" ? `${prefix}${key}` : `${prefix}.${key}`;
        if (child["type"] === "object" && child["properties"] !== undefined) {
            return rows(path, child, (child["required"] as string[] | undefined) ?? []);
        }
        const fallback = child["default"] === undefined ? (required.includes(key) ? "required" : "unset") : `\`${JSON.stringify(child["default"]).replace(/"/g, "")}\``;
        return [`| \`${path}\` | ${fallback} | ${String(child["description"] ?? "").replace(/\|/g, "\\|")} |`];
    });
}

/** The README's config reference table. */
export function configReferenceTable(): string {
    const config = (stackConfigJsonSchema()["properties"] as Record<string, JsonSchema>)["config"] as JsonSchema;
    const keys = config["properties"] as Record<string, JsonSchema>;
    const required = (config["required"] as string[] | undefined) ?? [];
    const lines = ["| key | default | meaning |", "|---|---|---|"];
    for (const [key, schema] of Object.entries(keys)) {
        if (schema["type"] === "object" && schema["properties"] !== undefined) {
            lines.push(...rows(key, schema, (schema["required"] as string[] | undefined) ?? []));
        } else {
            lines.push(`| \`${key}\` | ${required.includes(key) ? "required" : "unset"} | ${String(schema["description"] ?? "")} |`);
        }
    }
    return lines.join("\n");
}

export const README_MARKERS = { start: "<!-- config-reference:start (generated by npm run docs) -->", end: "<!-- config-reference:end -->" } as const;

/** The README with its config reference section replaced by the generated table. */
export function readmeWithConfigReference(readme: string): string {
    const start = readme.indexOf(README_MARKERS.start);
    const end = readme.indexOf(README_MARKERS.end);
    if (start < 0 || end < start) {
        throw new Error(`README.md has no ${README_MARKERS.start} ... ${README_MARKERS.end} section`);
    }
    return `${readme.slice(0, start + README_MARKERS.start.length)}\n${configReferenceTable()}\n${readme.slice(end)}`;
}
