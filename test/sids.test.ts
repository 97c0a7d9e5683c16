// Rule ids follow intent: each egress domain's rules get sids derived from the domain, so removing, adding or
// reordering other domains never changes them (alerts and dashboards keyed by sid keep their meaning).
import { expect } from "chai";
import fc from "fast-check";
import { lintRules } from "../firewall/lint";
import { allowEgressToDomains, DOMAIN_SID_SPAN, domainSidOffsets, MAX_EGRESS_DOMAINS } from "../firewall/rules";

/** entry -> the sids of its rules, by intent and protocol (from the rule's message). */
function sidsByEntry(domains: readonly string[]): Map<string, string> {
    const out = new Map<string, string[]>();
    for (const rule of allowEgressToDomains(domains)) {
        const entry = /msg:"egress: (?:TLS|HTTP) to ([^"]+)"/.exec(rule.text)?.[1] ?? "";
        out.set(entry, [...(out.get(entry) ?? []), `${rule.intent}:${rule.sid}`]);
    }
    return new Map([...out].map(([k, v]) => [k, v.join(",")]));
}

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
const entry = fc.tuple(fc.boolean(), label, label, fc.constantFrom("com", "org", "io", "net")).map(([dot, a, b, tld]) => `${dot ? "." : ""}${a}.${b}.${tld}`);

describe("firewall: sids are derived from each domain, stable across edits", () => {
    it("removing, adding or reordering domains keeps every remaining domain's sids (generated lists)", () => {
        fc.assert(
            fc.property(fc.uniqueArray(entry, { minLength: 1, maxLength: 60 }), fc.func(fc.boolean()), fc.uniqueArray(entry, { maxLength: 5 }), (domains, keep, added) => {
                const before = sidsByEntry(domains);
                const kept = domains.filter((d) => keep(d));
                const edited = [...new Set([...added, ...kept.reverse()])];
                const after = sidsByEntry(edited);
                for (const d of kept) {
                    expect(after.get(d), d).to.equal(before.get(d));
                }
            }),
            { numRuns: 200, seed: 20261201 },
        );
    });

    it("removing the first of three domains leaves the other two with the sids they had", () => {
        const before = sidsByEntry([".pypi.org", "files.pythonhosted.org", ".huggingface.co"]);
        const after = sidsByEntry(["files.pythonhosted.org", ".huggingface.co"]);
        expect(after.get("files.pythonhosted.org")).to.equal(before.get("files.pythonhosted.org"));
        expect(after.get(".huggingface.co")).to.equal(before.get(".huggingface.co"));
    });

    it("one domain's four rules share one offset, and the largest allowlist has no repeated sid", () => {
        const rules = allowEgressToDomains([".pypi.org"]);
        expect(new Set(rules.map((r) => r.sid % DOMAIN_SID_SPAN)).size).to.equal(1);
        const largest = Array.from({ length: MAX_EGRESS_DOMAINS }, (_, i) => `d${i}.example.com`);
        expect(lintRules(allowEgressToDomains(largest).map((r) => r.text), { strictOrder: true })).to.deep.equal([]);
    });

    it("keeps each entry's published offset from release to release (alerts and dashboards are keyed by sid)", () => {
        // Offsets of entries the fixtures list, as released: a change of hash, digest length or span would re-key every
        // deployed stack's alerts.
        expect(Object.fromEntries(domainSidOffsets(["pypi.org", "files.pythonhosted.org", ".hf.co"]))).to.deep.equal({
            "pypi.org": 68785595,
            "files.pythonhosted.org": 6709254,
            ".hf.co": 88516946,
        });
    });

    it("gives two entries whose hashes collide distinct offsets: the first in sorted order keeps its own, whatever the list order", () => {
        // model-1397.example.com and model-591.example.com share the offset 87313412 (found by search over model-<n>.example.com).
        const colliding = ["model-591.example.com", "model-1397.example.com"];
        for (const order of [colliding, [...colliding].reverse(), [".hf.co", ...colliding, "pypi.org"]]) {
            const offsets = domainSidOffsets(order);
            expect([offsets.get("model-1397.example.com"), offsets.get("model-591.example.com")], order.join(", ")).to.deep.equal([87313412, 87313413]);
        }
        const sids = allowEgressToDomains(colliding).map((r) => r.sid);
        expect(new Set(sids).size).to.equal(sids.length);
    });
});
