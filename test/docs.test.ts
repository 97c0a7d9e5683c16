// The README is the entry point: its first screen names what this is and the three commands, and every link it and
// the reference under docs/ make to a file of the repository resolves.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../offline/synth";

const DOCS = ["README.md", ...fs.readdirSync(path.join(PROJECT_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

describe("README and docs/", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

    it("the first screen (30 lines) shows the set-up, the offline main and the test command, in that order", () => {
        const screen = readme.split("\n").slice(0, 30);
        const at = (command: string): number => screen.findIndex((line) => line.startsWith(`${command} `));
        expect([at("npm ci"), at("npm run plan -- dev"), at("npm test")].every((i) => i >= 0), screen.join("\n")).to.equal(true);
        expect(at("npm ci")).to.be.lessThan(at("npm run plan -- dev"));
        expect(at("npm run plan -- dev")).to.be.lessThan(at("npm test"));
    });

    for (const file of DOCS) {
        it(`${file}: every relative link resolves to a file, and no table is split by a blank line`, () => {
            const text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
            const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? "").filter((t) => !/^[a-z]+:/.test(t));
            for (const target of targets) {
                expect(fs.existsSync(path.join(PROJECT_ROOT, path.dirname(file), target)), `${file} -> ${target}`).to.equal(true);
            }
            // A table row, a blank line, then another row of the same column count is one table split in two.
            const lines = text.split("\n");
            const columns = (line: string | undefined): number => (line?.startsWith("|") === true ? line.split("|").length : 0);
            const splits = lines.flatMap((line, i) => (line === "" && columns(lines[i - 1]) > 0 && columns(lines[i - 1]) === columns(lines[i + 1]) && !(lines[i + 2] ?? "").startsWith("|---") ? [i + 1] : []));
            expect(splits, `${file}: blank lines at ${splits.join(", ")}`).to.deep.equal([]);
        });
    }

    it("links every reference document under docs/", () => {
        for (const file of DOCS.filter((f) => f !== "README.md")) {
            expect(readme, file).to.include(`](${file})`);
        }
    });
});
