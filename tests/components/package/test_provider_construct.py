"""The components built through the package provider's construct path exactly as a Python
program builds them, and failing with the same messages (the schema and the plugin:
test_provider.py)."""

import json

import pulumi
import pulumi_aws as aws
import pytest
from pulumi.provider.server import ComponentInitError

from components.fargate.service import FargateService, FargateServiceArgs
from components.fargate.types import ContainerSpec, HealthCheck, LoadBalancerTarget
from components.network.endpoint_set import EndpointSet, EndpointSetArgs
from components.network.private_network import PrivateNetwork, PrivateNetworkArgs
from components.postgres.container_env import WalArchive
from components.postgres.efs import EfsPostgres, EfsPostgresArgs
from tests.stack_runs import SERVICE, run_component

# --- construct: the same resources as from Python -----------------------------------------------

ARCHIVE_STATEMENT = {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": "arn:b/*"}


def described(recording) -> list[tuple]:
    """What the engine would be asked for, without the ids the mocks make up."""
    return sorted(
        (r.type, r.name, json.dumps(r.inputs, sort_keys=True, default=str))
        for r in recording.resources
    )


def via_provider(provider, name, class_name, inputs, options=None):
    def program() -> None:
        result = provider.construct(
            name, f"django-tw:index:{class_name}", inputs, options or pulumi.ResourceOptions()
        )
        pulumi.export("state", result.state)

    return run_component(program)


def via_python(build):
    return run_component(build)


CASES = {
    "PrivateNetwork": (
        {"cidrBlock": "10.20.0.0/16", "azCount": 3, "nat": "single", "flowLogs": "all"},
        lambda: PrivateNetwork(
            "net",
            PrivateNetworkArgs(
                cidr_block="10.20.0.0/16", az_count=3, nat="single", flow_logs="all"
            ),
        ),
    ),
    "EndpointSet": (
        {
            "vpcId": "vpc-1",
            "vpcCidr": "10.0.0.0/16",
            "region": "ap-northeast-1",
            "subnetIds": ["subnet-a", "subnet-c"],
            "routeTableIds": ["rtb-a", "rtb-c"],
            "services": ["s3", "logs", "ecr.api", "ecr.dkr", "s3"],
            "interfaceAzCount": 1,
        },
        lambda: EndpointSet(
            "net",
            EndpointSetArgs(
                vpc_id="vpc-1",
                vpc_cidr="10.0.0.0/16",
                region="ap-northeast-1",
                subnet_ids=["subnet-a", "subnet-c"],
                route_table_ids=["rtb-a", "rtb-c"],
                services=frozenset({"s3", "logs", "ecr.api", "ecr.dkr"}),
                interface_az_count=1,
            ),
        ),
    ),
    "EfsPostgres": (
        {
            "vpcId": "vpc-1",
            "subnetIds": ["subnet-a", "subnet-c"],
            "image": "repo/db@sha256:abc",
            "walArchive": {
                "destinationUrl": "s3://backups/pg",
                "region": "ap-northeast-1",
                "taskRoleStatements": [ARCHIVE_STATEMENT],
                "retentionDays": 9,
            },
            "databaseName": "tw",
            "protect": False,
        },
        lambda: EfsPostgres(
            "net",
            EfsPostgresArgs(
                vpc_id="vpc-1",
                subnet_ids=["subnet-a", "subnet-c"],
                image="repo/db@sha256:abc",
                wal_archive=WalArchive(
                    "s3://backups/pg",
                    "ap-northeast-1",
                    task_role_statements=[ARCHIVE_STATEMENT],
                    retention_days=9,
                ),
                database_name="tw",
                protect=False,
            ),
        ),
    ),
}


@pytest.mark.parametrize("class_name", sorted(CASES))
def test_a_component_built_through_the_provider_equals_the_python_one(provider, class_name):
    inputs, build = CASES[class_name]
    through_provider = via_provider(provider, "net", class_name, inputs)
    from_python = via_python(build)
    assert described(through_provider) == described(from_python)
    assert through_provider.outputs["state"]


SIDECAR_INPUTS = {
    "vpcId": "vpc-1",
    "subnetIds": ["subnet-a", "subnet-c"],
    "region": "ap-northeast-1",
    "containers": [
        {
            "name": "db",
            "image": "repo/db@sha256:abc",
            "port": 5432,
            "healthCheck": {"command": ["CMD-SHELL", "pg_isready"], "startPeriod": 60},
            "stateful": True,
        },
        {
            "name": "web",
            "image": "repo/web@sha256:def",
            "port": 8080,
            "dependsOn": {"db": "HEALTHY"},
            "environment": {"DJANGO_DEBUG": "0"},
        },
    ],
    "loadBalancer": {
        "targetGroupArn": "arn:tg",
        "containerName": "web",
        "containerPort": 8080,
        "sourceSecurityGroupId": "sg-alb",
    },
    "cpuArchitecture": "ARM64",
}


def sidecar_args(ready_after) -> FargateServiceArgs:
    return FargateServiceArgs(
        vpc_id="vpc-1",
        subnet_ids=["subnet-a", "subnet-c"],
        region="ap-northeast-1",
        containers=[
            ContainerSpec(
                "db",
                "repo/db@sha256:abc",
                port=5432,
                health_check=HealthCheck(("CMD-SHELL", "pg_isready"), start_period=60),
                stateful=True,
            ),
            ContainerSpec(
                "web",
                "repo/web@sha256:def",
                port=8080,
                depends_on={"db": "HEALTHY"},
                environment={"DJANGO_DEBUG": "0"},
            ),
        ],
        load_balancer=LoadBalancerTarget("arn:tg", "web", 8080, "sg-alb"),
        cpu_architecture="ARM64",
        ready_after=ready_after,
    )


@pytest.mark.parametrize(
    "token",
    ["django-tw:index:FargateService", "django-tw:index:SidecarTask"],  # the 0.1 token too
)
def test_a_fargate_service_through_the_provider_waits_for_its_depends_on(provider, token):
    def through_provider() -> None:
        listener = aws.s3.Bucket("listener")
        result = provider.construct(
            "svc",
            token,
            SIDECAR_INPUTS,
            pulumi.ResourceOptions(depends_on=[listener]),
        )
        pulumi.export("state", result.state)

    def from_python() -> None:
        listener = aws.s3.Bucket("listener")
        FargateService("svc", sidecar_args([listener]))

    provided, built = run_component(through_provider), run_component(from_python)
    assert described(provided) == described(built)
    listener_urn = provided.one("aws:s3/bucket:Bucket").urn
    assert listener_urn in provided.one(SERVICE).dependencies
    state = provided.outputs["state"]
    assert state["deployment"]["desiredCount"] == 1  # a dataclass output, sent as an object


# --- construct: wrong inputs fail as they do from Python ----------------------------------------


def python_message(build) -> str:
    with pytest.raises(ValueError, match=r".") as raised:
        build()
    return str(raised.value)


@pytest.mark.parametrize(
    ("class_name", "inputs", "build"),
    [
        (
            "PrivateNetwork",
            {"azCount": 1},
            lambda: PrivateNetworkArgs(az_count=1),
        ),
        (
            "FargateService",
            {
                **SIDECAR_INPUTS,
                "containers": [
                    {"name": "web", "image": "i", "healthCheck": {"command": ["true"]}},
                ],
            },
            lambda: HealthCheck(["true"]),
        ),
        (
            "EndpointSet",
            {**CASES["EndpointSet"][0], "services": ["s3", "dynamodb"]},
            lambda: EndpointSetArgs(**{"services": ["s3", "dynamodb"], **ENDPOINT_SET_BASE}),
        ),
    ],
)
def test_a_wrong_input_fails_with_the_python_message(provider, class_name, inputs, build):
    expected = python_message(build)
    failures: list[Exception] = []

    def program() -> None:
        try:
            provider.construct("bad", f"django-tw:index:{class_name}", inputs)
        except ComponentInitError as error:
            failures.append(error)

    run_component(program)
    (failure,) = failures
    assert isinstance(failure.inner, ValueError)
    assert str(failure) == expected


ENDPOINT_SET_BASE = {
    "vpc_id": "vpc-1",
    "vpc_cidr": "10.0.0.0/16",
    "region": "ap-northeast-1",
    "subnet_ids": ["subnet-a"],
    "route_table_ids": ["rtb-a"],
}
