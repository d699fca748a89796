"""The permissions boundary: at most what the stack's own policies do, never IAM, except
passing the stack's own ECS task roles to ECS tasks."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from components.postgres.restore_drill_parts import events_role_statements
from tools.plan.deploy_boundary import boundary_document
from tools.plan.deploy_policies import Declared, Target

ACCOUNT = "123456789012"
TARGET = Target("prod", ACCOUNT)
ECS_TASKS = {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
TASK_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/tw-prod-drill-task-role-1234"


def role(name: str, service: str) -> SimpleNamespace:
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": service}}]}
    return SimpleNamespace(
        type="aws:iam/role:Role",
        name=name,
        inputs={"namePrefix": f"{name}-", "assumeRolePolicy": json.dumps(trust)},
    )


def policy(name: str, *statements: dict) -> SimpleNamespace:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return SimpleNamespace(
        type="aws:iam/rolePolicy:RolePolicy", name=name, inputs={"policy": json.dumps(document)}
    )


def declared(*statements: dict) -> Declared:
    return Declared(
        [
            role("tw-prod-task-role", "ecs-tasks.amazonaws.com"),
            role("tw-prod-execution-role", "ecs-tasks.amazonaws.com"),
            role("tw-prod-flow-log-role", "vpc-flow-logs.amazonaws.com"),
            role("tw-prod-drill-events-role", "events.amazonaws.com"),
            policy("tw-prod-logs", {"Effect": "Allow", "Action": "logs:PutLogEvents"}),
            policy("tw-prod-drill-events", *statements),
        ],
        [],
    )


RUN_TASK = {"Effect": "Allow", "Action": "ecs:RunTask", "Resource": "*"}
PASS_TO_ECS = {
    "Effect": "Allow",
    "Action": "iam:PassRole",
    "Resource": [TASK_ROLE_ARN],
    "Condition": ECS_TASKS,
}


def test_without_a_role_that_passes_roles_the_boundary_holds_no_iam_at_all():
    document = boundary_document(declared(RUN_TASK), TARGET)
    assert [s["Sid"] for s in document["Statement"]] == ["AtMostWhatTheStackUses"]
    assert document["Statement"][0]["Action"] == ["ecs:RunTask", "logs:PutLogEvents"]


def test_pass_role_is_let_through_only_on_the_stacks_ecs_task_roles_to_ecs_tasks():
    document = boundary_document(declared(RUN_TASK, PASS_TO_ECS), TARGET)
    uses, passing = document["Statement"]
    assert not [a for a in uses["Action"] if a.startswith(("iam:", "sts:"))]
    assert passing == {
        "Sid": "PassOwnRolesToEcsTasks",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        # Not the flow-log or events roles: only those ECS tasks assume, under this stack.
        "Resource": [
            f"arn:aws:iam::{ACCOUNT}:role/tw-prod-execution-role-*",
            f"arn:aws:iam::{ACCOUNT}:role/tw-prod-task-role-*",
        ],
        "Condition": ECS_TASKS,
    }


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
        {"StringLike": {"iam:PassedToService": "*"}},
    ],
)
def test_pass_role_to_another_service_or_unconditioned_stays_denied(condition):
    statement = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": [TASK_ROLE_ARN]}
    if condition is not None:
        statement["Condition"] = condition
    with pytest.raises(ValueError, match="passed to ECS tasks only"):
        boundary_document(declared(RUN_TASK, statement), TARGET)


@pytest.mark.parametrize("action", ["iam:CreateRole", "iam:PutRolePolicy", "sts:AssumeRole"])
def test_any_other_iam_action_stays_denied_even_beside_pass_role(action):
    other = {"Effect": "Allow", "Action": [action, "iam:PassRole"], "Condition": ECS_TASKS}
    with pytest.raises(ValueError, match="never IAM or STS"):
        boundary_document(declared(RUN_TASK, other), TARGET)


def test_passing_roles_needs_the_target_that_names_their_arns():
    with pytest.raises(ValueError, match="give the Target"):
        boundary_document(declared(RUN_TASK, PASS_TO_ECS))


def test_the_restore_drills_eventbridge_role_fits_the_boundary():
    run, passing = events_role_statements(
        f"arn:aws:ecs:ap-northeast-1:{ACCOUNT}:task-definition/tw-prod-drill:1", [TASK_ROLE_ARN]
    )
    run = {**run, "Resource": "*"}  # an Output until deployed; the boundary reads the actions
    document = boundary_document(declared(run, passing), TARGET)
    assert "ecs:RunTask" in document["Statement"][0]["Action"]
    assert document["Statement"][1]["Condition"] == passing["Condition"]
