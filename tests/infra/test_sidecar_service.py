"""How a SidecarTask's service deploys and which target group it joins."""

import pytest

from components.sidecar_service import (
    DeploymentLimits,
    deployment_limits,
    health_check_grace_period,
    service_load_balancers,
)
from components.sidecar_types import LoadBalancerTarget

TARGET = LoadBalancerTarget("arn:tg", "app", 8000, "sg-alb")


@pytest.mark.parametrize("desired_count", [0, 1, 3])
def test_stateful_container_forces_one_task_stopped_before_the_next(desired_count):
    assert deployment_limits(stateful=True, desired_count=desired_count) == DeploymentLimits(
        desired_count=1, minimum_healthy_percent=0, maximum_percent=100
    )


def test_stateless_task_rolls_with_full_capacity():
    assert deployment_limits(stateful=False, desired_count=2) == DeploymentLimits(
        desired_count=2, minimum_healthy_percent=100, maximum_percent=200
    )


def test_the_service_joins_the_target_group_at_the_containers_port():
    (attachment,) = service_load_balancers(TARGET)
    assert attachment.target_group_arn == "arn:tg"
    assert (attachment.container_name, attachment.container_port) == ("app", 8000)
    assert service_load_balancers(None) == []


def test_grace_period_applies_only_behind_a_load_balancer():
    assert health_check_grace_period(TARGET, 90) == 90
    assert health_check_grace_period(None, 90) is None
