"""This project's own rules: one writer on EFS, and every AWS service reachable without NAT."""

from __future__ import annotations

import pytest

from policy.aws_types import NAT_GATEWAY
from policy.evaluator import RULES_BY_ID, evaluate
from policy.rules import project

from ..builders import (
    ALL_ENDPOINTS,
    MOUNT_TARGETS,
    STATEFUL_TASK,
    container,
    endpoint,
    res,
    service,
    task_definition,
)
from .expect import assert_fails, assert_passes, result_of, rule_ids_of
from .project_fixtures import FIXTURES


def test_every_project_rule_has_a_passing_and_a_failing_fixture():
    assert sorted(FIXTURES) == rule_ids_of(project)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_passing_fixture_passes(rule_id):
    assert_passes(rule_id, FIXTURES[rule_id][0])


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_failing_fixture_fails_with_a_message(rule_id):
    assert_fails(rule_id, FIXTURES[rule_id][1])


def test_single_writer_needs_desired_count_one():
    assert not result_of("DJTW.SINGLE-WRITER", [STATEFUL_TASK, service(desiredCount=2)]).passed


def test_single_writer_ignores_tasks_without_writable_efs():
    stateless = task_definition(container("web"), name="web-task")
    scaled = service(
        taskDefinition=stateless.props["arn"], desiredCount=4, deploymentMaximumPercent=200
    )
    assert result_of("DJTW.SINGLE-WRITER", [stateless, scaled]).passed


def test_private_reach_is_satisfied_by_a_nat_gateway():
    nat = res(NAT_GATEWAY, "nat", subnetId="subnet-pa")
    assert result_of("DJTW.PRIVATE-REACH", [STATEFUL_TASK, service(), nat, *MOUNT_TARGETS]).passed


def test_private_reach_needs_the_smtp_endpoint_when_the_task_sends_mail():
    mailer = task_definition(
        container(
            environment=[{"name": "EMAIL_HOST", "value": "email-smtp.ap-northeast-1.amazonaws.com"}]
        )
    )
    without = evaluate([mailer, service(), *ALL_ENDPOINTS], [RULES_BY_ID["DJTW.PRIVATE-REACH"]])[0]
    assert [f.message.split()[0] for f in without.findings] == ["email-smtp"]
    with_smtp = [mailer, service(), *ALL_ENDPOINTS, endpoint("email-smtp")]
    assert result_of("DJTW.PRIVATE-REACH", with_smtp).passed
