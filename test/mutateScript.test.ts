// `npm run mutate` scores the tests' run after Stryker's TypeScript checker has looked at the survivors only
// (scripts/mutate.ts). These tests hold the parts that decide a score: which ranges the check instruments, and which
// mutants leave the score.
import { expect } from "chai";
import { score, survivorRanges, withCompileErrors } from "../scripts/mutate";
import { cheapestOrder, orderCost, type SampledMutant } from "../scripts/mutation-order";

const SOURCE = ["export function f(a: number): number {", "    return a > 1 ? a : 1;", "}", ""].join("\n");

type Status = "Killed" | "Survived" | "NoCoverage" | "CompileError" | "Timeout";

function mutant(id: string, status: Status, line: number, column: number, endColumn: number, replacement: string) {
    return {
        id,
        mutatorName: "ConditionalExpression",
        replacement,
        status,
        location: { start: { line, column }, end: { line, column: endColumn } },
    };
}

/** A Stryker report of one file: `a > 1` (line 2, columns 12-17 counted from 1) mutated three ways. */
function report(statuses: readonly [Status, Status, Status]) {
    return {
        files: {
            "core/f.ts": {
                source: SOURCE,
                mutants: [
                    mutant("1", statuses[0], 2, 12, 17, "true"),
                    mutant("2", statuses[1], 2, 12, 17, "false"),
                    mutant("3", statuses[2], 2, 12, 17, "a >= 1"),
                ],
            },
        },
    };
}

describe("npm run mutate: the TypeScript check of the survivors", () => {
    it("asks Stryker for each survivor's own range, lines counted from 1 and columns from 0 (Stryker's range syntax)", () => {
        expect(survivorRanges(report(["Killed", "Survived", "NoCoverage"]))).to.deep.equal(["core/f.ts:2:11-2:16"]);
        expect(survivorRanges(report(["Killed", "Killed", "Timeout"]))).to.deep.equal([]);
    });

    it("turns a survivor the check refuses into a compile error, out of the score; a killed mutant stays killed", () => {
        const tested = report(["Killed", "Survived", "Survived"]);
        // The second run's ids differ: the mutants are matched by place, mutator and replacement.
        const checked = {
            files: {
                "core/f.ts": {
                    source: SOURCE,
                    mutants: [
                        { ...mutant("7", "CompileError", 2, 12, 17, "true"), statusReason: "TS2367" },
                        { ...mutant("8", "CompileError", 2, 12, 17, "false"), statusReason: "TS2322: Type 'boolean'" },
                        mutant("9", "Survived", 2, 12, 17, "a >= 1"),
                    ],
                },
            },
        };
        const { report: merged, compileErrors, unchecked } = withCompileErrors(tested, checked);
        expect(compileErrors).to.equal(1);
        expect(unchecked).to.equal(0);
        const statuses = merged.files["core/f.ts"]?.mutants.map((m) => [m.id, m.status, m.statusReason]);
        expect(statuses).to.deep.equal([
            ["1", "Killed", undefined],
            ["2", "CompileError", "TS2322: Type 'boolean'"],
            ["3", "Survived", undefined],
        ]);
        const before = score(tested, []).perFile.get("core/f.ts");
        const after = score(merged, []).perFile.get("core/f.ts");
        expect([before?.killed, before?.survived, before?.ignored]).to.deep.equal([1, 2, 0]);
        expect([after?.killed, after?.survived, after?.ignored]).to.deep.equal([1, 1, 1]);
    });

    it("keeps a survivor the check did not see as a survivor, and counts it", () => {
        const tested = report(["Survived", "Killed", "Killed"]);
        const { report: merged, compileErrors, unchecked } = withCompileErrors(tested, { files: {} });
        expect([compileErrors, unchecked]).to.deep.equal([0, 1]);
        expect(merged.files["core/f.ts"]?.mutants[0]?.status).to.equal("Survived");
    });
});

describe("npm run mutate: equivalent-mutant entries", () => {
    const entry = (original: string, replacement: string) => ({ file: "core/f.ts", mutator: "ConditionalExpression", original, replacement, reason: "a reason long enough to be one" });

    it("takes a matched survivor out of the score; an entry whose mutant is killed, or whose code is gone, is stale", () => {
        const tested = report(["Killed", "Survived", "Survived"]);
        const { perFile, stale } = score(tested, [entry("a > 1", "false"), entry("a > 1", "true"), entry("b < 2", "true")]);
        expect(perFile.get("core/f.ts")).to.deep.include({ killed: 1, survived: 1, equivalent: 1 });
        expect(stale.map((e) => `${e.original} -> ${e.replacement}`)).to.deep.equal(["a > 1 -> true", "b < 2 -> true"]);
    });

    it("is not stale when the run left its code out (a range of lines): its mutant was not made", () => {
        const ranged = { files: { "core/f.ts": { source: SOURCE, mutants: [mutant("1", "Killed", 2, 12, 17, "true")] } } };
        expect(score(ranged, [entry("a > 1", "false")]).stale).to.deep.equal([]);
    });
});

describe("npm run mutate:order: the file order that costs least over the sample", () => {
    // slow.ts: one 500 ms test that reaches every mutant and kills none; quick.ts: 5 ms tests, each killing one.
    const slow = { id: 0, file: "slow.ts", ms: 500 };
    const quick = (id: number) => ({ id, file: "quick.ts", ms: 5 });
    const killedByQuick: SampledMutant[] = [1, 2, 3].map((id) => ({ covering: [slow, quick(id)], killers: new Set([id]) }));
    const survivor: SampledMutant = { covering: [slow, quick(4)], killers: new Set() };

    it("a killed mutant costs its tests up to its first killer in the order, a survivor all of them", () => {
        expect(orderCost(killedByQuick, ["slow.ts", "quick.ts"])).to.equal(3 * 505);
        expect(orderCost(killedByQuick, ["quick.ts", "slow.ts"])).to.equal(3 * 5);
        expect(orderCost([survivor], ["quick.ts", "slow.ts"])).to.equal(505);
        expect(orderCost([survivor], ["slow.ts", "quick.ts"])).to.equal(505);
    });

    it("puts the file that kills cheaply first, and keeps an order nothing improves", () => {
        expect(cheapestOrder([...killedByQuick, survivor], ["slow.ts", "quick.ts"])).to.deep.equal(["quick.ts", "slow.ts"]);
        expect(cheapestOrder([survivor], ["slow.ts", "quick.ts"])).to.deep.equal(["slow.ts", "quick.ts"]);
    });
});
