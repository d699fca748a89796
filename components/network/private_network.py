"""PrivateNetwork: a VPC whose workloads live in private subnets, spread over several AZs."""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components._shared.iam import policy_document
from components.network.availability_zones import (
    FARGATE_UNSUPPORTED_ZONE_IDS,
    choose_zones,
    zones_of,
)
from components.network.flow_logs import (
    AGGREGATION_SECONDS,
    FLOW_LOG_MODES,
    FLOW_LOGS_REJECT,
    delivery_statements,
    delivery_trust_policy,
    flow_log_group_name,
    traffic_type,
)
from components.network.network_parts import (
    declare_nat_gateways,
    declare_private_routes,
    declare_private_subnets,
    declare_public_subnets,
    declare_vpc,
)
from components.network.subnet_layout import MAX_AZS, subnet_blocks

COMPONENT_TYPE = "django-tw:network:PrivateNetwork"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = ("django-tw:private_network:PrivateNetwork",)

# What `nat` accepts: no NAT gateway, one for all AZs, one per AZ.
NAT_NONE, NAT_SINGLE, NAT_PER_AZ = "none", "single", "per-az"
NAT_GATEWAY_MODES = (NAT_SINGLE, NAT_PER_AZ)
NAT_MODES = (NAT_NONE, *NAT_GATEWAY_MODES)


def nat_gateway_count(nat: str, az_count: int) -> int:
    """How many NAT gateways ``nat`` asks for in a network of ``az_count`` zones: none, one
    for all of them, or one per zone."""
    return {NAT_NONE: 0, NAT_SINGLE: 1, NAT_PER_AZ: az_count}[nat]


@dataclass(frozen=True)
class PrivateNetworkArgs:
    """A VPC with public subnets for load balancers and private subnets for tasks."""

    cidr_block: str = "10.0.0.0/16"
    """IPv4 CIDR of the VPC. Each subnet gets a fixed slot of it
    (:mod:`components.network.subnet_layout`):
    a /16 holds /20 subnets for up to six zones, a /24 /26 subnets for two. Create-time only:
    a new CIDR replaces the VPC and everything in it."""
    az_count: int = 2
    """Availability zones to span. Two or more keeps the site up when one AZ fails. Raising it
    later only adds subnets; lowering it deletes the last ones (and what runs in them)."""
    nat: str = NAT_NONE
    """``none``: private subnets have no internet route (reach AWS through VPC endpoints);
    ``single``: one NAT gateway for all AZs; ``per-az``: one NAT gateway per AZ."""
    allow_single_az: bool = False
    """Permit ``az_count`` 1. Only for throw-away development stacks."""
    availability_zones: Sequence[str] | None = None
    """Pin the AZs by name, used as given (no look-up); by default they are chosen by zone id
    (``availability_zone_ids``)."""
    availability_zone_ids: Sequence[str] = ()
    """The zones by id (``apne1-az4``: the same physical zone in every account), one per public
    subnet (``max(2, az_count)``), the first ``az_count`` also for the private ones. Empty: the
    first available zones whose id is not in ``unsupported_zone_ids``."""
    unsupported_zone_ids: Sequence[str] = tuple(sorted(FARGATE_UNSUPPORTED_ZONE_IDS))
    """Zone ids never chosen: by default those where Fargate runs no task."""
    flow_logs: str = FLOW_LOGS_REJECT
    """VPC flow logs to CloudWatch Logs: ``reject`` (refused connections only, the audit
    trail of what was kept out), ``all`` (every flow, more to pay for) or ``off``."""
    flow_log_retention_days: int = 30
    """Days CloudWatch Logs keeps the flow logs (a value CloudWatch Logs offers)."""

    def __post_init__(self) -> None:
        try:
            network = ipaddress.ip_network(self.cidr_block, strict=True)
        except ValueError:
            raise ValueError(
                f"PrivateNetworkArgs.cidr_block {self.cidr_block!r} is not a network in CIDR form; "
                "use e.g. '10.0.0.0/16'"
            ) from None
        if network.version != 4:
            raise ValueError(f"PrivateNetworkArgs.cidr_block {self.cidr_block!r} must be IPv4")
        lowest = 1 if self.allow_single_az else 2
        if self.az_count < lowest:
            raise ValueError(
                f"PrivateNetworkArgs.az_count is {self.az_count}; use {lowest} or more "
                "(a single AZ needs allow_single_az=True and is for development only)"
            )
        if self.nat not in NAT_MODES:
            raise ValueError(
                f"PrivateNetworkArgs.nat is {self.nat!r}; use one of {', '.join(NAT_MODES)}"
            )
        if self.flow_logs not in FLOW_LOG_MODES:
            raise ValueError(
                f"PrivateNetworkArgs.flow_logs is {self.flow_logs!r}; use one of "
                f"{', '.join(FLOW_LOG_MODES)}"
            )
        if self.flow_log_retention_days < 1:
            raise ValueError("PrivateNetworkArgs.flow_log_retention_days must be 1 or more")
        if self.availability_zone_ids and len(self.availability_zone_ids) != self.public_az_count:
            raise ValueError(
                f"PrivateNetworkArgs.availability_zone_ids names "
                f"{len(self.availability_zone_ids)} zones; name {self.public_az_count} (one per "
                f"public subnet, the first {self.az_count} for the private ones) or none"
            )
        if self.az_count > MAX_AZS:
            raise ValueError(
                f"PrivateNetworkArgs.az_count is {self.az_count}; use {MAX_AZS} or fewer"
            )
        try:
            self.subnet_blocks()
        except ValueError as refused:
            raise ValueError(f"PrivateNetworkArgs.cidr_block: {refused}") from None

    @property
    def public_az_count(self) -> int:
        """Public subnets span at least two AZs: an Application Load Balancer requires it."""
        return max(2, self.az_count)

    def subnet_blocks(self) -> tuple[list[str], list[str]]:
        """(public, private) subnet CIDRs in AZ order, each at its index's fixed slot."""
        return subnet_blocks(self.cidr_block, self.public_az_count, self.az_count)


class PrivateNetwork(pulumi.ComponentResource):
    """VPC, public + private subnets over N AZs, internet gateway, route tables, optional NAT.

    Public subnets hold only the load balancer (and NAT gateways): they do not hand out
    public IPs on launch. Every private subnet has its own route table, so gateway endpoints
    and per-AZ NAT routes attach per AZ.
    """

    vpc_id: pulumi.Output[str]
    """The VPC's id."""
    cidr_block: str
    """The VPC's IPv4 CIDR."""
    availability_zones: list[str]
    """The AZs of the private subnets, in subnet order."""
    public_availability_zones: list[str]
    """The AZs of the public subnets (at least two: an ALB needs them)."""
    public_subnet_ids: list[pulumi.Output[str]]
    """Subnets for the load balancer and NAT gateways, in AZ order."""
    private_subnet_ids: list[pulumi.Output[str]]
    """Subnets for the tasks (no public IPs), in AZ order."""
    private_route_table_ids: list[pulumi.Output[str]]
    """One route table per private subnet (gateway endpoints attach here)."""
    nat_gateway_ids: list[pulumi.Output[str]]
    """The NAT gateways (none when ``nat`` is ``none``)."""
    flow_log_group_name: pulumi.Output[str] | None
    """Where the VPC's flow logs go (None: flow logs off)."""

    def __init__(
        self, name: str, args: PrivateNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)

        zones = list(args.availability_zones or self._chosen_zones(name, args, child))
        if len(zones) < args.public_az_count:
            raise ValueError(
                f"PrivateNetwork {name!r}: needs {args.public_az_count} availability zones but "
                f"only {len(zones)} are given ({', '.join(zones)}); lower az_count"
            )
        public_zones = zones[: args.public_az_count]
        zones = zones[: args.az_count]
        public_blocks, private_blocks = args.subnet_blocks()

        vpc = declare_vpc(name, args.cidr_block, child)
        gateway, public_subnets = declare_public_subnets(
            name, vpc.id, public_zones, public_blocks, child
        )
        private_subnets = declare_private_subnets(name, vpc.id, zones, private_blocks, child)
        nat_gateways = declare_nat_gateways(
            name, self, zones[: nat_gateway_count(args.nat, args.az_count)], public_subnets, gateway
        )
        private_route_tables = declare_private_routes(
            name, vpc.id, zones, private_subnets, nat_gateways, child
        )

        self.flow_log_group_name = self._flow_logs(name, args, vpc.id)
        self.vpc_id = vpc.id
        self.cidr_block = args.cidr_block
        self.availability_zones = zones
        self.public_availability_zones = public_zones
        self.public_subnet_ids = [subnet.id for subnet in public_subnets]
        self.private_subnet_ids = [subnet.id for subnet in private_subnets]
        self.private_route_table_ids = [table.id for table in private_route_tables]
        self.nat_gateway_ids = [nat.id for nat in nat_gateways]
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "cidr_block": self.cidr_block,
                "availability_zones": self.availability_zones,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
                "private_route_table_ids": self.private_route_table_ids,
                "nat_gateway_ids": self.nat_gateway_ids,
                "flow_log_group_name": self.flow_log_group_name,
            }
        )

    def _flow_logs(
        self, name: str, args: PrivateNetworkArgs, vpc_id: pulumi.Output[str]
    ) -> pulumi.Output[str] | None:
        """The VPC's flow log, its log group and the role that delivers to it (FSBP EC2.6)."""
        traffic = traffic_type(args.flow_logs)
        if traffic is None:
            return None
        child = pulumi.ResourceOptions(parent=self)
        identity = aws.get_caller_identity(opts=pulumi.InvokeOptions(parent=self))
        region = aws.get_region(opts=pulumi.InvokeOptions(parent=self)).region
        group = aws.cloudwatch.LogGroup(
            f"{name}-flow-logs",
            name=flow_log_group_name(name),
            retention_in_days=args.flow_log_retention_days,
            opts=child,
        )
        role = aws.iam.Role(
            f"{name}-flow-logs-role",
            assume_role_policy=delivery_trust_policy(identity.account_id, region),
            description="Delivers the VPC's flow logs to their log group",
            opts=child,
        )
        delivery = aws.iam.RolePolicy(
            f"{name}-flow-logs-policy",
            role=role.id,
            policy=policy_document(*delivery_statements(group.arn)),
            opts=child,
        )
        aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=vpc_id,
            traffic_type=traffic,
            log_destination_type="cloud-watch-logs",
            log_destination=group.arn,
            iam_role_arn=role.arn,
            max_aggregation_interval=AGGREGATION_SECONDS,
            tags={"Name": f"{name}-flow-log"},
            # The service checks that it may assume the role and write when the log is created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[delivery]),
        )
        return group.name

    @staticmethod
    def _chosen_zones(
        name: str, args: PrivateNetworkArgs, opts: pulumi.ResourceOptions
    ) -> list[str]:
        """The names of the zones :func:`choose_zones` picks from the region's, by zone id."""
        # Zones that need opting in (Local/Wavelength Zones) cannot host Fargate tasks.
        result = aws.get_availability_zones(
            state="available",
            filters=[
                aws.GetAvailabilityZonesFilterArgs(
                    name="opt-in-status", values=["opt-in-not-required"]
                )
            ],
            opts=pulumi.InvokeOptions(parent=opts.parent),
        )
        try:
            chosen = choose_zones(
                zones_of(result.names, result.zone_ids),
                args.public_az_count,
                wanted_zone_ids=args.availability_zone_ids,
                unsupported_zone_ids=args.unsupported_zone_ids,
            )
        except ValueError as refused:
            raise ValueError(f"PrivateNetwork {name!r}: {refused}") from None
        return [zone.name for zone in chosen]
