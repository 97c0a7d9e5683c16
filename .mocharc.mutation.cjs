// The tests `npm run mutate` runs under every mutant (stryker.config.json): only suites that synthesize nothing and
// run no core code while mocha loads them (docs/mutation.md, "Tests"). `spec` lists the files, `grep` the describe
// blocks, by title prefix. Each folder of the security core has its own section: add to your folder's lines.
"use strict";

/**
 * Test files, in the order mocha loads and runs them. Under a mutant Stryker runs only the tests that reach the mutated
 * code, in this order, and stops at the first that fails (bail): a killed mutant costs the tests before its killer,
 * a survivor all of them. The order is the one that cost least over a sample of the core's mutants (every tenth line
 * of each file, run with bail off so every killer is known; docs/mutation.md, "Tests"): each file's quick, pointed
 * tests first, the sweeps over generated or every-region configs and the SDK's retry waits last. Each file's comment
 * says which folders it kills in.
 */
const spec = [
    "test/plan.test.ts", // network/
    "test/policies.test.ts", // baseline/
    "test/configSchema.test.ts", // config/
    "test/sids.test.ts", // firewall/
    "test/configLoad.test.ts", // config/
    "test/securityContent.test.ts", // firewall/, network/, baseline/: the content the six named mutants change
    "test/config.test.ts", // config/
    "test/configValues.test.ts", // config/
    "test/deployedState.test.ts", // config/
    "test/dns.test.ts", // firewall/ (DNS Firewall)
    "test/limits.test.ts", // aws/, config/quotas.ts
    "test/firewall.test.ts", // firewall/
    "test/regions.test.ts", // config/
    "test/detection.test.ts", // firewall/ (detection config)
    "test/refusals.test.ts", // config/
    "test/domainListLookup.test.ts", // firewall/ (managed domain lists)
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
