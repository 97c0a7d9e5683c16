// VPC endpoint policies: requests through the stack's endpoints stay inside the stack's AWS account.
import type { AccountScope } from "../policy/account";
import { policy, type PolicyDocument } from "../policy/document";

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
 * to a bucket elsewhere through it. ECR stores image layers in an AWS-owned bucket, so image pulls need the one
 * read-only exception AWS documents for it.
 */
export function s3EndpointPolicy(scope: AccountScope): PolicyDocument {
    return policy(
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
            Action: "s3:GetObject",
            Resource: `arn:${scope.partition}:s3:::prod-${scope.region}-starport-layer-bucket/*`,
            Condition: { StringEquals: { "aws:PrincipalAccount": scope.accountId } },
        },
    );
}
