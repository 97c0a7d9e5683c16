// Mocha 12 ships its CLI internals as .cjs files; @stryker-mutator/mocha-runner 9.6.1 requires them without an
// extension (lib/cli/options, lib/cli/run-helpers), which Node resolves only against registered extensions.
// Registering ".cjs" with the CommonJS loader lets those requires find options.cjs and run-helpers.cjs.
// Upstream: stryker-mutator/stryker-js#6205 (open) "fix(mocha-runner): load Mocha cli internals regardless of file
// extension". Remove this file, and its --require in stryker.config.json and package.json, once a release has it.
"use strict";
const Module = require("node:module");
if (!(".cjs" in Module._extensions)) {
    Module._extensions[".cjs"] = Module._extensions[".js"];
}
