"""How a FargateService's service deploys and which target group it joins."""

import dataclasses

import pytest

from components.fargate.deployment import (
    FARGATE,
    FARGATE_SPOT,
    ON_DEMAND_BASE,
    STEADY_STATE_TIMEOUTS,
    DeploymentLimits,
    capacity_provider_strategies,
    check_scheduling,
    deployment_alarm,
    deployment_alarms,
    deployment_limits,
    forces_new_deployment,
    health_check_grace_period,
    service_load_balancers,
)
from components.fargate.types import LoadBalancerTarget

TARGET = LoadBalancerTarget("arn:tg", "app", 8000, "sg-alb")
LB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/abc"


@pytest.mark.parametrize("desired_count", [0, 1, 3])
def test_stateful_container_forces_one_task_stopped_before_the_next(desired_count):
    assert deployment_limits(stateful=True, desired_count=desired_count) == DeploymentLimits(
        desired_count=1, minimum_healthy_percent=0, maximum_percent=100
    )


def test_stateless_task_rolls_with_full_capacity():
    assert deployment_limits(stateful=False, desired_count=2) == DeploymentLimits(
        desired_count=2, minimum_healthy_percent=100, maximum_percent=200
    )


def test_without_spot_the_service_keeps_its_launch_type_and_names_no_strategy():
    assert capacity_provider_strategies(fargate_spot=False) is None


def test_with_spot_the_first_task_is_on_demand_and_the_rest_split_evenly():
    on_demand, spot = capacity_provider_strategies(fargate_spot=True)
    assert (on_demand.capacity_provider, on_demand.base) == (FARGATE, ON_DEMAND_BASE)
    assert ON_DEMAND_BASE == 1  # a Spot shortage never leaves the site without a task
    assert spot.capacity_provider == FARGATE_SPOT
    assert spot.base is None  # only one provider of a strategy may have a base
    assert on_demand.weight == spot.weight > 0


def test_a_stateless_service_forces_a_deployment_so_its_strategy_may_change_in_place():
    # The provider refuses a strategy change (Spot on or off) without force_new_deployment.
    assert forces_new_deployment(stateful=False) is True


def test_a_stateful_service_is_never_forced_to_stop_its_only_task():
    assert forces_new_deployment(stateful=True) is False


def test_the_service_joins_the_target_group_at_the_containers_port():
    (attachment,) = service_load_balancers(TARGET)
    assert attachment.target_group_arn == "arn:tg"
    assert (attachment.container_name, attachment.container_port) == ("app", 8000)
    assert service_load_balancers(None) == []


def test_grace_period_applies_only_behind_a_load_balancer():
    assert health_check_grace_period(TARGET, 90) == 90
    assert health_check_grace_period(None, 90) is None


def test_a_deployment_is_rolled_back_on_the_target_groups_own_5xx_only():
    assert deployment_alarm(TARGET) is None  # no load balancer ARN to scope the metric to
    assert deployment_alarm(None) is None
    spec = deployment_alarm(dataclasses.replace(TARGET, load_balancer_arn=LB_ARN))
    assert (spec.namespace, spec.metric_name) == ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count")
    assert set(spec.dimensions) == {"LoadBalancer", "TargetGroup"}


def test_the_alarms_block_enables_rollback_and_is_absent_without_alarms():
    block = deployment_alarms(["svc-deploy-target-5xx"])
    assert (block.alarm_names, block.enable, block.rollback) == (
        ["svc-deploy-target-5xx"],
        True,
        True,
    )
    assert deployment_alarms([]) is None


def test_pulumi_up_waits_for_a_rollout_well_inside_the_deploy_jobs_hour():
    for timeout in (STEADY_STATE_TIMEOUTS.create, STEADY_STATE_TIMEOUTS.update):
        minutes = int(timeout.removesuffix("m"))
        assert 15 <= minutes <= 30


@pytest.mark.parametrize(
    ("autoscaled", "fargate_spot"), [(True, True), (True, False), (False, True)]
)
def test_a_stateless_task_may_scale_and_run_on_spot(autoscaled, fargate_spot):
    check_scheduling(stateful=False, autoscaled=autoscaled, fargate_spot=fargate_spot)


@pytest.mark.parametrize(
    ("autoscaled", "fargate_spot", "says"),
    [(True, False, "must never run twice"), (False, True, "Spot may stop the one task")],
)
def test_a_task_that_holds_data_neither_scales_nor_runs_on_spot(autoscaled, fargate_spot, says):
    check_scheduling(stateful=True, autoscaled=False, fargate_spot=False)
    with pytest.raises(ValueError, match=says):
        check_scheduling(stateful=True, autoscaled=autoscaled, fargate_spot=fargate_spot)
