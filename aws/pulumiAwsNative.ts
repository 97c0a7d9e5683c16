// The parts of @pulumi/aws-native this program uses (see pulumiAws.ts: the package root makes TypeScript read the
// declarations of every CloudFormation resource type, about 3,600 files). Imported as `awsNative`.
export * as ec2 from "@pulumi/aws-native/ec2";
export * as networkfirewall from "@pulumi/aws-native/networkfirewall";
export * as types from "@pulumi/aws-native/types";
export { Region } from "@pulumi/aws-native/types/enums";
export { Provider, type ProviderArgs } from "@pulumi/aws-native/provider";
