// `npm run plan -- <stack>` (offline/render.ts): the text a user reads names every value it prints; nothing renders
// as "undefined" (a log group created under namePrefix, an output this stack does not export).
import { expect } from "chai";
import { renderPlan } from "../offline/render";
import { stackFiles } from "../offline/synth";
import { ofType, synth } from "./support";

for (const { stack } of stackFiles()) {
    describe(`plan text (${stack} stack)`, () => {
        it("prints no undefined value, and each log group with the name or prefix AWS gets", async () => {
            const s = await synth(stack);
            const text = renderPlan(s);
            expect(text.split("\n").filter((l) => /\bundefined\b/.test(l))).to.deep.equal([]);
            for (const g of ofType(s, "aws:cloudwatch/logGroup:LogGroup")) {
                const shown = typeof g.inputs["name"] === "string" ? String(g.inputs["name"]) : `${String(g.inputs["namePrefix"])}<unique id>`;
                expect(text, g.name).to.include(`${shown} retention=${String(g.inputs["retentionInDays"])}d`);
            }
        });
    });
}
