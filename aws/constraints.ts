// AWS API constraints on the classic (@pulumi/aws) resources' names, descriptions and tags that no type checks
// and that AWS enforces only when the call is made. One table, each row citing where AWS states the rule. Where
// the CloudFormation registry schema of the equivalent type carries the pattern, the row reads it from there.
import { registrySchema, REGISTRY_SOURCE } from "./registry";

export interface Constraint {
    /** Pulumi type token. */
    readonly type: string;
    /** Dotted path into the resource's properties; `[]` steps into every element of a list. */
    readonly path: string;
    /** The rule in words, for failure messages and the README. */
    readonly rule: string;
    readonly check: (value: unknown) => boolean;
    readonly source: string;
}

/** Characters EC2 accepts in security group and security group rule descriptions. */
// EC2 API Reference, CreateSecurityGroup GroupDescription and IpRange/PrefixListId/UserIdGroupPair Description:
// "Up to 255 characters ... a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*". The registry schema of
// AWS::EC2::SecurityGroupEgress repeats the list without "&"; the stricter of the two is used here.
export const EC2_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]{0,255}$/;
const EC2_DESCRIPTION_SOURCE = "Amazon EC2 API Reference: CreateSecurityGroup (GroupDescription), IpRange and PrefixListId (Description); registry schema AWS::EC2::SecurityGroupEgress";

function text(check: (s: string) => boolean): (value: unknown) => boolean {
    return (value) => typeof value === "string" && check(value);
}

/** A string property checked against the pattern and lengths of a registry schema property. */
function fromRegistry(type: string, path: string, cfnType: string, property: string): Constraint {
    const node = registrySchema(cfnType).properties[property] as { pattern?: string; minLength?: number; maxLength?: number } | undefined;
    if (node === undefined || (node.pattern === undefined && node.maxLength === undefined)) {
        throw new Error(`internal: ${cfnType} ${property} carries no pattern or length in the registry schema`);
    }
    // Registry patterns use Java's \Z (end of input); JavaScript spells it $.
    const pattern = node.pattern === undefined ? undefined : new RegExp(node.pattern.replace(/\\Z/g, "$"));
    const min = node.minLength ?? 0;
    const max = node.maxLength ?? Number.POSITIVE_INFINITY;
    return {
        type,
        path,
        rule: `${node.pattern === undefined ? "" : `matches ${node.pattern}, `}${min} to ${max} characters`,
        check: text((s) => s.length >= min && s.length <= max && (pattern === undefined || pattern.test(s))),
        source: `registry schema ${cfnType.replace(/^aws-native:/, "")} ${property} (${REGISTRY_SOURCE})`,
    };
}

const ec2Description = (type: string, path: string): Constraint => ({
    type,
    path,
    rule: "at most 255 of a-z A-Z 0-9 space . _ - : / ( ) # , @ [ ] + = ; { } ! $ *",
    check: (value) => value === undefined || (typeof value === "string" && EC2_DESCRIPTION.test(value)),
    source: EC2_DESCRIPTION_SOURCE,
});

// IAM API Reference, CreateRole and CreatePolicy: Description "Maximum length of 1000", pattern
// [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*; RoleName "[\w+=,.@-]+", 1 to 64; PolicyName 1 to 128.
const IAM_DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]{0,1000}$/;
const IAM_SOURCE = "IAM API Reference: CreateRole, CreatePolicy";

export const CONSTRAINTS: readonly Constraint[] = [
    ec2Description("aws:ec2/securityGroup:SecurityGroup", "description"),
    ec2Description("aws:ec2/securityGroup:SecurityGroup", "ingress[].description"),
    ec2Description("aws:ec2/securityGroup:SecurityGroup", "egress[].description"),
    ec2Description("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "ingress[].description"),
    ec2Description("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "egress[].description"),
    ec2Description("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "description"),
    ec2Description("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "description"),
    {
        type: "aws:ec2/managedPrefixList:ManagedPrefixList",
        path: "name",
        rule: "1 to 255 characters, not starting with com.amazonaws",
        check: text((s) => s.length >= 1 && s.length <= 255 && !s.startsWith("com.amazonaws")),
        source: "Amazon EC2 API Reference: CreateManagedPrefixList (PrefixListName)",
    },
    {
        type: "aws:ec2/managedPrefixList:ManagedPrefixList",
        path: "entries[].description",
        rule: "at most 255 characters",
        check: (value) => value === undefined || (typeof value === "string" && value.length <= 255),
        source: "Amazon EC2 API Reference: AddPrefixListEntry (Description)",
    },
    ...["ingress", "egress"].map(
        (direction): Constraint => ({
            type: "aws:ec2/networkAcl:NetworkAcl",
            path: `${direction}[].ruleNo`,
            rule: "an integer from 1 to 32766",
            check: (value) => typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 32766,
            source: "Amazon EC2 API Reference: CreateNetworkAclEntry (RuleNumber)",
        }),
    ),
    fromRegistry("aws:cloudwatch/logGroup:LogGroup", "name", "aws-native:logs:LogGroup", "LogGroupName"),
    fromRegistry("aws:cloudtrail/trail:Trail", "name", "aws-native:cloudtrail:Trail", "TrailName"),
    fromRegistry("aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList", "name", "aws-native:route53resolver:FirewallDomainList", "Name"),
    fromRegistry("aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup", "name", "aws-native:route53resolver:FirewallRuleGroup", "Name"),
    fromRegistry("aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation", "name", "aws-native:route53resolver:FirewallRuleGroupAssociation", "Name"),
    fromRegistry("aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig", "name", "aws-native:route53resolver:ResolverQueryLoggingConfig", "Name"),
    {
        type: "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList",
        path: "domains[]",
        rule: "1 to 255 characters: an optional leading *, then A-Z a-z 0-9 - with . between labels",
        check: text((s) => s.length >= 1 && s.length <= 255 && /^(\*|\*\.)?([A-Za-z0-9-]+\.)*[A-Za-z0-9-]*$/.test(s)),
        source: 'Route 53 Developer Guide, "Managing your own domain lists" (domain specification requirements)',
    },
    {
        type: "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation",
        path: "priority",
        rule: "an integer from 100 to 9900",
        check: (value) => typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 9900,
        source: "Route 53 Resolver API Reference: AssociateFirewallRuleGroup (Priority)",
    },
    fromRegistry("aws:kms/key:Key", "description", "aws-native:kms:Key", "Description"),
    {
        type: "aws:kms/alias:Alias",
        path: "name",
        rule: "alias/ followed by 1 to 250 of a-z A-Z 0-9 / _ -, not alias/aws/",
        check: text((s) => /^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(s) && !s.startsWith("alias/aws/")),
        source: "AWS KMS API Reference: CreateAlias (AliasName)",
    },
    {
        type: "aws:s3/bucket:Bucket",
        path: "bucket",
        rule: "3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit",
        check: text((s) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(s) && !s.includes("..")),
        source: "Amazon S3 User Guide: General purpose bucket naming rules",
    },
    {
        type: "aws:iam/role:Role",
        path: "name",
        rule: "1 to 64 of a-z A-Z 0-9 + = , . @ _ -",
        check: text((s) => /^[\w+=,.@-]{1,64}$/.test(s)),
        source: IAM_SOURCE,
    },
    {
        type: "aws:iam/policy:Policy",
        path: "name",
        rule: "1 to 128 of a-z A-Z 0-9 + = , . @ _ -",
        check: text((s) => /^[\w+=,.@-]{1,128}$/.test(s)),
        source: IAM_SOURCE,
    },
    ...["aws:iam/role:Role", "aws:iam/policy:Policy"].map(
        (type): Constraint => ({
            type,
            path: "description",
            rule: "at most 1000 printable Latin-1 characters, tabs and newlines",
            check: (value) => value === undefined || (typeof value === "string" && IAM_DESCRIPTION.test(value)),
            source: IAM_SOURCE,
        }),
    ),
];

/** Tag limits for every taggable resource, counting the providers' default tags. */
// Tagging AWS Resources and Tag Editor user guide, "Tag naming limits and requirements": at most 50 user-created
// tags per resource, keys 1 to 128 characters, values 0 to 256, keys may not start with "aws:".
export const TAG_LIMITS = { maxTags: 50, maxKeyLength: 128, maxValueLength: 256, source: "Tagging AWS Resources user guide: tag naming limits and requirements" } as const;

export interface ConstraintViolation {
    readonly resource: string;
    readonly path: string;
    readonly value: unknown;
    readonly rule: string;
    readonly source: string;
}

function valuesAt(value: unknown, steps: readonly string[]): unknown[] {
    const [step, ...rest] = steps;
    if (step === undefined) {
        return [value];
    }
    const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
    if (step.endsWith("[]")) {
        const list = record[step.slice(0, -2)];
        return Array.isArray(list) ? list.flatMap((item) => valuesAt(item, rest)) : [];
    }
    if (!(step in record)) {
        return rest.length === 0 ? [undefined] : [];
    }
    return valuesAt(record[step], rest);
}

export interface CheckedResource {
    readonly type: string;
    readonly name: string;
    /** What the provider sends: inputs plus auto-generated names. */
    readonly properties: Readonly<Record<string, unknown>>;
}

/** Every row's check on every resource of its type. */
export function constraintViolations(resources: readonly CheckedResource[]): ConstraintViolation[] {
    const out: ConstraintViolation[] = [];
    for (const resource of resources) {
        for (const row of CONSTRAINTS.filter((c) => c.type === resource.type)) {
            for (const value of valuesAt(resource.properties, row.path.split("."))) {
                if (!row.check(value)) {
                    out.push({ resource: `${resource.type} ${resource.name}`, path: row.path, value, rule: row.rule, source: row.source });
                }
            }
        }
    }
    return out;
}

/** Tag-limit problems of one resource's tags merged with its provider's default tags. */
export function tagViolations(resource: string, tags: Readonly<Record<string, string>>): string[] {
    const problems: string[] = [];
    const keys = Object.keys(tags);
    if (keys.length > TAG_LIMITS.maxTags) {
        problems.push(`${resource}: ${keys.length} tags, over ${TAG_LIMITS.maxTags}`);
    }
    for (const [key, value] of Object.entries(tags)) {
        if (key.length < 1 || key.length > TAG_LIMITS.maxKeyLength || key.toLowerCase().startsWith("aws:")) {
            problems.push(`${resource}: tag key ${JSON.stringify(key)} (1 to ${TAG_LIMITS.maxKeyLength} characters, not aws:)`);
        }
        if (value.length > TAG_LIMITS.maxValueLength) {
            problems.push(`${resource}: tag ${key} value of ${value.length} characters (at most ${TAG_LIMITS.maxValueLength})`);
        }
    }
    return problems;
}
