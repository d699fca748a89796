"""VPC flow logs: which traffic, who may deliver them, where."""

from __future__ import annotations

import json

import pytest

from components.network.flow_logs import (
    FLOW_LOGS_SERVICE,
    delivery_statements,
    delivery_trust_policy,
    flow_log_group_name,
    traffic_type,
)


def test_modes_map_to_the_flow_logs_traffic_types():
    assert traffic_type("reject") == "REJECT"
    assert traffic_type("all") == "ALL"
    assert traffic_type("off") is None
    with pytest.raises(ValueError, match="reject, all, off"):
        traffic_type("accept")


def test_only_this_accounts_flow_logs_may_assume_the_delivery_role():
    (statement,) = json.loads(delivery_trust_policy("111122223333", "eu-west-1"))["Statement"]
    assert statement["Principal"] == {"Service": FLOW_LOGS_SERVICE}
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "111122223333"},
        "ArnLike": {"aws:SourceArn": "arn:aws:ec2:eu-west-1:111122223333:vpc-flow-log/*"},
    }


def test_the_role_writes_to_its_one_group_without_creating_groups():
    statements = delivery_statements("arn:aws:logs:r:1:log-group:/vpc/n/flow-logs")
    group = next(s for s in statements if s["Resource"] != "*")
    assert group["Resource"] == [
        "arn:aws:logs:r:1:log-group:/vpc/n/flow-logs",
        "arn:aws:logs:r:1:log-group:/vpc/n/flow-logs:*",
    ]
    assert sorted(group["Action"]) == [
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
    ]
    assert all("logs:CreateLogGroup" not in s["Action"] for s in statements)


def test_describe_log_groups_is_granted_on_star_the_only_resource_it_takes():
    """The Service Authorization Reference lists no resource type for DescribeLogGroups."""
    by_action = {
        action: s["Resource"]
        for s in delivery_statements("arn:aws:logs:r:1:log-group:/vpc/n/flow-logs")
        for action in s["Action"]
    }
    assert by_action["logs:DescribeLogGroups"] == "*"
    assert by_action["logs:PutLogEvents"] != "*"


def test_the_group_is_named_after_the_network():
    assert flow_log_group_name("tw-prod") == "/vpc/tw-prod/flow-logs"
