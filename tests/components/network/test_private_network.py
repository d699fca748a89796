"""PrivateNetwork on its own."""

from __future__ import annotations

import ipaddress

import pulumi
import pytest

from components.network.private_network import (
    NAT_NONE,
    NAT_PER_AZ,
    NAT_SINGLE,
    PrivateNetwork,
    PrivateNetworkArgs,
    nat_gateway_count,
)
from policy.aws_types import NAT_GATEWAY, SUBNET
from tests.stack_runs import run_component
from tools.offline import RecordingMocks, run_program

ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
NAT = NAT_GATEWAY


def build(**kwargs):
    def program() -> None:
        network = PrivateNetwork("net", PrivateNetworkArgs(**kwargs))
        pulumi.export("private_subnet_ids", network.private_subnet_ids)
        pulumi.export("public_subnet_ids", network.public_subnet_ids)
        pulumi.export("private_route_table_ids", network.private_route_table_ids)
        pulumi.export("availability_zones", network.availability_zones)
        pulumi.export("vpc_id", network.vpc_id)

    return run_component(program)


def tier(recording, name: str):
    return [s for s in recording.of_type(SUBNET) if s.inputs["tags"]["tier"] == name]


def test_vpc_has_dns_support_and_hostnames_for_private_endpoints():
    vpc = build().one("aws:ec2/vpc:Vpc")
    assert vpc.inputs["enableDnsSupport"] is True
    assert vpc.inputs["enableDnsHostnames"] is True


def test_subnets_span_the_requested_azs_and_do_not_overlap():
    recording = build(cidr_block="10.20.0.0/16", az_count=3)
    private, public = tier(recording, "private"), tier(recording, "public")
    assert len(private) == len(public) == 3
    assert {s.inputs["availabilityZone"] for s in private} == {
        "ap-northeast-1a",
        "ap-northeast-1c",
        "ap-northeast-1d",
    }
    blocks = [ipaddress.ip_network(s.inputs["cidrBlock"]) for s in private + public]
    vpc = ipaddress.ip_network("10.20.0.0/16")
    assert all(block.subnet_of(vpc) for block in blocks)
    assert all(not a.overlaps(b) for i, a in enumerate(blocks) for b in blocks[i + 1 :])
    assert recording.outputs["availability_zones"] == [
        "ap-northeast-1a",
        "ap-northeast-1c",
        "ap-northeast-1d",
    ]


def test_a_third_zone_adds_subnets_and_leaves_the_first_two_where_they_were():
    def cidrs(recording) -> dict[str, str]:
        return {s.name: s.inputs["cidrBlock"] for s in recording.of_type(SUBNET)}

    two, three = cidrs(build(az_count=2)), cidrs(build(az_count=3))
    assert set(three) - set(two) == {"net-public-2", "net-private-2"}
    assert {name: three[name] for name in two} == two


def test_public_subnets_route_to_the_internet_gateway_but_hand_out_no_public_ips():
    recording = build()
    gateway = recording.one("aws:ec2/internetGateway:InternetGateway")
    public_table = recording.one(ROUTE_TABLE, "net-public-rt")
    assert public_table.inputs["routes"] == [{"cidrBlock": "0.0.0.0/0", "gatewayId": gateway.id}]
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in recording.of_type(SUBNET))


def test_without_nat_private_subnets_have_their_own_route_tables_and_no_internet_route():
    recording = build(nat="none")
    private_tables = [t for t in recording.of_type(ROUTE_TABLE) if "private" in t.name]
    assert len(private_tables) == 2
    assert all(table.inputs.get("routes", []) == [] for table in private_tables)
    assert not recording.of_type(NAT)
    assert sorted(recording.outputs["private_route_table_ids"]) == sorted(
        t.id for t in private_tables
    )
    associations = recording.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
    private_ids = {s.id for s in tier(recording, "private")}
    table_of = {a.inputs["subnetId"]: a.inputs["routeTableId"] for a in associations}
    assert {table_of[s] for s in private_ids} == {t.id for t in private_tables}


@pytest.mark.parametrize(("nat", "gateways"), [("single", 1), ("per-az", 2)])
def test_nat_modes(nat, gateways):
    recording = build(nat=nat)
    nats = recording.of_type(NAT)
    assert len(nats) == gateways
    public_ids = {s.id for s in tier(recording, "public")}
    assert all(n.inputs["subnetId"] in public_ids for n in nats)
    for table in (t for t in recording.of_type(ROUTE_TABLE) if "private" in t.name):
        (route,) = table.inputs["routes"]
        assert route["cidrBlock"] == "0.0.0.0/0"
        assert route["natGatewayId"] in {n.id for n in nats}


def test_default_security_group_is_emptied():
    group = build().one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert group.inputs.get("ingress", []) == []
    assert group.inputs.get("egress", []) == []


def test_children_are_parented_to_the_component():
    recording = build()
    component = recording.one("django-tw:network:PrivateNetwork")
    assert component.parent is None
    children = recording.children_of(component)
    assert len(children) == len(recording.resources) - 1


def test_single_az_needs_explicit_permission_and_still_gets_two_public_subnets():
    recording = build(az_count=1, allow_single_az=True)
    assert len(tier(recording, "private")) == 1
    assert len(tier(recording, "public")) == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"az_count": 1}, r"az_count is 1; use 2 or more"),
        ({"nat": "gateway"}, r"nat is 'gateway'; use one of none, single, per-az"),
        ({"cidr_block": "10.0.0.0/25"}, r"cidr_block: VPC 10.0.0.0/25 holds .*\(/24 or larger"),
        ({"az_count": 7}, r"az_count is 7; use 6 or fewer"),
        ({"cidr_block": "10.0.0.1/16"}, r"is not a network in CIDR form"),
    ],
)
def test_bad_args_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        PrivateNetworkArgs(**kwargs)


def test_more_azs_than_the_region_has_fails_clearly():
    with pytest.raises(ValueError, match=r"needs 4 availability zones but only 3 can run"):
        build(az_count=4)


# --- flow logs ------------------------------------------------------------------------------


def flow_log_network(**kwargs):
    def program() -> None:
        network = PrivateNetwork("net", PrivateNetworkArgs(**kwargs))
        pulumi.export("flow_log_group_name", network.flow_log_group_name)

    return run_component(program)


def test_rejected_traffic_is_logged_by_default_to_a_group_with_retention():
    recording = flow_log_network(flow_log_retention_days=14)
    flow_log = recording.one("aws:ec2/flowLog:FlowLog")
    group = recording.one("aws:cloudwatch/logGroup:LogGroup")
    assert flow_log.inputs["trafficType"] == "REJECT"
    assert flow_log.inputs["vpcId"] == recording.one("aws:ec2/vpc:Vpc").outputs["id"]
    assert flow_log.inputs["logDestination"] == group.outputs["arn"]
    assert group.inputs["retentionInDays"] == 14
    assert recording.outputs["flow_log_group_name"] == "/vpc/net/flow-logs"


def test_the_flow_log_waits_for_its_roles_permissions():
    recording = flow_log_network()
    policy = recording.one("aws:iam/rolePolicy:RolePolicy")
    assert policy.urn in recording.one("aws:ec2/flowLog:FlowLog").dependencies


def test_all_traffic_can_be_logged_and_logging_turned_off():
    assert (
        flow_log_network(flow_logs="all").one("aws:ec2/flowLog:FlowLog").inputs["trafficType"]
        == "ALL"
    )
    off = flow_log_network(flow_logs="off")
    assert off.of_type("aws:ec2/flowLog:FlowLog") == []
    assert off.outputs["flow_log_group_name"] is None


def test_an_unknown_flow_logs_mode_is_refused():
    with pytest.raises(ValueError, match="flow_logs"):
        PrivateNetworkArgs(flow_logs="accept")


# An account old enough to list apne1-az3 (no Fargate) among its first two zones.
OLD_ACCOUNT_ZONES = [
    ("ap-northeast-1a", "apne1-az4"),
    ("ap-northeast-1b", "apne1-az3"),
    ("ap-northeast-1c", "apne1-az1"),
    ("ap-northeast-1d", "apne1-az2"),
]


def build_in_old_account(**kwargs):
    def program() -> None:
        network = PrivateNetwork("net", PrivateNetworkArgs(**kwargs))
        pulumi.export("availability_zones", network.availability_zones)
        pulumi.export("public_zones", network.public_availability_zones)

    mocks = RecordingMocks(availability_zones=OLD_ACCOUNT_ZONES)
    return run_program(program, config={"aws:region": "ap-northeast-1"}, mocks=mocks)


def test_a_zone_where_fargate_does_not_run_is_skipped_by_zone_id():
    recording = build_in_old_account()
    assert recording.outputs["availability_zones"] == ["ap-northeast-1a", "ap-northeast-1c"]
    assert recording.outputs["public_zones"] == ["ap-northeast-1a", "ap-northeast-1c"]
    zones = {s.inputs["availabilityZone"] for s in recording.of_type(SUBNET)}
    assert "ap-northeast-1b" not in zones


def test_zone_ids_given_are_the_zones_used_whatever_their_names():
    recording = build_in_old_account(availability_zone_ids=["apne1-az2", "apne1-az1"])
    assert recording.outputs["availability_zones"] == ["ap-northeast-1d", "ap-northeast-1c"]


def test_a_zone_id_given_where_fargate_does_not_run_is_refused():
    with pytest.raises(ValueError, match=r"PrivateNetwork 'net': .*apne1-az3.* cannot run"):
        build_in_old_account(availability_zone_ids=["apne1-az3", "apne1-az1"])


def test_zone_ids_must_cover_every_public_subnet():
    with pytest.raises(ValueError, match=r"names 1 zones; name 2"):
        PrivateNetworkArgs(availability_zone_ids=["apne1-az1"])


@pytest.mark.parametrize(
    ("nat", "az_count", "gateways"),
    [(NAT_NONE, 3, 0), (NAT_SINGLE, 3, 1), (NAT_PER_AZ, 3, 3), (NAT_PER_AZ, 1, 1)],
)
def test_the_nat_choice_gives_no_gateway_one_or_one_per_zone(nat, az_count, gateways):
    assert nat_gateway_count(nat, az_count) == gateways
