"""What PrivateNetwork declares for its VPC flow logs, as pure values.

Flow logs go to a CloudWatch Logs group through an IAM role that only the flow logs service,
acting for this account's flow logs, may assume.
https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
"""

import json
from typing import Any

from components._shared.iam import POLICY_VERSION

# What PrivateNetworkArgs.flow_logs accepts: rejected traffic only, all traffic, none.
FLOW_LOGS_REJECT, FLOW_LOGS_ALL, FLOW_LOGS_OFF = "reject", "all", "off"
FLOW_LOG_MODES = (FLOW_LOGS_REJECT, FLOW_LOGS_ALL, FLOW_LOGS_OFF)
FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com"
# Seconds over which flow log records are aggregated (60 or 600): the longer, the fewer records.
AGGREGATION_SECONDS = 600


def traffic_type(mode: str) -> str | None:
    """The flow log's ``traffic_type`` for a mode; None when flow logs are off."""
    if mode not in FLOW_LOG_MODES:
        raise ValueError(f"flow logs mode {mode!r}; use one of {', '.join(FLOW_LOG_MODES)}")
    return {FLOW_LOGS_REJECT: "REJECT", FLOW_LOGS_ALL: "ALL", FLOW_LOGS_OFF: None}[mode]


def flow_log_group_name(network_name: str) -> str:
    return f"/vpc/{network_name}/flow-logs"


def delivery_trust_policy(account_id: str, region: str) -> str:
    """Only the flow logs service may assume the role, and only for this account's flow logs
    in this region: the page above recommends ``aws:SourceAccount`` (the flow log's owner)
    and ``aws:SourceArn`` (``arn:aws:ec2:region:account_id:vpc-flow-log/flow-log-id``, with
    ``*`` for an id not yet known)."""
    return json.dumps(
        {
            "Version": POLICY_VERSION,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": FLOW_LOGS_SERVICE},
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account_id},
                        "ArnLike": {
                            "aws:SourceArn": f"arn:aws:ec2:{region}:{account_id}:vpc-flow-log/*"
                        },
                    },
                }
            ],
        }
    )


# Each action on the resources it accepts (Service Authorization Reference, "Actions defined by
# Amazon CloudWatch Logs",
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html):
# DescribeLogGroups lists no resource type, so it takes "*" only; CreateLogStream and
# DescribeLogStreams act on the log group, PutLogEvents on its streams. The group exists
# already, so no logs:CreateLogGroup (of the page above's list).
ACCOUNT_WIDE_ACTIONS = ("logs:DescribeLogGroups",)
GROUP_ACTIONS = ("logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents")


def delivery_statements(log_group_arn: Any) -> list[dict[str, Any]]:
    """What the role may do: write to this one log group (its streams), and find it."""
    return [
        {
            "Sid": "FlowLogGroupLookup",
            "Effect": "Allow",
            "Action": list(ACCOUNT_WIDE_ACTIONS),
            "Resource": "*",
        },
        {
            "Sid": "FlowLogDelivery",
            "Effect": "Allow",
            "Action": list(GROUP_ACTIONS),
            "Resource": [log_group_arn, _streams_of(log_group_arn)],
        },
    ]


def _streams_of(log_group_arn: Any) -> Any:
    if isinstance(log_group_arn, str):
        return f"{log_group_arn}:*"
    return log_group_arn.apply(lambda arn: f"{arn}:*")
