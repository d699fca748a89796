"""The scheduled restore drill, as data: its schedule, its task's container, its roles'
statements and its two alarms. Pure functions; ``restore_drill.py`` declares resources from
them. EventBridge (a rule's ECS target) starts a task only through a role that may
``iam:PassRole`` the task's roles to ECS
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html); the deploy
boundary (tools/plan/deploy_boundary.py) lets exactly that through: the stack's ECS task roles, with
``iam:PassedToService`` = ``ecs-tasks.amazonaws.com`` (StringEquals, the form it accepts).

The drill is the db image run with ``postgres-restore-drill``
(components/images/db/restore_drill.py): it
restores the backup bucket's newest base backup and WAL into the task's ephemeral storage and
prints one CloudWatch embedded-metric line, which the awslogs driver ships to CloudWatch Logs,
where the metrics are extracted: no endpoint beyond the logs one the task already uses.
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Generation_PutLogEvents.html
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from components.monitoring.alarms import AlarmSpec

CONTAINER_NAME = "restore-drill"
COMMAND = ["postgres-restore-drill"]
# EventBridge rule schedule expressions: cron(minutes hours day-of-month month day-of-week
# year), UTC, or rate(value unit).
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
_SCHEDULE = re.compile(r"^(cron\((\S+ ){5}\S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$")
# The drill has not succeeded for this long: it failed, or never ran (a broken schedule, a task
# that cannot start). 36 one-hour periods, every one of them breaching, missing data breaching:
# a daily drill that succeeds at least once in any 36 hours keeps the alarm quiet, and one
# missed day (a retry the next day) does not page. A period of an hour or more may be
# evaluated over up to 7 days (PutMetricAlarm's Period,
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
NOT_RUN_PERIOD_SECONDS = 3600
NOT_RUN_HOURS = 36


def check_schedule(expression: str) -> str:
    if not _SCHEDULE.match(expression):
        raise ValueError(
            f"restore drill schedule {expression!r}: use an EventBridge expression such as "
            "'cron(30 3 * * ? *)' (03:30 UTC daily) or 'rate(1 day)'"
        )
    return expression


def drill_environment(
    destination_url: pulumi.Input[str],
    server_name: str,
    region: str,
    namespace: str,
    superuser: str,
) -> list[dict[str, Any]]:
    """The drill's variables (no secret: it connects to its scratch server over a private
    socket the scratch server trusts)."""
    values: dict[str, pulumi.Input[str]] = {
        "BACKUP_DESTINATION_URL": destination_url,
        "BACKUP_SERVER_NAME": server_name,
        "AWS_DEFAULT_REGION": region,
        "DRILL_METRICS_NAMESPACE": namespace,
        "POSTGRES_USER": superuser,
        "BASE_BACKUP_TIME": "off",
    }
    return [{"name": name, "value": value} for name, value in values.items()]


def container_definition(
    image: pulumi.Input[str],
    environment: list[dict[str, Any]],
    log_group: pulumi.Input[str],
    region: str,
) -> dict[str, Any]:
    """The one container: the db image with the drill's command, read-only except /tmp."""
    return {
        "name": CONTAINER_NAME,
        "image": image,
        "essential": True,
        "command": COMMAND,
        # The image's entrypoint (guard, prepare, wrap) is for the live server: not here.
        "entryPoint": [],
        "environment": environment,
        "user": "999:999",
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group,
                "awslogs-region": region,
                "awslogs-stream-prefix": CONTAINER_NAME,
            },
        },
    }


def events_role_statements(
    task_definition_arn: pulumi.Input[str], passed_role_arns: Sequence[pulumi.Input[str]]
) -> list[dict[str, Any]]:
    """What EventBridge needs to start the drill: RunTask on its task definition and passing
    the task's two roles to ECS (the ECS guide's EventBridge IAM role,
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html). Any
    revision of the family: the rule always names the newest."""
    family = pulumi.Output.from_input(task_definition_arn).apply(
        lambda arn: arn.rsplit(":", 1)[0] + ":*"
    )
    return [
        {"Sid": "RunTheDrill", "Effect": "Allow", "Action": ["ecs:RunTask"], "Resource": family},
        {
            "Sid": "PassTheDrillRoles",
            "Effect": "Allow",
            "Action": ["iam:PassRole"],
            "Resource": list(passed_role_arns),
            "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
        },
    ]


def read_only(statements: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The backup role's statements without any write: the drill only reads the archive."""
    kept = []
    for statement in statements:
        actions = [a for a in statement["Action"] if not a.startswith("s3:Put")]
        if actions:
            kept.append({**statement, "Action": actions, "Sid": statement["Sid"] + "Read"})
    return kept


def alarm_specs(namespace: str, server_name: str) -> list[AlarmSpec]:
    """Failed now, and not succeeded for 36 hours; both on the DrillSucceeded metric."""
    dimensions = {"Server": server_name}
    return [
        AlarmSpec(
            key="db-restore-drill-failed",
            namespace=namespace,
            metric_name="DrillSucceeded",
            dimensions=dimensions,
            statistic="Minimum",
            comparison="LessThanThreshold",
            threshold=1,
            period_seconds=NOT_RUN_PERIOD_SECONDS,
            description=(
                "The restore drill could not restore the backup archive (a missing WAL segment, "
                "an unreadable base backup, damaged pages, too few rows). Read the drill's log: "
                "its FAILED lines say which; the live database is untouched."
            ),
        ),
        AlarmSpec(
            key="db-restore-drill-not-run",
            namespace=namespace,
            metric_name="DrillSucceeded",
            dimensions=dimensions,
            statistic="Maximum",
            comparison="LessThanThreshold",
            threshold=1,
            period_seconds=NOT_RUN_PERIOD_SECONDS,
            evaluation_periods=NOT_RUN_HOURS,
            treat_missing_data="breaching",
            description=(
                f"No restore drill succeeded for {NOT_RUN_HOURS} hours: it failed, or never "
                "started (the schedule, the task's image or its subnets). Nothing proves the "
                "backups restore until one succeeds."
            ),
        ),
    ]
