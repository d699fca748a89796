"""This project's own rules that span several services (``DJTW.*``).

- DJTW.SINGLE-WRITER: Postgres keeps its data directory on EFS, and two servers on one data
  directory corrupt it; the task that writes there must never run twice, not even during a
  deployment (ECS, EFS, Application Auto Scaling). It holds only a task that writes to EFS: with
  `database: rds` the task is stateless and may roll and scale.
- DJTW.PRIVATE-REACH: the tasks run in private subnets; without a NAT gateway every AWS service
  they call needs a VPC endpoint (ECS, VPC), as :mod:`policy.reach` works out.
"""

from __future__ import annotations

from collections.abc import Sequence

from policy.aws_types import (
    ECS_SERVICE,
    NAT_GATEWAY,
    SCALING_TARGET,
    TASK_DEFINITION,
    VPC_ENDPOINT,
)
from policy.model import Enforcement, Resource, stack_rule
from policy.reach import services_reached
from policy.readers import as_int, as_list, containers, of_type, refers_to

MANDATORY = Enforcement.MANDATORY


def _writable_efs_volumes(task_definition: Resource) -> list[str]:
    efs_volumes = {
        v.get("name")
        for v in as_list(task_definition.props.get("volumes"))
        if v.get("efsVolumeConfiguration")
    }
    return sorted(
        str(mount.get("sourceVolume"))
        for c in containers(task_definition.props)
        for mount in as_list(c.get("mountPoints"))
        if mount.get("sourceVolume") in efs_volumes and mount.get("readOnly") is not True
    )


def _services_of(task_definition: Resource, resources: Sequence[Resource]) -> list[Resource]:
    services = of_type(resources, ECS_SERVICE)
    mine = [s for s in services if refers_to(s.props.get("taskDefinition"), task_definition)]
    if mine:
        return mine
    family = task_definition.props.get("family")
    return [s for s in services if family and family in str(s.props.get("taskDefinition", ""))]


@stack_rule(
    "DJTW.SINGLE-WRITER",
    "a task writing to EFS runs once: desired 1, max 100%",
    MANDATORY,
    reads=[TASK_DEFINITION, ECS_SERVICE, SCALING_TARGET],
)
def check_single_writer(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    """A task that writes to EFS (a database's data directory) must never run twice."""
    findings: list[tuple[Resource | None, str]] = []
    scaling = of_type(resources, SCALING_TARGET)
    for task_definition in of_type(resources, TASK_DEFINITION):
        volumes = _writable_efs_volumes(task_definition)
        if not volumes:
            continue
        services = _services_of(task_definition, resources)
        if not services:
            findings.append(
                (task_definition, "writes to EFS but no ECS service of this stack runs it")
            )
        for service in services:
            desired = as_int(service.props.get("desiredCount"), 1)
            maximum = as_int(service.props.get("deploymentMaximumPercent"), 200)
            if desired != 1:
                findings.append((service, f"desiredCount is {desired}; a single writer needs 1"))
            if maximum > 100:
                findings.append(
                    (
                        service,
                        f"deploymentMaximumPercent is {maximum}; above 100 a deployment starts "
                        f"a second writer on {', '.join(volumes)} before stopping the first",
                    )
                )
            for target in scaling:
                if as_int(target.props.get("maxCapacity"), 1) > 1 and service.name in str(
                    target.props.get("resourceId", "")
                ):
                    findings.append((target, "auto scaling may start a second writer"))
    return findings


@stack_rule(
    "DJTW.PRIVATE-REACH",
    "without NAT, every AWS service the task uses has a VPC endpoint",
    MANDATORY,
    reads=[TASK_DEFINITION, ECS_SERVICE, VPC_ENDPOINT, NAT_GATEWAY],
)
def check_private_reach(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    """Without NAT, every service the tasks use must have a VPC endpoint (or EFS mount targets)."""
    return [
        (None, f"{reach.service} ({reach.reason}) has no VPC endpoint and the stack has no NAT")
        for reach in services_reached(resources)
        if not reach.reachable
    ]
