// `secure-ai:firewall`: who may reach the model, where egress may go, what the stateless layer drops, logging
// and protections.
import { z } from "zod";
import { overlaps, type Cidr } from "./cidr";
import { domainProblem } from "./domains";
import { cidrField, portField, quote, retentionField, strictObject, uniqueItems } from "./fields";
import { MAX_EGRESS_DOMAINS } from "../firewall/rules";

/** AWS's default quota of rules per security group and direction (a prefix list counts once per entry). */
export const SECURITY_GROUP_RULE_QUOTA = 60;

function outsideVpc(vpc: Cidr | undefined, what: string) {
    return (cidr: Cidr): string | undefined =>
        vpc !== undefined && overlaps(cidr, vpc)
            ? `${quote(cidr.text)} overlaps the VPC CIDR ${vpc.text} (${what} must be outside the VPC)`
            : undefined;
}

const domainField = z.string().superRefine((value, ctx) => {
    const problem = domainProblem(value);
    if (problem !== undefined) {
        ctx.addIssue({ code: "custom", input: value, message: problem });
    }
});

export function firewallSchema(vpc: Cidr | undefined) {
    const ingressCidr = cidrField({
        minPrefix: 8,
        maxPrefix: 32,
        allowed: "prefix /8 to /32; 0.0.0.0/0 and anything broader than /8 are refused, list the client ranges",
        check: outsideVpc(vpc, "ingress sources"),
    });
    const deniedCidr = cidrField({
        minPrefix: 8,
        maxPrefix: 32,
        allowed: "prefix /8 to /32",
        check: outsideVpc(vpc, "denied ranges"),
    });
    const ports = z
        .array(portField)
        .min(1, { error: "at least one port is required (such as [443])" })
        .superRefine(uniqueItems<number>());
    return strictObject({
        ingress: strictObject({
            allowedCidrs: z
                .array(ingressCidr)
                .min(1, { error: "at least one CIDR is required (the client ranges that may reach the model)" })
                .superRefine(uniqueItems<string>()),
            ports: ports.default([443]),
        }),
        egress: strictObject({
            allowedDomains: z
                .array(domainField)
                .max(MAX_EGRESS_DOMAINS, { error: `at most ${MAX_EGRESS_DOMAINS} domains (group them under a common ".suffix")` })
                .superRefine(uniqueItems<string>((d) => d.toLowerCase()))
                .default([]),
        }).prefault({}),
        deniedCidrs: z.array(deniedCidr).superRefine(uniqueItems<string>()).default([]),
        logRetentionDays: retentionField(90),
        protections: strictObject({
            deletion: z.boolean().default(true),
            subnetChange: z.boolean().default(true),
            policyChange: z.boolean().default(true),
        }).prefault({}),
    }).superRefine((firewall, ctx) => {
        const rules = firewall.ingress.allowedCidrs.length * firewall.ingress.ports.length;
        if (rules > SECURITY_GROUP_RULE_QUOTA) {
            ctx.addIssue({
                code: "custom",
                path: ["ingress", "allowedCidrs"],
                input: firewall.ingress.allowedCidrs,
                message:
                    `${firewall.ingress.allowedCidrs.length} CIDRs x ${firewall.ingress.ports.length} ports = ${rules} ` +
                    `load balancer security group rules (its prefix list counts once per entry and port), over the ` +
                    `quota of ${SECURITY_GROUP_RULE_QUOTA} (merge adjacent ranges or list fewer ports)`,
            });
        }
    });
}

export type FirewallConfig = z.output<ReturnType<typeof firewallSchema>>;
