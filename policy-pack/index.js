// Entry point of the policy pack, plain CommonJS so any Node loads it. The Pulumi CLI starts a pack with
// @pulumi/pulumi's policy-pack runtime (cmd/run-policy-pack), which ignores PulumiPolicy.yaml's nodeargs (the
// language host puts them after the script) and registers the SDK's own ts-node for .ts files. Registering tsx here
// runs pack.ts through the same loader as the program, the offline plan and the tests, whatever the host does.
"use strict";
const { register } = require("tsx/cjs/api");

register();
require("./pack.ts");
