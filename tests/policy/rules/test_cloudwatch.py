"""CloudWatch rules: a production stack pages someone about 5xx and about its service."""

from __future__ import annotations

from ..builders import service
from .cloudwatch_fixtures import (
    ALB_5XX,
    PRODUCTION_ALB,
    SERVICE_CPU,
    TEST_ALB,
    TOPIC,
    alarm,
)
from .expect import result_of


def test_a_stack_without_deletion_protection_is_not_production_and_needs_no_alarms():
    assert result_of("DJTW.ALARMS", [TEST_ALB, service()]).passed


def test_alarms_that_publish_nowhere_do_not_count():
    silent = [
        alarm("alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {}, actions=()),
        alarm("cpu", "AWS/ECS", "CPUUtilization", {"ServiceName": "s"}, actions=()),
    ]
    result = result_of("DJTW.ALARMS", [PRODUCTION_ALB, service(), TOPIC, *silent])
    assert not result.passed


def test_the_targets_own_5xx_covers_the_load_balancer_too():
    target_5xx = alarm(
        "t5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"TargetGroup": "t"}
    )
    assert result_of(
        "DJTW.ALARMS", [PRODUCTION_ALB, service(), TOPIC, target_5xx, SERVICE_CPU]
    ).passed


def test_a_production_stack_without_a_service_alarm_fails():
    assert not result_of("DJTW.ALARMS", [PRODUCTION_ALB, service(), TOPIC, ALB_5XX]).passed
