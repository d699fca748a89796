"""EC2 / VPC rules: a closed default group, private subnets, only 80/443 open to the world."""

from __future__ import annotations

from policy.aws_types import INGRESS_RULE, SECURITY_GROUP, VPC

from ..builders import res
from .expect import result_of


def test_ec2_18_allows_80_and_443_but_not_all_traffic():
    open_all = res(
        SECURITY_GROUP,
        "sg",
        ingress=[{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}],
    )
    web = res(
        SECURITY_GROUP,
        "sg",
        ingress=[
            {"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"]},
            {"protocol": "tcp", "fromPort": 443, "toPort": 443, "ipv6CidrBlocks": ["::/0"]},
        ],
    )
    assert not result_of("EC2.18", [open_all]).passed
    assert result_of("EC2.18", [web]).passed


def test_ec2_19_sees_a_range_that_covers_postgres():
    wide = res(INGRESS_RULE, "wide", ipProtocol="tcp", fromPort=5000, toPort=6000, cidrIpv6="::/0")
    [finding] = result_of("EC2.19", [wide]).findings
    assert "5432" in finding.message


def test_ec2_2_fails_a_vpc_whose_default_group_is_left_alone():
    vpc = res(VPC, "vpc", id="vpc-1")
    assert not result_of("EC2.2", [vpc]).passed
