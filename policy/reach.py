"""Which AWS services the stack's tasks call, and what carries the traffic to each.

The analysis behind rule DJTW.PRIVATE-REACH and behind ``make plan``'s diagram and endpoint
costs: read from the task definitions and services themselves, so a new need shows up without
editing a list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from policy.aws_types import (
    ECS_SERVICE,
    EFS_MOUNT_TARGET,
    NAT_GATEWAY,
    TASK_DEFINITION,
    VPC_ENDPOINT,
)
from policy.model import Resource
from policy.readers import as_list, containers, of_type


@dataclass(frozen=True)
class Reach:
    """An AWS service the task calls, why, and what carries the traffic there."""

    service: str
    reason: str
    served_by: str
    """``gateway endpoint``, ``interface endpoint (2 AZs)``, ``NAT gateway``,
    ``EFS mount targets (n)`` or ``nothing``."""

    @property
    def reachable(self) -> bool:
        return self.served_by != "nothing"


def _secret_service(value_from: str) -> str:
    return "secretsmanager" if ":secretsmanager:" in value_from else "ssm"


def needed_services(resources: Sequence[Resource]) -> dict[str, str]:
    """The AWS services the stack's tasks call at run time, each with the reason.

    Read from the task definitions and services themselves (images, log drivers, secrets,
    environment, ECS Exec), so a new need shows up without editing a list.
    Endpoints a private Fargate task needs: https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
    """
    needs: dict[str, str] = {}

    def need(service: str, reason: str) -> None:
        needs.setdefault(service, reason)

    for task_definition in of_type(resources, TASK_DEFINITION):
        for container in containers(task_definition.props):
            name = container.get("name")
            image = str(container.get("image", ""))
            if ".dkr.ecr." in image:
                need("ecr.api", f"{name}: image pull authorisation")
                need("ecr.dkr", f"{name}: image pull")
                need("s3", f"{name}: image layers live in S3")
            log = container.get("logConfiguration") or {}
            if log.get("logDriver") == "awslogs":
                need("logs", f"{name}: awslogs driver")
            for secret in as_list(container.get("secrets")):
                store = _secret_service(str(secret.get("valueFrom", "")))
                need(store, f"{name}: secret {secret.get('name')}")
            for variable in as_list(container.get("environment")):
                value = str(variable.get("value", ""))
                variable_name = str(variable.get("name", ""))
                if value.startswith("email-smtp."):
                    need("email-smtp", f"{name}: SMTP to {value}")
                if variable_name.endswith("BUCKET_NAME") and value:
                    need("s3", f"{name}: bucket {value}")
                if value.startswith("s3://"):
                    need("s3", f"{name}: {variable_name} {value}")
        if any(
            v.get("efsVolumeConfiguration") for v in as_list(task_definition.props.get("volumes"))
        ):
            need("elasticfilesystem (NFS)", "EFS volume mount")
    for service in of_type(resources, ECS_SERVICE):
        if service.props.get("enableExecuteCommand") is True:
            need("ssmmessages", f"{service.name}: ECS Exec")
    return needs


def _endpoint_service(endpoint: Resource) -> str:
    # com.amazonaws.<region>.<service>, where <service> may itself contain dots (ecr.api)
    parts = str(endpoint.props.get("serviceName", "")).split(".")
    return ".".join(parts[3:])


def services_reached(resources: Sequence[Resource]) -> list[Reach]:
    """Each AWS service the tasks use, with the VPC endpoint or NAT gateway that serves it."""
    endpoints = {_endpoint_service(e): e for e in of_type(resources, VPC_ENDPOINT)}
    has_nat = bool(of_type(resources, NAT_GATEWAY))
    reaches = []
    for service, reason in sorted(needed_services(resources).items()):
        endpoint = endpoints.get(service)
        if service.startswith("elasticfilesystem"):
            # Fargate mounts EFS through the mount targets' ENIs in the VPC, not the
            # elasticfilesystem API endpoint.
            # https://docs.aws.amazon.com/efs/latest/ug/efs-vpc-endpoints.html
            mount_targets = len(of_type(resources, EFS_MOUNT_TARGET))
            served = f"EFS mount targets ({mount_targets})" if mount_targets else "nothing"
        elif endpoint is not None:
            kind = str(endpoint.props.get("vpcEndpointType") or "Gateway")
            if kind == "Interface":
                azs = len(as_list(endpoint.props.get("subnetIds")))
                served = f"interface endpoint ({azs} AZ{'s' if azs != 1 else ''})"
            else:
                served = "gateway endpoint"
        elif has_nat:
            served = "NAT gateway"
        else:
            served = "nothing"
        reaches.append(Reach(service, reason, served))
    return reaches
