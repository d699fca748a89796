"""Builders of engine-style resources, and the stateful task and its network that several
services' fixtures share.

Each builder gives what our components must produce; a fixture overrides one property to show
the mistake a rule exists to catch.
"""

from __future__ import annotations

import json
from typing import Any

from policy.aws_types import (
    ECS_SERVICE,
    EFS_MOUNT_TARGET,
    SUBNET,
    TASK_DEFINITION,
    VPC_ENDPOINT,
)
from policy.model import Resource

REGION = "ap-northeast-1"


def res(type_: str, resource_name: str, **props: Any) -> Resource:
    """A resource as the engine shows it; ``props`` may include a ``name`` property."""
    urn = f"urn:pulumi:prod::django-tw::{type_}::{resource_name}"
    return Resource(type=type_, name=resource_name, props=props, urn=urn)


def container(name: str = "web", **overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": name,
        "image": f"123456789012.dkr.ecr.{REGION}.amazonaws.com/{name}@sha256:abc",
        "user": "1000",
        "privileged": False,
        "readonlyRootFilesystem": True,
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": f"/{name}"}},
        "environment": [{"name": "DJANGO_SETTINGS_MODULE", "value": "config.settings.production"}],
        "secrets": [
            {
                "name": "DJANGO_SECRET_KEY",
                "valueFrom": f"arn:aws:secretsmanager:{REGION}:123456789012:secret:django-key",
            }
        ],
    }
    spec.update(overrides)
    return spec


def task_definition(*containers: dict[str, Any], name: str = "app-task", **props: Any) -> Resource:
    base: dict[str, Any] = {
        "family": "app",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "containerDefinitions": json.dumps(list(containers) or [container()]),
        "id": f"{name}-id",
        "arn": f"arn:aws:ecs:{REGION}:123456789012:task-definition/app:1",
    }
    base.update(props)
    return res(TASK_DEFINITION, name, **base)


def policy_document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions: Any, resources: Any = "*") -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


# --- the stateful sidecar and the stack around it ------------------------------------------

EFS_VOLUME = {
    "name": "pgdata",
    "efsVolumeConfiguration": {
        "fileSystemId": "fs-1",
        "transitEncryption": "ENABLED",
        "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"},
    },
}
DB = container(
    "db",
    user="999",
    mountPoints=[{"sourceVolume": "pgdata", "containerPath": "/var/lib/postgresql/data"}],
)
STATEFUL_TASK = task_definition(DB, volumes=[EFS_VOLUME])


def service(**props: Any) -> Resource:
    base: dict[str, Any] = {
        "launchType": "FARGATE",
        "taskDefinition": STATEFUL_TASK.props["arn"],
        "desiredCount": 1,
        "deploymentMaximumPercent": 100,
        "deploymentMinimumHealthyPercent": 0,
        "enableExecuteCommand": True,
        "networkConfiguration": {"assignPublicIp": False, "subnets": ["subnet-a", "subnet-b"]},
    }
    base.update(props)
    return res(ECS_SERVICE, "app-service", **base)


def endpoint(service_name: str, kind: str = "Interface", azs: int = 2) -> Resource:
    props: dict[str, Any] = {
        "serviceName": f"com.amazonaws.{REGION}.{service_name}",
        "vpcEndpointType": kind,
        "vpcId": "vpc-1",
    }
    if kind == "Interface":
        props |= {"subnetIds": [f"subnet-{i}" for i in range(azs)], "privateDnsEnabled": True}
    return res(VPC_ENDPOINT, f"endpoint-{service_name}", **props)


ALL_ENDPOINTS = [
    endpoint("ecr.api"),
    endpoint("ecr.dkr"),
    endpoint("s3", kind="Gateway"),
    endpoint("logs"),
    endpoint("secretsmanager"),
    endpoint("ssmmessages"),
]
MOUNT_TARGETS = [res(EFS_MOUNT_TARGET, "mt-a", fileSystemId="fs-1", subnetId="subnet-a")]
PRIVATE_SUBNET = res(SUBNET, "private-a", id="subnet-a", mapPublicIpOnLaunch=False)
PUBLIC_SUBNET = res(SUBNET, "public-a", id="subnet-a", mapPublicIpOnLaunch=True)
