"""FargateService's task definition: Fargate and awsvpc, each container's definition, its memory
within the task's, a log group per container, the volumes the containers mount."""

import json

import pytest

from components.fargate.containers import container_definitions
from components.fargate.memory import SMALL_CONTAINER, MemoryNeed
from components.fargate.service import FargateServiceArgs
from components.fargate.types import EfsVolume, HealthCheck, Mount, Volume
from tests.components.fargate.service_builds import SECRET_ARN, app, build
from tests.stack_runs import TASK_DEFINITION, containers


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


def test_container_definitions_are_valid_json_in_declaration_order():
    recording = build([app(name="first", port=1), app(name="second", port=2)])
    names = [
        c["name"] for c in json.loads(recording.one(TASK_DEFINITION).inputs["containerDefinitions"])
    ]
    assert names == ["first", "second"]
