// One locked-down S3 bucket: encryption by default, all four public access blocks, ACLs disabled, versioning,
// lifecycle and a bucket policy, plus server access logging through `logTo`. Every bucket of the stack is one of
// these, so no bucket can be created without a setting.
import * as aws from "../aws/pulumiAws";
import * as pulumi from "@pulumi/pulumi";
import { nameTag } from "../network/naming";

/** All four Block Public Access settings, for a bucket and for the account. */
export const BLOCK_ALL_PUBLIC_ACCESS = {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
} as const;

/** Uploads left incomplete this long are aborted (they are billed but invisible). */
const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

export interface LockedBucketArgs {
    readonly namePrefix: string;
    /** A fixed bucket name where others must know it in advance (the bootstrap's state bucket); auto-named otherwise. */
    readonly bucketName?: string;
    /** What the bucket holds, for its tags ("training-data", "audit", ...). */
    readonly purpose: string;
    /**
     * SSE-KMS with the stack key and an S3 Bucket Key, or SSE-S3 (AES256) where AWS requires it: server access
     * logs can only be delivered to an SSE-S3 bucket.
     */
    readonly encryption: { readonly kmsKeyArn: pulumi.Input<string> } | "SSE-S3";
    readonly noncurrentVersionExpirationDays: number;
    /** Log buckets expire their objects after this many days; data buckets keep current versions. */
    readonly objectExpirationDays: number | undefined;
    /** The bucket policy, built from the bucket's ARN. */
    readonly policy: (bucketArn: pulumi.Output<string>) => pulumi.Input<string>;
    /** Keep the bucket and its settings on `pulumi destroy` and protect them (prod); otherwise destroy emptied. */
    readonly protect: boolean;
    /**
     * S3 Object Lock default retention in COMPLIANCE mode: no principal, the account root included, can delete a
     * version or shorten its retention before it ends (Amazon S3 User Guide, Object Lock retention modes).
     * Undefined: no Object Lock.
     */
    readonly objectLockDays?: number;
}

export class LockedBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    /** The bucket policy: services that write here depend on it. */
    readonly policyReady: pulumi.Resource;
    private readonly keep: pulumi.CustomResourceOptions;
    private readonly logicalName: string;

    constructor(name: string, args: LockedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:baseline:LockedBucket", name, {}, opts);
        this.logicalName = name;
        // A retained bucket must keep its settings too: deleting only the public access block or the policy on
        // destroy would leave a bucket behind that is less protected than the one deployed.
        const keep: pulumi.CustomResourceOptions = { parent: this, protect: args.protect, retainOnDelete: args.protect };

        const bucket = new aws.s3.Bucket(
            name,
            { ...(args.bucketName === undefined ? {} : { bucket: args.bucketName }), forceDestroy: !args.protect, tags: { ...nameTag(args.namePrefix, args.purpose), "secure-ai:purpose": args.purpose } },
            keep,
        );
        const id = bucket.id;
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            name,
            { bucket: id, ...BLOCK_ALL_PUBLIC_ACCESS },
            keep,
        );
        // ACLs disabled: the bucket owner owns every object and access is decided by policy alone.
        new aws.s3.BucketOwnershipControls(name, { bucket: id, rule: { objectOwnership: "BucketOwnerEnforced" } }, keep);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            {
                bucket: id,
                rules: [
                    args.encryption === "SSE-S3"
                        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }
                        : {
                              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.kmsKeyArn },
                              bucketKeyEnabled: true,
                              blockedEncryptionTypes: ["SSE-C"],
                          },
                ],
            },
            keep,
        );
        const versioning = new aws.s3.BucketVersioning(name, { bucket: id, versioningConfiguration: { status: "Enabled" } }, keep);
        // Object Lock on an existing, versioned bucket is a PutObjectLockConfiguration (Amazon S3 User Guide, "Enable
        // Object Lock on an existing S3 bucket"), so turning it on never replaces a deployed bucket. It cannot be
        // turned off again, and versioning can no longer be suspended.
        const lock =
            args.objectLockDays === undefined
                ? []
                : [
                      new aws.s3.BucketObjectLockConfiguration(
                          name,
                          { bucket: id, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: args.objectLockDays } } },
                          { ...keep, dependsOn: [versioning] },
                      ),
                  ];
        const lifecycle = new aws.s3.BucketLifecycleConfiguration(
            name,
            {
                bucket: id,
                rules: [
                    {
                        id: "retention",
                        status: "Enabled",
                        filter: {},
                        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
                        // Every bucket alike. On a log bucket nobody overwrites or deletes a log, so its only noncurrent
                        // versions are those the expiration leaves behind its delete marker, and NoncurrentDays counts
                        // from then (Amazon S3 User Guide, "Lifecycle configuration elements"): a log is kept
                        // logObjectExpirationDays plus this.
                        noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionExpirationDays },
                        expiration:
                            args.objectExpirationDays === undefined
                                ? { expiredObjectDeleteMarker: true }
                                : { days: args.objectExpirationDays },
                    },
                ],
            },
            // S3 requires versioning to be set before a lifecycle with noncurrent-version rules is applied.
            { ...keep, dependsOn: [versioning] },
        );
        this.policyReady = new aws.s3.BucketPolicy(
            name,
            { bucket: id, policy: args.policy(bucket.arn) },
            // The public access block goes first, so a policy never sits on a bucket that lacks it; the settings the
            // log buckets' policies reserve to the break-glass role are made before the policy takes them away.
            { ...keep, dependsOn: [publicAccessBlock, versioning, lifecycle, ...lock] },
        );

        this.bucketName = bucket.bucket;
        this.arn = bucket.arn;
        this.keep = keep;
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }

    /**
     * Sends this bucket's server access logs to `target` under `prefix` (FSBP S3.9). Separate from the
     * constructor because the access-log bucket's policy names its source buckets, so it is created after them.
     */
    logTo(target: LockedBucket, prefix: string): void {
        new aws.s3.BucketLogging(
            this.logicalName,
            {
                bucket: this.bucketName,
                targetBucket: target.bucketName,
                targetPrefix: prefix,
                targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
            },
            // After the target's policy admits the logging service for this bucket.
            { ...this.keep, dependsOn: [target.policyReady] },
        );
    }
}
