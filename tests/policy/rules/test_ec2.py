"""EC2 / VPC rules: a closed default group, private subnets, only 80/443 open to the world."""

from __future__ import annotations

import pytest

from policy.aws_types import INGRESS_RULE, SECURITY_GROUP, VPC
from policy.rules import ec2

from ..builders import res
from .ec2_fixtures import FIXTURES
from .expect import assert_fails, assert_passes, result_of, rule_ids_of


def test_every_ec2_rule_has_a_passing_and_a_failing_fixture():
    assert sorted(FIXTURES) == rule_ids_of(ec2)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_passing_fixture_passes(rule_id):
    assert_passes(rule_id, FIXTURES[rule_id][0])


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_failing_fixture_fails_with_a_message(rule_id):
    assert_fails(rule_id, FIXTURES[rule_id][1])


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
