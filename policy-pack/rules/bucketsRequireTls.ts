import { list, ofType, record, referring, statements, type Rule } from "./stack";

export const bucketsRequireTls: Rule = {
    name: "buckets-require-tls",
    description: "Every S3 bucket's policy denies every request without TLS (aws:SecureTransport false) on the bucket and its objects (FSBP S3.5).",
    check: (resources) =>
        ofType(resources, "aws:s3/bucket:Bucket").flatMap((bucket) => {
            const policies = referring(resources, "aws:s3/bucketPolicy:BucketPolicy", "bucket", bucket);
            const docs = policies.map((p) => statements(p.props["policy"]));
            if (docs.length > 0 && docs.every((d) => d === undefined)) {
                return []; // not known yet (preview); checked again on update
            }
            const denies = docs.flatMap((d) => d ?? []).some(
                (s) =>
                    s.Effect === "Deny" &&
                    s.Principal === "*" &&
                    list(s.Action).includes("s3:*") &&
                    String(record(s.Condition?.["Bool"])["aws:SecureTransport"]) === "false" &&
                    list(s.Resource).some((r) => String(r).endsWith("/*")) &&
                    list(s.Resource).some((r) => !String(r).endsWith("/*")),
            );
            return denies ? [] : [{ urn: bucket.urn, message: `bucket ${bucket.name} has no policy denying requests without TLS on the bucket and its objects` }];
        }),
};
