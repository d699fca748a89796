"""This project's own rules: one writer on EFS, and every AWS service reachable without NAT."""

from __future__ import annotations

from policy.aws_types import ECS_SERVICE, NAT_GATEWAY, SCALING_TARGET, TASK_DEFINITION
from policy.evaluator import RULES_BY_ID, evaluate

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
from .expect import result_of


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


def test_single_writer_holds_no_stateless_task_however_many_run():
    definition = res(
        TASK_DEFINITION, "web", family="web", containerDefinitions=[container("web")], volumes=[]
    )
    service = res(
        ECS_SERVICE, "web", taskDefinition="web", desiredCount=4, deploymentMaximumPercent=200
    )
    scaling = res(SCALING_TARGET, "web", resourceId="service/c/web", maxCapacity=6)
    assert result_of("DJTW.SINGLE-WRITER", [definition, service, scaling]).passed
