"""The prod stack's first deployment: the service waits for everything its first task needs.

ECS starts a task as soon as the service exists. A task that starts before it can pull its
images, read its secrets or mount its file system fails; the circuit breaker then stops the
deployment, and a first deployment has no earlier one to roll back to. The recording keeps the
dependencies the engine is sent (a component stands for its children), so these read them.
"""

from __future__ import annotations

import pytest

from tests.stack_runs import (
    EGRESS_RULE,
    INGRESS_RULE,
    ROLE_POLICY,
    SECRET_VERSION,
    SERVICE,
    VPC_ENDPOINT,
    prod_config,
    run_main,
)
from tools.offline import RecordedResource, StackRecording

TASK_COMPONENT = "django-tw:fargate:FargateService"


def missing_before_the_service(
    recording: StackRecording, needed: list[RecordedResource]
) -> list[str]:
    waits_for = set(recording.one(SERVICE).dependencies)
    return [resource.name for resource in needed if resource.urn not in waits_for]


def of_the_task(recording: StackRecording, type_: str) -> list[RecordedResource]:
    task = recording.one(TASK_COMPONENT)
    return [r for r in recording.children_of(task) if r.type == type_]


def test_the_task_can_pull_log_and_exec_through_every_endpoint(prod):
    interfaces = [
        e for e in prod.of_type(VPC_ENDPOINT) if e.inputs["vpcEndpointType"] == "Interface"
    ]
    assert {e.inputs["serviceName"].split(".")[-1] for e in interfaces} >= {"dkr", "logs"}
    assert missing_before_the_service(prod, prod.of_type(VPC_ENDPOINT)) == []


def test_the_task_can_mount_its_file_system_in_every_subnet(prod):
    mount_targets = prod.of_type("aws:efs/mountTarget:MountTarget")
    assert len(mount_targets) == 2
    assert missing_before_the_service(prod, mount_targets) == []


def test_the_task_can_read_every_secret_value(prod):
    versions = prod.of_type(SECRET_VERSION)
    assert len(versions) == 6  # Django's key, three database secrets, two SMTP credentials
    assert missing_before_the_service(prod, versions) == []


def test_the_task_has_its_permissions_and_its_security_group_rules(prod):
    needed = [of_the_task(prod, type_) for type_ in (ROLE_POLICY, INGRESS_RULE, EGRESS_RULE)]
    assert all(needed), "the task has role policies, an ingress rule and egress rules"
    assert missing_before_the_service(prod, [r for group in needed for r in group]) == []


@pytest.mark.parametrize("nat_gateways", ["single", "per-az"])
def test_through_nat_the_task_waits_for_its_route_out(nat_gateways):
    recording = run_main(prod_config(egress="nat", natGateways=nat_gateways))
    needed = [
        *recording.of_type("aws:ec2/natGateway:NatGateway"),
        *recording.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation"),
    ]
    assert recording.of_type("aws:ec2/natGateway:NatGateway")
    assert missing_before_the_service(recording, needed) == []
