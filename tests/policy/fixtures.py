"""A passing and a failing stack for every rule, as engine-style resources.

Each fixture is the smallest stack that shows the rule's point: the passing one is what our
components must produce, the failing one is the mistake the rule exists to catch.
"""

from __future__ import annotations

import json
from typing import Any

from policy import aws_types as r
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
    return res(r.TASK_DEFINITION, name, **base)


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
    return res(r.ECS_SERVICE, "app-service", **base)


def endpoint(service_name: str, kind: str = "Interface", azs: int = 2) -> Resource:
    props: dict[str, Any] = {
        "serviceName": f"com.amazonaws.{REGION}.{service_name}",
        "vpcEndpointType": kind,
        "vpcId": "vpc-1",
    }
    if kind == "Interface":
        props |= {"subnetIds": [f"subnet-{i}" for i in range(azs)], "privateDnsEnabled": True}
    return res(r.VPC_ENDPOINT, f"endpoint-{service_name}", **props)


def cluster(container_insights: str) -> Resource:
    return res(
        r.ECS_CLUSTER,
        "cluster",
        settings=[{"name": "containerInsights", "value": container_insights}],
    )


def efs_backup_policy(status: str) -> Resource:
    return res(
        r.EFS_BACKUP_POLICY,
        "pgdata-backup",
        fileSystemId="fs-1",
        backupPolicy={"status": status},
    )


def bucket_policy(*statements: dict[str, Any]) -> Resource:
    return res(
        r.BUCKET_POLICY,
        "media-policy",
        bucket="media-bucket",
        policy=policy_document(*statements),
    )


def bucket_ownership(object_ownership: str) -> Resource:
    return res(
        r.BUCKET_OWNERSHIP,
        "media-ownership",
        bucket="media-bucket",
        rule={"objectOwnership": object_ownership},
    )


ALL_ENDPOINTS = [
    endpoint("ecr.api"),
    endpoint("ecr.dkr"),
    endpoint("s3", kind="Gateway"),
    endpoint("logs"),
    endpoint("secretsmanager"),
    endpoint("ssmmessages"),
]
MOUNT_TARGETS = [res(r.EFS_MOUNT_TARGET, "mt-a", fileSystemId="fs-1", subnetId="subnet-a")]
PRIVATE_SUBNET = res(r.SUBNET, "private-a", id="subnet-a", mapPublicIpOnLaunch=False)
PUBLIC_SUBNET = res(r.SUBNET, "public-a", id="subnet-a", mapPublicIpOnLaunch=True)

FILE_SYSTEM = res(r.EFS_FILE_SYSTEM, "pgdata", id="fs-1", encrypted=True)
BUCKET = res(r.BUCKETS[0], "media", id="media-bucket", bucket="media-bucket")
VPC = res(r.VPC, "vpc", id="vpc-1", cidrBlock="10.0.0.0/16")
REPO = res(
    r.ECR_REPOSITORY,
    "web-repo",
    id="web",
    name="web",
    imageScanningConfiguration={"scanOnPush": True},
    imageTagMutability="IMMUTABLE",
)
ALB = {
    "loadBalancerType": "application",
    "internal": False,
    "dropInvalidHeaderFields": True,
    "enableDeletionProtection": True,
    "subnets": ["subnet-pa", "subnet-pb"],
}
HTTP_REDIRECT = {
    "port": 80,
    "protocol": "HTTP",
    "defaultActions": [
        {
            "type": "redirect",
            "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"},
        }
    ],
}
HTTPS_LISTENER = {
    "port": 443,
    "protocol": "HTTPS",
    "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "certificateArn": "arn:aws:acm:ap-northeast-1:123456789012:certificate/1",
}
SECURE_TRANSPORT_DENY = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::media-bucket", "arn:aws:s3:::media-bucket/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}
ACCESS_POINT = {
    "fileSystemId": "fs-1",
    "rootDirectory": {"path": "/postgres"},
    "posixUser": {"uid": 999, "gid": 999},
}
PUBLIC_ACCESS_BLOCKED = {
    "bucket": "media-bucket",
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}
ALB_INGRESS_443 = {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}

# rule id -> (passing stack, failing stack)
FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "ECS.2": (
        [service()],
        [service(networkConfiguration={"assignPublicIp": True, "subnets": ["subnet-a"]})],
    ),
    "ECS.4": ([task_definition()], [task_definition(container(privileged=True))]),
    "ECS.5": ([task_definition()], [task_definition(container(readonlyRootFilesystem=False))]),
    "ECS.8": (
        [task_definition()],
        [
            task_definition(
                container(
                    environment=[
                        {
                            "name": "DATABASE_URL",
                            "value": "postgres://app:hunter2@localhost:5432/app",
                        }
                    ]
                )
            )
        ],
    ),
    "ECS.9": ([task_definition()], [task_definition(container(logConfiguration=None))]),
    "ECS.12": ([cluster(container_insights="enabled")], [cluster(container_insights="disabled")]),
    "ECS.18": (
        [STATEFUL_TASK],
        [
            task_definition(
                DB, volumes=[{"name": "pgdata", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}]
            )
        ],
    ),
    "ECS.20": ([task_definition()], [task_definition(container(user=None))]),
    "EFS.1": ([FILE_SYSTEM], [res(r.EFS_FILE_SYSTEM, "pgdata", id="fs-1", encrypted=False)]),
    "EFS.2": (
        [FILE_SYSTEM, efs_backup_policy("ENABLED")],
        [FILE_SYSTEM, efs_backup_policy("DISABLED")],
    ),
    "EFS.3": (
        [res(r.EFS_ACCESS_POINT, "ap", **ACCESS_POINT)],
        [res(r.EFS_ACCESS_POINT, "ap", **(ACCESS_POINT | {"rootDirectory": {"path": "/"}}))],
    ),
    "EFS.4": (
        [res(r.EFS_ACCESS_POINT, "ap", **ACCESS_POINT)],
        [res(r.EFS_ACCESS_POINT, "ap", fileSystemId="fs-1", rootDirectory={"path": "/postgres"})],
    ),
    "EFS.6": ([PRIVATE_SUBNET, *MOUNT_TARGETS], [PUBLIC_SUBNET, *MOUNT_TARGETS]),
    "ELB.1": (
        [res(r.LISTENERS[0], "http", **HTTP_REDIRECT)],
        [
            res(
                r.LISTENERS[0],
                "http",
                port=80,
                protocol="HTTP",
                defaultActions=[{"type": "forward", "targetGroupArn": "arn:tg"}],
            )
        ],
    ),
    "ELB.4": (
        [res(r.LOAD_BALANCERS[0], "alb", **ALB)],
        [res(r.LOAD_BALANCERS[0], "alb", **(ALB | {"dropInvalidHeaderFields": False}))],
    ),
    "ELB.6": (
        [res(r.LOAD_BALANCERS[0], "alb", **ALB)],
        [res(r.LOAD_BALANCERS[0], "alb", **(ALB | {"enableDeletionProtection": False}))],
    ),
    "ELB.13": (
        [res(r.LOAD_BALANCERS[0], "alb", **ALB)],
        [res(r.LOAD_BALANCERS[0], "alb", **(ALB | {"subnets": ["subnet-pa"]}))],
    ),
    "ELB.17": (
        [res(r.LISTENERS[0], "https", **HTTPS_LISTENER)],
        [
            res(
                r.LISTENERS[0],
                "https",
                **(HTTPS_LISTENER | {"sslPolicy": "ELBSecurityPolicy-2016-08"}),
            )
        ],
    ),
    "S3.1/S3.8": (
        [BUCKET, res(r.BUCKET_PUBLIC_ACCESS_BLOCK, "media-pab", **PUBLIC_ACCESS_BLOCKED)],
        [
            BUCKET,
            res(
                r.BUCKET_PUBLIC_ACCESS_BLOCK,
                "media-pab",
                **(PUBLIC_ACCESS_BLOCKED | {"blockPublicPolicy": False}),
            ),
        ],
    ),
    "S3.5": (
        [BUCKET, bucket_policy(SECURE_TRANSPORT_DENY)],
        [BUCKET, bucket_policy(allow("s3:GetObject", "arn:aws:s3:::media-bucket/*"))],
    ),
    "S3.12": (
        [BUCKET, bucket_ownership("BucketOwnerEnforced")],
        [BUCKET, bucket_ownership("ObjectWriter")],
    ),
    "EC2.2": (
        [VPC, res(r.DEFAULT_SECURITY_GROUP, "default-sg", vpcId="vpc-1")],
        [
            VPC,
            res(
                r.DEFAULT_SECURITY_GROUP,
                "default-sg",
                vpcId="vpc-1",
                ingress=[{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}],
            ),
        ],
    ),
    "EC2.15": ([PRIVATE_SUBNET], [PUBLIC_SUBNET]),
    "EC2.18": (
        [res(r.SECURITY_GROUP, "alb-sg", ingress=[ALB_INGRESS_443])],
        [
            res(
                r.INGRESS_RULE,
                "alb-8443",
                ipProtocol="tcp",
                fromPort=8443,
                toPort=8443,
                cidrIpv4="0.0.0.0/0",
            )
        ],
    ),
    "EC2.19": (
        [
            res(
                r.SECURITY_GROUP_RULE,
                "task-from-alb",
                type="ingress",
                protocol="tcp",
                fromPort=8080,
                toPort=8080,
                sourceSecurityGroupId="sg-alb",
            )
        ],
        [
            res(
                r.SECURITY_GROUP_RULE,
                "task-world",
                type="ingress",
                protocol="tcp",
                fromPort=8080,
                toPort=8080,
                cidrBlocks=["0.0.0.0/0"],
            )
        ],
    ),
    "IAM.1": (
        [
            res(
                r.IAM_POLICY,
                "task-policy",
                policy=policy_document(
                    allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::media-bucket/*")
                ),
            )
        ],
        [res(r.IAM_POLICY, "task-policy", policy=policy_document(allow("*")))],
    ),
    "IAM.21": (
        [
            res(
                r.IAM_INLINE_POLICIES[0],
                "exec",
                role="task-role",
                policy=policy_document(
                    allow(
                        [
                            "ssmmessages:CreateControlChannel",
                            "ssmmessages:CreateDataChannel",
                            "ssmmessages:OpenControlChannel",
                            "ssmmessages:OpenDataChannel",
                        ]
                    )
                ),
            )
        ],
        [
            res(
                r.IAM_INLINE_POLICIES[0],
                "exec",
                role="task-role",
                policy=policy_document(allow("ssmmessages:*")),
            )
        ],
    ),
    "ECR.1": (
        [REPO],
        [
            res(
                r.ECR_REPOSITORY,
                "web-repo",
                id="web",
                name="web",
                imageScanningConfiguration={"scanOnPush": False},
            )
        ],
    ),
    "ECR.2": (
        [REPO],
        [res(r.ECR_REPOSITORY, "web-repo", id="web", name="web", imageTagMutability="MUTABLE")],
    ),
    "ECR.3": (
        [REPO, res(r.ECR_LIFECYCLE_POLICY, "web-lifecycle", repository="web", policy="{}")],
        [REPO],
    ),
    "DJTW.LOG-RETENTION": (
        [res(r.LOG_GROUP, "web-logs", retentionInDays=30)],
        [res(r.LOG_GROUP, "web-logs")],
    ),
    "DJTW.SINGLE-WRITER": (
        [STATEFUL_TASK, service()],
        [STATEFUL_TASK, service(deploymentMaximumPercent=200, deploymentMinimumHealthyPercent=100)],
    ),
    "DJTW.PRIVATE-REACH": (
        [STATEFUL_TASK, service(), *ALL_ENDPOINTS, *MOUNT_TARGETS],
        [
            STATEFUL_TASK,
            service(),
            *[e for e in ALL_ENDPOINTS if e.name != "endpoint-logs"],
            *MOUNT_TARGETS,
        ],
    ),
}
