"""What reaches ServiceAlarms' topic besides the metric alarms, and who may publish to it: the
EventBridge rules that page as events happen, and the policies of the topic and of its key.

Pure functions of names and ARNs; ``service_alarms.py`` declares resources from their results.
Every rule's ``key`` is also its name's suffix (``<prefix>-<key>``) and the heading of its
section in docs/operations.md.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

# What CloudWatch alarms and EventBridge rules are, as principals that publish to the topic.
CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com"
EVENTS_PRINCIPAL = "events.amazonaws.com"

# An ECS deployment stops the old task with this reason; any other stop is worth a page.
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html
DEPLOYMENT_STOP_REASON_PREFIX = "Scaling activity initiated by (deployment"
# AWS Backup job states that mean no recovery point was made.
# https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html
FAILED_BACKUP_STATES = ("FAILED", "ABORTED", "EXPIRED")
# RDS event categories of a DB instance that want a person: a Multi-AZ failover (started,
# completed), a failure (the instance could not start, or stopped), storage running out.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Messages.html#USER_Events.Messages.instance
# https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-rds.html
PAGING_RDS_EVENT_CATEGORIES = ("failover", "failure", "low storage")


@dataclass(frozen=True)
class EventSpec:
    """One EventBridge rule whose matching events go to the topic as they happen."""

    key: str
    """Suffix of the rule's name; also its section in operations.md."""
    description: str
    pattern: Mapping[str, Any] = field(default_factory=dict)


def event_specs(
    cluster_arn: pulumi.Input[str],
    vault_name: pulumi.Input[str] | None,
    db_instance_identifier: pulumi.Input[str] | None = None,
) -> list[EventSpec]:
    """Events that page as they happen: a task that stopped for a reason other than a
    deployment, an AWS Backup job of the vault (if any) that made no recovery point, and a
    failover, failure or low storage of the RDS instance (if any)."""
    events = [
        EventSpec(
            key="task-stopped",
            description="A task of the service stopped, and not because a deployment replaced it",
            pattern={
                "source": ["aws.ecs"],
                "detail-type": ["ECS Task State Change"],
                "detail": {
                    "clusterArn": [cluster_arn],
                    "lastStatus": ["STOPPED"],
                    "stoppedReason": [{"anything-but": {"prefix": DEPLOYMENT_STOP_REASON_PREFIX}}],
                },
            },
        ),
        EventSpec(
            key="aws-backup-failed",
            description="An AWS Backup job of the database's file system made no recovery point",
            pattern={
                "source": ["aws.backup"],
                "detail-type": ["Backup Job State Change"],
                "detail": {"state": list(FAILED_BACKUP_STATES), "backupVaultName": [vault_name]},
            },
        ),
        EventSpec(
            key="db-instance-events",
            description="The RDS instance failed over, failed, or is running out of storage",
            pattern={
                "source": ["aws.rds"],
                "detail-type": ["RDS DB Instance Event"],
                "detail": {
                    "SourceIdentifier": [db_instance_identifier],
                    "EventCategories": list(PAGING_RDS_EVENT_CATEGORIES),
                },
            },
        ),
    ]
    watched = {
        "aws-backup-failed": vault_name is not None,
        "db-instance-events": db_instance_identifier is not None,
    }
    return [event for event in events if watched.get(event.key, True)]


def topic_policy_statements(
    topic_arn: pulumi.Input[str],
    account_id: pulumi.Input[str],
    alarm_arns: Sequence[pulumi.Input[str]],
    rule_arns: Sequence[pulumi.Input[str]],
) -> list[dict[str, Any]]:
    """Only this account's alarms and rules may publish, each named by its ARN: a service
    principal alone would let any account's alarm or rule use the topic."""
    return [
        {
            "Sid": "CloudWatchAlarmsOfThisStack",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDWATCH_PRINCIPAL},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account_id},
                "ArnLike": {"aws:SourceArn": list(alarm_arns)},
            },
        },
        {
            "Sid": "EventBridgeRulesOfThisStack",
            "Effect": "Allow",
            "Principal": {"Service": EVENTS_PRINCIPAL},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": list(rule_arns)}},
        },
    ]


def topic_key_policy_statements(account_id: pulumi.Input[str]) -> list[dict[str, Any]]:
    """The topic's key: the account administers it; CloudWatch and EventBridge may use it to
    publish. The AWS managed key alias/aws/sns cannot be given to them, so an alarm could not
    publish to a topic encrypted with it. EventBridge's KMS requests carry no source keys, so
    its statement has no condition.
    https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    """
    publish = ["kms:Decrypt", "kms:GenerateDataKey*"]
    return [
        {
            "Sid": "AccountAdministersTheKey",
            "Effect": "Allow",
            "Principal": {"AWS": pulumi.Output.concat("arn:aws:iam::", account_id, ":root")},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "CloudWatchAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDWATCH_PRINCIPAL},
            "Action": publish,
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        },
        {
            "Sid": "EventBridgeRulesPublish",
            "Effect": "Allow",
            "Principal": {"Service": EVENTS_PRINCIPAL},
            "Action": publish,
            "Resource": "*",
        },
    ]
