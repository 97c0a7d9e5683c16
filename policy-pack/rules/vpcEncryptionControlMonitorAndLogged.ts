import { ofType, referring, type Rule, type Violation } from "./stack";

const CONTROL = "aws:ec2/vpcEncryptionControl:VpcEncryptionControl";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

// Amazon VPC User Guide, "Enforce VPC encryption in transit": "Gateway Load Balancer and AWS Network Firewall are not
// supported with VPCs in enforce mode. If these resources are present in your VPC, you must run your VPC in monitor
// mode"; and "The encryption-status field is not automatically added to existing flow logs".
export const vpcEncryptionControlMonitorAndLogged: Rule = {
    name: "vpc-encryption-control-monitor-and-logged",
    description:
        "A VPC encryption control is in monitor mode (AWS does not support Network Firewall in an enforce-mode VPC), and every flow log of its VPC records encryption-status, the field monitor mode reports in.",
    check: (resources) => {
        const out: Violation[] = [];
        for (const control of ofType(resources, CONTROL)) {
            if (control.props["mode"] !== undefined && control.props["mode"] !== "monitor") {
                out.push({ urn: control.urn, message: `VPC encryption control ${control.name} is in ${String(control.props["mode"])} mode, which AWS does not support with a Network Firewall in the VPC` });
            }
            for (const vpc of ofType(resources, "aws:ec2/vpc:Vpc").filter((v) => (control.propertyDependencies["vpcId"] ?? []).includes(v.urn))) {
                for (const log of referring(resources, FLOW_LOG, "vpcId", vpc)) {
                    if (!String(log.props["logFormat"] ?? "").split(" ").includes("${encryption-status}")) {
                        out.push({ urn: log.urn, message: `flow log ${log.name} of VPC ${vpc.name} does not record \${encryption-status}, so the encryption control's monitor mode reports nowhere` });
                    }
                }
            }
        }
        return out;
    },
};
