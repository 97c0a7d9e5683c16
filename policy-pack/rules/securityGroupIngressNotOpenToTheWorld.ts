import { list, ofType, record, type Rule } from "./stack";

const OPEN = ["0.0.0.0/0", "::/0"];

/**
 * The one rule that may admit the world: ICMP type 3 code 4 (fragmentation needed) for path MTU discovery, which AWS
 * documents as an inbound security group rule from the hosts an instance talks to (Amazon EC2 User Guide, "Security
 * group rules for different use cases", Path MTU Discovery); for an ICMP rule the from/to ports are type and code.
 */
function pathMtuOnly(protocol: unknown, fromPort: unknown, toPort: unknown): boolean {
    return (protocol === "icmp" || protocol === "1") && Number(fromPort) === 3 && Number(toPort) === 4;
}

export const securityGroupIngressNotOpenToTheWorld: Rule = {
    name: "security-group-ingress-not-open-to-the-world",
    description: "No security group admits inbound traffic from 0.0.0.0/0 or ::/0 but ICMP 3/4 for path MTU discovery: clients reach the model only from the ingress allowlist's prefix list.",
    check: (resources) => [
        ...ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => OPEN.includes(String(r.props["cidrIpv4"])) || OPEN.includes(String(r.props["cidrIpv6"])))
            .filter((r) => !pathMtuOnly(r.props["ipProtocol"], r.props["fromPort"], r.props["toPort"]))
            .map((r) => ({ urn: r.urn, message: `ingress rule ${r.name} admits ${String(r.props["cidrIpv4"] ?? r.props["cidrIpv6"])}` })),
        ...["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"].flatMap((type) =>
            ofType(resources, type).flatMap((sg) =>
                list(sg.props["ingress"])
                    .map(record)
                    .filter((rule) => [...list(rule["cidrBlocks"]), ...list(rule["ipv6CidrBlocks"])].some((c) => OPEN.includes(String(c))))
                    .filter((rule) => !pathMtuOnly(rule["protocol"], rule["fromPort"], rule["toPort"]))
                    .map(() => ({ urn: sg.urn, message: `security group ${sg.name} has an inline ingress rule open to the world` })),
            ),
        ),
        ...ofType(resources, "aws:ec2/securityGroupRule:SecurityGroupRule")
            .filter((r) => r.props["type"] === "ingress" && [...list(r.props["cidrBlocks"]), ...list(r.props["ipv6CidrBlocks"])].some((c) => OPEN.includes(String(c))))
            .filter((r) => !pathMtuOnly(r.props["protocol"], r.props["fromPort"], r.props["toPort"]))
            .map((r) => ({ urn: r.urn, message: `security group rule ${r.name} admits the whole internet` })),
    ],
};
