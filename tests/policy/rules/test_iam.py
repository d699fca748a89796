"""IAM rules: no administrator access, no service-wide action wildcards."""

from __future__ import annotations

from policy.aws_types import IAM_ATTACHMENTS, IAM_ROLE

from ..builders import policy_document, res
from .expect import result_of


def test_iam_1_catches_administrator_access_attachment():
    attachment = res(
        IAM_ATTACHMENTS[0],
        "admin",
        role="r",
        policyArn="arn:aws:iam::aws:policy/AdministratorAccess",
    )
    assert not result_of("IAM.1", [attachment]).passed


def test_iam_rules_read_inline_policies_of_roles_but_not_trust_policies():
    trust = policy_document(
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:*"}
    )
    role = res(
        IAM_ROLE,
        "task-role",
        assumeRolePolicy=trust,
        inlinePolicies=[
            {
                "name": "all",
                "policy": '{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}',
            }
        ],
    )
    [finding] = result_of("IAM.21", [role]).findings
    assert "s3:*" in finding.message
