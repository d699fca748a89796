"""The permissions boundary every role and user of the stack carries: at most what they do.

The union of the actions of the stack's own role and user policies (``aws:iam/rolePolicy``,
``aws:iam/userPolicy``, as the program declares them: task, execution and flow-log roles, the
SMTP user) and of the AWS managed policies it attaches (:data:`MANAGED_POLICY_ACTIONS`). A
role's effective permissions are the intersection of its own policies and its boundary
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html), so a role
the deploy role creates can never hold IAM, or anything no part of the stack uses.
"""

from __future__ import annotations

import json
from typing import Any

from tools.plan.deploy_policies import Declared

OWN_POLICY_TYPES = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy")
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
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


def _actions(document: Any) -> set[str]:
    parsed = json.loads(document) if isinstance(document, str) else document
    found: set[str] = set()
    for statement in parsed.get("Statement") or []:
        if statement.get("Effect", "Allow") != "Allow":
            continue
        action = statement.get("Action") or []
        found.update([action] if isinstance(action, str) else action)
    return found


def boundary_actions(declared: Declared) -> list[str]:
    """Every action a role or user of the stack is given, sorted."""
    actions: set[str] = set()
    for resource in declared.resources:
        if resource.type in OWN_POLICY_TYPES and resource.inputs.get("policy"):
            actions |= _actions(resource.inputs["policy"])
        elif resource.type == ATTACHMENT:
            arn = resource.inputs.get("policyArn", "")
            if arn not in MANAGED_POLICY_ACTIONS:
                raise LookupError(
                    f"tools/plan/deploy_boundary.py has no actions for the managed policy {arn}: "
                    "add what the role does with it to MANAGED_POLICY_ACTIONS"
                )
            actions |= set(MANAGED_POLICY_ACTIONS[arn])
    return sorted(actions)


def boundary_document(declared: Declared) -> dict[str, Any]:
    """The boundary policy: the stack's actions on ``*`` (each role's own policy narrows the
    resources), and never IAM or STS role chaining."""
    actions = boundary_actions(declared)
    if escalating := [a for a in actions if a.split(":")[0] in ("iam", "sts")]:
        raise ValueError(f"a role or user of the stack is given {escalating}: never IAM or STS")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AtMostWhatTheStackUses", "Effect": "Allow", "Action": actions,
             "Resource": "*"},
        ],
    }  # fmt: skip
