"""stack/operations.py: what watches and scales the running service, and the operators'
commands, from the stack's settings and plain stand-ins for the components."""

from dataclasses import dataclass

from components.monitoring.db_signal_alarms import DbSignals
from components.monitoring.rds_alarms import DbInstance
from stack.operations import (
    REQUESTS_PER_TASK_PER_MINUTE,
    access_log_args,
    alarm_args,
    autoscaling_args,
    deploy_events_command_line,
    exec_command_line,
)


@dataclass(frozen=True)
class Settings:
    region: str = "ap-northeast-1"
    efs_throughput_mode: str = "elastic"
    alarm_email: str = "ops@example.org"
    min_tasks: int = 2
    max_tasks: int = 6


@dataclass(frozen=True)
class Entrance:
    load_balancer_arn: str = "arn:lb"
    target_group_arn: str = "arn:tg"


@dataclass(frozen=True)
class Task:
    cluster_arn: str = "arn:cluster"
    cluster_name: str = "tw-cluster"
    service_name: str = "tw-service"
    log_group_names: tuple = ()


SIGNALS = DbSignals("django-tw/database", "postgres", 60)


@dataclass(frozen=True)
class InTaskDatabase:
    file_system_id: str | None = "fs-1"
    backup_vault_name: str | None = "tw-vault"
    backup_failure_metric: tuple[str, str] | None = ("django-tw", "PostgresBackupFailures")
    db_instance: DbInstance | None = None
    db_signals: DbSignals | None = SIGNALS


MANAGED = InTaskDatabase(
    file_system_id=None,
    backup_vault_name=None,
    backup_failure_metric=None,
    db_signals=None,
    db_instance=DbInstance("tw-rds", "db.t4g.small", 20),
)


@dataclass(frozen=True)
class LogSettings:
    access_log_retention_days: int = 30
    is_production: bool = True
    break_glass_role_name: str = ""

    def break_glass_role(self, name: str) -> str:
        return self.break_glass_role_name or f"{name}-break-glass"


def test_only_the_break_glass_role_may_read_the_access_logs():
    args = access_log_args(LogSettings(), "tw-x")
    assert args.reader_role_names == ("tw-x-break-glass",)
    assert (args.retention_days, args.protect) == (30, True)
    named = access_log_args(LogSettings(is_production=False, break_glass_role_name="ops"), "tw-x")
    assert (named.reader_role_names, named.protect) == (("ops",), False)


def test_the_exec_command_opens_a_shell_in_the_web_container():
    command = exec_command_line("ap-northeast-1", "tw-cluster", "tw-service")
    assert command.startswith(
        "aws ecs execute-command --region ap-northeast-1 --cluster tw-cluster "
    )
    assert "--service-name tw-service" in command
    assert command.endswith("--container web --interactive --command /bin/bash")


def test_the_deploy_events_command_shows_the_services_latest_events():
    command = deploy_events_command_line("ap-northeast-1", "tw-cluster", "tw-service")
    assert command.startswith(
        "aws ecs describe-services --region ap-northeast-1 --cluster tw-cluster "
        "--services tw-service "
    )
    assert "--query 'services[0].events[:10]" in command


def test_the_alarms_watch_the_file_system_and_backups_of_a_database_in_the_task():
    args = alarm_args(Settings(), Entrance(), Task(), InTaskDatabase())
    assert (args.load_balancer_arn, args.target_group_arn) == ("arn:lb", "arn:tg")
    assert (args.cluster_arn, args.cluster_name, args.service_name) == (
        "arn:cluster",
        "tw-cluster",
        "tw-service",
    )
    assert (args.file_system_id, args.backup_vault_name) == ("fs-1", "tw-vault")
    assert args.backup_failure_metric == ("django-tw", "PostgresBackupFailures")
    assert args.db_signals == SIGNALS
    assert args.db_instance is None
    assert (args.efs_bursting, args.alarm_email) == (False, "ops@example.org")
    bursting = alarm_args(
        Settings(efs_throughput_mode="bursting"), Entrance(), Task(), InTaskDatabase()
    )
    assert bursting.efs_bursting is True


def test_the_alarms_watch_the_rds_instance_of_a_managed_database():
    args = alarm_args(Settings(), Entrance(), Task(), MANAGED)
    assert args.db_instance == DbInstance("tw-rds", "db.t4g.small", 20)
    assert (args.file_system_id, args.backup_vault_name, args.backup_failure_metric) == (
        None,
        None,
        None,
    )


def test_auto_scaling_runs_between_min_and_max_tasks_on_requests_per_task():
    args = autoscaling_args(Settings(), Task(), Entrance())
    assert (args.min_tasks, args.max_tasks) == (2, 6)
    assert (args.cluster_name, args.service_name) == ("tw-cluster", "tw-service")
    assert (args.load_balancer_arn, args.target_group_arn) == ("arn:lb", "arn:tg")
    assert args.requests_per_task == REQUESTS_PER_TASK_PER_MINUTE == 3000
