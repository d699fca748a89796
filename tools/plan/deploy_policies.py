"""The deploy role's customer-managed policies, from what one run of the program declares.

Pure functions of :class:`Declared` and :class:`Target` (account, partition, stack): every
resource type, remote component and data source is looked up in
:data:`tools.plan.deploy_actions.NEEDS`, and the policies grant those actions and no others:

- the actions of every type on ``*``, one policy per group of AWS services (:data:`GROUPS`),
  but Secrets Manager, S3, KMS, log groups, RDS and the backup vault, which
  ``tw-<stack>-deploy-data`` grants on the stack's own secrets, buckets, keys, log groups,
  database and vault only (:mod:`tools.plan.deploy_scoped`, :mod:`tools.plan.deploy_named`);
- IAM only on the stack's own roles and user, by ARN as IAM builds it (path and name:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns);
  creating one, or changing its policies, only with the stack's permissions boundary
  (``iam:PermissionsBoundary``); removing a boundary, and changing any managed policy (the
  boundary and the deploy role's own), are denied;
- ``iam:CreateServiceLinkedRole`` only for the services that make one on first use;
- ``iam:PassRole`` only on the stack's roles, each only to the service its trust names.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html

Sizes: IAM counts a managed policy without whitespace and allows 6,144 characters, and a role
10 managed policies by default (20 at most): :data:`MANAGED_POLICY_LIMIT`,
:data:`MANAGED_POLICIES_PER_ROLE`.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from components._shared.permissions_boundary import default_boundary_name, partition_of
from tools.plan.deploy_actions import NEEDS
from tools.plan.deploy_named import named_statements
from tools.plan.deploy_scoped import scoped_statements

__all__ = ["partition_of"]

PROVIDER = "pulumi:providers:aws"
IAM_ROLE, IAM_USER = "aws:iam/role:Role", "aws:iam/user:User"
MANAGED_POLICY_LIMIT = 6_144
MANAGED_POLICIES_PER_ROLE = 10
# One managed policy per group, named after it; a group that outgrows one policy is cut in
# sorted halves (-1, -2). A service the table uses and this map lacks stops the command.
GROUPS: dict[str, str] = {
    "ec2": "network",
    "acm": "edge", "elasticloadbalancing": "edge", "route53": "edge", "wafv2": "edge",
    "ecr": "containers", "ecs": "containers", "logs": "containers",
    "backup": "storage", "backup-storage": "storage", "elasticfilesystem": "storage",
    "kms": "storage", "rds": "storage", "s3": "storage", "secretsmanager": "storage",
    "application-autoscaling": "operations", "cloudwatch": "operations", "events": "operations",
    "sns": "operations",
    "ses": "mail",
    "iam": "identity", "sts": "identity",
}  # fmt: skip
# IAM actions whose calls carry iam:PermissionsBoundary (Service Authorization Reference, IAM:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
BOUNDED_ACTIONS = frozenset(
    f"iam:{a}"
    for a in (
        "AttachRolePolicy", "AttachUserPolicy", "CreateRole", "CreateUser", "DeleteRolePolicy",
        "DeleteUserPolicy", "DetachRolePolicy", "DetachUserPolicy", "PutRolePermissionsBoundary",
        "PutRolePolicy", "PutUserPermissionsBoundary", "PutUserPolicy",
    )
)  # fmt: skip
NEVER = (
    "iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary",
    "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy",
    "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy",
    "iam:UntagPolicy",
)  # fmt: skip


class UnknownTypeError(LookupError):
    """The program declares something :data:`NEEDS` has no entry for."""


@dataclass(frozen=True)
class Declared:
    """What one offline run of the program declares and calls."""

    resources: Sequence[Any]  # offline.RecordedResource
    data_sources: Sequence[str]

    @property
    def types(self) -> set[str]:
        """Every type the deploy role acts on: AWS resources, remote components (awsx), data
        sources and the provider itself; local components (``django-tw:``) call nothing."""
        kinds = {r.type for r in self.resources if r.custom or r.type.startswith("awsx:")}
        return kinds | set(self.data_sources) | {PROVIDER}


@dataclass(frozen=True)
class Target:
    """Where the policies apply: ``arn:<partition>:iam::<account>:...``, and their names."""

    stack: str
    account: str = "*"
    partition: str = "aws"
    region: str = "*"
    """The stack's region, in the Secrets Manager, KMS and logs ARNs; ``*`` matches any."""
    boundary_name: str = ""
    """The permissions boundary's policy name; empty: :func:`boundary_policy_name`."""

    @property
    def prefix(self) -> str:
        return f"tw-{self.stack}"

    def iam_arn(self, resource: str) -> str:
        # IAM ARNs carry no region (Service Authorization Reference, IAM resource types).
        return f"arn:{self.partition}:iam::{self.account}:{resource}"

    @property
    def boundary_arn(self) -> str:
        return self.iam_arn(f"policy/{self.boundary_name or boundary_policy_name(self.stack)}")

    @property
    def deploy_policies_arn(self) -> str:
        return self.iam_arn(f"policy/{self.prefix}-deploy-*")


def boundary_policy_name(stack: str) -> str:
    """The default name of the stack's permissions boundary (the program's default)."""
    return default_boundary_name(f"tw-{stack}")


def missing_types(types: Iterable[str]) -> list[str]:
    return sorted(kind for kind in types if kind not in NEEDS)


def name_pattern(resource: Any) -> str:
    """The physical name of a role or user, as a pattern: its ``name`` when set, else its
    ``namePrefix`` or logical name and Pulumi's random suffix."""
    name = resource.inputs.get("name")
    return name if name else f"{resource.inputs.get('namePrefix') or resource.name + '-'}*"


def identity_arn_pattern(resource: Any, target: Target) -> str:
    """``arn:aws:iam::<account>:role/<path><name>``: IAM puts the path (``/`` by default)
    between the kind and the name."""
    kind = "user" if resource.type == IAM_USER else "role"
    path = resource.inputs.get("path") or "/"
    return target.iam_arn(f"{kind}{path}{name_pattern(resource)}")


def trusted_services(role: Any) -> list[str]:
    """The services a role's trust policy lets assume it (``ecs-tasks.amazonaws.com``)."""
    document = role.inputs.get("assumeRolePolicy") or "{}"
    statements = json.loads(document).get("Statement") or []
    services: list[str] = []
    for statement in statements:
        principal = (statement.get("Principal") or {}).get("Service") or []
        services.extend([principal] if isinstance(principal, str) else principal)
    return sorted(set(services))


def minified_size(document: dict[str, Any]) -> int:
    """The characters IAM counts: the JSON without whitespace."""
    return len(json.dumps(document, separators=(",", ":")))


def _document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements}


def _sid(text: str) -> str:
    return "".join(part.title() for part in text.replace(".", "-").split("-"))


def identity_statements(declared: Declared, target: Target, actions: set[str]) -> list[dict]:
    """IAM: the stack's roles and user only, new ones and their policies only with the
    boundary, PassRole per service, and what no deploy may do."""
    identities = [r for r in declared.resources if r.type in (IAM_ROLE, IAM_USER)]
    arns = sorted({identity_arn_pattern(r, target) for r in identities})
    iam_actions = {a for a in actions if a.startswith("iam:")}
    bounded = sorted(iam_actions & BOUNDED_ACTIONS)
    free = sorted(iam_actions - BOUNDED_ACTIONS)
    # StringLike: the account may be ``*`` (a boundary is a policy of the role's own account).
    condition = {"StringLike": {"iam:PermissionsBoundary": target.boundary_arn}}
    statements: list[dict[str, Any]] = []
    if free:
        statements.append(
            {"Sid": "StackIdentities", "Effect": "Allow", "Action": free, "Resource": arns}
        )
    if bounded:
        statements.append(
            {
                "Sid": "StackIdentitiesWithinBoundary",
                "Effect": "Allow",
                "Action": bounded,
                "Resource": arns,
                "Condition": condition,
            }
        )
    types = declared.types
    if linked := sorted({NEEDS[k].service_linked_role for k in types} - {""}):
        statements.append(
            {
                "Sid": "ServiceLinkedRoles",
                "Effect": "Allow",
                "Action": "iam:CreateServiceLinkedRole",
                "Resource": target.iam_arn("role/aws-service-role/*"),
                "Condition": {"StringEquals": {"iam:AWSServiceName": linked}},
            }
        )
    by_service: dict[str, set[str]] = {}
    for role in (r for r in identities if r.type == IAM_ROLE):
        for service in trusted_services(role):
            by_service.setdefault(service, set()).add(identity_arn_pattern(role, target))
    for service, role_arns in sorted(by_service.items()):
        statements.append(
            {
                "Sid": "PassRoleTo" + _sid(service.split(".")[0]),
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": sorted(role_arns),
                "Condition": {"StringEquals": {"iam:PassedToService": service}},
            }
        )
    statements.append(
        {
            "Sid": "NeverLiftTheBoundary",
            "Effect": "Deny",
            "Action": sorted(NEVER),
            "Resource": "*",
        }
    )
    return statements


def _declared(actions: list[str]) -> dict[str, Any]:
    return {"Sid": "Declared", "Effect": "Allow", "Action": actions, "Resource": "*"}


def _split(name: str, actions: list[str]) -> list[tuple[str, list[str]]]:
    """One policy of ``actions`` on ``*``, or sorted halves (``-1``, ``-2``) until each fits."""
    if minified_size(_document([_declared(actions)])) <= MANAGED_POLICY_LIMIT or len(actions) < 2:
        return [(name, actions)]
    half = len(actions) // 2
    return [*_split(f"{name}-1", actions[:half]), *_split(f"{name}-2", actions[half:])]


def _split_statements(name: str, statements: list[dict]) -> list[tuple[str, list[dict]]]:
    """The statements in one policy, or in halves (``-1``, ``-2``) until each fits."""
    if not statements:
        return []
    if minified_size(_document(statements)) <= MANAGED_POLICY_LIMIT or len(statements) < 2:
        return [(name, statements)]
    half = len(statements) // 2
    return [
        *_split_statements(f"{name}-1", statements[:half]),
        *_split_statements(f"{name}-2", statements[half:]),
    ]


def deploy_policies(declared: Declared, target: Target) -> dict[str, dict[str, Any]]:
    """The deploy role's managed policies by name (``tw-prod-deploy-network``...), in order."""
    types = declared.types
    if missing := missing_types(types):
        raise UnknownTypeError(
            f"tools/plan/deploy_actions has no entry for {', '.join(missing)}: add the IAM actions "
            "the provider calls for it to NEEDS"
        )
    actions = {action for kind in types for action in NEEDS[kind].actions}
    services = {action.split(":")[0] for action in actions}
    if unknown := sorted(services - set(GROUPS)):
        raise UnknownTypeError(f"tools.plan.deploy_policies.GROUPS has no group for {unknown}")
    scoped, granted = scoped_statements(declared, target, actions)
    named, also = named_statements(declared, target)
    scoped, granted = scoped + named, granted | also
    grouped: dict[str, list[str]] = {}
    for action in sorted(actions - granted):
        group = GROUPS[action.split(":")[0]]
        if not action.startswith("iam:"):
            grouped.setdefault(group, []).append(action)
    policies: dict[str, dict[str, Any]] = {}
    for group in sorted(set(GROUPS.values()) | {"data"}):
        name = f"{target.prefix}-deploy-{group}"
        if group == "data":
            for part_name, part in _split_statements(name, scoped):
                policies[part_name] = _document(part)
        elif group == "identity":  # one policy: its statements refer to each other
            own = [_declared(grouped[group])] if grouped.get(group) else []
            policies[name] = _document(own + identity_statements(declared, target, actions))
        elif grouped.get(group):
            for part_name, actions_part in _split(name, grouped[group]):
                policies[part_name] = _document([_declared(actions_part)])
    return policies
