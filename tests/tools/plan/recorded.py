"""A small recorded stack, built by hand, for the derivation and diagram tests.

It has the shape the real program records: components (custom=False) that parent real
resources, camelCase inputs, and the ids/ARNs the mocks answer with in ``outputs``.
"""

from __future__ import annotations

import json
from typing import Any

from tools.offline import RecordedResource

STACK = "urn:pulumi:prod::django-tw::pulumi:pulumi:Stack::django-tw-prod"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:prod::django-tw::{type_}::{name}"


def component(type_: str, name: str, parent: str | None = None) -> RecordedResource:
    return RecordedResource(type_, name, {}, {}, parent, urn(type_, name), custom=False)


def resource(
    type_: str,
    resource_name: str,
    parent: RecordedResource | None,
    outputs: dict[str, Any] | None = None,
    **inputs: Any,
) -> RecordedResource:
    """A custom resource; ``inputs`` may include a ``name`` property."""
    state = {**inputs, "id": f"{resource_name}-id", **(outputs or {})}
    parent_urn = parent.urn if parent else None
    return RecordedResource(
        type_, resource_name, inputs, state, parent_urn, urn(type_, resource_name)
    )


def small_stack(*, egress: str = "endpoints", endpoint_azs: int = 2) -> list[RecordedResource]:
    network = component("django-tw:network:PrivateNetwork", "net")
    endpoints = component("django-tw:network:EndpointSet", "net-endpoints", parent=network.urn)
    app = component("django-tw:fargate:FargateService", "app")
    resources = [network, endpoints, app]
    resources += [
        resource("aws:ec2/subnet:Subnet", f"net-private-{az}", network, mapPublicIpOnLaunch=False)
        for az in "ac"
    ]
    resources += [
        resource("aws:ec2/subnet:Subnet", f"net-public-{az}", network, mapPublicIpOnLaunch=False)
        for az in "ac"
    ]
    if egress == "endpoints":
        for service in ("ecr.api", "ecr.dkr", "logs", "secretsmanager"):
            resources.append(
                resource(
                    "aws:ec2/vpcEndpoint:VpcEndpoint",
                    f"net-endpoints-{service}",
                    endpoints,
                    serviceName=f"com.amazonaws.ap-northeast-1.{service}",
                    vpcEndpointType="Interface",
                    subnetIds=[f"subnet-{i}" for i in range(endpoint_azs)],
                )
            )
    else:
        resources.append(
            resource("aws:ec2/natGateway:NatGateway", "net-nat", network, subnetId="subnet-pa")
        )
        resources.append(resource("aws:ec2/eip:Eip", "net-nat-ip", network, domain="vpc"))
    resources.append(
        resource(
            "aws:ec2/vpcEndpoint:VpcEndpoint",
            "net-endpoints-s3",
            endpoints,
            serviceName="com.amazonaws.ap-northeast-1.s3",
            vpcEndpointType="Gateway",
        )
    )
    web = {
        "name": "web",
        "image": "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/web@sha256:1",
        "logConfiguration": {"logDriver": "awslogs"},
        "secrets": [
            {
                "name": "DJANGO_SECRET_KEY",
                "valueFrom": "arn:aws:secretsmanager:ap-northeast-1:1:secret:k",
            }
        ],
    }
    arn = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/app:1"
    resources += [
        resource(
            "aws:ecs/taskDefinition:TaskDefinition",
            "app-task",
            app,
            outputs={"arn": arn},
            family="app",
            cpu="512",
            memory="1024",
            runtimePlatform={"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
            containerDefinitions=json.dumps([web]),
        ),
        resource(
            "aws:ecs/service:Service",
            "app-service",
            app,
            launchType="FARGATE",
            taskDefinition=arn,
            desiredCount=1,
        ),
        resource("aws:cloudwatch/logGroup:LogGroup", "app-web-logs", app, retentionInDays=30),
        resource("aws:secretsmanager/secret:Secret", "app-secret-key", app),
        resource("aws:secretsmanager/secret:Secret", "app-database-url", app),
        resource(
            "aws:lb/loadBalancer:LoadBalancer",
            "alb",
            None,
            loadBalancerType="application",
            internal=False,
            subnets=["subnet-pa", "subnet-pc"],
        ),
        resource("aws:lb/listener:Listener", "alb-https", None, protocol="HTTPS", port=443),
        resource("aws:route53/record:Record", "site", None, zoneId="Z123", name="tw.example.com"),
        resource("aws:route53/record:Record", "cert-validation", None, zoneId="Z123", name="_x"),
        RecordedResource(
            "awsx:ecr:Image", "web-image", {"context": "service"}, {"imageUri": "x"}, app.urn,
            urn("awsx:ecr:Image", "web-image"), custom=False, remote=True,
        ),
    ]  # fmt: skip
    return resources
