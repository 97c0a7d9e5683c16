import { list, ofType, record, referring, type Rule } from "./stack";

export const bucketsEncryptedWithKms: Rule = {
    name: "buckets-encrypted-with-kms",
    description:
        "Every S3 bucket encrypts by default with SSE-KMS and a customer key; only a server access log target may use SSE-S3, because S3 delivers access logs only to SSE-S3 buckets (FSBP S3.17).",
    check: (resources) =>
        ofType(resources, "aws:s3/bucket:Bucket").flatMap((bucket) => {
            const logTarget = referring(resources, "aws:s3/bucketLogging:BucketLogging", "targetBucket", bucket).length > 0;
            const configs = referring(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "bucket", bucket);
            const defaults = configs.flatMap((c) => list(c.props["rules"]).map((r) => record(record(r)["applyServerSideEncryptionByDefault"])));
            const kms = defaults.some((d) => d["sseAlgorithm"] === "aws:kms" && d["kmsMasterKeyId"] !== "");
            const s3 = defaults.some((d) => d["sseAlgorithm"] === "AES256");
            if (kms || (logTarget && s3)) {
                return [];
            }
            return [{ urn: bucket.urn, message: `bucket ${bucket.name} is not encrypted with SSE-KMS by default${logTarget ? " (nor SSE-S3, allowed for this access-log target)" : ""}` }];
        }),
};
