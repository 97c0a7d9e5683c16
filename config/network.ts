// `secure-ai:network`: VPC CIDR, AZs, training egress mode, subnet sizes, interface endpoints.
import { z } from "zod";
import { isRfc1918 } from "./cidr";
import { cidrField, quote, strictObject, uniqueItems } from "./fields";
import { AZ_SLOT_LETTERS, AZ_SLOTS, FIREWALL_PREFIX_LENGTH, NAT_GATEWAY_MODES, planProblem } from "../network/plan";
import { ENCRYPTION_CONTROL_SETTINGS, type EncryptionControlSetting } from "../network/encryptionControl";

export const TRAINING_EGRESS = ["none", "filtered"] as const;

export const DEFAULT_INTERFACE_ENDPOINTS = [
    "sts",
    "logs",
    "monitoring",
    "ecr.api",
    "ecr.dkr",
    "kms",
    "sagemaker.api",
    "sagemaker.runtime",
] as const;

export const DEFAULT_SUBNET_PREFIX_LENGTHS = { public: 24, services: 20, training: 20 } as const;

export const vpcCidrField = cidrField({
    minPrefix: 16,
    maxPrefix: 28,
    allowed: "a private RFC 1918 network, 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, prefix /16 to /28",
    check: (cidr) =>
        isRfc1918(cidr)
            ? undefined
            : `${quote(cidr.text)} is not private (allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)`,
});

function subnetPrefixField(tier: string, fallback: number) {
    const message = (input: unknown) =>
        `${quote(input)} is not a ${tier} subnet prefix length (integer 16 to ${FIREWALL_PREFIX_LENGTH})`;
    // One message for every way the value can be wrong: zod (4.6.7) gives the schema's `error` to the issues of its
    // checks (int, min, max) too.
    return z
        .number({ error: (issue) => message(issue.input) })
        .int()
        .min(16)
        .max(FIREWALL_PREFIX_LENGTH)
        .default(fallback);
}

const endpointServiceField = z.string().superRefine((value, ctx) => {
    if (value === "s3") {
        ctx.addIssue({
            code: "custom",
            input: value,
            message: `"s3" is always served by the S3 gateway endpoint (list interface endpoint services only, such as "sts")`,
        });
    } else if (!/^[a-z0-9]+([.-][a-z0-9]+)*$/.test(value) || value.startsWith("com.amazonaws.")) {
        // The program builds the full name, com.amazonaws.<region>.<short name> (AWS PrivateLink Guide, "AWS services
        // that integrate with AWS PrivateLink"): a full name given here would be prefixed twice.
        ctx.addIssue({
            code: "custom",
            input: value,
            message: `${quote(value)} is not a VPC endpoint service short name (such as "sts" or "ecr.api", without the com.amazonaws.<region>. prefix)`,
        });
    }
});

/** The AZ names a region may have: <region>a .. <region>f. */
export function azNamesOf(region: string): string[] {
    return [...AZ_SLOT_LETTERS].map((letter) => `${region}${letter}`);
}

/** An S3 bucket name (General purpose bucket naming rules, Amazon S3 User Guide): 3-63 of a-z 0-9 . -, no "..". */
const BUCKET_NAME = /^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const readOnlyBucketField = z
    .string({ error: (issue) => `${quote(issue.input)} is not an S3 bucket name` })
    .refine((value) => BUCKET_NAME.test(value) && !/^\d+\.\d+\.\d+\.\d+$/.test(value), {
        error: (issue) =>
            `${quote(issue.input)} is not an S3 bucket name (3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit; a name, not an ARN, URL or pattern)`,
    });

/**
 * VPC encryption controls: off or monitor. AWS's third value, enforce, is refused with its reason: "Gateway Load
 * Balancer and AWS Network Firewall are not supported with VPCs in enforce mode. If these resources are present in
 * your VPC, you must run your VPC in monitor mode." (Amazon VPC User Guide, "Enforce VPC encryption in transit",
 * Service-specific limitations). Valid values of the API: VpcEncryptionControlConfiguration Mode, monitor | enforce.
 */
const notAnEncryptionControlSetting = (input: unknown) =>
    `${quote(input)} is not a VPC encryption control setting (allowed: ${ENCRYPTION_CONTROL_SETTINGS.join(", ")})`;
const encryptionControlField = z
    .string({ error: (issue) => notAnEncryptionControlSetting(issue.input) })
    .superRefine((value, ctx) => {
        if (value === "enforce") {
            ctx.addIssue({
                code: "custom",
                input: value,
                message:
                    '"enforce" is not possible in this VPC: AWS Network Firewall is not supported with VPCs in enforce mode (Amazon VPC User Guide, ' +
                    '"Enforce VPC encryption in transit": "If these resources are present in your VPC, you must run your VPC in monitor mode"), and every ' +
                    `stack of this program routes its traffic through one (allowed: ${ENCRYPTION_CONTROL_SETTINGS.join(", ")})`,
            });
        } else if (!(ENCRYPTION_CONTROL_SETTINGS as readonly string[]).includes(value)) {
            ctx.addIssue({ code: "custom", input: value, message: notAnEncryptionControlSetting(value) });
        }
    })
    // The default before the transform: zod's JSON Schema (input side) drops a default placed after a transform,
    // and the editors' schema and docs/config.md would show the key as unset.
    .default("off")
    .transform((value) => value as EncryptionControlSetting);

export function networkSchema(region: string | undefined) {
    const azField = z.string().superRefine((value, ctx) => {
        if (region !== undefined && !azNamesOf(region).includes(value)) {
            ctx.addIssue({
                code: "custom",
                input: value,
                message: `${quote(value)} is not an availability zone of aws:region ${region} (allowed: ${azNamesOf(region).join(", ")})`,
            });
        }
    });
    return strictObject({
        cidr: vpcCidrField,
        availabilityZones: z
            .array(azField)
            .min(1, { error: `at least one availability zone is required (1 to ${AZ_SLOTS} names such as "${region ?? "us-west-2"}a")` })
            .max(AZ_SLOTS, { error: (issue) => `${quote(issue.input)} lists more than ${AZ_SLOTS} availability zones (1 to ${AZ_SLOTS})` })
            .superRefine(uniqueItems<string>()),
        trainingEgress: z
            .enum(TRAINING_EGRESS, {
                error: (issue) =>
                    `${quote(issue.input)} is not a training egress mode (allowed: none = no route off the VPC, filtered = through the NAT gateway and the firewall's domain allowlist)`,
            })
            .default("none"),
        natGateways: z
            .enum(NAT_GATEWAY_MODES, {
                error: (issue) =>
                    `${quote(issue.input)} is not a NAT gateway mode (allowed: perAz = one per AZ, single = one for the whole VPC, for non-production stacks)`,
            })
            .default("perAz"),
        subnetPrefixLengths: strictObject(
            {
                public: subnetPrefixField("public", DEFAULT_SUBNET_PREFIX_LENGTHS.public),
                services: subnetPrefixField("services", DEFAULT_SUBNET_PREFIX_LENGTHS.services),
                training: subnetPrefixField("training", DEFAULT_SUBNET_PREFIX_LENGTHS.training),
            },
            {
                public: "public subnet size per AZ (16-28)",
                services: "services subnet size per AZ (16-28)",
                training: "training subnet size per AZ (16-28)",
            },
        ).prefault({}),
        interfaceEndpoints: z
            .array(endpointServiceField)
            .superRefine(uniqueItems<string>())
            .default([...DEFAULT_INTERFACE_ENDPOINTS]),
        s3EndpointReadOnlyBuckets: z.array(readOnlyBucketField).superRefine(uniqueItems<string>()).max(50, {
            error: "at most 50 buckets (an endpoint policy holds 20,480 characters)",
        }).default([]),
        encryptionControl: encryptionControlField,
    }, {
        cidr: "VPC CIDR: RFC 1918, /16 to /28, no host bits, large enough for the subnet plan",
        availabilityZones: "1 to 6 AZ names of aws:region (<region>a..<region>f), unique, that the account has in the region (looked up)",
        trainingEgress: "none: training has no route off the VPC; filtered: via the NAT gateway and the firewall (needs at least one allowedDomains entry)",
        natGateways: "perAz: a NAT gateway and Elastic IP in every AZ; single: one for the VPC (non-production). Only used when egress domains are allowed",
        subnetPrefixLengths: "subnet sizes per tier",
        interfaceEndpoints: "interface endpoint services (short names such as sts, ecr.api), in the services subnets with private DNS",
        s3EndpointReadOnlyBuckets:
            "buckets outside the account (AWS-owned, such as an OS package repository's) whose objects the workloads may read (s3:GetObject only) through the S3 gateway endpoint; names as the owning service documents them",
        encryptionControl:
            "VPC encryption controls on this stack's VPC only (no other VPC of the account changes): off (default) or monitor, which blocks nothing, reports each flow's encryption in the VPC flow log (the flow log gets the fields flow-direction, traffic-path and encryption-status; turning it on replaces the flow log, whose format cannot change in place) and has AWS move the load balancer to encryption-capable hardware; charged since 2026-03-01 at the rate Amazon VPC pricing states (free before, AWS News Blog). enforce is refused: AWS does not support Network Firewall in an enforce-mode VPC",
    }).superRefine((network, ctx) => {
        // Only a valid CIDR is worth planning; an invalid one is already reported.
        const problem = vpcCidrField.safeParse(network.cidr).success
            ? planProblem(network.cidr, network.subnetPrefixLengths)
            : undefined;
        if (problem !== undefined) {
            ctx.addIssue({ code: "custom", path: ["cidr"], input: network.cidr, message: problem });
        }
    });
}

export type NetworkConfig = z.output<ReturnType<typeof networkSchema>>;
