"""RestoreDrill: the backup archive restored by a scheduled task, and alarms on its result.

An EventBridge rule starts, on a schedule (daily by default), one Fargate task that runs the db
image's ``postgres-restore-drill`` in the service's cluster and private subnets: it restores the
newest base backup and WAL into the task's own storage, checks it, and prints its result as
CloudWatch embedded metrics. Its task role may only read the archive (it is named among the
backup bucket's readers); the live database is never touched. Two alarms on the result go to the
stack's alarm topic: the drill failed, or has not succeeded for 36 hours.

EventBridge rule with an ECS target rather than EventBridge Scheduler: both start a task through
a role; the rule is already among the stack's resource types (the alarm topic's task-stopped
events), so the deploy and preview roles need no new service.
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/scheduling_tasks.html
The target's ``ecs_target`` block (task definition ARN, task count, launch type, awsvpc network
configuration) is the provider's, terraform-provider-aws internal/service/events/target.go
(resourceTarget's schema), which pulumi-aws bridges as EventTargetEcsTargetArgs.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components.fargate.containers import log_group_name
from components.postgres.restore_drill_parts import CONTAINER_NAME as CONTAINER_NAME
from components.postgres.restore_drill_parts import EVENTS_SERVICE as EVENTS_SERVICE
from components.postgres.restore_drill_parts import (
    check_schedule,
    container_definition,
    declare_alarms,
    declare_execution_role,
    declare_schedule,
    declare_task_role,
    drill_environment,
    ecs_target,
    task_definition_inputs,
)
from components.postgres.restore_drill_parts import (
    drill_role_logical_name as drill_role_logical_name,
)
from components.postgres.restore_drill_parts import (
    drill_role_name_pattern as drill_role_name_pattern,
)

COMPONENT_TYPE = "django-tw:postgres:RestoreDrill"
FORMER_COMPONENT_TYPES: tuple[str, ...] = ()  # a new component: no earlier type to alias


@dataclass(frozen=True)
class RestoreDrillArgs:
    cluster_arn: pulumi.Input[str]
    """The ECS cluster the drill's task runs in (the service's)."""
    subnet_ids: Sequence[pulumi.Input[str]]
    """Private subnets: the task reaches S3, ECR and CloudWatch Logs through the endpoints."""
    security_group_ids: Sequence[pulumi.Input[str]]
    """Groups whose egress reaches those endpoints (the service task's group)."""
    image: pulumi.Input[str]
    """The db image (it holds postgres-restore-drill, Postgres and barman-cloud)."""
    image_repository_arns: Sequence[pulumi.Input[str]]
    """The repository of that image: the execution role may pull from it only."""
    region: str
    destination_url: pulumi.Input[str]
    """``s3://bucket/prefix`` of the archive (PostgresBackupBucket.destination_url)."""
    backup_statements: Sequence[Mapping[str, Any]]
    """The backup tool's statements (PostgresBackupBucket.task_role_statements()); the drill
    keeps their reads only."""
    alarm_topic_arn: pulumi.Input[str]
    """Where both alarms notify (ServiceAlarms.topic_arn)."""
    metrics_namespace: str
    """CloudWatch namespace of the drill's metrics (one per stack: ``<stack>/restore-drill``)."""
    server_name: str = "postgres"
    """BACKUP_SERVER_NAME of the db container: the archive's folder, the metrics' dimension."""
    superuser: str = "postgres"
    """POSTGRES_USER of the db container: the restored cluster's bootstrap superuser."""
    schedule: str = "cron(30 3 * * ? *)"
    """EventBridge schedule expression (UTC): daily at 03:30 by default."""
    cpu: int = 1024
    memory: int = 2048
    ephemeral_storage_gib: int = 21
    """Scratch space for the restored cluster: 21 GiB is Fargate's free default, up to 200."""
    cpu_architecture: str = "X86_64"
    log_retention_days: int = 30

    def __post_init__(self) -> None:
        check_schedule(self.schedule)
        if not 21 <= self.ephemeral_storage_gib <= 200:
            raise ValueError(
                "RestoreDrillArgs.ephemeral_storage_gib: Fargate gives 21 to 200 GiB; size it "
                "above the database's size"
            )


class RestoreDrill(pulumi.ComponentResource):
    """The scheduled restore drill and its two alarms."""

    task_definition_arn: pulumi.Output[str]
    log_group_name: pulumi.Output[str]
    alarm_names: list[pulumi.Output[str]]

    def __init__(
        self, name: str, args: RestoreDrillArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        account_id = aws.get_caller_identity_output(
            opts=pulumi.InvokeOptions(parent=self)
        ).account_id
        logs = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=log_group_name(name, CONTAINER_NAME),
            retention_in_days=args.log_retention_days,
            opts=child,
        )
        execution_role = declare_execution_role(
            name, account_id, logs, args.image_repository_arns, child
        )
        task_role = declare_task_role(name, account_id, args.region, args.backup_statements, child)
        environment = drill_environment(
            args.destination_url,
            args.server_name,
            args.region,
            args.metrics_namespace,
            args.superuser,
        )
        definition = container_definition(args.image, environment, logs.name, args.region)
        task_definition = aws.ecs.TaskDefinition(
            f"{name}-taskdef",
            **task_definition_inputs(
                name,
                cpu=args.cpu,
                memory=args.memory,
                ephemeral_storage_gib=args.ephemeral_storage_gib,
                cpu_architecture=args.cpu_architecture,
                container_definitions=pulumi.Output.json_dumps([definition]),
                execution_role_arn=execution_role.arn,
                task_role_arn=task_role.arn,
            ),
            opts=child,
        )
        declare_schedule(
            name,
            args.schedule,
            args.cluster_arn,
            ecs_target(task_definition.arn, args.subnet_ids, args.security_group_ids),
            [task_role, execution_role],
            account_id,
            child,
        )
        alarms = declare_alarms(
            name, args.metrics_namespace, args.server_name, args.alarm_topic_arn, child
        )
        self.task_definition_arn = task_definition.arn
        self.log_group_name = logs.name
        self.alarm_names = [alarm.name for alarm in alarms]
        self.register_outputs(
            {
                "task_definition_arn": self.task_definition_arn,
                "log_group_name": self.log_group_name,
                "alarm_names": self.alarm_names,
            }
        )
