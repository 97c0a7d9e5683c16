import { list, record, statements, type Rule } from "./stack";

/** Where policy documents live, by type and property. */
const DOCUMENTS: readonly [string, string][] = [
    ["aws:iam/role:Role", "assumeRolePolicy"],
    ["aws:iam/rolePolicy:RolePolicy", "policy"],
    ["aws:iam/policy:Policy", "policy"],
    ["aws:s3/bucketPolicy:BucketPolicy", "policy"],
    ["aws:kms/key:Key", "policy"],
];

const WILDCARD = /^(\*|[a-z0-9-]+:\*)$/i;

/** The key policy's root statements: the account administering its own key (AWS's default key policy). */
function isKeyRootStatement(principal: unknown): boolean {
    return list(record(principal)["AWS"]).every((p) => /^arn:[^:]+:iam::\d{12}:root$/.test(String(p)));
}

export const noWildcardAllows: Rule = {
    name: "no-wildcard-allows",
    description:
        "No Allow in an identity, trust, bucket or key policy grants `*` or `service:*`, except the key policy's statements for the account root. (VPC endpoint policies are filters: their `*` is bounded to this account's principals and grants nothing.)",
    check: (resources) =>
        DOCUMENTS.flatMap(([type, property]) =>
            resources
                .filter((r) => r.type === type)
                .flatMap((r) =>
                    (statements(r.props[property]) ?? [])
                        .filter((s) => s.Effect === "Allow" && list(s.Action).some((a) => WILDCARD.test(String(a))))
                        .filter((s) => !(type === "aws:kms/key:Key" && isKeyRootStatement(s.Principal)))
                        .map((s) => ({ urn: r.urn, message: `${r.name}: statement ${s.Sid ?? "(no Sid)"} allows ${list(s.Action).filter((a) => WILDCARD.test(String(a))).join(", ")}` })),
                ),
        ),
};
