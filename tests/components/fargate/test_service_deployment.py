"""How FargateService's deployments end: `pulumi up` waits for a steady state within bounded
minutes, and a deployment whose new tasks answer 5xx is rolled back by its alarm."""

import pulumi
import pytest

from components.fargate.types import (
    LoadBalancerTarget,
)
from tests.components.fargate.service_runs import app, build
from tests.stack_runs import (
    SERVICE,
)

TG_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/0123"
LB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/4567"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


@pytest.fixture
def timeouts_sent(monkeypatch) -> dict[str, dict[str, str]]:
    """Resource name -> the custom timeouts its registration carries."""
    sent: dict[str, dict[str, str]] = {}
    set_mocks = pulumi.runtime.set_mocks

    def set_mocks_noting_timeouts(mocks, *args, monitor, **kwargs):
        register = monitor.RegisterResource

        def register_noting_timeouts(request):
            timeouts = request.customTimeouts
            sent[request.name] = {
                "create": timeouts.create,
                "update": timeouts.update,
                "delete": timeouts.delete,
            }
            return register(request)

        monitor.RegisterResource = register_noting_timeouts
        return set_mocks(mocks, *args, monitor=monitor, **kwargs)

    monkeypatch.setattr(pulumi.runtime, "set_mocks", set_mocks_noting_timeouts)
    return sent


def test_pulumi_up_waits_for_steady_state_and_gives_up_after_bounded_minutes(timeouts_sent):
    recording = build([app()])
    assert recording.one(SERVICE).inputs["waitForSteadyState"] is True
    assert timeouts_sent["svc-service"] == {"create": "30m", "update": "20m", "delete": "20m"}


def test_a_deployment_alarm_exists_before_the_service_that_rolls_back_on_it():
    target = LoadBalancerTarget(TG_ARN, "app", 8000, "sg-alb", load_balancer_arn=LB_ARN)
    recording = build([app()], load_balancer=target)
    alarm = recording.one(ALARM)
    service = recording.one(SERVICE)
    assert service.inputs["alarms"] == {
        "alarmNames": ["svc-deploy-target-5xx"],
        "enable": True,
        "rollback": True,
    }
    assert service.inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert alarm.urn in service.dependencies  # created first, so ECS can read it
    assert service.urn not in alarm.dependencies  # and it never waits for the service
    assert alarm.inputs["dimensions"] == {
        "LoadBalancer": "app/web/4567",
        "TargetGroup": "targetgroup/web/0123",
    }
    assert alarm.inputs["metricName"] == "HTTPCode_Target_5XX_Count"


def test_without_a_load_balancer_arn_there_is_no_deployment_alarm():
    recording = build([app()], load_balancer=LoadBalancerTarget(TG_ARN, "app", 8000, "sg-alb"))
    assert recording.of_type(ALARM) == []
    assert recording.one(SERVICE).inputs.get("alarms") is None
