"""restore_drill_parts: the drill's schedule, container, task definition, schedule target, role
statements and alarms, as data."""

from __future__ import annotations

import pytest

from components.postgres import restore_drill_parts as specs
from components.postgres.backup_bucket import backup_statements


@pytest.mark.parametrize("expression", ["cron(30 3 * * ? *)", "rate(1 day)", "rate(12 hours)"])
def test_eventbridge_expressions_are_accepted(expression):
    assert specs.check_schedule(expression) == expression


@pytest.mark.parametrize("expression", ["30 3 * * *", "cron(30 3 * *)", "daily", "rate(1 week)"])
def test_anything_else_is_refused_with_an_example(expression):
    with pytest.raises(ValueError, match=r"cron\(30 3 \* \* \? \*\)"):
        specs.check_schedule(expression)


def test_the_drill_only_reads_the_archive():
    statements = specs.read_only(backup_statements("arn:aws:s3:::backups", "postgres"))
    actions = sorted(action for statement in statements for action in statement["Action"])
    assert actions == ["s3:GetObject", "s3:ListBucket"]
    assert {statement["Sid"] for statement in statements} == {
        "PostgresBackupListRead",
        "PostgresBackupObjectsRead",
    }


def test_the_container_runs_the_drill_without_the_servers_entrypoint_or_any_secret():
    environment = specs.drill_environment("s3://b/postgres", "postgres", "eu-west-1", "n", "pg")
    container = specs.container_definition("db:image", environment, "/ecs/x/restore-drill", "r")
    assert container["command"] == ["postgres-restore-drill"]
    assert container["entryPoint"] == []
    assert "secrets" not in container
    names = {variable["name"]: variable["value"] for variable in container["environment"]}
    assert names["BACKUP_DESTINATION_URL"] == "s3://b/postgres"
    assert names["DRILL_METRICS_NAMESPACE"] == "n"
    assert not any("PASSWORD" in name for name in names)
    assert container["logConfiguration"]["logDriver"] == "awslogs"


def test_eventbridge_may_run_any_revision_of_the_drill_and_pass_only_its_roles_to_ecs():
    run, passing = specs.events_role_statements(
        "arn:aws:ecs:eu-west-1:1:task-definition/tw-prod-drill:7", ["arn:role/a", "arn:role/b"]
    )
    assert run["Action"] == ["ecs:RunTask"]
    assert passing["Resource"] == ["arn:role/a", "arn:role/b"]
    assert passing["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}
    }


def test_a_failed_drill_alarms_at_once_and_none_for_36_hours_alarms_too():
    failed, not_run = specs.alarm_specs("tw-prod/restore-drill", "postgres")
    assert (failed.metric_name, failed.statistic, failed.comparison, failed.threshold) == (
        "DrillSucceeded", "Minimum", "LessThanThreshold", 1
    )  # fmt: skip
    assert failed.treat_missing_data == "notBreaching"
    assert not_run.treat_missing_data == "breaching"
    assert not_run.period_seconds * not_run.evaluation_periods == 36 * 3600
    # PutMetricAlarm: at most 7 days of evaluation for a period of an hour or more.
    assert not_run.period_seconds >= 3600
    assert not_run.period_seconds * not_run.evaluation_periods <= 7 * 86400
    assert failed.dimensions == not_run.dimensions == {"Server": "postgres"}


def test_the_drill_task_is_one_linux_fargate_task_of_the_asked_size_and_scratch_space():
    inputs = specs.task_definition_inputs(
        "drill",
        cpu=2048,
        memory=4096,
        ephemeral_storage_gib=60,
        cpu_architecture="ARM64",
        container_definitions="[]",
        execution_role_arn="arn:execution",
        task_role_arn="arn:task",
    )
    assert inputs["family"] == "drill"
    assert (inputs["network_mode"], inputs["requires_compatibilities"]) == ("awsvpc", ["FARGATE"])
    assert (inputs["cpu"], inputs["memory"]) == ("2048", "4096")
    assert inputs["ephemeral_storage"].size_in_gib == 60
    platform = inputs["runtime_platform"]
    assert (platform.operating_system_family, platform.cpu_architecture) == ("LINUX", "ARM64")
    assert (inputs["execution_role_arn"], inputs["task_role_arn"]) == ("arn:execution", "arn:task")
    assert inputs["container_definitions"] == "[]"


def test_the_schedule_starts_one_fargate_task_in_the_private_subnets_without_public_ip():
    target = specs.ecs_target("arn:taskdef:3", ["subnet-a", "subnet-c"], ["sg-task"])
    assert (target.task_definition_arn, target.task_count) == ("arn:taskdef:3", 1)
    assert target.launch_type == "FARGATE"
    network = target.network_configuration
    assert network.subnets == ["subnet-a", "subnet-c"]
    assert network.security_groups == ["sg-task"]
    assert network.assign_public_ip is False
