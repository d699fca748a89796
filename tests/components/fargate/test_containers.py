"""Container definitions, volumes and log group names of a FargateService, from plain specs."""

import json

import pytest

from components.fargate.containers import (
    container_definition,
    container_definitions,
    log_group_name,
    task_volume,
    task_volumes,
)
from components.fargate.memory import ContainerMemory, MemoryNeed
from components.fargate.types import (
    ContainerSpec,
    EfsVolume,
    HealthCheck,
    Mount,
    SecretKey,
    Volume,
)

SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app-key-AbCdEf"
REGION = "ap-northeast-1"


def app(**kwargs) -> ContainerSpec:
    defaults = {"name": "app", "image": "repo/app@sha256:abc", "port": 8000}
    return ContainerSpec(**{**defaults, **kwargs})


def test_log_groups_are_named_by_task_then_container():
    assert log_group_name("svc", "app") == "/ecs/svc/app"


def test_container_definition_carries_every_field_of_the_spec():
    spec = app(
        environment={"MODE": "prod"},
        secrets={"APP_KEY": SECRET_ARN},
        health_check=HealthCheck(command=["CMD-SHELL", "true"], start_period=45),
        mounts=[Mount("scratch", "/scratch", read_only=True)],
        depends_on={"db": "HEALTHY"},
        stop_timeout=60,
        user="10001:10001",
        essential=False,
    )
    definition = container_definition(spec, "/ecs/svc/app", REGION)
    assert definition["name"] == "app"
    assert definition["image"] == "repo/app@sha256:abc"
    assert definition["essential"] is False
    assert definition["environment"] == [{"name": "MODE", "value": "prod"}]
    assert definition["secrets"] == [{"name": "APP_KEY", "valueFrom": SECRET_ARN}]
    assert definition["healthCheck"]["command"] == ["CMD-SHELL", "true"]
    assert definition["healthCheck"]["startPeriod"] == 45
    assert definition["mountPoints"] == [
        {"sourceVolume": "scratch", "containerPath": "/scratch", "readOnly": True}
    ]
    assert definition["dependsOn"] == [{"containerName": "db", "condition": "HEALTHY"}]
    assert definition["stopTimeout"] == 60
    assert definition["user"] == "10001:10001"
    assert definition["portMappings"] == [{"containerPort": 8000, "protocol": "tcp", "name": "app"}]
    assert definition["linuxParameters"] == {"initProcessEnabled": True}


def test_each_container_logs_to_its_group_in_the_region_under_its_own_prefix():
    definition = container_definition(app(), "/ecs/svc/app", REGION)
    assert definition["logConfiguration"] == {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": "/ecs/svc/app",
            "awslogs-region": REGION,
            "awslogs-stream-prefix": "app",
        },
    }


def test_optional_fields_are_left_out_so_ecs_applies_its_defaults():
    definition = container_definition(app(port=None), "/ecs/svc/app", REGION)
    assert not {"healthCheck", "stopTimeout", "user"} & set(definition)
    assert definition["portMappings"] == []
    assert (definition["environment"], definition["secrets"]) == ([], [])


def test_environment_and_secrets_are_sorted_so_their_order_never_changes_the_task():
    spec = app(environment={"B": "2", "A": "1"}, secrets={"Z_KEY": "arn:z", "A_KEY": "arn:a"})
    definition = container_definition(spec, "/ecs/svc/app", REGION)
    assert [item["name"] for item in definition["environment"]] == ["A", "B"]
    assert [item["name"] for item in definition["secrets"]] == ["A_KEY", "Z_KEY"]


def test_one_key_of_a_json_secret_is_injected_by_its_value_from():
    # ECS: arn:...:secret:name:json-key:version-stage:version-id, the last two empty for the
    # current version.
    secret = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1-AbCdEf"
    spec = app(secrets={"PGPASSWORD": SecretKey(secret, "password"), "KEY": "arn:key"})
    definition = container_definition(spec, "/ecs/svc/app", REGION)
    assert definition["secrets"] == [
        {"name": "KEY", "valueFrom": "arn:key"},
        {"name": "PGPASSWORD", "valueFrom": f"{secret}:password::"},
    ]


def test_a_command_overrides_the_image_s_cmd_and_is_left_out_otherwise():
    definition = container_definition(app(command=("python", "x.py")), "/ecs/svc/app", REGION)
    assert definition["command"] == ["python", "x.py"]
    assert "command" not in container_definition(app(), "/ecs/svc/app", REGION)


def test_container_definitions_are_json_in_declaration_order_each_with_its_log_group():
    specs = [app(name="second", port=2), app(name="first", port=1)]
    groups = {"first": "/ecs/svc/first", "second": "/ecs/svc/second"}
    definitions = json.loads(json.dumps(container_definitions(specs, groups, REGION)))
    assert [d["name"] for d in definitions] == ["second", "first"]
    assert [d["logConfiguration"]["options"]["awslogs-group"] for d in definitions] == [
        "/ecs/svc/second",
        "/ecs/svc/first",
    ]


def test_a_container_without_a_log_group_is_refused():
    with pytest.raises(ValueError, match=r"no log group given for container\(s\) app"):
        container_definitions([app()], {}, REGION)


def test_a_scratch_volume_is_task_local():
    volume = task_volume(Volume("scratch"))
    assert volume.name == "scratch"
    assert volume.efs_volume_configuration is None


def test_efs_volume_is_encrypted_in_transit_and_authorized_by_iam():
    volume = task_volume(Volume("data", efs=EfsVolume("fs-1", "fsap-1")))
    efs = volume.efs_volume_configuration
    assert volume.name == "data"
    assert efs.file_system_id == "fs-1"
    assert efs.transit_encryption == "ENABLED"
    assert efs.authorization_config.access_point_id == "fsap-1"
    assert efs.authorization_config.iam == "ENABLED"


def test_volumes_keep_their_declaration_order():
    volumes = task_volumes([Volume("b"), Volume("a", efs=EfsVolume("fs-1", "fsap-1"))])
    assert [volume.name for volume in volumes] == ["b", "a"]


def test_a_container_is_given_its_memory_limits():
    definition = container_definition(app(), "/ecs/svc/app", REGION, ContainerMemory(448, 160))
    assert (definition["memory"], definition["memoryReservation"]) == (448, 160)


def test_without_a_split_no_container_limit_is_written():
    assert "memory" not in container_definition(app(), "/ecs/svc/app", REGION)


def test_the_task_memory_is_split_by_each_containers_need():
    specs = [
        app(memory=MemoryNeed(reservation=100, share=1)),
        app(name="side", port=9000, memory=MemoryNeed(reservation=16, limit=64)),
    ]
    groups = {"app": "/ecs/svc/app", "side": "/ecs/svc/side"}
    definitions = container_definitions(specs, groups, REGION, task_memory=512)
    assert [(d["memory"], d["memoryReservation"]) for d in definitions] == [(448, 100), (64, 16)]
