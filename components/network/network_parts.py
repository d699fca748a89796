"""The groups of resources PrivateNetwork declares: the VPC, its public side (internet gateway,
public subnets and their routes), the private subnets, the NAT gateways and the private
subnets' routes. Which zones and blocks they use is decided before (``subnet_layout``,
``availability_zones``); these only declare them."""

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws


def declare_vpc(name: str, cidr_block: str, opts: pulumi.ResourceOptions) -> aws.ec2.Vpc:
    """The VPC, with DNS, and its default security group emptied."""
    vpc = aws.ec2.Vpc(
        f"{name}-vpc",
        cidr_block=cidr_block,
        # Interface endpoints with private DNS need both.
        enable_dns_support=True,
        enable_dns_hostnames=True,
        tags={"Name": f"{name}-vpc"},
        opts=opts,
    )
    # The default security group allows all traffic between its members; empty it so
    # nothing can rely on it by accident (CIS AWS Foundations 5.4).
    aws.ec2.DefaultSecurityGroup(
        f"{name}-default-sg",
        vpc_id=vpc.id,
        ingress=[],
        egress=[],
        tags={"Name": f"{name}-default-sg (unused)"},
        opts=opts,
    )
    return vpc


def declare_public_subnets(
    name: str,
    vpc_id: pulumi.Input[str],
    zones: Sequence[str],
    blocks: Sequence[str],
    opts: pulumi.ResourceOptions,
) -> tuple[aws.ec2.InternetGateway, list[aws.ec2.Subnet]]:
    """The internet gateway and one public subnet per zone routed to it (for load balancers
    and NAT gateways; nothing in them gets a public IP by default)."""
    gateway = aws.ec2.InternetGateway(
        f"{name}-igw", vpc_id=vpc_id, tags={"Name": f"{name}-igw"}, opts=opts
    )
    public_routes = aws.ec2.RouteTable(
        f"{name}-public-rt",
        vpc_id=vpc_id,
        routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=gateway.id)],
        tags={"Name": f"{name}-public"},
        opts=opts,
    )
    public_subnets: list[aws.ec2.Subnet] = []
    for index, (zone, block) in enumerate(zip(zones, blocks, strict=True)):
        public = aws.ec2.Subnet(
            f"{name}-public-{index}",
            vpc_id=vpc_id,
            cidr_block=block,
            availability_zone=zone,
            map_public_ip_on_launch=False,
            tags={"Name": f"{name}-public-{zone}", "tier": "public"},
            opts=opts,
        )
        aws.ec2.RouteTableAssociation(
            f"{name}-public-{index}-rta",
            subnet_id=public.id,
            route_table_id=public_routes.id,
            opts=opts,
        )
        public_subnets.append(public)
    return gateway, public_subnets


def declare_private_subnets(
    name: str,
    vpc_id: pulumi.Input[str],
    zones: Sequence[str],
    blocks: Sequence[str],
    opts: pulumi.ResourceOptions,
) -> list[aws.ec2.Subnet]:
    """One private subnet per zone, for the tasks."""
    private_subnets: list[aws.ec2.Subnet] = []
    for index, (zone, block) in enumerate(zip(zones, blocks, strict=True)):
        private_subnets.append(
            aws.ec2.Subnet(
                f"{name}-private-{index}",
                vpc_id=vpc_id,
                cidr_block=block,
                availability_zone=zone,
                map_public_ip_on_launch=False,
                tags={"Name": f"{name}-private-{zone}", "tier": "private"},
                opts=opts,
            )
        )
    return private_subnets


def declare_nat_gateways(
    name: str,
    parent: pulumi.Resource,
    zones: Sequence[str],
    public_subnets: Sequence[aws.ec2.Subnet],
    gateway: aws.ec2.InternetGateway,
) -> list[aws.ec2.NatGateway]:
    """One NAT gateway, with its address, in the public subnet of each of ``zones`` (none for
    no zone), each after the internet gateway it sends through."""
    child = pulumi.ResourceOptions(parent=parent)
    nat_gateways: list[aws.ec2.NatGateway] = []
    for index, zone in enumerate(zones):
        address = aws.ec2.Eip(
            f"{name}-nat-{index}-eip",
            domain="vpc",
            tags={"Name": f"{name}-nat-{zone}"},
            opts=child,
        )
        nat_gateways.append(
            aws.ec2.NatGateway(
                f"{name}-nat-{index}",
                allocation_id=address.id,
                subnet_id=public_subnets[index].id,
                tags={"Name": f"{name}-nat-{zone}"},
                opts=pulumi.ResourceOptions(parent=parent, depends_on=[gateway]),
            )
        )
    return nat_gateways


def declare_private_routes(
    name: str,
    vpc_id: pulumi.Input[str],
    zones: Sequence[str],
    private_subnets: Sequence[aws.ec2.Subnet],
    nat_gateways: Sequence[aws.ec2.NatGateway],
    opts: pulumi.ResourceOptions,
) -> list[aws.ec2.RouteTable]:
    """One route table per private subnet (gateway endpoints attach there): to the internet
    through a NAT gateway when there are any, the zones sharing them in turn; else no route
    out."""
    private_route_tables: list[aws.ec2.RouteTable] = []
    for index, (zone, subnet) in enumerate(zip(zones, private_subnets, strict=True)):
        routes = []
        if nat_gateways:
            nat = nat_gateways[index % len(nat_gateways)]
            routes.append(
                aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", nat_gateway_id=nat.id)
            )
        table = aws.ec2.RouteTable(
            f"{name}-private-{index}-rt",
            vpc_id=vpc_id,
            routes=routes,
            tags={"Name": f"{name}-private-{zone}"},
            opts=opts,
        )
        aws.ec2.RouteTableAssociation(
            f"{name}-private-{index}-rta",
            subnet_id=subnet.id,
            route_table_id=table.id,
            opts=opts,
        )
        private_route_tables.append(table)
    return private_route_tables
