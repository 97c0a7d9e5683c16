import { ofType, type Rule } from "./stack";

export const logGroupsEncryptedWithRetention: Rule = {
    name: "log-groups-encrypted-with-retention",
    description: "Every CloudWatch log group is encrypted with a KMS key and expires its events after a set retention.",
    check: (resources) =>
        ofType(resources, "aws:cloudwatch/logGroup:LogGroup").flatMap((g) => [
            ...(g.props["kmsKeyId"] === undefined || g.props["kmsKeyId"] === "" ? [{ urn: g.urn, message: `log group ${g.name} is not KMS-encrypted` }] : []),
            ...(typeof g.props["retentionInDays"] === "number" && g.props["retentionInDays"] > 0 ? [] : [{ urn: g.urn, message: `log group ${g.name} keeps events forever (no retentionInDays)` }]),
        ]),
};
