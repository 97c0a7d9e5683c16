// `npm run docs`: writes what is generated from the zod schemas: schema/stack-config.schema.json, the config
// reference table in docs/config.md, and the yaml-language-server modeline at the top of every stack file.
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_DOC, MODELINE, SCHEMA_FILE, stackConfigJsonSchemaText, withConfigReference } from "../config/jsonSchema";
import { PROJECT_ROOT, stackFiles } from "../offline/synth";

function write(file: string, text: string): void {
    const full = path.join(PROJECT_ROOT, file);
    const before = fs.existsSync(full) ? fs.readFileSync(full, "utf8") : undefined;
    if (before !== text) {
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, text);
        process.stdout.write(`wrote ${file}\n`);
    } else {
        process.stdout.write(`up to date: ${file}\n`);
    }
}

write(SCHEMA_FILE, stackConfigJsonSchemaText());
write(CONFIG_DOC, withConfigReference(fs.readFileSync(path.join(PROJECT_ROOT, CONFIG_DOC), "utf8")));
for (const { file } of stackFiles()) {
    const text = fs.readFileSync(file, "utf8");
    write(path.relative(PROJECT_ROOT, file), text.startsWith(MODELINE) ? text : `${MODELINE}\n${text}`);
}
