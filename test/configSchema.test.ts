// The schema editors validate stack files with (schema/stack-config.schema.json) and the config reference table of
// docs/config.md are generated from the zod schemas' descriptions, defaults and patterns (config/jsonSchema.ts):
// both committed files must be what the schemas generate now. Pure: no synthesis (the mutation suite runs it).
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import { CONFIG_DOC, MODELINE, SCHEMA_FILE, stackConfigJsonSchemaText, withConfigReference } from "../config/jsonSchema";
import { PROJECT_ROOT, stackFiles } from "../offline/synth";
import { FIXTURES_DIR } from "./support";

describe("config: the schema for editors and the config reference table are what the zod schemas generate", () => {
    const schemaText = fs.readFileSync(path.join(PROJECT_ROOT, SCHEMA_FILE), "utf8");

    it(`${SCHEMA_FILE} is what the zod schemas generate (run \`npm run docs\` when this fails)`, () => {
        expect(schemaText).to.equal(stackConfigJsonSchemaText());
    });

    it(`the config reference table in ${CONFIG_DOC} is what the zod schemas generate`, () => {
        const doc = fs.readFileSync(path.join(PROJECT_ROOT, CONFIG_DOC), "utf8");
        expect(doc).to.equal(withConfigReference(doc));
    });

    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(schemaText) as object);
    for (const { stack, file } of stackFiles()) {
        it(`accepts Pulumi.${stack}.yaml, which carries the yaml-language-server modeline`, () => {
            const text = fs.readFileSync(file, "utf8");
            expect(text.split("\n")[0]).to.equal(MODELINE);
            expect(validate(parseYaml(text)), JSON.stringify(validate.errors)).to.equal(true);
        });
    }

    it("rejects a misspelled key and a value outside an enum, at their paths", () => {
        const doc = parseYaml(fs.readFileSync(path.join(FIXTURES_DIR, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
        const network = doc.config["secure-ai:network"] ?? {};
        const bad = { config: { ...doc.config, "secure-ai:network": { ...network, trainingEgres: "none", natGateways: "two" } } };
        expect(validate(bad)).to.equal(false);
        const errors = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
        expect(errors.some((e) => e.includes("/config/secure-ai:network") && e.includes("trainingEgres"))).to.equal(true);
        expect(errors.some((e) => e.includes("/config/secure-ai:network/natGateways"))).to.equal(true);
    });

    it("rejects keys of namespaces nothing reads and keys without one; accepts Pulumi's own pulumi: keys", () => {
        const doc = parseYaml(fs.readFileSync(path.join(FIXTURES_DIR, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
        expect(validate({ config: { ...doc.config, "pulumi:tags": { team: "ml" } } }), JSON.stringify(validate.errors)).to.equal(true);
        for (const key of ["secure_ai:baseline", "baseline", "foo:network"]) {
            expect(validate({ config: { ...doc.config, [key]: {} } }), key).to.equal(false);
        }
    });
});
