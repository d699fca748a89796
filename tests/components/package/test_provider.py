"""The components as a Pulumi package: the schema Pulumi's analyzer infers, and components built
through the provider's construct path exactly as a Python program builds them.

The schema is what `pulumi package add` turns into an SDK for each language; a change to it
changes every consumer's SDK, so it is compared with package_schema.json and a change that is
meant updates the snapshot in the same commit:

    UPDATE_SCHEMA_SNAPSHOT=1 .venv/bin/python -m pytest tests/components/package/test_provider.py
"""

import difflib
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest
from pulumi.provider.server import ComponentInitError

from components.fargate.service import FargateService, FargateServiceArgs
from components.fargate.types import ContainerSpec, HealthCheck, LoadBalancerTarget
from components.network.endpoint_set import EndpointSet, EndpointSetArgs
from components.network.private_network import PrivateNetwork, PrivateNetworkArgs
from components.package.provider import (
    PACKAGE_COMPONENTS,
    PACKAGE_NAME,
    PACKAGE_VERSION,
    PackageProvider,
)
from components.postgres.container_env import WalArchive
from components.postgres.efs import EfsPostgres, EfsPostgresArgs
from stack.paths import REPO_ROOT
from tests.locks import input_pins, lock_pins
from tests.stack_runs import SERVICE, run_component

SNAPSHOT = Path(__file__).with_name("package_schema.json")
# The components every language must be able to use, whatever else the package adds.
REQUIRED = ("PrivateNetwork", "EndpointSet", "FargateService", "EfsPostgres")


@pytest.fixture(scope="module")
def provider() -> PackageProvider:
    return PackageProvider()


@pytest.fixture(scope="module")
def schema(provider) -> dict:
    return json.loads(provider.schema)


# --- the schema ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "former"),
    [
        ("FargateService", "SidecarTask"),
        ("EfsPostgres", "PersistentPostgres"),
        ("RdsPostgres", "ManagedPostgres"),
    ],
)
def test_a_renamed_component_keeps_its_former_token_as_a_schema_alias(schema, current, former):
    """Another language's SDK, generated from this schema, registers the alias with the new
    token, so a stack built with 0.1's token moves its resources instead of replacing them."""
    resource = schema["resources"][f"django-tw:index:{current}"]
    assert resource["aliases"] == [{"type": f"django-tw:index:{former}"}]
    assert f"django-tw:index:{former}" not in schema["resources"]


def test_the_schema_equals_its_snapshot(schema):
    current = json.dumps(schema, indent=1, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SCHEMA_SNAPSHOT"):
        SNAPSHOT.write_text(current)
    recorded = SNAPSHOT.read_text()
    if current != recorded:
        diff = difflib.unified_diff(
            recorded.splitlines(), current.splitlines(), "snapshot", "now", lineterm="", n=2
        )
        shown = "\n".join(list(diff)[:120])
        raise AssertionError(
            "the package schema differs from tests/components/package/package_schema.json; if the "
            "change is "
            f"meant, rerun with UPDATE_SCHEMA_SNAPSHOT=1 and commit the snapshot:\n{shown}"
        )


def test_every_package_component_has_an_index_token(schema):
    assert schema["name"] == PACKAGE_NAME
    assert sorted(schema["resources"]) == sorted(
        f"{PACKAGE_NAME}:index:{component.__name__}" for component in PACKAGE_COMPONENTS
    )
    assert {f"django-tw:index:{name}" for name in REQUIRED} <= set(schema["resources"])


@pytest.mark.parametrize("name", REQUIRED)
def test_a_required_component_s_inputs_and_outputs_are_typed_and_documented(schema, name):
    resource = schema["resources"][f"django-tw:index:{name}"]
    assert resource["isComponent"] is True
    assert resource["description"]
    for kind in ("inputProperties", "properties"):
        assert resource[kind], kind
        for property_name, spec in resource[kind].items():
            assert spec.get("type") or spec.get("$ref"), (kind, property_name)
            assert spec.get("description"), (kind, property_name)


def test_fields_with_defaults_are_optional_and_the_others_required(schema):
    network = schema["resources"]["django-tw:index:PrivateNetwork"]
    assert network.get("requiredInputs", []) == []
    postgres = schema["resources"]["django-tw:index:EfsPostgres"]
    assert sorted(postgres["requiredInputs"]) == ["image", "subnetIds", "vpcId", "walArchive"]
    health = schema["types"]["django-tw:index:HealthCheck"]
    assert health["required"] == ["command"]


def test_ready_after_is_left_to_depends_on(schema):
    task = schema["resources"]["django-tw:index:FargateService"]
    assert "readyAfter" not in task["inputProperties"]
    assert "containers" in task["requiredInputs"]


def test_endpoint_services_are_a_list_of_names(schema):
    services = schema["resources"]["django-tw:index:EndpointSet"]["inputProperties"]["services"]
    assert services["type"] == "array"
    assert services["items"]["type"] == "string"


# --- the plugin ---------------------------------------------------------------------------------


def test_the_plugin_directory_runs_as_pulumi_runs_it():
    # The Python language host runs `python <plugin directory>`: the provider starts and parses
    # its arguments (here only --help), so the directory's imports resolve.
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "components"), "--help"],
        cwd=REPO_ROOT / "components",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Pulumi provider plugin" in result.stdout


def test_the_plugin_pins_what_the_repository_pins():
    # the plugin's input asks for the program's versions (its lock takes the rest of the
    # program's lock: tests/test_locks.py)
    plugin = input_pins(REPO_ROOT / "components" / "requirements.in")
    repository = lock_pins(REPO_ROOT / "requirements.txt")
    assert plugin == {name: repository[name] for name in plugin}
    assert set(plugin) == {"pulumi", "pulumi-aws", "pulumi-awsx", "pulumi-random"}


def test_the_package_version_is_the_project_s():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == PACKAGE_VERSION


def test_the_plugin_manifest_names_python():
    manifest = (REPO_ROOT / "components" / "PulumiPlugin.yaml").read_text()
    assert "name: python" in manifest


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
