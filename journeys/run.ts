// Runs the catalogue against a stack's facts: packet steps through the packet walker (the firewall's stateful
// verdicts from Suricata where installed, else the rule evaluation, all flows of a run in one batch), API steps
// through the IAM engine. Each step's verdict names the resource that decided it.
import type { StackConfig } from "../config/load";
import { catalogue, type Journey, type Outcome, type Step } from "./catalogue";
import type { StackFacts } from "./facts";
import { ruleEvaluation, suricataJudge, type FirewallFlow, type FirewallVerdict, type StatefulJudge } from "./firewall";
import { evaluateRequest } from "./iam";
import { PacketWalker, type PacketResult } from "./packet";

export interface StepResult {
    readonly step: Step;
    /** What the stack did; "error" when the request could not be evaluated (a key AWS would not send, ...). */
    readonly outcome: Outcome | "error";
    readonly decidedBy: string;
    /** Every hop of a packet step (empty for API steps). */
    readonly path: readonly string[];
    readonly holds: boolean;
}

export interface JourneyResult {
    readonly journey: Journey;
    readonly steps: readonly StepResult[];
    readonly holds: boolean;
}

export interface JourneyRun {
    readonly stack: string;
    /** Which stateful engine decided the firewall steps. */
    readonly firewallEngine: string;
    readonly results: readonly JourneyResult[];
    readonly holds: boolean;
}

export interface RunOptions {
    /** Force a judge (tests use the rule evaluation to be independent of the machine). Default: Suricata if installed. */
    readonly judge?: StatefulJudge;
    /** Run only these journeys (by id); default all. */
    readonly only?: readonly string[];
}

function walkAll(facts: StackFacts, journeys: readonly Journey[], lookup: (flow: FirewallFlow) => FirewallVerdict): Map<Step, PacketResult> {
    const walker = new PacketWalker(facts, lookup);
    const out = new Map<Step, PacketResult>();
    let n = 0;
    for (const j of journeys) {
        for (const step of j.steps) {
            n += 1;
            const key = `${j.id}#${n}`;
            if (step.kind === "packet") {
                out.set(step, walker.flow(step.flow, key, 30000 + n));
            } else if (step.kind === "icmp") {
                out.set(step, walker.icmpError(step.error, key));
            }
        }
    }
    return out;
}

export async function runJourneys(facts: StackFacts, config: StackConfig, options: RunOptions = {}): Promise<JourneyRun> {
    const suricata = options.judge === undefined ? suricataJudge() : undefined;
    const judge = options.judge ?? suricata ?? ruleEvaluation;
    const engine = options.judge === undefined && suricata === undefined ? `${judge.engine} (Suricata not installed)` : judge.engine;
    const journeys = catalogue(facts, config).filter((j) => options.only === undefined || options.only.includes(j.id));
    // First walk: every flow the firewall would see, assumed passed; then one batch verdict; then the real walk.
    const seen: FirewallFlow[] = [];
    walkAll(facts, journeys, (flow) => {
        seen.push(flow);
        return { pass: true, by: "" };
    });
    const unique = [...new Map(seen.map((f) => [f.key, f])).values()];
    const verdicts = judge.verdicts(facts.firewall, unique);
    const packets = walkAll(facts, journeys, (flow) => verdicts.get(flow.key) ?? { pass: false, by: `${judge.engine}: no verdict for ${flow.key}` });

    const results: JourneyResult[] = [];
    for (const journey of journeys) {
        const steps: StepResult[] = [];
        for (const step of journey.steps) {
            if (step.kind === "api") {
                const e = await evaluateRequest(step.request);
                const outcome: Outcome | "error" = e.decision === "Allowed" ? "allowed" : e.decision.startsWith("error") ? "error" : "denied";
                steps.push({ step, outcome, decidedBy: outcome === "error" ? e.decision : e.decidedBy, path: [], holds: outcome === step.expect });
            } else {
                const r = packets.get(step);
                const outcome: Outcome = r?.delivered === true ? "allowed" : "denied";
                steps.push({
                    step,
                    outcome,
                    decidedBy: r === undefined ? "not walked" : r.delivered ? "delivered both ways" : r.decidedBy,
                    path: (r?.hops ?? []).map((h) => `${h.allowed ? "ok " : "NO "} ${h.layer}: ${h.resource}`),
                    holds: outcome === step.expect,
                });
            }
        }
        results.push({ journey, steps, holds: steps.every((s) => s.holds) });
    }
    return { stack: facts.stack, firewallEngine: engine, results, holds: results.every((r) => r.holds) };
}

/** The text `npm run plan -- <stack> --journeys` prints. */
export function renderJourneys(run: JourneyRun, verbose = false): string {
    const lines = [`Journeys of the ${run.stack} stack (firewall verdicts: ${run.firewallEngine})`, ""];
    for (const r of run.results) {
        lines.push(`${r.holds ? "HOLDS" : "FAILS"}  ${r.journey.id}: ${r.journey.title}`);
        lines.push(`       who: ${r.journey.who}`);
        if (r.journey.notApplicable !== undefined) {
            lines.push(`       not applicable: ${r.journey.notApplicable}`);
        }
        for (const s of r.steps) {
            const mark = s.holds ? "ok  " : "FAIL";
            lines.push(`  ${mark} ${s.step.what}`);
            lines.push(`       expected ${s.step.expect}, got ${s.outcome}; decided by ${s.decidedBy}`);
            if (!s.holds) {
                lines.push(`       source: ${s.step.source}`);
            }
            if (verbose || !s.holds) {
                lines.push(...s.path.map((p) => `         ${p}`));
            }
        }
        lines.push("");
    }
    const failing = run.results.filter((r) => !r.holds).map((r) => r.journey.id);
    const steps = run.results.flatMap((r) => r.steps);
    lines.push(
        failing.length === 0
            ? `All ${run.results.length} journeys hold (${steps.length} steps).`
            : `${failing.length} of ${run.results.length} journeys fail: ${failing.join(", ")} (${steps.filter((s) => !s.holds).length} of ${steps.length} steps differ from their expectation).`,
    );
    return `${lines.join("\n")}\n`;
}
