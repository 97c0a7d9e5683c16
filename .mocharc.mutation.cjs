// The tests `npm run mutate` runs under every mutant (stryker.config.json): only suites that synthesize nothing and
// run no core code while mocha loads them (docs/mutation.md, "Tests"). `spec` lists the files, `grep` the describe
// blocks, by title prefix. Each folder of the security core has its own section: add to your folder's lines.
"use strict";

/** Test files, per folder of the core they kill mutants in (a file may serve several). */
const spec = [
    // config/
    "test/config.test.ts",
    "test/refusals.test.ts",
    "test/regions.test.ts",
    "test/configLoad.test.ts",
    "test/deployedState.test.ts",
    "test/configValues.test.ts",
    "test/configSchema.test.ts",
    // network/
    "test/plan.test.ts",
    // baseline/
    "test/policies.test.ts",
    // firewall/
    "test/firewall.test.ts",
    "test/sids.test.ts",
    "test/dns.test.ts",
    "test/domainListLookup.test.ts",
    "test/detection.test.ts",
    // aws/
    "test/limits.test.ts",
    // several folders
    "test/securityContent.test.ts",
];

/** Describe-block title prefixes (regular expressions, anchored at the start of the full title). */
const blocks = [
    // config/
    "config: ",
    "refusal model: ",
    "regions: ",
    "stack files: ",
    "config load: ",
    "deployed state: ",
    // network/
    "subnet planner: ",
    // baseline/
    "bucket policies ",
    "key policy ",
    "workload role policies ",
    "SageMaker VPC guard policy ",
    "baseline policies ",
    // firewall/
    "firewall: endpointIds parsing ",
    "firewall: AWS Suricata subset lint ",
    "firewall: create-only inputs ",
    "firewall: capacity ",
    "firewall rules \\(",
    "firewall: sids ",
    "DNS Firewall: ",
    "Managed domain lists at preview: ",
    "account detection: config ",
    // aws/
    "limits: per-Region quotas ",
    "limits: policy sizes are refused at config load when over AWS's quotas (?!\\S+: every synthesized)",
    "limits: quota refusals at config load, ",
    "limits: what the quota model counts, ",
    // several folders
    "security content: ",
];

module.exports = {
    "node-option": ["import=tsx"],
    extension: ["ts"],
    spec,
    grep: `^(${blocks.join("|")})`,
    timeout: 120000,
};
