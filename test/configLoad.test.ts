// config/load.ts as a user meets it: which keys it reads, the one pulumi.RunError naming key path, value and what is
// allowed, the provider settings and zones index.ts checks before anything is registered, and what a section with
// a bad key still counts for the quota model. Pure: no synthesis, and no core code runs while mocha loads this file
// (the mutation suite's rule, docs/mutation.md).
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as awsNative from "@pulumi/aws-native";
import type { z } from "zod";
import { similarKey } from "../config/fields";
import { checkConfig, ConfigError, keyProblem, loadConfig, prune, zoneProblems, type RawConfig } from "../config/load";

const network = { cidr: "10.20.0.0/16", availabilityZones: ["us-west-2a", "us-west-2b"] };
const firewall = { ingress: { allowedCidrs: ["203.0.113.0/24"] } };
const base: RawConfig = {
    "aws:region": "us-west-2",
    "secure-ai:network": JSON.stringify(network),
    "secure-ai:firewall": JSON.stringify(firewall),
};
/** The stack's problems as the RunError lists them: `<key path>: <message>`. */
const problemsOf = (raw: RawConfig): string[] => checkConfig(raw, "dev").problems.map((p) => `${p.path}: ${p.message}`);
/** 31 client ranges x 2 ports: 62 load balancer rules, over the default 60 rules per security group. */
const wideIngress = { allowedCidrs: Array.from({ length: 31 }, (_, i) => `198.51.${i}.0/24`), ports: [443, 8443] };
const SG_QUOTA_PROBLEM =
    'secure-ai:firewall.ingress.allowedCidrs: load balancer security group inbound (2 port rules x the ingress prefix list\'s 31 entries) needs 62, over the quota "Inbound or outbound rules per security group" of 60';

describe("config load: keys nothing reads, each with a hint to the key meant", () => {
    const ALLOWED_KEYS = "(allowed keys: aws:region, aws:profile, secure-ai:network, secure-ai:firewall, secure-ai:baseline, secure-ai:quotas; other provider settings would be ignored by this program's explicit providers)";
    const cases: { key: string; expected: string | undefined }[] = [
        // The aws-native provider's own region key: this program's explicit providers both take aws:region.
        { key: "aws-native:region", expected: `unknown key (did you mean aws:region?) ${ALLOWED_KEYS}` },
        { key: "secure-ai:region", expected: `unknown key (did you mean aws:region?) ${ALLOWED_KEYS}` },
        // Namespace and key spelled differently: letters and digits compare, case and punctuation do not.
        { key: "secureai:Network", expected: 'namespace "secureai" is read by nothing in this program (did you mean secure-ai:network?) (allowed namespaces: secure-ai:, aws:, aws-native:, pulumi:)' },
        // However much punctuation: no spelling distance would find this one, its letters do.
        { key: "S.E.C.U.R.E-A.I:N.E.T.W.O.R.K", expected: 'namespace "S.E.C.U.R.E-A.I" is read by nothing in this program (did you mean secure-ai:network?) (allowed namespaces: secure-ai:, aws:, aws-native:, pulumi:)' },
        { key: "Network", expected: "has no namespace, so nothing reads it (did you mean secure-ai:network?)" },
        { key: "region", expected: "has no namespace, so nothing reads it (did you mean aws:region?)" },
        { key: ":network", expected: 'namespace "" is read by nothing in this program (did you mean secure-ai:network?) (allowed namespaces: secure-ai:, aws:, aws-native:, pulumi:)' },
        // Not a namespace-qualified name of a known key; by spelling, the closest key is the section the value belongs in.
        { key: "secure-ai:network:cidr", expected: `unknown key (did you mean secure-ai:network?) ${ALLOWED_KEYS}` },
        // Nothing is that close to a key of an unrelated name.
        { key: "secure-ai:tags", expected: `unknown key ${ALLOWED_KEYS}` },
        { key: "tags", expected: "has no namespace, so nothing reads it (this program's keys are aws:region, aws:profile, secure-ai:network, secure-ai:firewall, secure-ai:baseline, secure-ai:quotas)" },
        { key: "pulumi:disable-default-providers", expected: undefined },
        { key: "aws:profile", expected: undefined },
    ];
    for (const c of cases) {
        it(`${c.key} ${c.expected === undefined ? "is read" : "is refused"}`, () => expect(keyProblem(c.key)).to.equal(c.expected));
    }
    it("of two keys as close by spelling, the hint names the one listed first (the section's own key order)", () => {
        expect(similarKey("trainingEgres", ["trainingEgress", "trainingEgrest"])).to.equal("trainingEgress");
        expect(similarKey("trainingEgres", ["trainingEgrest", "trainingEgress"])).to.equal("trainingEgrest");
    });
});

describe("config load: misspelt keys inside a section, each with the key meant", () => {
    const NETWORK_KEYS = "allowed keys: cidr, availabilityZones, trainingEgress, natGateways, subnetPrefixLengths, interfaceEndpoints, s3EndpointReadOnlyBuckets, encryptionControl";
    it("one misspelt key names the key it most likely means; a name like none names none", () => {
        expect(problemsOf({ ...base, "secure-ai:network": JSON.stringify({ ...network, NatGateway: "single" }) })).to.deep.equal([
            `secure-ai:network.NatGateway: unknown key (did you mean natGateways?; ${NETWORK_KEYS})`,
        ]);
        expect(problemsOf({ ...base, "secure-ai:network": JSON.stringify({ ...network, tags: {} }) })).to.deep.equal([`secure-ai:network.tags: unknown key (${NETWORK_KEYS})`]);
    });
    it("several misspelt keys of one section each name theirs", () => {
        const message = `unknown key (trainingEgres: did you mean trainingEgress?; natgateway: did you mean natGateways?; ${NETWORK_KEYS})`;
        expect(problemsOf({ ...base, "secure-ai:network": JSON.stringify({ ...network, trainingEgres: "none", natgateway: "single" }) })).to.deep.equal([
            `secure-ai:network.trainingEgres: ${message}`,
            `secure-ai:network.natgateway: ${message}`,
        ]);
    });
});

describe("config load: the one pulumi.RunError", () => {
    it("one problem reads as one problem, with its key path, value and what is allowed", () => {
        const bad = { ...base, "secure-ai:network": JSON.stringify({ ...network, cidr: "10.20.0.1/16" }) };
        let error: unknown;
        try {
            loadConfig(bad, "dev");
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(pulumi.RunError).and.instanceOf(ConfigError);
        expect(String(error)).to.equal('ConfigError: Invalid stack config (1 problem):\n  secure-ai:network.cidr: "10.20.0.1/16" has host bits set (did you mean "10.20.0.0/16"?)');
    });

    it("a section given as a plain value, a list or null, or missing keys, says what was given and what is expected", () => {
        expect(problemsOf({ ...base, "secure-ai:network": "null" })).to.deep.equal(["secure-ai:network: null is not an object (expected object)"]);
        expect(problemsOf({ ...base, "secure-ai:network": "[]" })).to.deep.equal(["secure-ai:network: [] is not an object (expected object)"]);
        expect(problemsOf({ ...base, "secure-ai:network": "{}" })).to.deep.equal(["secure-ai:network.cidr: is required (string)", "secure-ai:network.availabilityZones: is required (array)"]);
        expect(problemsOf({ ...base, "secure-ai:firewall": "{}" })).to.deep.equal(["secure-ai:firewall.ingress: is required (object)"]);
        expect(problemsOf({ ...base, "secure-ai:firewall": JSON.stringify({ ingress: { allowedCidrs: "203.0.113.0/24" } }) })).to.deep.equal([
            'secure-ai:firewall.ingress.allowedCidrs: "203.0.113.0/24" is not an array (expected array)',
        ]);
        expect(problemsOf({ ...base, "secure-ai:firewall": JSON.stringify({ ...firewall, protections: { deletion: "no" } }) })).to.deep.equal([
            'secure-ai:firewall.protections.deletion: "no" is not a boolean (expected boolean)',
        ]);
        expect(problemsOf({ ...base, "secure-ai:network": JSON.stringify({ ...network, availabilityZones: [5, "us-west-2b"] }) })).to.deep.equal([
            "secure-ai:network.availabilityZones[0]: 5 is not a string (expected string)",
        ]);
    });

    it("a structured key given as a scalar, and a missing one, are named by their key", () => {
        // Pulumi hands an object over as JSON text; a YAML scalar arrives as its text.
        expect(problemsOf({ ...base, "secure-ai:baseline": "protectData" })).to.deep.equal(['secure-ai:baseline: "protectData" is not a structured value (expected a YAML mapping)']);
        expect(problemsOf({ ...base, "secure-ai:quotas": "60" })).to.deep.equal(["secure-ai:quotas: 60 is not an object (expected object)"]);
        expect(problemsOf({ ...base, "secure-ai:quotas": "natGatewaysPerAz" })).to.deep.equal(['secure-ai:quotas: "natGatewaysPerAz" is not a structured value (expected a YAML mapping)']);
        const withoutFirewall = Object.fromEntries(Object.entries(base).filter(([key]) => key !== "secure-ai:firewall"));
        expect(problemsOf(withoutFirewall)).to.deep.equal(["secure-ai:firewall: is required (a YAML mapping of the keys in docs/config.md)"]);
    });

    it("an unknown region lists every region both providers know", () => {
        const [problem, ...rest] = problemsOf({ ...base, "aws:region": "us-west-9" });
        expect(rest).to.deep.equal([]);
        const listed = /^aws:region: "us-west-9" is not an AWS region \(allowed: (.*)\)$/.exec(problem ?? "")?.[1]?.split(", ");
        expect(listed).to.deep.equal(Object.values(awsNative.Region));
    });

    it("training egress through the firewall with no allowed domain is refused, naming both keys", () => {
        const raw = { ...base, "secure-ai:network": JSON.stringify({ ...network, trainingEgress: "filtered" }) };
        expect(problemsOf(raw)).to.deep.equal([
            'secure-ai:network.trainingEgress: "filtered" sends training through a NAT gateway to the firewall\'s domain allowlist, but secure-ai:firewall.egress.allowedDomains is empty (allowed: none, or list the domains training needs)',
        ]);
        const withDomain = { ...raw, "secure-ai:firewall": JSON.stringify({ ...firewall, egress: { allowedDomains: [".pypi.org"] } }) };
        expect(loadConfig(withDomain, "dev").network.trainingEgress).to.equal("filtered");
    });
});

describe("config load: provider settings and zones, checked before anything is registered", () => {
    it("a valid region and profile make the provider settings even when other keys are bad, so the zones are still checked", () => {
        const raw = { ...base, "aws:profile": "ml-admin", "secure-ai:netwrok": "{}", "secure-ai:network": JSON.stringify({ ...network, cidr: "10.20.0.0/33" }) };
        const check = checkConfig(raw, "Dev");
        expect(check.problems.map((p) => p.path)).to.deep.equal(["stack", "secure-ai:netwrok", "secure-ai:network.cidr"]);
        expect(check.config).to.equal(undefined);
        expect(check.providerSettings).to.deep.equal({ region: "us-west-2", profile: "ml-admin" });
        expect(checkConfig(base, "dev").providerSettings).to.deep.equal({ region: "us-west-2", profile: undefined });
        expect(loadConfig({ ...base, "aws:profile": "ml-admin" }, "dev").profile).to.equal("ml-admin");
    });

    it("no provider is built from a bad region or an empty profile", () => {
        const badProfile = checkConfig({ ...base, "aws:profile": "" }, "dev");
        expect(badProfile.problems).to.deep.equal([{ path: "aws:profile", message: "must not be empty (a profile name from ~/.aws/config)" }]);
        expect(badProfile.providerSettings).to.equal(undefined);
        expect(checkConfig({ ...base, "aws:region": "mars-1", "aws:profile": "ml-admin" }, "dev").providerSettings).to.equal(undefined);
    });

    it("the listed zones are kept by position for the zone check, whatever else is wrong", () => {
        const raw = { ...base, "secure-ai:network": JSON.stringify({ ...network, availabilityZones: [5, "us-west-2d"] }) };
        const check = checkConfig(raw, "dev");
        expect(check.requestedAzs).to.deep.equal(["", "us-west-2d"]);
        expect(checkConfig({ ...base, "secure-ai:network": "5" }, "dev").requestedAzs).to.deep.equal([]);
        // DescribeAvailabilityZones lists the zones available to the account, in no promised order, and a new
        // account may not have every zone of the region (EC2 API Reference, DescribeAvailabilityZones; AWS
        // Knowledge Center, "How do I find Availability Zones I can use in my AWS account?").
        expect(zoneProblems(check.requestedAzs, ["us-west-2c", "us-west-2a", "us-west-2b"], "us-west-2")).to.deep.equal([
            { path: "secure-ai:network.availabilityZones[1]", message: '"us-west-2d" is not an availability zone this account has in us-west-2 (available: us-west-2a, us-west-2b, us-west-2c)' },
        ]);
    });

    it("a zone of another region is reported once, by the schema, not again by the account's zones", () => {
        const raw = { ...base, "secure-ai:network": JSON.stringify({ ...network, availabilityZones: ["us-east-1a", "us-west-2a"] }) };
        const check = checkConfig(raw, "dev");
        expect(check.problems.map((p) => p.path)).to.deep.equal(["secure-ai:network.availabilityZones[0]"]);
        expect(zoneProblems(check.requestedAzs, ["us-west-2a"], "us-west-2")).to.deep.equal([]);
    });
});

describe("config load: quotas, and what a section with a bad key still counts", () => {
    it("a quota the account has raised (secure-ai:quotas) admits what the default refuses", () => {
        const raw = { ...base, "secure-ai:firewall": JSON.stringify({ ingress: wideIngress }) };
        expect(problemsOf(raw).map((p) => p.slice(0, SG_QUOTA_PROBLEM.length))).to.deep.equal([SG_QUOTA_PROBLEM]);
        expect(problemsOf({ ...raw, "secure-ai:quotas": JSON.stringify({ securityGroupRulesPerDirection: 100 }) })).to.deep.equal([]);
        expect(problemsOf({ ...raw, "secure-ai:quotas": JSON.stringify({ securityGroupRulesPerDirection: 0 }) })).to.deep.equal([
            'secure-ai:quotas.securityGroupRulesPerDirection: 0 is not a value of the quota "Inbound or outbound rules per security group" (integer 1 to 1000; AWS\'s default is 60)',
        ]);
    });

    it("a typo in a section hides no quota the same section exceeds", () => {
        const raw = { ...base, "secure-ai:firewall": JSON.stringify({ ingress: wideIngress, egres: {} }) };
        const found = problemsOf(raw);
        expect(found[0]).to.equal("secure-ai:firewall.egres: unknown key (did you mean egress?; allowed keys: ingress, egress, deniedCidrs, logRetentionDays, dns, protections)");
        expect(found.slice(1).map((p) => p.slice(0, SG_QUOTA_PROBLEM.length))).to.deep.equal([SG_QUOTA_PROBLEM]);
    });

    it("bad entries of a list are left out and the rest still counts", () => {
        // Two bad ranges at [0] and [2] among the 31: the quota is counted over the 31 good ones.
        const allowedCidrs = ["203.0.113.0/33", ...wideIngress.allowedCidrs.slice(0, 1), "not-a-cidr", ...wideIngress.allowedCidrs.slice(1)];
        const found = problemsOf({ ...base, "secure-ai:firewall": JSON.stringify({ ingress: { ...wideIngress, allowedCidrs } }) });
        expect(found.map((p) => p.split(":").slice(0, 2).join(":"))).to.deep.equal([
            "secure-ai:firewall.ingress.allowedCidrs[0]",
            "secure-ai:firewall.ingress.allowedCidrs[2]",
            "secure-ai:firewall.ingress.allowedCidrs",
        ]);
        expect(found[2]?.slice(0, SG_QUOTA_PROBLEM.length)).to.equal(SG_QUOTA_PROBLEM);
    });

    it("a section that is no mapping at all counts for nothing, and the others are still checked", () => {
        const found = problemsOf({ ...base, "secure-ai:baseline": "[]", "secure-ai:firewall": JSON.stringify({ ingress: wideIngress }) });
        expect(found[0]).to.equal("secure-ai:baseline: [] is not an object (expected object)");
        expect(found.slice(1).map((p) => p.slice(0, SG_QUOTA_PROBLEM.length))).to.deep.equal([SG_QUOTA_PROBLEM]);
    });
});

describe("config load: prune, the section without its bad entries", () => {
    const issue = (path: (string | number)[]): z.core.$ZodIssue => ({ code: "custom", path, message: "bad", input: undefined });

    it("removes list entries from the highest index down, so no removal shifts another", () => {
        expect(prune({ list: ["bad", "a", "bad", "b"] }, [issue(["list", 0]), issue(["list", 2])])).to.deep.equal({ list: ["a", "b"] });
        expect(prune({ x: { list: ["bad", "a", "bad", "b"] } }, [issue(["x", "list", 0]), issue(["x", "list", 2])])).to.deep.equal({ x: { list: ["a", "b"] } });
    });

    it("removes inside an entry before it removes an entry of the list that holds it", () => {
        const value = { list: [{ name: "bad entry" }, { name: "a", extra: 1 }, { name: "b" }] };
        expect(prune(value, [issue(["list", 0]), issue(["list", 1, "extra"])])).to.deep.equal({ list: [{ name: "a" }, { name: "b" }] });
        expect(prune(value, [issue(["list", 1, "extra"]), issue(["list", 0])])).to.deep.equal({ list: [{ name: "a" }, { name: "b" }] });
    });

    it("removes unknown keys, leaves the value it was given untouched, and ignores paths the value does not have", () => {
        const value = { ingress: { allowedCidrs: ["203.0.113.0/24"], typo: 1 }, other: null, list: ["a"] };
        const unknown: z.core.$ZodIssue = { code: "unrecognized_keys", keys: ["typo"], path: ["ingress"], message: "unknown key", input: undefined };
        expect(prune(value, [unknown])).to.deep.equal({ ingress: { allowedCidrs: ["203.0.113.0/24"] }, other: null, list: ["a"] });
        expect(value.ingress.typo).to.equal(1);
        const absent = [["other", "x"], ["other", "x", "y"], ["missing", "x"], ["missing", "x", "y"], ["list", 0, "x"], []];
        expect(prune(value, absent.map(issue))).to.deep.equal(value);
        // An issue about the whole value removes nothing, a list included.
        expect(prune(["a", "b"], [issue([])])).to.deep.equal(["a", "b"]);
        // A position into a mapping names its key.
        expect(prune({ byIndex: { 0: "bad", 1: "ok" } }, [issue(["byIndex", 0])])).to.deep.equal({ byIndex: { 1: "ok" } });
    });
});
