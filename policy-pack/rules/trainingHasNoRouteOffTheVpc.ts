import { ofType, record, referring, type Rule } from "./stack";

export const trainingHasNoRouteOffTheVpc: Rule = {
    name: "training-has-no-route-off-the-vpc",
    description:
        "When a stack says trainingEgress: none (its training subnets' secure-ai:training-egress tag), no training route table routes to an internet gateway or a NAT gateway.",
    check: (resources) =>
        ofType(resources, "aws:ec2/subnet:Subnet")
            .filter((s) => record(s.props["tags"])["secure-ai:tier"] === "training" && record(s.props["tags"])["secure-ai:training-egress"] === "none")
            .flatMap((subnet) => {
                const tables = referring(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation", "subnetId", subnet).flatMap((a) => a.propertyDependencies["routeTableId"] ?? []);
                return ofType(resources, "aws:ec2/route:Route")
                    .filter((r) => (r.propertyDependencies["routeTableId"] ?? []).some((t) => tables.includes(t)))
                    .filter((r) =>
                        [...(r.propertyDependencies["natGatewayId"] ?? []), ...(r.propertyDependencies["gatewayId"] ?? [])].some((u) =>
                            /::aws:ec2\/(natGateway:NatGateway|internetGateway:InternetGateway)::/.test(u) || /\$aws:ec2\/(natGateway:NatGateway|internetGateway:InternetGateway)::/.test(u),
                        ),
                    )
                    .map((r) => ({ urn: r.urn, message: `route ${r.name} takes training subnet ${subnet.name} off the VPC although the stack says trainingEgress: none` }));
            }),
};
