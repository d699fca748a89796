"""A passing and a failing stack for each ECS rule (rule id -> (passing, failing))."""

from __future__ import annotations

from policy.aws_types import ECS_CLUSTER
from policy.model import Resource

from ..builders import DB, STATEFUL_TASK, container, res, service, task_definition


def cluster(container_insights: str = "enabled", exec_logging: str = "OVERRIDE") -> Resource:
    return res(
        ECS_CLUSTER,
        "cluster",
        arn="arn:aws:ecs:ap-northeast-1:123456789012:cluster/cluster",
        settings=[{"name": "containerInsights", "value": container_insights}],
        configuration={
            "executeCommandConfiguration": {
                "logging": exec_logging,
                "logConfiguration": {
                    "cloudWatchLogGroupName": "/ecs-exec/app",
                    "cloudWatchEncryptionEnabled": True,
                },
            }
        },
    )


EXEC_SERVICE = service(cluster="arn:aws:ecs:ap-northeast-1:123456789012:cluster/cluster")


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
    "DJTW.ECS-EXEC-LOGGING": (
        [cluster(), EXEC_SERVICE],
        [cluster(exec_logging="DEFAULT"), EXEC_SERVICE],
    ),
}
