"""Plain data in, typed Args out (and back): what the package's provider does to values."""

from dataclasses import dataclass, field
from typing import Any

import pulumi
import pytest

from components.fargate.types import ContainerSpec, HealthCheck, LoadBalancerTarget, Mount
from components.network.endpoint_set import EndpointSetArgs
from components.package.inputs import args_from_inputs, camel_case, plain_output, value_of_type
from components.postgres.container_env import WalArchive


def test_nested_specs_become_their_dataclasses():
    spec = args_from_inputs(
        ContainerSpec,
        {
            "name": "db",
            "image": "postgres:17",
            "port": 5432,
            "health_check": {"command": ["CMD", "pg_isready"], "start_period": 60},
            "mounts": [{"volume": "data", "path": "/var/lib/postgresql"}],
            "environment": {"PGDATA": "/var/lib/postgresql/data"},
        },
    )
    assert spec == ContainerSpec(
        "db",
        "postgres:17",
        port=5432,
        health_check=HealthCheck(("CMD", "pg_isready"), start_period=60),
        mounts=(Mount("data", "/var/lib/postgresql"),),
        environment={"PGDATA": "/var/lib/postgresql/data"},
    )


def test_missing_and_none_values_take_the_field_s_default():
    target = args_from_inputs(
        LoadBalancerTarget,
        {
            "target_group_arn": "arn:tg",
            "container_name": "nginx",
            "container_port": 8080,
            "source_security_group_id": "sg-1",
            "load_balancer_arn": None,
        },
    )
    assert target.load_balancer_arn is None
    assert args_from_inputs(WalArchive, {"destination_url": "s3://b/p", "region": "r"}) == (
        WalArchive("s3://b/p", "r")
    )


def test_a_wrong_nested_value_fails_with_the_python_message():
    with pytest.raises(ValueError, match=r"HealthCheck.command \['true'\] must start with 'CMD'"):
        args_from_inputs(
            ContainerSpec, {"name": "a", "image": "i", "health_check": {"command": ["true"]}}
        )


def test_an_input_that_is_no_field_is_refused_by_name():
    with pytest.raises(ValueError, match="Mount has no field size; its fields are volume, path"):
        args_from_inputs(Mount, {"volume": "v", "path": "/p", "size": 3})


def test_a_spec_that_is_not_an_object_is_refused():
    with pytest.raises(ValueError, match="Mount needs an object of its fields"):
        args_from_inputs(Mount, ["v", "/p"])


def test_outputs_and_input_strings_pass_through_unchanged():
    output = pulumi.Output.from_input("vpc-1")
    assert value_of_type(pulumi.Input[str], output) is output
    assert value_of_type(pulumi.Input[str], "vpc-1") == "vpc-1"
    assert value_of_type(list[pulumi.Input[str]], ["a", "b"]) == ("a", "b")
    assert value_of_type(Any, {"k": [1]}) == {"k": [1]}


def test_a_string_is_never_split_into_a_sequence():
    assert value_of_type(list[str], "abc") == "abc"


def test_endpoint_services_are_kept_sorted_and_once_each():
    args = args_from_inputs(
        EndpointSetArgs,
        {
            "vpc_id": "vpc-1",
            "vpc_cidr": "10.0.0.0/16",
            "region": "ap-northeast-1",
            "subnet_ids": ["subnet-1"],
            "route_table_ids": ["rtb-1"],
            "services": ["s3", "logs", "s3"],
        },
    )
    assert args.services == ("logs", "s3")


def test_schema_names_are_camel_case_as_the_analyzer_derives_them():
    assert camel_case("cidr_block") == "cidrBlock"
    assert camel_case("az_count") == "azCount"
    assert camel_case("region") == "region"


def test_outputs_go_back_as_objects_and_lists():
    @dataclass(frozen=True)
    class Limits:
        minimum_healthy_percent: int
        maximum_percent: int | None = None
        names: frozenset[str] = field(default_factory=frozenset)

    value = {"limits": Limits(50, names=frozenset({"b", "a"})), "ports": (80, 443)}
    assert plain_output(value) == {
        "limits": {"minimumHealthyPercent": 50, "names": ["a", "b"]},
        "ports": [80, 443],
    }
