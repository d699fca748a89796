"""FargateService run on its own under the recording mocks, for the tests of what it declares."""

import pulumi

from components.fargate.service import FargateService, FargateServiceArgs
from components.fargate.types import (
    ContainerSpec,
)
from tests.stack_runs import (
    run_component,
)

ROLE = "aws:iam/role:Role"
CAPACITY_PROVIDERS = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app-key-AbCdEf"


def app(**kwargs) -> ContainerSpec:
    defaults = {"name": "app", "image": "repo/app@sha256:abc", "port": 8000}
    return ContainerSpec(**{**defaults, **kwargs})


def build(containers_, **kwargs):
    def program() -> None:
        task = FargateService(
            "svc",
            FargateServiceArgs(
                vpc_id="vpc-1",
                subnet_ids=["subnet-a", "subnet-c"],
                region="ap-northeast-1",
                containers=containers_,
                **kwargs,
            ),
        )
        pulumi.export("log_group_names", task.log_group_names)
        pulumi.export("required_endpoints", sorted(task.required_endpoints))

    return run_component(program)
