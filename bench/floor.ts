// The SDK floor: what any offline Pulumi program here pays before doing anything of its own. It imports the three
// SDKs the program uses, sets the mocks and registers one VPC through an explicit provider, then exits.
import * as aws from "../aws/pulumiAws";
import "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";

const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => args.inputs,
};

async function main(): Promise<void> {
    await pulumi.runtime.setMocks(mocks, "secure-ai", "floor", false, "organization");
    const provider = new aws.Provider("aws", { region: "us-west-2" });
    const vpc = new aws.ec2.Vpc("floor", { cidrBlock: "10.0.0.0/16" }, { provider });
    await new Promise<void>((resolve) => vpc.id.apply(() => resolve()));
    await pulumi.runtime.disconnect();
}

main().then(
    () => process.exit(0),
    (e: unknown) => {
        process.stderr.write(`${String(e)}\n`);
        process.exit(1);
    },
);
