"""The VPC, its subnets, routes, gateways, endpoints, security groups and flow log.

Every actions tuple is written out (no ``Describe*``): the policy grants exactly these.
"""

from __future__ import annotations

from tools.plan.deploy_actions.needs import EC2_TAGS, SG_RULE, Needs, _crud, _data, _tagged

NEEDS: dict[str, Needs] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": Needs(
        ("ec2:DescribeAvailabilityZones",),
        source=_data("ec2/ec2_availability_zones_data_source.go", "AvailabilityZones"),
    ),
    "aws:ec2/vpc:Vpc": Needs(
        _tagged("ec2", "CreateVpc", "DeleteVpc", "DescribeVpcs", "DescribeVpcAttribute",
                "ModifyVpcAttribute", "DescribeRouteTables", "DescribeNetworkAcls",
                "DescribeSecurityGroups") + EC2_TAGS,
        source=_crud("ec2/vpc_.go", "VPC"),
    ),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": Needs(
        _tagged("ec2", "DescribeSecurityGroups", "RevokeSecurityGroupIngress",
                "RevokeSecurityGroupEgress") + EC2_TAGS,
        source=_crud("ec2/vpc_default_security_group.go", "DefaultSecurityGroup"),
    ),
    "aws:ec2/internetGateway:InternetGateway": Needs(
        _tagged("ec2", "CreateInternetGateway", "AttachInternetGateway", "DetachInternetGateway",
                "DeleteInternetGateway", "DescribeInternetGateways") + EC2_TAGS,
        source=_crud("ec2/vpc_internet_gateway.go", "InternetGateway"),
    ),
    "aws:ec2/subnet:Subnet": Needs(
        _tagged("ec2", "CreateSubnet", "DeleteSubnet", "DescribeSubnets", "ModifySubnetAttribute")
        + EC2_TAGS,
        source=_crud("ec2/vpc_subnet.go", "Subnet"),
    ),
    "aws:ec2/routeTable:RouteTable": Needs(
        _tagged("ec2", "CreateRouteTable", "DeleteRouteTable", "DescribeRouteTables",
                "CreateRoute", "ReplaceRoute", "DeleteRoute") + EC2_TAGS,
        source=_crud("ec2/vpc_route_table.go", "RouteTable"),
    ),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": Needs(
        _tagged("ec2", "AssociateRouteTable", "DisassociateRouteTable",
                "ReplaceRouteTableAssociation", "DescribeRouteTables"),
        source=_crud("ec2/vpc_route_table_association.go", "RouteTableAssociation"),
    ),
    "aws:ec2/eip:Eip": Needs(
        _tagged("ec2", "AllocateAddress", "ReleaseAddress", "DescribeAddresses",
                "DescribeAddressesAttribute") + EC2_TAGS,
        source=_crud("ec2/ec2_eip.go", "EIP"),
    ),
    "aws:ec2/natGateway:NatGateway": Needs(
        _tagged("ec2", "CreateNatGateway", "DeleteNatGateway", "DescribeNatGateways") + EC2_TAGS,
        source=_crud("ec2/vpc_nat_gateway.go", "NATGateway"),
    ),
    "aws:ec2/securityGroup:SecurityGroup": Needs(
        # The provider removes the default allow-all egress rule of a new group.
        _tagged("ec2", "CreateSecurityGroup", "DeleteSecurityGroup", "DescribeSecurityGroups",
                "RevokeSecurityGroupEgress", "DescribeNetworkInterfaces") + EC2_TAGS,
        source=_crud("ec2/vpc_security_group.go", "SecurityGroup"),
    ),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": Needs(
        _tagged("ec2", "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress") + SG_RULE,
        source="internal/service/ec2/vpc_security_group_ingress_rule.go: securityGroupRuleResource"
               " Create/Read/Update/Delete",
    ),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": Needs(
        _tagged("ec2", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress") + SG_RULE,
        source="internal/service/ec2/vpc_security_group_egress_rule.go, "
               "vpc_security_group_ingress_rule.go: securityGroupRuleResource"
               " Create/Read/Update/Delete",
    ),
    "aws:ec2/vpcEndpoint:VpcEndpoint": Needs(
        # Private DNS associates the endpoint's hidden hosted zone with the VPC.
        _tagged("ec2", "CreateVpcEndpoint", "DeleteVpcEndpoints", "DescribeVpcEndpoints",
                "ModifyVpcEndpoint", "DescribeVpcEndpointServices", "DescribePrefixLists")
        + EC2_TAGS + ("route53:AssociateVPCWithHostedZone",),
        source=_crud("ec2/vpc_endpoint.go", "VPCEndpoint"),
    ),
    "aws:ec2/flowLog:FlowLog": Needs(
        _tagged("ec2", "CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs") + EC2_TAGS,
        source=_crud("ec2/vpc_flow_log.go", "FlowLog"),
    ),
}  # fmt: skip
