"""The app's commands in the stack, under mocks, with each database: the release step before web,
scheduled commands (a scheduler container with efs, EventBridge Scheduler with rds), the app's
own environment and secrets, and the generic image for a project without a Dockerfile."""

from __future__ import annotations

import json

import pytest

from stack.commands import scheduled_task_input, scheduler_role_policy
from stack.schedules import parse_schedule
from tests.stack_runs import (
    STAND_IN_APP,
    TASK_DEFINITION,
    containers,
    environment,
    prod_config,
    run_main,
    scale_config,
    secrets,
)

SCHEDULE = "aws:scheduler/schedule:Schedule"
APP = {
    "path": STAND_IN_APP,
    "settingsModule": "config.settings.production",
    "environment": {"SENTRY_ENVIRONMENT": "production"},
    "secrets": ["SENTRY_DSN"],
    "schedules": [
        {"command": "clearsessions", "schedule": "cron(30 3 * * ? *)"},
        {"command": "axes_reset_logs --age 30", "schedule": "rate(1 day)"},
    ],
}


@pytest.fixture(scope="module")
def rds():
    return run_main(scale_config(app=json.dumps(APP)))


@pytest.fixture(scope="module")
def efs():
    return run_main(prod_config(app=json.dumps(APP)))


def test_with_rds_each_schedule_runs_the_task_definition_with_web_s_command(rds):
    schedules = {s.inputs["scheduleExpression"]: s for s in rds.of_type(SCHEDULE)}
    assert sorted(schedules) == ["cron(30 3 * * ? *)", "rate(1 day)"]
    task_definition = rds.one(TASK_DEFINITION)
    service = rds.one("aws:ecs/service:Service").inputs["networkConfiguration"]
    for schedule in schedules.values():
        target = schedule.inputs["target"]
        ecs = target["ecsParameters"]
        assert ecs["taskDefinitionArn"] == task_definition.outputs["arn"]
        assert ecs["launchType"] == "FARGATE"
        network = ecs["networkConfiguration"]
        assert network["assignPublicIp"] is False
        assert sorted(network["subnets"]) == sorted(service["subnets"])
        assert sorted(network["securityGroups"]) == sorted(service["securityGroups"])
        assert target["retryPolicy"]["maximumRetryAttempts"] == 0
    clear = json.loads(schedules["cron(30 3 * * ? *)"].inputs["target"]["input"])
    assert clear == {
        "containerOverrides": [{"name": "web", "command": ["python", "manage.py", "clearsessions"]}]
    }
    # No scheduler container: a task started by Scheduler reaches RDS like the service's.
    assert "scheduler" not in containers(rds)


def test_with_rds_the_scheduler_role_may_only_run_this_task_and_pass_its_roles(rds):
    role = next(r for r in rds.of_type("aws:iam/role:Role") if r.name.endswith("-schedules"))
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert role.inputs["permissionsBoundary"]  # like every role of the stack
    (policy,) = [
        p for p in rds.of_type("aws:iam/rolePolicy:RolePolicy") if p.name.endswith("-run-task")
    ]
    run_task, pass_role = json.loads(policy.inputs["policy"])["Statement"]
    family = rds.one(TASK_DEFINITION).outputs["arn"].rsplit(":", 1)[0]
    assert run_task["Action"] == "ecs:RunTask"
    assert run_task["Resource"] == [f"{family}:*", family]
    assert pass_role["Action"] == "iam:PassRole"
    assert len(pass_role["Resource"]) == 2  # the task role and the execution role


def test_with_efs_a_scheduler_container_runs_the_commands_in_the_task(efs):
    by_name = containers(efs)
    scheduler = by_name["scheduler"]
    assert scheduler["essential"] is False  # web serves whatever it does
    assert scheduler["image"] == by_name["web"]["image"]
    assert scheduler["dependsOn"] == [{"containerName": "release", "condition": "SUCCESS"}]
    assert scheduler["command"][:2] == ["python", "-c"]
    assert json.loads(scheduler["command"][3]) == [
        {"command": ["clearsessions"], "every": 0, "daily_at": [3, 30]},
        {"command": ["axes_reset_logs", "--age", "30"], "every": 86400, "daily_at": None},
    ]
    # The database URL it reaches: the task's own Postgres, as web's.
    assert secrets(scheduler)["DATABASE_URL"] == secrets(by_name["web"])["DATABASE_URL"]
    assert efs.of_type(SCHEDULE) == []  # a task started elsewhere could not reach 127.0.0.1


@pytest.mark.parametrize("stack", ["efs", "rds"])
def test_the_app_s_environment_and_secrets_reach_web_and_its_commands(request, stack):
    recording = request.getfixturevalue(stack)
    prefix = "tw-prod"  # the mocks run every stack file as the stack `prod`
    (secret,) = [
        s
        for s in recording.of_type("aws:secretsmanager/secret:Secret")
        if s.name.startswith(f"{prefix}-app-")
    ]
    assert secret.inputs["name"] == f"{prefix}/app/SENTRY_DSN"
    versions = recording.of_type("aws:secretsmanager/secretVersion:SecretVersion")
    assert not [v for v in versions if v.inputs.get("secretId") == secret.outputs["id"]]
    by_name = containers(recording)
    for name in ("web", "release"):
        assert environment(by_name[name])["SENTRY_ENVIRONMENT"] == "production"
        assert secrets(by_name[name])["SENTRY_DSN"] == secret.outputs["arn"]
    # the service's execution role (the restore drill's task has one of its own)
    (execution,) = [
        p
        for p in recording.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.name == f"{prefix}-execution-policy"
    ]
    readable = next(
        s for s in json.loads(execution.inputs["policy"])["Statement"] if s["Sid"] == "TaskSecrets"
    )
    assert secret.outputs["arn"] in readable["Resource"]


def test_the_scheduler_input_and_policy_as_pure_values():
    schedule = parse_schedule(("clearsessions",), "rate(1 day)")
    assert json.loads(scheduled_task_input(schedule))["containerOverrides"][0]["name"] == "web"
    policy = json.loads(
        scheduler_role_policy(
            "arn:aws:ecs:r:1:task-definition/tw-x:7", "arn:aws:ecs:r:1:cluster/tw-x", ["a", "b"]
        )
    )
    run_task = policy["Statement"][0]
    assert run_task["Resource"] == [
        "arn:aws:ecs:r:1:task-definition/tw-x:*",
        "arn:aws:ecs:r:1:task-definition/tw-x",
    ]
    assert run_task["Condition"] == {"ArnLike": {"ecs:cluster": "arn:aws:ecs:r:1:cluster/tw-x"}}


@pytest.mark.parametrize("config", [prod_config, scale_config], ids=["efs", "rds"])
def test_a_worker_runs_beside_web_in_every_task_after_the_release_step(config):
    app = {"path": STAND_IN_APP, "worker": "db_worker --queue-name default"}
    recording = run_main(config(app=json.dumps(app)))
    by_name = containers(recording)
    worker = by_name["worker"]
    assert worker["command"] == ["python", "manage.py", "db_worker", "--queue-name", "default"]
    assert worker["image"] == by_name["web"]["image"]
    assert worker["essential"] is False  # its exit must not stop the task (and its Postgres)
    assert worker["dependsOn"] == [{"containerName": "release", "condition": "SUCCESS"}]
    assert secrets(worker)["DATABASE_URL"] == secrets(by_name["web"])["DATABASE_URL"]
    # A share of the task's memory like web's, not the small fixed part of a one-off command.
    assert worker["memory"] == by_name["web"]["memory"]


def test_without_a_worker_there_is_none(efs):
    assert "worker" not in containers(efs)
