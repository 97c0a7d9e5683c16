// A policy cut down to what can apply to one action, for the IAM engine's sweeps (test/bootstrap.test.ts,
// deployRoleDecision in test/iamScenarios.ts). Its own module: importing it loads nothing else.
import type { PolicyDocument } from "../policy/document";

/**
 * The statements of a policy that can apply to an action: every NotAction statement, and each Action statement with a
 * pattern that matches it (IAM matches action names case-insensitively, `*` and `?` as wildcards: IAM User Guide,
 * "IAM JSON policy elements: Action"). A statement that cannot match the action cannot change the decision, so the
 * engine decides the same with these only; the deploy policies are large and the bootstrap sweeps ask thousands of
 * questions of them.
 */
export function forAction(policy: PolicyDocument, action: string): PolicyDocument {
    const list = (v: string | readonly string[]) => (typeof v === "string" ? [v] : v);
    const matches = (pattern: string) =>
        new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i").test(action);
    const statements = policy.Statement.filter((s) => s.Action === undefined || list(s.Action).some(matches));
    // A policy needs a statement: when none applies, the whole one decides (implicitly denied) as well.
    return statements.length === 0 ? policy : { ...policy, Statement: statements };
}
