"""IAM rules: what the stack's policies allow (FSBP IAM.*).

Policies come as managed policies, inline policies of roles, users and groups, a role's
``inlinePolicies``, and attachments of AWS managed policies. A role's trust policy is not read:
it says who may assume the role, not what the role may do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policy.aws_types import IAM_ATTACHMENTS, IAM_INLINE_POLICIES, IAM_POLICY, IAM_ROLE
from policy.model import Enforcement, resource_rule
from policy.readers import as_list, statements

MANDATORY = Enforcement.MANDATORY
IAM_TYPES = (IAM_POLICY, IAM_ROLE, *IAM_INLINE_POLICIES, *IAM_ATTACHMENTS)


def _policy_documents(resource_type: str, props: Mapping[str, Any]) -> list[Any]:
    if resource_type == IAM_POLICY or resource_type in IAM_INLINE_POLICIES:
        return [props.get("policy")]
    if resource_type == IAM_ROLE:
        return [
            p.get("policy") for p in as_list(props.get("inlinePolicies")) if isinstance(p, dict)
        ]
    return []


def _allow_statements(resource_type: str, props: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for document in _policy_documents(resource_type, props)
        for s in statements(document)
        if s.get("Effect") == "Allow"
    ]


@resource_rule("IAM.1", "no policy grants full administrative access", MANDATORY, IAM_TYPES)
def check_iam_1_no_full_admin(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    if resource_type in IAM_ATTACHMENTS and str(props.get("policyArn", "")).endswith(
        ":policy/AdministratorAccess"
    ):
        return ["attaches AdministratorAccess"]
    return [
        "a statement allows Action * on Resource *"
        for s in _allow_statements(resource_type, props)
        if "*" in as_list(s.get("Action")) and "*" in as_list(s.get("Resource"))
    ]


@resource_rule("IAM.21", "policies list actions instead of service wildcards", MANDATORY, IAM_TYPES)
def check_iam_21_no_service_wildcards(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for statement in _allow_statements(resource_type, props):
        for action in as_list(statement.get("Action")):
            if action == "*" or str(action).endswith(":*"):
                messages.append(f"allows the wildcard action {action!r}; list the actions")
        if statement.get("NotAction"):
            messages.append("an Allow statement uses NotAction (allows everything else)")
    return messages
