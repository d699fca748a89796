"""examples/private-service: a program that uses the components as another project would."""

import ast
import json
import runpy
import sys
from pathlib import Path

import pytest
import yaml

from tools.offline import StackRecording, run_program

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "private-service"
PROJECT = yaml.safe_load((EXAMPLE / "Pulumi.yaml").read_text())["name"]
REQUIRED = {"aws:region": "eu-west-1", "repository": "api", "imageTag": "v1"}
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:v1"


def run_example(**settings: str) -> StackRecording:
    return run_program(
        lambda: runpy.run_path(str(EXAMPLE / "__main__.py"), run_name="__main__"),
        config={**REQUIRED, **settings},
        project=PROJECT,
        stack="dev",
    )


@pytest.fixture(scope="module")
def example() -> StackRecording:
    return run_example()


def the_container(recording: StackRecording) -> dict:
    task = recording.one("aws:ecs/taskDefinition:TaskDefinition")
    (container,) = json.loads(task.inputs["containerDefinitions"])
    return container


def test_imports_only_the_component_package_pulumi_and_the_standard_library():
    imported = set()
    for node in ast.walk(ast.parse((EXAMPLE / "__main__.py").read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"pulumi", "pulumi_aws", "components"}


def test_builds_a_private_network_without_nat(example):
    example.one("django-tw:network:PrivateNetwork", "app")
    assert example.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"] == "10.1.0.0/16"
    tiers = [subnet.inputs["tags"]["tier"] for subnet in example.of_type("aws:ec2/subnet:Subnet")]
    assert sorted(tiers) == ["private", "private", "public", "public"]
    assert example.of_type("aws:ec2/natGateway:NatGateway") == []
    assert example.outputs["vpcId"] == example.one("aws:ec2/vpc:Vpc").id


def test_asks_for_exactly_the_endpoints_its_task_needs(example):
    example.one("django-tw:network:EndpointSet", "app-endpoints")
    services = {
        endpoint.inputs["serviceName"]
        for endpoint in example.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    }
    needed = ["ecr.api", "ecr.dkr", "logs", "s3", "ssmmessages"]
    assert services == {f"com.amazonaws.eu-west-1.{service}" for service in needed}
    assert example.outputs["endpoints"] == needed


def test_the_service_waits_for_every_endpoint(example):
    waits_for = example.one("aws:ecs/service:Service").dependencies
    endpoints = example.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    assert endpoints
    assert [e.name for e in endpoints if e.urn not in waits_for] == []


def test_runs_the_image_from_the_repository_in_the_private_subnets(example):
    example.one("django-tw:fargate:FargateService", "app")
    container = the_container(example)
    assert container["name"] == "api"
    assert container["image"] == IMAGE
    assert container["portMappings"][0]["containerPort"] == 8080
    assert container["healthCheck"]["command"][1] == "curl -fsS http://127.0.0.1:8080/ || exit 1"

    private = {
        subnet.id
        for subnet in example.of_type("aws:ec2/subnet:Subnet")
        if subnet.inputs["tags"]["tier"] == "private"
    }
    network = example.one("aws:ecs/service:Service").inputs["networkConfiguration"]
    assert set(network["subnets"]) == private
    assert network["assignPublicIp"] is False
    assert example.outputs["cluster"] == example.one("aws:ecs/cluster:Cluster").outputs["name"]


def test_may_pull_from_its_repository_only(example):
    policy = example.one("aws:iam/rolePolicy:RolePolicy", "app-execution-policy")
    statements = {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}
    assert statements["EcrPull"]["Resource"] == [
        "arn:aws:ecr:eu-west-1:123456789012:repository/api"
    ]


def test_optional_settings_change_the_network_and_the_port():
    recording = run_example(vpcCidr="10.7.0.0/16", port="9000")
    assert recording.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"] == "10.7.0.0/16"
    container = the_container(recording)
    assert container["portMappings"][0]["containerPort"] == 9000
    assert container["healthCheck"]["command"][1] == "curl -fsS http://127.0.0.1:9000/ || exit 1"


@pytest.mark.parametrize("setting", ["repository", "imageTag"])
def test_a_missing_required_setting_is_named(setting):
    config = {key: value for key, value in REQUIRED.items() if key != setting}
    with pytest.raises(Exception, match=f"{PROJECT}:{setting}"):
        run_program(
            lambda: runpy.run_path(str(EXAMPLE / "__main__.py"), run_name="__main__"),
            config=config,
            project=PROJECT,
            stack="dev",
        )
