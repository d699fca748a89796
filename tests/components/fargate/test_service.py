"""FargateService on its own: the resources it declares from its pure parts' results.

What each part computes is specified beside it (test_containers, test_roles, test_deployment,
test_types, test_service_parts); here, that the component declares it, wired together. Its roles
are in test_service_roles, how its deployments end in test_service_deployment.
"""

import json

import pulumi
import pulumi_aws as aws
import pytest

from components.fargate.containers import container_definitions
from components.fargate.deployment import deployment_limits
from components.fargate.memory import SMALL_CONTAINER, MemoryNeed
from components.fargate.service import FargateService, FargateServiceArgs
from components.fargate.types import (
    EfsVolume,
    HealthCheck,
    LoadBalancerTarget,
    Mount,
    Volume,
)
from tests.components.fargate.service_runs import CAPACITY_PROVIDERS, SECRET_ARN, app, build
from tests.stack_runs import (
    EGRESS_RULE,
    INGRESS_RULE,
    ROLE_POLICY,
    SERVICE,
    TASK_DEFINITION,
    containers,
    run_component,
)


def test_task_definition_is_fargate_awsvpc_with_the_given_size_and_architecture():
    recording = build([app()], cpu=1024, memory=2048, cpu_architecture="ARM64")
    inputs = recording.one(TASK_DEFINITION).inputs
    assert inputs["networkMode"] == "awsvpc"
    assert inputs["requiresCompatibilities"] == ["FARGATE"]
    assert (inputs["cpu"], inputs["memory"]) == ("1024", "2048")
    assert inputs["runtimePlatform"] == {
        "operatingSystemFamily": "LINUX",
        "cpuArchitecture": "ARM64",
    }


def test_task_definition_holds_each_containers_definition_logging_to_its_own_group():
    specs = [
        app(
            environment={"MODE": "prod"},
            secrets={"APP_KEY": SECRET_ARN},
            health_check=HealthCheck(command=["CMD-SHELL", "true"], start_period=45),
            mounts=[Mount("scratch", "/scratch", read_only=True)],
            stop_timeout=60,
            user="10001:10001",
        ),
        app(name="side", port=9000, depends_on={"app": "HEALTHY"}),
    ]
    recording = build(specs, volumes=[Volume("scratch")])
    groups = {"app": "/ecs/svc/app", "side": "/ecs/svc/side"}
    task_memory = 1024  # FargateServiceArgs' default
    expected = json.loads(
        json.dumps(container_definitions(specs, groups, "ap-northeast-1", task_memory))
    )
    assert list(containers(recording).values()) == expected


def test_every_container_has_a_hard_and_a_soft_memory_limit_within_the_task():
    specs = [
        app(memory=MemoryNeed(reservation=100, share=1)),
        app(name="side", port=9000),  # says nothing: a small fixed part
    ]
    definitions = containers(build(specs, memory=2048))
    assert set(definitions) == {"app", "side"}
    for definition in definitions.values():
        assert definition["memory"] > definition["memoryReservation"] > 0
    assert sum(definition["memory"] for definition in definitions.values()) <= 2048
    assert definitions["app"]["memory"] == 2048 - SMALL_CONTAINER.limit


def test_a_task_too_small_for_its_containers_is_refused():
    with pytest.raises(ValueError, match="set taskMemory to at least"):
        FargateServiceArgs(
            vpc_id="vpc-1",
            subnet_ids=["subnet-a"],
            region="ap-northeast-1",
            containers=[app(memory=MemoryNeed(reservation=600, share=1))],
            memory=512,
        )


def test_one_log_group_per_container_with_retention():
    recording = build([app(), app(name="side", port=9000)], log_retention_days=14)
    groups = [
        g for g in recording.of_type("aws:cloudwatch/logGroup:LogGroup") if "exec" not in g.name
    ]
    assert sorted(g.inputs["name"] for g in groups) == ["/ecs/svc/app", "/ecs/svc/side"]
    assert {g.inputs["retentionInDays"] for g in groups} == {14}
    assert recording.outputs["log_group_names"] == {"app": "/ecs/svc/app", "side": "/ecs/svc/side"}


def test_task_definition_declares_the_volumes_the_containers_mount():
    volumes = [
        Volume("scratch"),
        Volume("data", efs=EfsVolume(file_system_id="fs-1", access_point_id="fsap-1")),
    ]
    mounts = [Mount("scratch", "/scratch"), Mount("data", "/data")]
    recording = build([app(mounts=mounts)], volumes=volumes)
    scratch, data = recording.one(TASK_DEFINITION).inputs["volumes"]
    assert scratch == {"name": "scratch"}
    assert data["name"] == "data"
    assert data["efsVolumeConfiguration"] == {
        "fileSystemId": "fs-1",
        "transitEncryption": "ENABLED",
        "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"},
    }


@pytest.mark.parametrize(("stateful", "desired_count"), [(True, 3), (False, 2)])
def test_service_deploys_within_the_limits_the_containers_allow(stateful, desired_count):
    recording = build([app(stateful=stateful)], desired_count=desired_count)
    service = recording.one(SERVICE).inputs
    limits = deployment_limits(stateful, desired_count)
    assert service["desiredCount"] == limits.desired_count
    assert service["deploymentMinimumHealthyPercent"] == limits.minimum_healthy_percent
    assert service["deploymentMaximumPercent"] == limits.maximum_percent


def test_service_runs_privately_with_exec_circuit_breaker_and_grace_period():
    target = LoadBalancerTarget("arn:tg", "app", 8000, "sg-alb")
    recording = build([app()], load_balancer=target, health_check_grace_seconds=90)
    service = recording.one(SERVICE).inputs
    assert service["networkConfiguration"]["assignPublicIp"] is False
    assert service["networkConfiguration"]["subnets"] == ["subnet-a", "subnet-c"]
    assert service["enableExecuteCommand"] is True
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert service["healthCheckGracePeriodSeconds"] == 90
    assert service["loadBalancers"] == [
        {"targetGroupArn": "arn:tg", "containerName": "app", "containerPort": 8000}
    ]
    (rule,) = recording.of_type(INGRESS_RULE)
    assert rule.inputs["referencedSecurityGroupId"] == "sg-alb"
    assert rule.inputs["fromPort"] == rule.inputs["toPort"] == 8000


class _Prerequisite(pulumi.ComponentResource):
    """Stands for a component the task needs, e.g. a file system with its mount targets."""

    def __init__(self, name: str) -> None:
        super().__init__("test:index:Prerequisite", name)
        self.mount = aws.efs.MountTarget(
            f"{name}-mount",
            file_system_id="fs-1",
            subnet_id="subnet-a",
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})


def test_service_waits_for_its_roles_permissions_its_rules_and_what_it_is_ready_after():
    def program() -> None:
        secret_value = aws.secretsmanager.SecretVersion(
            "app-key-version", secret_id="app-key", secret_string="s3cret"
        )
        FargateService(
            "svc",
            FargateServiceArgs(
                vpc_id="vpc-1",
                subnet_ids=["subnet-a"],
                region="ap-northeast-1",
                containers=[app(secrets={"APP_KEY": SECRET_ARN})],
                task_role_statements=[
                    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}
                ],
                load_balancer=LoadBalancerTarget("arn:tg", "app", 8000, "sg-alb"),
                ready_after=[secret_value, _Prerequisite("data")],
            ),
        )

    recording = run_component(program)
    waits_for = set(recording.one(SERVICE).dependencies)
    needed = [
        *recording.of_type(ROLE_POLICY),
        *recording.of_type(INGRESS_RULE),
        *recording.of_type(EGRESS_RULE),
        recording.one("aws:secretsmanager/secretVersion:SecretVersion"),
        recording.one("aws:efs/mountTarget:MountTarget"),  # through its component
    ]
    assert len(recording.of_type(ROLE_POLICY)) == 2
    assert recording.of_type(EGRESS_RULE)
    missing = [resource.name for resource in needed if resource.urn not in waits_for]
    assert missing == []


def test_without_spot_the_service_launches_on_fargate_and_the_cluster_keeps_its_providers():
    recording = build([app()])
    service = recording.one(SERVICE).inputs
    assert service["launchType"] == "FARGATE"
    assert "capacityProviderStrategies" not in service
    assert recording.of_type(CAPACITY_PROVIDERS) == []


def test_with_spot_the_cluster_offers_both_providers_before_the_service_names_them():
    recording = build([app()], desired_count=3, fargate_spot=True)
    association = recording.one(CAPACITY_PROVIDERS)
    cluster = recording.one("aws:ecs/cluster:Cluster")
    assert association.inputs["clusterName"] == cluster.outputs["name"]
    assert sorted(association.inputs["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    service = recording.one(SERVICE)
    assert "launchType" not in service.inputs  # ECS takes a launch type or a strategy
    assert service.inputs["capacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 1},
    ]
    assert association.urn in service.dependencies


@pytest.mark.parametrize("fargate_spot", [False, True])
def test_a_stateless_service_may_turn_spot_on_or_off_in_place(fargate_spot):
    # Both switches change the strategy, which the provider plans only with the flag set in
    # the configuration that makes the change.
    service = build([app()], desired_count=2, fargate_spot=fargate_spot).one(SERVICE)
    assert service.inputs["forceNewDeployment"] is True


def test_a_stateful_service_is_not_forced_into_new_deployments():
    service = build([app(stateful=True)]).one(SERVICE)
    assert service.inputs.get("forceNewDeployment", False) is False


def test_cluster_turns_container_insights_on():
    cluster = build([app()]).one("aws:ecs/cluster:Cluster")
    assert cluster.inputs["settings"] == [{"name": "containerInsights", "value": "enabled"}]


def test_required_endpoints_follow_what_the_task_uses():
    assert build([app()]).outputs["required_endpoints"] == [
        "ecr.api",
        "ecr.dkr",
        "logs",
        "s3",
        "ssmmessages",
    ]
    without_exec = build([app(secrets={"APP_KEY": SECRET_ARN})], enable_exec=False)
    assert without_exec.outputs["required_endpoints"] == [
        "ecr.api",
        "ecr.dkr",
        "logs",
        "s3",
        "secretsmanager",
    ]


def test_children_are_parented_to_the_component():
    recording = build([app()])
    component = recording.one("django-tw:fargate:FargateService")
    assert {r.parent for r in recording.resources if r is not component} == {component.urn}


@pytest.mark.parametrize(
    ("containers_", "kwargs", "message"),
    [
        ([app(depends_on={"db": "HEALTHY"})], {}, r"depends on 'db', which is not a container"),
        (
            [app(depends_on={"db": "HEALTHY"}), app(name="db", port=5432)],
            {},
            r"waits for 'db' to be HEALTHY, but 'db' has no health_check",
        ),
        (
            [app(depends_on={"init": "SUCCESS"}), app(name="init", port=None)],
            {},
            r"waits for 'init' to SUCCESS, which ECS allows only .* make 'init' essential=False",
        ),
        (
            [app(depends_on={"init": "COMPLETE"}), app(name="init", port=None)],
            {},
            r"make 'init' essential=False",
        ),
        ([app(mounts=[Mount("data", "/d")])], {}, r"mounts volume 'data'; declare it"),
        ([app(), app(name="two")], {}, r"each needs its own port"),
        ([app(), app()], {}, r"repeats app"),
        ([], {}, r"containers is empty"),
        ([app()], {"cpu_architecture": "arm"}, r"use X86_64 or ARM64"),
        ([app()], {"ready_after": ["sg-1"]}, r"ready_after holds 'sg-1'; give resources"),
        ([app(stateful=True)], {"autoscaled": True}, r"must never run twice"),
        ([app(stateful=True)], {"fargate_spot": True}, r"Spot may stop the one task"),
    ],
)
def test_bad_task_args_say_what_to_change(containers_, kwargs, message):
    with pytest.raises(ValueError, match=message):
        FargateServiceArgs(
            vpc_id="v", subnet_ids=["s"], region="r", containers=containers_, **kwargs
        )


def test_container_definitions_are_valid_json_in_declaration_order():
    recording = build([app(name="first", port=1), app(name="second", port=2)])
    names = [
        c["name"] for c in json.loads(recording.one(TASK_DEFINITION).inputs["containerDefinitions"])
    ]
    assert names == ["first", "second"]
