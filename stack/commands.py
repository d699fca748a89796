"""The app's commands in the task: the release step, scheduled management commands, its secrets.

- **Release.** A ``release`` container of the web image runs ``manage.py <release>`` (by
  default the lock-taking migrate) in every task, after the database is ready and before web
  starts: web waits for its SUCCESS, so new code takes traffic only on a migrated schema. Under
  the advisory lock, tasks starting together migrate once. In the task, because with
  ``database: efs`` Postgres listens on the task's own 127.0.0.1, where nothing outside it
  reaches (docs/DESIGN.md, "Release and commands").
- **Schedules, efs.** A ``scheduler`` container of the web image runs
  ``stack/schedule_runner.py``, which follows each schedule and runs ``manage.py`` in the task.
- **Schedules, rds.** EventBridge Scheduler starts the service's task definition with the web
  container's command overridden (:func:`scheduled_task_input`); the database is reachable from
  any task in the client security group.
- **Worker.** With ``app.worker``, a ``worker`` container of the web image runs it beside web.
- **Secrets.** Each name of ``app.secrets`` is a Secrets Manager secret ``<name>/app/<NAME>``
  without a value; the operator puts one (docs/operations.md), the task reads it at start.

Pure functions build the containers and the Scheduler input; :func:`app_secrets` and
:func:`rds_schedules` declare the resources.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import pulumi
import pulumi_aws as aws

from components import ContainerSpec
from components.fargate.memory import MemoryNeed
from stack.app import AppSettings
from stack.schedules import Schedule

RELEASE, SCHEDULER, WORKER = "release", "scheduler", "worker"
# The release step and the scheduler run one management command at a time: a small fixed part
# of the task's memory, so neither takes web's share (components/fargate/memory.py). A Django
# process running `migrate` holds well under 100 MiB; 112 still fits the smallest task with
# the database in it (512 MiB: nginx 64, release 112, web and db 168 each).
COMMAND_MEMORY = MemoryNeed(reservation=64, limit=112)
RUNNER = Path(__file__).with_name("schedule_runner.py")


def manage(arguments: Sequence[str]) -> tuple[str, ...]:
    """``python manage.py <arguments>`` from the image's working directory (the project)."""
    return ("python", "manage.py", *arguments)


def release_container(web: ContainerSpec, app: AppSettings) -> ContainerSpec:
    """The web container's image, environment and secrets, running the release command once.

    Not essential, and waited for with SUCCESS (a zero exit code): a failed migration leaves
    web unstarted and the deployment's circuit breaker rolls back. ECS: "SUCCESS - This
    condition validates that a dependent container runs to completion (exits) with a zero
    status. This condition can't be set on an essential container."
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html
    It waits for what web waited for (the db container HEALTHY, or db-init's SUCCESS).
    """
    return replace(
        web,
        name=RELEASE,
        port=None,
        command=manage(app.release),
        health_check=None,
        essential=False,
        stop_timeout=None,
        memory=COMMAND_MEMORY,
    )


def after_release(web: ContainerSpec) -> ContainerSpec:
    """Web, starting only once the release step exited 0."""
    return replace(web, depends_on={RELEASE: "SUCCESS"})


def runner_command(schedules: Sequence[Schedule]) -> tuple[str, ...]:
    """The scheduler container's command: the runner's source and the schedules as JSON, so
    that no file has to be in the app's image (any image with Python runs it)."""
    listed = [
        {"command": list(s.command), "every": s.every_seconds, "daily_at": s.daily_at}
        for s in schedules
    ]
    return ("python", "-c", RUNNER.read_text(encoding="utf-8"), json.dumps(listed))


def scheduler_container(web: ContainerSpec, schedules: Sequence[Schedule]) -> ContainerSpec:
    """With ``database: efs``: a container beside web that runs the scheduled commands against
    the task's own Postgres. Not essential: if it stops, web keeps serving (the runner itself
    never exits on a failed command, it logs it). Starts after the release step."""
    return replace(
        web,
        name=SCHEDULER,
        port=None,
        command=runner_command(schedules),
        health_check=None,
        essential=False,
        depends_on={RELEASE: "SUCCESS"},
        memory=COMMAND_MEMORY,
    )


def worker_container(web: ContainerSpec, app: AppSettings) -> ContainerSpec:
    """A background worker beside web (``app.worker``, e.g. django-tasks' ``db_worker``, which
    takes its tasks from the database, so it needs no other service). Web's image, environment
    and memory need (a share like web's: it runs the same code), after the release step. Not
    essential: its exit must not stop the task, which with ``database: efs`` holds Postgres;
    its log is the place to watch."""
    return replace(
        web,
        name=WORKER,
        port=None,
        command=manage(app.worker),
        health_check=None,
        essential=False,
        depends_on={RELEASE: "SUCCESS"},
    )


def app_containers(
    web: ContainerSpec, app: AppSettings, managed_database: bool
) -> list[ContainerSpec]:
    """The app's containers in the task: web after the release step, the release step, the
    scheduler (with ``database: efs`` and schedules: with rds EventBridge Scheduler runs them,
    :func:`rds_schedules`) and the worker (with ``app.worker``)."""
    containers = [after_release(web), release_container(web, app)]
    if app.schedules and not managed_database:
        containers.append(scheduler_container(web, app.schedules))
    if app.worker:
        containers.append(worker_container(web, app))
    return containers


def secret_name(prefix: str, name: str) -> str:
    """Where an app secret lives: ``tw-prod/app/SENTRY_DSN``."""
    return f"{prefix}/app/{name}"


def app_secrets(prefix: str, app: AppSettings, protect: bool) -> dict[str, pulumi.Output[str]]:
    """One Secrets Manager secret per name of ``app.secrets``, without a value (the stack file
    never holds one): environment name -> ARN. ``protect``: production keeps them."""
    arns: dict[str, pulumi.Output[str]] = {}
    for name in app.secrets:
        secret = aws.secretsmanager.Secret(
            f"{prefix}-app-{name.lower().replace('_', '-')}",
            name=secret_name(prefix, name),
            description=f"{name} of the app; set with put-secret-value (docs/operations.md)",
            opts=pulumi.ResourceOptions(protect=protect),
        )
        arns[name] = secret.arn
    return arns


def scheduled_task_input(schedule: Schedule) -> str:
    """The Scheduler target's ``input``: the RunTask ``overrides`` (a TaskOverride), the web
    container running the command. The ECS templated target has no overrides field of its own
    (terraform-provider-aws internal/service/scheduler/schedule.go ``ecs_parameters``;
    hashicorp/terraform-provider-aws#34057); Scheduler converts ``Input`` to the RunTask's
    TaskOverride ("Unable to convert target input to TaskOverride" otherwise, boto/boto3#4370).
    RunTask overrides: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html
    """
    return json.dumps(
        {"containerOverrides": [{"name": "web", "command": list(manage(schedule.command))}]}
    )


def scheduler_role_policy(
    task_definition_arn: str, cluster_arn: str, role_arns: Sequence[str]
) -> str:
    """What Scheduler may do: RunTask of this task definition (any revision of its family) in
    this cluster, and pass its two roles. https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role
    """
    family = task_definition_arn.rsplit(":", 1)[0]
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "ecs:RunTask",
                    "Resource": [f"{family}:*", family],
                    "Condition": {"ArnLike": {"ecs:cluster": cluster_arn}},
                },
                {
                    "Effect": "Allow",
                    "Action": "iam:PassRole",
                    "Resource": list(role_arns),
                    "Condition": {"StringLike": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
                },
            ],
        }
    )


class RunsTasks(Protocol):
    """What the schedules need of the service (FargateService has it)."""

    cluster_arn: pulumi.Output[str]
    task_definition_arn: pulumi.Output[str]
    task_role_arn: pulumi.Output[str]
    execution_role_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]


class ServiceNetwork(Protocol):
    """Where the service's tasks run (FargateServiceArgs has it)."""

    @property
    def subnet_ids(self) -> Sequence[pulumi.Input[str]]: ...

    @property
    def extra_security_group_ids(self) -> Sequence[pulumi.Input[str]]: ...


def rds_schedules(
    prefix: str, schedules: Sequence[Schedule], task: RunsTasks, network: ServiceNetwork
) -> list[aws.scheduler.Schedule]:
    """With ``database: rds``: one EventBridge Scheduler schedule per command, each starting
    the service's task definition on Fargate where its tasks run (the same subnets and
    security groups, so the database lets it in), no public IP. Its role carries the
    permissions boundary like every other (``components.bound_every_identity``)."""
    subnet_ids, extra_security_group_ids = network.subnet_ids, network.extra_security_group_ids
    if not schedules:
        return []
    role = aws.iam.Role(
        f"{prefix}-schedules",
        assume_role_policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "scheduler.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )
    policy = aws.iam.RolePolicy(
        f"{prefix}-schedules-run-task",
        role=role.id,
        policy=pulumi.Output.all(
            task.task_definition_arn, task.cluster_arn, task.task_role_arn, task.execution_role_arn
        ).apply(lambda a: scheduler_role_policy(a[0], a[1], a[2:])),
    )
    made = []
    for schedule in schedules:
        made.append(
            aws.scheduler.Schedule(
                f"{prefix}-{schedule.name}",
                schedule_expression=schedule.expression,
                flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
                target=aws.scheduler.ScheduleTargetArgs(
                    arn=task.cluster_arn,
                    role_arn=role.arn,
                    input=scheduled_task_input(schedule),
                    ecs_parameters=aws.scheduler.ScheduleTargetEcsParametersArgs(
                        task_definition_arn=task.task_definition_arn,
                        launch_type="FARGATE",
                        platform_version="LATEST",
                        network_configuration=aws.scheduler.ScheduleTargetEcsParametersNetworkConfigurationArgs(
                            subnets=subnet_ids,
                            security_groups=[task.security_group_id, *extra_security_group_ids],
                            assign_public_ip=False,
                        ),
                    ),
                    # One run per due time: a command that failed waits for the next.
                    retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                        maximum_retry_attempts=0
                    ),
                ),
                opts=pulumi.ResourceOptions(depends_on=[policy]),
            )
        )
    return made
