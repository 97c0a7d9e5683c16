// The CrossGuard policy pack: `pulumi preview --policy-pack policy-pack` (and the CI workflows) run it against a
// stack's resources. Every policy is mandatory and is a pure rule from ./rules, tested offline in npm test.
import { PolicyPack, type PolicyResource } from "@pulumi/policy";
import { RULES, type StackResource } from "./rules";

function view(r: PolicyResource): StackResource {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.props,
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, deps]) => [k, deps.map((d) => d.urn)])),
    };
}

new PolicyPack("secure-ai", {
    enforcementLevel: "mandatory",
    policies: RULES.map((rule) => ({
        name: rule.name,
        description: rule.description,
        enforcementLevel: "mandatory" as const,
        validateStack: (args, reportViolation) => {
            for (const v of rule.check(args.resources.map(view))) {
                reportViolation(v.message, v.urn);
            }
        },
    })),
});
