"""The inputs FargateService gives its task definition and service, as plain values."""

import pytest

from components.fargate.deployment import deployment_limits
from components.fargate.memory import SMALL_CONTAINER
from components.fargate.service_args import FargateServiceArgs
from components.fargate.service_parts import service_inputs, task_definition_inputs
from components.fargate.types import ContainerSpec, EfsVolume, LoadBalancerTarget, Mount, Volume


def task_args(**kwargs) -> FargateServiceArgs:
    web = ContainerSpec(name="web", image="repo/web@sha256:abc", port=8000)
    return FargateServiceArgs(
        vpc_id="vpc-1",
        subnet_ids=["subnet-a", "subnet-c"],
        region="ap-northeast-1",
        containers=kwargs.pop("containers", [web]),
        **kwargs,
    )


def inputs_of_service(args: FargateServiceArgs) -> dict:
    return service_inputs(
        args,
        deployment_limits(args.stateful, args.desired_count),
        cluster_arn="arn:cluster",
        task_definition_arn="arn:taskdef:3",
        security_group_id="sg-task",
        alarm_names=["svc-deploy-5xx"],
    )


def test_the_task_definition_is_a_linux_fargate_task_on_its_own_eni_of_the_asked_size():
    inputs = task_definition_inputs(
        "svc",
        task_args(cpu=1024, memory=2048, cpu_architecture="ARM64"),
        container_definitions="[]",
        execution_role_arn="arn:execution",
        task_role_arn="arn:task",
    )
    assert (inputs["family"], inputs["network_mode"]) == ("svc", "awsvpc")
    assert inputs["requires_compatibilities"] == ["FARGATE"]
    assert (inputs["cpu"], inputs["memory"]) == ("1024", "2048")  # ECS takes them as text
    platform = inputs["runtime_platform"]
    assert (platform.operating_system_family, platform.cpu_architecture) == ("LINUX", "ARM64")
    assert (inputs["execution_role_arn"], inputs["task_role_arn"]) == ("arn:execution", "arn:task")
    assert inputs["container_definitions"] == "[]"


def test_the_task_definition_declares_the_volumes_the_containers_mount():
    data = Volume("data", EfsVolume("fs-1", "fsap-1"))
    db = ContainerSpec(
        name="db",
        image="repo/db@sha256:abc",
        port=5432,
        mounts=(Mount("data", "/var/lib/postgresql/data"),),
        stateful=True,
        memory=SMALL_CONTAINER,
    )
    inputs = task_definition_inputs(
        "svc",
        task_args(containers=[db], volumes=[data]),
        container_definitions="[]",
        execution_role_arn="arn:execution",
        task_role_arn="arn:task",
    )
    assert [volume.name for volume in inputs["volumes"]] == ["data"]


def test_the_service_runs_the_task_privately_behind_the_task_group_then_the_extra_ones():
    inputs = inputs_of_service(task_args(extra_security_group_ids=["sg-efs-client"]))
    network = inputs["network_configuration"]
    assert network.subnets == ["subnet-a", "subnet-c"]
    assert network.security_groups == ["sg-task", "sg-efs-client"]
    assert network.assign_public_ip is False
    assert (inputs["cluster"], inputs["task_definition"]) == ("arn:cluster", "arn:taskdef:3")


def test_the_service_rolls_a_failed_deployment_back_and_pulumi_up_waits_for_it():
    inputs = inputs_of_service(task_args())
    breaker = inputs["deployment_circuit_breaker"]
    assert (breaker.enable, breaker.rollback) == (True, True)
    assert inputs["alarms"].alarm_names == ["svc-deploy-5xx"]
    assert inputs["wait_for_steady_state"] is True
    assert inputs["platform_version"] == "LATEST"  # 1.4.0+ mounts EFS


@pytest.mark.parametrize(("fargate_spot", "launch_type"), [(False, "FARGATE"), (True, None)])
def test_the_service_takes_a_launch_type_or_a_capacity_strategy_never_both(
    fargate_spot, launch_type
):
    inputs = inputs_of_service(task_args(fargate_spot=fargate_spot, desired_count=2))
    assert inputs["launch_type"] == launch_type
    assert (inputs["capacity_provider_strategies"] is None) is (not fargate_spot)


def test_the_service_deploys_within_the_limits_its_containers_allow():
    args = task_args(desired_count=3)
    limits = deployment_limits(args.stateful, args.desired_count)
    inputs = inputs_of_service(args)
    assert inputs["desired_count"] == limits.desired_count == 3
    assert inputs["deployment_minimum_healthy_percent"] == limits.minimum_healthy_percent
    assert inputs["deployment_maximum_percent"] == limits.maximum_percent


def test_the_service_registers_its_container_with_the_target_group_and_waits_out_its_grace():
    target = LoadBalancerTarget("arn:tg", "web", 8000, "sg-alb")
    inputs = inputs_of_service(task_args(load_balancer=target, health_check_grace_seconds=240))
    (registration,) = inputs["load_balancers"]
    assert (registration.container_name, registration.container_port) == ("web", 8000)
    assert inputs["health_check_grace_period_seconds"] == 240
    assert inputs_of_service(task_args())["load_balancers"] == []
