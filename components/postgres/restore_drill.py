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
from components._shared.iam import policy_document, service_trust_policy
from components.fargate.containers import log_group_name
from components.fargate.roles import (
    execution_role_statements,
    execution_trust_policy,
    log_stream_arn,
    task_trust_policy,
)
from components.postgres.restore_drill_parts import (
    CONTAINER_NAME,
    alarm_specs,
    check_schedule,
    container_definition,
    drill_environment,
    events_role_statements,
    read_only,
)

COMPONENT_TYPE = "django-tw:postgres:RestoreDrill"
FORMER_COMPONENT_TYPES: tuple[str, ...] = ()  # a new component: no earlier type to alias
EVENTS_SERVICE = "events.amazonaws.com"


def drill_role_logical_name(name: str) -> str:
    return f"{name}-role"


def drill_role_name_pattern(name: str) -> str:
    """The drill task role's physical name as a pattern (Pulumi adds a random suffix), for the
    backup bucket's list of readers, written before the role exists."""
    return f"{drill_role_logical_name(name)}-*"


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
        execution_role = aws.iam.Role(
            f"{name}-execution-role",
            assume_role_policy=execution_trust_policy(account_id),
            description="Starts the restore drill: pulls the db image, writes its log",
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-execution-policy",
            role=execution_role.id,
            policy=policy_document(
                *execution_role_statements(
                    [logs.arn.apply(log_stream_arn)], args.image_repository_arns
                )
            ),
            opts=child,
        )
        task_role = aws.iam.Role(
            drill_role_logical_name(name),
            assume_role_policy=task_trust_policy(account_id, args.region),
            description="The restore drill: reads the backup archive, nothing else",
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-policy",
            role=task_role.id,
            policy=policy_document(*read_only(args.backup_statements)),
            opts=child,
        )
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
            family=name,
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            cpu=str(args.cpu),
            memory=str(args.memory),
            ephemeral_storage=aws.ecs.TaskDefinitionEphemeralStorageArgs(
                size_in_gib=args.ephemeral_storage_gib
            ),
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                operating_system_family="LINUX", cpu_architecture=args.cpu_architecture
            ),
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            container_definitions=pulumi.Output.json_dumps([definition]),
            opts=child,
        )
        events_role = aws.iam.Role(
            f"{name}-events-role",
            assume_role_policy=service_trust_policy(EVENTS_SERVICE, account_id),
            description="Lets EventBridge start the restore drill's task",
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-events-policy",
            role=events_role.id,
            policy=policy_document(
                *events_role_statements(task_definition.arn, [task_role.arn, execution_role.arn])
            ),
            opts=child,
        )
        rule = aws.cloudwatch.EventRule(
            f"{name}-schedule",
            name=f"{name}-schedule",
            description="Starts the restore drill",
            schedule_expression=args.schedule,
            opts=child,
        )
        aws.cloudwatch.EventTarget(
            f"{name}-target",
            rule=rule.name,
            arn=args.cluster_arn,
            role_arn=events_role.arn,
            ecs_target=aws.cloudwatch.EventTargetEcsTargetArgs(
                task_definition_arn=task_definition.arn,
                task_count=1,
                launch_type="FARGATE",
                network_configuration=aws.cloudwatch.EventTargetEcsTargetNetworkConfigurationArgs(
                    subnets=list(args.subnet_ids),
                    security_groups=list(args.security_group_ids),
                    assign_public_ip=False,
                ),
            ),
            opts=child,
        )
        alarms = [
            aws.cloudwatch.MetricAlarm(
                f"{name}-{spec.key}",
                **spec.metric_alarm_args(f"{name}-{spec.key}", [args.alarm_topic_arn]),
                opts=child,
            )
            for spec in alarm_specs(args.metrics_namespace, args.server_name)
        ]
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
