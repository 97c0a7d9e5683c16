// VPC encryption controls (opt-in, `secure-ai:network.encryptionControl: monitor`): one control on this stack's VPC
// in monitor mode, and the VPC flow log's format extended with the field that reports what it sees. Pure planners;
// network/network.ts creates the control and baseline/baseline.ts the flow log.
//
// What AWS does (Amazon VPC User Guide, "Enforce VPC encryption in transit"):
// - Monitor mode "provides visibility into the encryption status of traffic flows between your AWS resources inside
//   and across VPCs" and helps "identify VPC resources that are not enforcing encryption in transit"; it blocks
//   nothing. The flow-log field `encryption-status` reports it: 0 not encrypted, 1 Nitro-encrypted, 2
//   application-encrypted (for interface and gateway endpoints AWS assumes it from TCP port 443), 3 both, "-" unknown
//   or controls off. "The encryption-status field is not automatically added to existing flow logs": a flow log must
//   be created with it, and AWS recommends `${traffic-path}` and `${flow-direction}` beside it.
// - "Network Load Balancers, Application Load Balancers, Fargate clusters, EKS Control Plane will automatically
//   migrate to hardware that natively supports encryption once you turn on monitor mode" (so this VPC's load
//   balancer is migrated by AWS, without action).
// - Enforce mode is not offered here: "Gateway Load Balancer and AWS Network Firewall are not supported with VPCs in
//   enforce mode. If these resources are present in your VPC, you must run your VPC in monitor mode." Every stack of
//   this program has a Network Firewall in its VPC.
// - A control belongs to one VPC ("Each VPC can have only one VPC encryption control associated with it": AWS News
//   Blog, "Introducing VPC encryption controls", 2025-11): it changes nothing in the account's other VPCs. The
//   account-level setting (ModifyAccountVpcEncryptionControl, "apply to all VPCs in your account") is a different
//   API, which this program never calls.
// - Cost: "VPC encryption controls is free of cost until March 1, 2026" (same blog post); after that Amazon VPC
//   pricing lists the charge (offline/prices.ts names it, without a figure this table could source).
import type { NetworkConfig } from "../config/network";

/** The modes `secure-ai:network.encryptionControl` accepts: off, or AWS's monitor mode. */
export const ENCRYPTION_CONTROL_SETTINGS = ["off", "monitor"] as const;
export type EncryptionControlSetting = (typeof ENCRYPTION_CONTROL_SETTINGS)[number];

/**
 * The flow log format AWS uses when none is given (Amazon VPC User Guide, "Flow log records", Default format: "You
 * cannot customize or change the default format"), as a custom format's field list.
 */
export const DEFAULT_FLOW_LOG_FIELDS = [
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status",
] as const;

/** What monitor mode adds to the flow log: the encryption status, and the two fields AWS recommends beside it. */
export const ENCRYPTION_FLOW_LOG_FIELDS = ["flow-direction", "traffic-path", "encryption-status"] as const;

export interface EncryptionControlPlan {
    /** The control's mode; undefined: the stack creates no control. */
    readonly mode: "monitor" | undefined;
    /**
     * The VPC flow log's custom format; undefined: AWS's default format (what every stack without the control keeps,
     * so turning the control off again, or never on, leaves the deployed flow log alone).
     */
    readonly flowLogFormat: string | undefined;
}

export function planEncryptionControl(network: Pick<NetworkConfig, "encryptionControl">): EncryptionControlPlan {
    if (network.encryptionControl === "off") {
        return { mode: undefined, flowLogFormat: undefined };
    }
    return {
        mode: network.encryptionControl,
        flowLogFormat: [...DEFAULT_FLOW_LOG_FIELDS, ...ENCRYPTION_FLOW_LOG_FIELDS].map((field) => `\${${field}}`).join(" "),
    };
}
