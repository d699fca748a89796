"""The permissions boundary every role and user of the stack carries: at most what they do.

The union of the actions of the stack's own role and user policies (``aws:iam/rolePolicy``,
``aws:iam/userPolicy``, as the program declares them: task, execution and flow-log roles, the
SMTP user) and of the AWS managed policies it attaches (:data:`MANAGED_POLICY_ACTIONS`). A
role's effective permissions are the intersection of its own policies and its boundary
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html), so a role
the deploy role creates can never hold IAM, or anything no part of the stack uses.

One IAM action is let through, and only when a role's own policy asks for it: ``iam:PassRole``
on the stack's own roles that ECS tasks assume, and only with ``iam:PassedToService`` =
``ecs-tasks.amazonaws.com``. An EventBridge rule that starts an ECS task needs it for the task's
task and execution roles
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html), and that
condition key names the service the role is handed to
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html). Every other IAM
action, and PassRole to another service or another role, stays outside the boundary.
"""

from __future__ import annotations

import json
from typing import Any

from tools.plan.deploy_policies import (
    IAM_ROLE,
    Declared,
    Target,
    identity_arn_pattern,
    trusted_services,
)

OWN_POLICY_TYPES = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy")
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
PASS_ROLE = "iam:PassRole"  # noqa: S105 (an action name)
ECS_TASKS = "ecs-tasks.amazonaws.com"
PASS_TO_ECS_TASKS = {"StringEquals": {"iam:PassedToService": ECS_TASKS}}
# What the AWS Backup role does with the two managed policies it holds, for what the stack
# backs up (EFS): back up, restore to a new file system, find resources by tag, use the vault's
# key. https://docs.aws.amazon.com/aws-backup/latest/devguide/security-iam-awsmanpol.html
# (the EFS and KMS statements of AWSBackupServiceRolePolicyForBackup and ...ForRestores). A job
# the boundary stops fails with a StatusMessage naming the action (post-deploy check backup-job).
_BACKUP = (
    "backup:DescribeBackupVault", "backup:CopyIntoBackupVault",
    "elasticfilesystem:Backup", "elasticfilesystem:DescribeTags", "elasticfilesystem:Restore",
    "elasticfilesystem:CreateFilesystem", "elasticfilesystem:DescribeFilesystems",
    "elasticfilesystem:DeleteFilesystem", "elasticfilesystem:TagResource", "tag:GetResources",
    "kms:DescribeKey", "kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt",
    "kms:ReEncryptFrom", "kms:ReEncryptTo",
)  # fmt: skip
MANAGED_POLICY_ACTIONS: dict[str, tuple[str, ...]] = {
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup": _BACKUP,
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores": _BACKUP,
}


def _allowed(document: Any) -> list[dict[str, Any]]:
    parsed = json.loads(document) if isinstance(document, str) else document
    return [s for s in parsed.get("Statement") or [] if s.get("Effect", "Allow") == "Allow"]


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _actions(document: Any) -> set[str]:
    return {a for statement in _allowed(document) for a in _listed(statement.get("Action"))}


def _own_policies(declared: Declared) -> list[Any]:
    return [r for r in declared.resources if r.type in OWN_POLICY_TYPES and r.inputs.get("policy")]


def passes_roles(declared: Declared) -> bool:
    """Whether a role of the stack hands roles to ECS tasks; refused when any own policy
    passes a role without the ``iam:PassedToService`` = ``ecs-tasks.amazonaws.com`` condition."""
    passing = False
    for resource in _own_policies(declared):
        for statement in _allowed(resource.inputs["policy"]):
            if PASS_ROLE not in _listed(statement.get("Action")):
                continue
            if statement.get("Condition") != PASS_TO_ECS_TASKS:
                raise ValueError(
                    f"{resource.name} passes a role without the condition {PASS_TO_ECS_TASKS}: "
                    "the boundary lets a role be passed to ECS tasks only"
                )
            passing = True
    return passing


def boundary_actions(declared: Declared) -> list[str]:
    """Every action a role or user of the stack is given, sorted."""
    actions: set[str] = set()
    for resource in declared.resources:
        if resource.type in OWN_POLICY_TYPES and resource.inputs.get("policy"):
            actions |= _actions(resource.inputs["policy"]) - {PASS_ROLE}
        elif resource.type == ATTACHMENT:
            arn = resource.inputs.get("policyArn", "")
            if arn not in MANAGED_POLICY_ACTIONS:
                raise LookupError(
                    f"tools/plan/deploy_boundary.py has no actions for the managed policy {arn}: "
                    "add what the role does with it to MANAGED_POLICY_ACTIONS"
                )
            actions |= set(MANAGED_POLICY_ACTIONS[arn])
    return sorted(actions)


def ecs_task_role_patterns(declared: Declared, target: Target) -> list[str]:
    """ARN patterns of the stack's own roles that ECS tasks assume (task and execution roles)."""
    return sorted(
        identity_arn_pattern(r, target)
        for r in declared.resources
        if r.type == IAM_ROLE and ECS_TASKS in trusted_services(r)
    )


def boundary_document(declared: Declared, target: Target | None = None) -> dict[str, Any]:
    """The boundary policy: the stack's actions on ``*`` (each role's own policy narrows the
    resources), never IAM or STS role chaining, except passing the stack's own ECS task roles
    to ECS tasks when a role of the stack does that (``target`` names their ARNs)."""
    actions = boundary_actions(declared)
    if escalating := [a for a in actions if a.split(":")[0] in ("iam", "sts")]:
        raise ValueError(f"a role or user of the stack is given {escalating}: never IAM or STS")
    statements: list[dict[str, Any]] = [
        {"Sid": "AtMostWhatTheStackUses", "Effect": "Allow", "Action": actions, "Resource": "*"}
    ]
    if passes_roles(declared):
        if target is None:
            raise ValueError("a role of the stack passes roles: give the Target their ARNs name")
        statements.append(
            {
                "Sid": "PassOwnRolesToEcsTasks",
                "Effect": "Allow",
                "Action": PASS_ROLE,
                "Resource": ecs_task_role_patterns(declared, target),
                "Condition": PASS_TO_ECS_TASKS,
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}
