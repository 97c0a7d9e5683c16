// Account-wide guardrails: settings that exist once per account and region, so exactly one stack may own them
// (`manageAccountGuardrails`). They outlive the stack: destroying it must not switch a guardrail off.
import * as aws from "../aws/pulumiAws";
import * as pulumi from "@pulumi/pulumi";
import { resourceName } from "../network/naming";
import { BLOCK_ALL_PUBLIC_ACCESS } from "./bucket";

export interface AccountGuardrailsArgs {
    /** The stack key, made the EBS default key. */
    readonly keyArn: pulumi.Input<string>;
}

export class AccountGuardrails extends pulumi.ComponentResource {
    constructor(name: string, args: AccountGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:baseline:AccountGuardrails", name, {}, opts);
        // Kept on destroy: switching these off is a decision, not a side effect of removing a stack.
        const outlive = { parent: this, retainOnDelete: true };

        // FSBP EC2.7: every new EBS volume and snapshot copy is encrypted.
        new aws.ebs.EncryptionByDefault(resourceName(name, "ebs-encryption"), { enabled: true }, outlive);
        // Not retained: on destroy the default falls back to aws/ebs instead of pointing at a key scheduled for deletion.
        const ebsKey = new aws.ebs.DefaultKmsKey(resourceName(name, "ebs-key"), { keyArn: args.keyArn }, { parent: this });
        // FSBP S3.1: no bucket in the account can be made public, whatever its own settings.
        new aws.s3.AccountPublicAccessBlock(
            resourceName(name, "s3-public-access"),
            { ...BLOCK_ALL_PUBLIC_ACCESS },
            outlive,
        );
        // FSBP EC2.8 for every new instance: IMDSv2 session tokens required; hop limit 2 so containers on the
        // instance still reach it.
        new aws.ec2.InstanceMetadataDefaults(
            resourceName(name, "imds"),
            { httpTokens: "required", httpPutResponseHopLimit: 2, httpEndpoint: "enabled", instanceMetadataTags: "disabled" },
            outlive,
        );
        this.registerOutputs({ ebsDefaultKeyArn: ebsKey.keyArn });
    }
}
