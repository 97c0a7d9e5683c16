// The Baseline component: the stack's KMS key and audit sinks, built from the pure policy documents.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BaselineConfig } from "../config/baseline";
import { resourceName, nameTag } from "../network/naming";
import type { AccountRef } from "../policy/account";
import { flowLogDeliveryPolicy, keyPolicy, logGroupPrefix, serviceTrustPolicy } from "./policies";

export interface BaselineArgs {
    readonly project: string;
    readonly stack: string;
    readonly baseline: BaselineConfig;
    readonly account: AccountRef;
    readonly vpcId: pulumi.Input<string>;
}

export class Baseline extends pulumi.ComponentResource {
    readonly keyArn: pulumi.Output<string>;
    /** Name prefix every log group of the stack must use (the key policy admits only these). */
    readonly logGroupNamePrefix: string;
    readonly trailName: string;
    readonly flowLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: BaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ai:baseline:Baseline", name, {}, opts);
        const { baseline, account } = args;
        const namePrefix = `${args.project}-${args.stack}`;
        const child = { parent: this };
        // Data, keys and logs survive `pulumi destroy` and are protected from accidental replacement when the
        // stack protects data (prod); dev may tear everything down.
        const keep: pulumi.CustomResourceOptions = { parent: this, protect: baseline.protectData, retainOnDelete: baseline.protectData };

        this.logGroupNamePrefix = logGroupPrefix(args.project, args.stack);
        this.trailName = namePrefix;
        const scope = account.scope;
        const trailArn = scope.apply((s) => `arn:${s.partition}:cloudtrail:${s.region}:${s.accountId}:trail/${this.trailName}`);

        const key = new aws.kms.Key(
            resourceName(name, "key"),
            {
                description: `${namePrefix}: encrypts AI data, models, audit trail and logs`,
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: baseline.keyDeletionWindowDays,
                policy: pulumi.all([scope, trailArn]).apply(([s, trail]) => JSON.stringify(keyPolicy(s, this.logGroupNamePrefix, trail))),
                tags: nameTag(namePrefix, "key"),
            },
            keep,
        );
        new aws.kms.Alias(resourceName(name, "key"), { name: `alias/${namePrefix}`, targetKeyId: key.keyId }, child);
        this.keyArn = key.arn;

        // VPC flow logs: every accepted and rejected flow, encrypted, kept for the configured retention.
        const flowLogGroup = new aws.cloudwatch.LogGroup(
            resourceName(name, "flow-logs"),
            {
                name: `${this.logGroupNamePrefix}vpc-flow-logs`,
                retentionInDays: baseline.logRetentionDays,
                kmsKeyId: key.arn,
                tags: nameTag(namePrefix, "flow-logs"),
            },
            keep,
        );
        this.flowLogGroupName = flowLogGroup.name;
        const flowLogRole = new aws.iam.Role(
            resourceName(name, "flow-logs"),
            {
                description: "VPC flow logs delivery to its one log group",
                assumeRolePolicy: account.accountId.apply((id) => JSON.stringify(serviceTrustPolicy(["vpc-flow-logs.amazonaws.com"], id))),
                tags: nameTag(namePrefix, "flow-logs"),
            },
            child,
        );
        new aws.iam.RolePolicy(
            resourceName(name, "flow-logs"),
            { role: flowLogRole.id, policy: flowLogGroup.arn.apply((arn) => JSON.stringify(flowLogDeliveryPolicy(arn))) },
            child,
        );
        new aws.ec2.FlowLog(
            resourceName(name, "vpc"),
            {
                vpcId: args.vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: flowLogGroup.arn,
                iamRoleArn: flowLogRole.arn,
                maxAggregationInterval: 60,
                tags: nameTag(namePrefix, "vpc-flow-log"),
            },
            child,
        );

        this.registerOutputs({ keyArn: this.keyArn, flowLogGroupName: this.flowLogGroupName });
    }
}
