"""One entry of the deploy role's table: the IAM actions one declared thing needs, and where the
provider makes those calls.

``source`` names the provider file and the functions whose AWS calls the actions are: paths are
under ``internal/service/`` of hashicorp/terraform-provider-aws, the provider pulumi-aws 7.51.1
bridges (its v6/v7 line); ``@<commit>`` marks the revision the entry was read at.
"""

from __future__ import annotations

from dataclasses import dataclass

ECS_SERVICE, ELB_SERVICE = "ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com"
EFS_SERVICE, BACKUP_SERVICE = "elasticfilesystem.amazonaws.com", "backup.amazonaws.com"
RDS_SERVICE = "rds.amazonaws.com"
ECS_AUTOSCALING_SERVICE = "ecs.application-autoscaling.amazonaws.com"


@dataclass(frozen=True)
class Needs:
    """The actions one declared thing needs, and the service whose linked role it may create."""

    actions: tuple[str, ...]
    service_linked_role: str = ""
    """``ecs.amazonaws.com``...: the service AWS makes a service-linked role for on first use.
    https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html"""
    source: str = ""
    """Where the provider calls these: ``<file>: <functions>`` (see the module docstring)."""


def _tagged(service: str, *actions: str) -> tuple[str, ...]:
    return tuple(f"{service}:{action}" for action in actions)


def _crud(path: str, name: str, *more: str, commit: str = "") -> str:
    """``internal/service/ecs/service.go: resourceServiceCreate/Read/Update/Delete, ...``."""
    at = f"@{commit}" if commit else ""
    functions = ", ".join((f"resource{name}Create/Read/Update/Delete", *more))
    return f"internal/service/{path}{at}: {functions}"


def _data(path: str, name: str, commit: str = "") -> str:
    at = f"@{commit}" if commit else ""
    return f"internal/service/{path}{at}: dataSource{name}Read"


EC2_TAGS = ("ec2:CreateTags", "ec2:DeleteTags")
ELB_TAGS = _tagged("elasticloadbalancing", "AddTags", "RemoveTags", "DescribeTags")
SG_RULE = _tagged("ec2", "DescribeSecurityGroupRules", "ModifySecurityGroupRules") + EC2_TAGS
