import { ofType, referring, type Rule } from "./stack";

const SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const bucketsBlockAllPublicAccess: Rule = {
    name: "buckets-block-all-public-access",
    description: "Every S3 bucket has a public access block with all four settings on (FSBP S3.8).",
    check: (resources) =>
        ofType(resources, "aws:s3/bucket:Bucket").flatMap((bucket) => {
            const blocks = referring(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "bucket", bucket);
            const off = SETTINGS.filter((s) => !blocks.some((b) => b.props[s] === true));
            return off.length === 0 ? [] : [{ urn: bucket.urn, message: `bucket ${bucket.name} does not block public access: ${off.join(", ")} not on` }];
        }),
};
