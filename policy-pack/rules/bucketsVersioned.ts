import { ofType, record, referring, type Rule } from "./stack";

export const bucketsVersioned: Rule = {
    name: "buckets-versioned",
    description: "Every S3 bucket keeps versions, so an overwrite or delete can be undone (FSBP S3.14).",
    check: (resources) =>
        ofType(resources, "aws:s3/bucket:Bucket")
            .filter((bucket) => !referring(resources, "aws:s3/bucketVersioning:BucketVersioning", "bucket", bucket).some((v) => record(v.props["versioningConfiguration"])["status"] === "Enabled"))
            .map((bucket) => ({ urn: bucket.urn, message: `bucket ${bucket.name} is not versioned` })),
};
