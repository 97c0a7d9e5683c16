// GitHub Actions' OIDC provider and the trust policies of the pipeline's roles. Sources: GitHub Docs, "OpenID Connect
// reference" (issuer https://token.actions.githubusercontent.com; subject `repo:<owner>/<repo>:pull_request` for a
// pull_request event, `repo:<owner>/<repo>:environment:<name>` for a job that names an environment) and
// "Configuring OpenID Connect in Amazon Web Services" (audience sts.amazonaws.com; conditions on
// token.actions.githubusercontent.com:aud and :sub).
import type { PolicyDocument } from "../policy/document";

export const GITHUB_OIDC = { url: "https://token.actions.githubusercontent.com", host: "token.actions.githubusercontent.com", audience: "sts.amazonaws.com" } as const;

export function previewSubject(repository: string): string {
    return `repo:${repository}:pull_request`;
}

/** A deploy job names the GitHub environment of its stack, which is the stack's name. */
export function deploySubject(repository: string, stack: string): string {
    return `repo:${repository}:environment:${stack}`;
}

/** Only GitHub tokens for this audience and exactly this subject may assume the role. */
export function githubTrustPolicy(providerArn: string, subject: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GitHubActions",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { [`${GITHUB_OIDC.host}:aud`]: GITHUB_OIDC.audience, [`${GITHUB_OIDC.host}:sub`]: subject } },
            },
        ],
    };
}
