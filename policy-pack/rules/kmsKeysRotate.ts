import { ofType, type Rule } from "./stack";

export const kmsKeysRotate: Rule = {
    name: "kms-keys-rotate",
    description: "Every customer managed KMS key rotates its key material automatically (FSBP KMS.4).",
    check: (resources) =>
        ofType(resources, "aws:kms/key:Key")
            .filter((k) => k.props["enableKeyRotation"] !== true)
            .map((k) => ({ urn: k.urn, message: `KMS key ${k.name} does not rotate` })),
};
