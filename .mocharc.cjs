// `npm run test:unit`: every test file but the Suricata suite (its own config, .mocharc.firewall.json), in two worker
// processes. Mocha hands the files to the workers in the order listed here, each worker taking the next when it is
// free, so the files that take longest go first: started last, one of them would run alone on one core at the end.
// The order is measured (each file alone, `npx mocha --no-config --node-option import=tsx --extension ts <file>`,
// 1 December 2026; seconds): review 13, fidelity 7, bootstrap 5, limits, iam and firewall 4, lifecycle and journeys 3,
// then 2 s and less. Over five runs each, the mocked suites took 30.1 s on average this way, 33.2 s in name order.
// A file not named here (in test/ or a folder under it) runs after these, in name order; a name whose file is gone is
// skipped.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const SLOWEST_FIRST = ["review", "fidelity", "bootstrap", "limits", "iam", "firewall", "lifecycle", "journeys"].map((name) => `test/${name}.test.ts`);

const all = fs
    .readdirSync(path.join(__dirname, "test"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts") && !f.endsWith(".suricata.test.ts"))
    .map((f) => `test/${f.split(path.sep).join("/")}`)
    .sort();

module.exports = {
    "node-option": ["import=tsx"],
    extension: ["ts"],
    spec: [...SLOWEST_FIRST.filter((f) => all.includes(f)), ...all.filter((f) => !SLOWEST_FIRST.includes(f))],
    timeout: 60000,
    reporter: "spec",
    parallel: true,
    jobs: 2,
};
