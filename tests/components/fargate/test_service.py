"""FargateService on its own: the resources it declares from its pure parts' results.

What each part computes is specified beside it (test_containers, test_roles, test_deployment,
test_types); here, that the component declares it, wired together: its task definition
(test_service_task_definition), its ECS service (test_service_deployment), its roles and ECS
Exec (test_service_permissions), and below, what it asks of the network and of its args.
"""

import pytest

from components.fargate.service import FargateServiceArgs
from components.fargate.types import Mount
from tests.components.fargate.service_builds import SECRET_ARN, app, build


def test_cluster_turns_container_insights_on():
    cluster = build([app()]).one("aws:ecs/cluster:Cluster")
    assert cluster.inputs["settings"] == [{"name": "containerInsights", "value": "enabled"}]


def test_required_endpoints_follow_what_the_task_uses():
    assert build([app()]).outputs["required_endpoints"] == [
        "ecr.api",
        "ecr.dkr",
        "logs",
        "s3",
        "ssmmessages",
    ]
    without_exec = build([app(secrets={"APP_KEY": SECRET_ARN})], enable_exec=False)
    assert without_exec.outputs["required_endpoints"] == [
        "ecr.api",
        "ecr.dkr",
        "logs",
        "s3",
        "secretsmanager",
    ]


def test_children_are_parented_to_the_component():
    recording = build([app()])
    component = recording.one("django-tw:fargate:FargateService")
    assert {r.parent for r in recording.resources if r is not component} == {component.urn}


@pytest.mark.parametrize(
    ("containers_", "kwargs", "message"),
    [
        ([app(depends_on={"db": "HEALTHY"})], {}, r"depends on 'db', which is not a container"),
        (
            [app(depends_on={"db": "HEALTHY"}), app(name="db", port=5432)],
            {},
            r"waits for 'db' to be HEALTHY, but 'db' has no health_check",
        ),
        (
            [app(depends_on={"init": "SUCCESS"}), app(name="init", port=None)],
            {},
            r"waits for 'init' to SUCCESS, which ECS allows only .* make 'init' essential=False",
        ),
        (
            [app(depends_on={"init": "COMPLETE"}), app(name="init", port=None)],
            {},
            r"make 'init' essential=False",
        ),
        ([app(mounts=[Mount("data", "/d")])], {}, r"mounts volume 'data'; declare it"),
        ([app(), app(name="two")], {}, r"each needs its own port"),
        ([app(), app()], {}, r"repeats app"),
        ([], {}, r"containers is empty"),
        ([app()], {"cpu_architecture": "arm"}, r"use X86_64 or ARM64"),
        ([app()], {"ready_after": ["sg-1"]}, r"ready_after holds 'sg-1'; give resources"),
        ([app(stateful=True)], {"autoscaled": True}, r"must never run twice"),
        ([app(stateful=True)], {"fargate_spot": True}, r"Spot may stop the one task"),
    ],
)
def test_bad_task_args_say_what_to_change(containers_, kwargs, message):
    with pytest.raises(ValueError, match=message):
        FargateServiceArgs(
            vpc_id="v", subnet_ids=["s"], region="r", containers=containers_, **kwargs
        )
