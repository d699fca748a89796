"""What the stack adds around the running service, for its operators: the access logs, the
alarms that watch it, the auto scaling of a stateless task, and the commands its outputs hand an
operator (a shell in the web container, the service's latest events).

Pure functions of the stack's settings and of what the components give; their tests call them
with plain stand-ins. ``__main__.py`` passes their results to the components.
"""

from collections.abc import Mapping
from typing import Protocol

import pulumi

from components import AccessLogBucketArgs, ServiceAlarmsArgs, ServiceAutoscalingArgs
from components.monitoring.db_signal_alarms import DbSignals
from components.monitoring.rds_alarms import DbInstance
from components.postgres.efs import BURSTING_THROUGHPUT
from stack.contract import WEB

# Auto scaling's target of ALBRequestCountPerTarget (requests per task per minute): 50 a second.
REQUESTS_PER_TASK_PER_MINUTE = 3000


class AccessLogSettings(Protocol):
    """The stack settings the access logs follow (stack.settings.StackSettings has them)."""

    @property
    def access_log_retention_days(self) -> int: ...

    @property
    def is_production(self) -> bool: ...

    def break_glass_role(self, name: str) -> str: ...


def access_log_args(settings: AccessLogSettings, name: str) -> AccessLogBucketArgs:
    """The load balancer's access-log bucket of the stack named ``name``: ELB writes the logs
    (every request URL) and nothing in the task reads them, so only the break-glass role may."""
    return AccessLogBucketArgs(
        settings.access_log_retention_days,
        protect=settings.is_production,
        reader_role_names=(settings.break_glass_role(name),),
    )


class Entrance(Protocol):
    """The load balancer in front of the service (what PublicEntrance gives)."""

    @property
    def load_balancer_arn(self) -> pulumi.Output[str]: ...

    @property
    def target_group_arn(self) -> pulumi.Output[str]: ...


def exec_command_line(region: str, cluster: str, service: str) -> str:
    """The command an operator runs for a shell in the web container (ECS Exec)."""
    task = (
        f"$(aws ecs list-tasks --region {region} --cluster {cluster} --service-name {service} "
        "--query 'taskArns[0]' --output text)"
    )
    return (
        f"aws ecs execute-command --region {region} --cluster {cluster} --task {task} "
        f"--container {WEB.container} --interactive --command /bin/bash"
    )


class RunningService(Protocol):
    """Where the task runs (what FargateService gives)."""

    @property
    def cluster_name(self) -> pulumi.Output[str]: ...

    @property
    def service_name(self) -> pulumi.Output[str]: ...


def exec_command(task: RunningService, region: str) -> pulumi.Output[str]:
    """:func:`exec_command_line` for the task's cluster and service, once they exist."""
    return pulumi.Output.all(region, task.cluster_name, task.service_name).apply(
        lambda names: exec_command_line(*names)
    )


def deploy_events_command_line(region: str, cluster: str, service: str) -> str:
    """The command that shows why a rollout failed: the service's latest events (tasks that
    stopped and why, the circuit breaker or an alarm rolling back)."""
    return (
        f"aws ecs describe-services --region {region} --cluster {cluster} --services {service} "
        "--query 'services[0].events[:10].[createdAt,message]' --output text"
    )


def deploy_events_command(task: RunningService, region: str) -> pulumi.Output[str]:
    """:func:`deploy_events_command_line` for the task's cluster and service."""
    return pulumi.Output.all(region, task.cluster_name, task.service_name).apply(
        lambda names: deploy_events_command_line(*names)
    )


class AlarmSettings(Protocol):
    """The stack settings the alarms follow (stack.settings.StackSettings has them)."""

    @property
    def region(self) -> str: ...

    @property
    def efs_throughput_mode(self) -> str: ...

    @property
    def alarm_email(self) -> str: ...


class Database(Protocol):
    """The database's parts the alarms watch (what stack.database.StackDatabase gives)."""

    @property
    def file_system_id(self) -> pulumi.Output[str] | None: ...

    @property
    def backup_vault_name(self) -> pulumi.Output[str] | None: ...

    @property
    def backup_failure_metric(self) -> tuple[str, str] | None: ...

    @property
    def db_instance(self) -> DbInstance | None: ...

    @property
    def db_signals(self) -> DbSignals | None: ...


class Task(RunningService, Protocol):
    """The running service and its cluster (what FargateService gives)."""

    @property
    def cluster_arn(self) -> pulumi.Output[str]: ...

    @property
    def log_group_names(self) -> Mapping[str, pulumi.Output[str]]: ...


def alarm_args(
    settings: AlarmSettings,
    entrance: Entrance,
    task: Task,
    database: Database,
) -> ServiceAlarmsArgs:
    """What the stack's alarms watch: the entrance, the service, and the database (its file
    system and backups in the task, or its RDS instance)."""
    return ServiceAlarmsArgs(
        region=settings.region,
        load_balancer_arn=entrance.load_balancer_arn,
        target_group_arn=entrance.target_group_arn,
        cluster_arn=task.cluster_arn,
        cluster_name=task.cluster_name,
        service_name=task.service_name,
        file_system_id=database.file_system_id,
        backup_vault_name=database.backup_vault_name,
        backup_failure_metric=database.backup_failure_metric,
        efs_bursting=settings.efs_throughput_mode == BURSTING_THROUGHPUT,
        db_signals=database.db_signals,
        db_instance=database.db_instance,
        alarm_email=settings.alarm_email,
    )


class ScaledSettings(Protocol):
    """The stack settings auto scaling follows (stack.settings.StackSettings has them)."""

    @property
    def min_tasks(self) -> int: ...

    @property
    def max_tasks(self) -> int: ...


def autoscaling_args(
    settings: ScaledSettings, task: RunningService, entrance: Entrance
) -> ServiceAutoscalingArgs:
    """Between minTasks and maxTasks on requests per task and CPU (60 %), for the web service.

    :data:`REQUESTS_PER_TASK_PER_MINUTE` is an estimate, not a measurement on Fargate: the
    timeline served about 550 requests/s on the benchmark machine (docs/benchmarks.md), and a
    task has half a vCPU; CPU tracking catches what the estimate misses.
    """
    return ServiceAutoscalingArgs(
        cluster_name=task.cluster_name,
        service_name=task.service_name,
        load_balancer_arn=entrance.load_balancer_arn,
        target_group_arn=entrance.target_group_arn,
        min_tasks=settings.min_tasks,
        max_tasks=settings.max_tasks,
        requests_per_task=REQUESTS_PER_TASK_PER_MINUTE,
    )
