"""ServiceAutoscaling on its own: names Application Auto Scaling understands, sane bounds."""

from __future__ import annotations

import pytest

from components.fargate.autoscaling import (
    ServiceAutoscaling,
    ServiceAutoscalingArgs,
    request_count_label,
    service_resource_id,
)
from tests.stack_runs import run_component

BALANCER = (
    "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/tw/50dc6c495c0c9188"
)
GROUP = (
    "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/tw-web/943f017f100becff"
)


def test_the_service_is_named_by_cluster_and_service():
    assert service_resource_id("tw-cluster", "tw-service") == "service/tw-cluster/tw-service"


def test_the_request_label_joins_the_arn_suffixes_of_balancer_and_target_group():
    assert request_count_label(BALANCER, GROUP) == (
        "app/tw/50dc6c495c0c9188/targetgroup/tw-web/943f017f100becff"
    )
    network_balancer = BALANCER.replace("loadbalancer/app/", "loadbalancer/net/")
    with pytest.raises(ValueError, match="application load balancer"):
        request_count_label(network_balancer, GROUP)
    with pytest.raises(ValueError, match="target group"):
        request_count_label(BALANCER, "arn:aws:s3:::bucket")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min_tasks": 0}, "1 <= min_tasks < max_tasks"),
        ({"min_tasks": 4, "max_tasks": 4}, "equal bounds"),
        ({"min_tasks": 5, "max_tasks": 3}, "min_tasks 5, max_tasks 3; give 1 <= min_tasks < max"),
        ({"requests_per_task": 0}, "requests_per_task"),
        ({"cpu_percent": 95}, "10..90"),
        ({"scale_in_cooldown_seconds": -1}, "cooldowns"),
    ],
)
def test_bad_args_say_what_to_change(change, message):
    args = {
        "cluster_name": "c",
        "service_name": "s",
        "load_balancer_arn": BALANCER,
        "target_group_arn": GROUP,
        **change,
    }
    with pytest.raises(ValueError, match=message):
        ServiceAutoscalingArgs(**args)


def test_one_target_and_two_tracking_policies_under_the_component():
    def program() -> None:
        ServiceAutoscaling(
            "web",
            ServiceAutoscalingArgs("c", "s", BALANCER, GROUP, min_tasks=2, max_tasks=5),
        )

    recording = run_component(program)
    target = recording.one("aws:appautoscaling/target:Target")
    assert target.inputs["resourceId"] == "service/c/s"
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (2, 5)
    policies = recording.of_type("aws:appautoscaling/policy:Policy")
    assert sorted(p.name for p in policies) == ["web-cpu", "web-requests"]
    component = recording.one("django-tw:fargate:ServiceAutoscaling")
    assert {target.parent, *(p.parent for p in policies)} == {component.urn}
    for policy in policies:
        assert policy.inputs["policyType"] == "TargetTrackingScaling"
        assert policy.inputs["resourceId"] == "service/c/s"
