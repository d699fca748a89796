"""The scheduled restore drill, as data: its schedule, its task's container and task
definition, its schedule's ECS target, its roles' statements and its two alarms; and the groups of
resources ``restore_drill.py`` declares from them (its task's roles, its schedule, its alarms).

EventBridge (a rule's ECS target) starts a task only through a role that may ``iam:PassRole``
the task's roles to ECS
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
import pulumi_aws as aws

from components._shared.iam import policy_document, service_trust_policy
from components.fargate.roles import (
    execution_role_statements,
    execution_trust_policy,
    log_stream_arn,
    task_trust_policy,
)
from components.monitoring.alarms import AlarmSpec

CONTAINER_NAME = "restore-drill"
EVENTS_SERVICE = "events.amazonaws.com"
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


def drill_role_logical_name(name: str) -> str:
    return f"{name}-role"


def drill_role_name_pattern(name: str) -> str:
    """The drill task role's physical name as a pattern (Pulumi adds a random suffix), for the
    backup bucket's list of readers, written before the role exists."""
    return f"{drill_role_logical_name(name)}-*"


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


def task_definition_inputs(
    family: str,
    *,
    cpu: int,
    memory: int,
    ephemeral_storage_gib: int,
    cpu_architecture: str,
    container_definitions: pulumi.Input[str],
    execution_role_arn: pulumi.Input[str],
    task_role_arn: pulumi.Input[str],
) -> dict[str, Any]:
    """One Linux Fargate task on its own ENI, with scratch space for the restored cluster."""
    return {
        "family": family,
        "network_mode": "awsvpc",
        "requires_compatibilities": ["FARGATE"],
        "cpu": str(cpu),
        "memory": str(memory),
        "ephemeral_storage": aws.ecs.TaskDefinitionEphemeralStorageArgs(
            size_in_gib=ephemeral_storage_gib
        ),
        "runtime_platform": aws.ecs.TaskDefinitionRuntimePlatformArgs(
            operating_system_family="LINUX", cpu_architecture=cpu_architecture
        ),
        "execution_role_arn": execution_role_arn,
        "task_role_arn": task_role_arn,
        "container_definitions": container_definitions,
    }


def ecs_target(
    task_definition_arn: pulumi.Input[str],
    subnet_ids: Sequence[pulumi.Input[str]],
    security_group_ids: Sequence[pulumi.Input[str]],
) -> aws.cloudwatch.EventTargetEcsTargetArgs:
    """One Fargate task of the drill's newest revision in the private subnets, no public IP."""
    return aws.cloudwatch.EventTargetEcsTargetArgs(
        task_definition_arn=task_definition_arn,
        task_count=1,
        launch_type="FARGATE",
        network_configuration=aws.cloudwatch.EventTargetEcsTargetNetworkConfigurationArgs(
            subnets=list(subnet_ids),
            security_groups=list(security_group_ids),
            assign_public_ip=False,
        ),
    )


def declare_execution_role(
    name: str,
    account_id: pulumi.Input[str],
    log_group: aws.cloudwatch.LogGroup,
    image_repository_arns: Sequence[pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
) -> aws.iam.Role:
    """The role ECS starts the task with: it pulls the db image and writes the drill's log."""
    role = aws.iam.Role(
        f"{name}-execution-role",
        assume_role_policy=execution_trust_policy(account_id),
        description="Starts the restore drill: pulls the db image, writes its log",
        opts=opts,
    )
    aws.iam.RolePolicy(
        f"{name}-execution-policy",
        role=role.id,
        policy=policy_document(
            *execution_role_statements([log_group.arn.apply(log_stream_arn)], image_repository_arns)
        ),
        opts=opts,
    )
    return role


def declare_task_role(
    name: str,
    account_id: pulumi.Input[str],
    region: str,
    backup_statements: Sequence[Mapping[str, Any]],
    opts: pulumi.ResourceOptions,
) -> aws.iam.Role:
    """The role the drill runs as: the backup tool's reads of the archive, nothing else."""
    role = aws.iam.Role(
        drill_role_logical_name(name),
        assume_role_policy=task_trust_policy(account_id, region),
        description="The restore drill: reads the backup archive, nothing else",
        opts=opts,
    )
    aws.iam.RolePolicy(
        f"{name}-policy",
        role=role.id,
        policy=policy_document(*read_only(backup_statements)),
        opts=opts,
    )
    return role


def declare_schedule(
    name: str,
    schedule: str,
    cluster_arn: pulumi.Input[str],
    target: aws.cloudwatch.EventTargetEcsTargetArgs,
    passed_roles: Sequence[aws.iam.Role],
    account_id: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> None:
    """The role EventBridge starts the task with, the scheduled rule and its ECS target."""
    events_role = aws.iam.Role(
        f"{name}-events-role",
        assume_role_policy=service_trust_policy(EVENTS_SERVICE, account_id),
        description="Lets EventBridge start the restore drill's task",
        opts=opts,
    )
    aws.iam.RolePolicy(
        f"{name}-events-policy",
        role=events_role.id,
        policy=policy_document(
            *events_role_statements(target.task_definition_arn, [r.arn for r in passed_roles])
        ),
        opts=opts,
    )
    rule = aws.cloudwatch.EventRule(
        f"{name}-schedule",
        name=f"{name}-schedule",
        description="Starts the restore drill",
        schedule_expression=schedule,
        opts=opts,
    )
    aws.cloudwatch.EventTarget(
        f"{name}-target",
        rule=rule.name,
        arn=cluster_arn,
        role_arn=events_role.arn,
        ecs_target=target,
        opts=opts,
    )


def declare_alarms(
    name: str,
    namespace: str,
    server_name: str,
    alarm_topic_arn: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> list[aws.cloudwatch.MetricAlarm]:
    """The two alarms of :func:`alarm_specs`, each notifying the stack's alarm topic."""
    return [
        aws.cloudwatch.MetricAlarm(
            f"{name}-{spec.key}",
            **spec.metric_alarm_args(f"{name}-{spec.key}", [alarm_topic_arn]),
            opts=opts,
        )
        for spec in alarm_specs(namespace, server_name)
    ]
