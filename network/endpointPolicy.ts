// VPC endpoint policies: requests through the stack's endpoints stay inside the stack's AWS account.
import type { AccountScope } from "../policy/scope";
import { policy, type PolicyDocument, type Statement } from "../policy/document";

/**
 * Interface endpoints (sts, logs, kms, ...): only principals of this account may call through them. An endpoint
 * policy limits what the endpoint carries; the callers' own IAM policies still decide what they may do.
 */
export function interfaceEndpointPolicy(scope: AccountScope): PolicyDocument {
    return policy({
        Sid: "OnlyPrincipalsOfThisAccount",
        Effect: "Allow",
        Principal: "*",
        Action: "*",
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalAccount": scope.accountId } },
    });
}

/**
 * S3 gateway endpoint: principals of this account, reaching buckets of this account, so data cannot be copied
 * to a bucket elsewhere through it; plus read-only access to AWS-owned buckets that workloads need:
 * - ECR image layers, with the statement AWS documents for the S3 gateway endpoint (Amazon ECR User Guide, "Amazon
 *   ECR interface VPC endpoints (AWS PrivateLink)", minimum Amazon S3 bucket permissions): s3:GetObject on
 *   arn:aws:s3:::prod-<region>-starport-layer-bucket/*, Principal "*", no condition. ECR hands out presigned URLs
 *   for the layers, so the request is signed by ECR's credentials, not the workload's: an aws:PrincipalAccount
 *   condition on it would deny every image pull.
 * - `readOnlyBuckets` (secure-ai:network.s3EndpointReadOnlyBuckets): other buckets the stack's owner lists, each as
 *   the owning AWS service documents it, s3:GetObject only.
 */
export function s3EndpointPolicy(scope: AccountScope, readOnlyBuckets: readonly string[]): PolicyDocument {
    const statements: Statement[] = [
        {
            Sid: "OnlyThisAccountsPrincipalsAndBuckets",
            Effect: "Allow",
            Principal: "*",
            Action: "*",
            Resource: "*",
            Condition: {
                StringEquals: { "aws:PrincipalAccount": scope.accountId, "aws:ResourceAccount": scope.accountId },
            },
        },
        {
            Sid: "EcrImageLayers",
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:GetObject"],
            Resource: [ecrLayerBucketObjects(scope)],
        },
    ];
    if (readOnlyBuckets.length > 0) {
        statements.push({
            Sid: "ReadOnlyBucketsOfTheStackConfig",
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:GetObject"],
            Resource: readOnlyBuckets.map((name) => `arn:${scope.partition}:s3:::${name}/*`),
        });
    }
    return policy(...statements);
}

/** Objects of the region's ECR layer bucket (Amazon ECR User Guide). */
export function ecrLayerBucketObjects(scope: AccountScope): string {
    return `arn:${scope.partition}:s3:::prod-${scope.region}-starport-layer-bucket/*`;
}
