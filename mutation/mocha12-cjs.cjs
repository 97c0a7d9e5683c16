// Mocha 12 ships its CLI internals as .cjs files; @stryker-mutator/mocha-runner 9.6.1 requires them without an
// extension (lib/cli/options, lib/cli/run-helpers), which Node resolves only against registered extensions.
// Registering ".cjs" with the CommonJS loader lets those requires find options.cjs and run-helpers.cjs.
// Upstream: stryker-mutator/stryker-js#6205 (open) "fix(mocha-runner): load Mocha cli internals regardless of file
// extension". scripts/mutate.ts and scripts/mutation-order.ts put it in NODE_OPTIONS for every Stryker process; to run
// Stryker by hand: NODE_OPTIONS="--require ./mutation/mocha12-cjs.cjs" npx stryker run. Remove this file, and those
// requires, once a release has the fix.
"use strict";
const Module = require("node:module");
if (!(".cjs" in Module._extensions)) {
    Module._extensions[".cjs"] = Module._extensions[".js"];
}
