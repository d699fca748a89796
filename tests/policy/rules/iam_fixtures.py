"""A passing and a failing stack for each IAM rule (rule id -> (passing, failing))."""

from __future__ import annotations

from policy.aws_types import IAM_INLINE_POLICIES, IAM_POLICY
from policy.model import Resource

from ..builders import allow, policy_document, res

FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "IAM.1": (
        [
            res(
                IAM_POLICY,
                "task-policy",
                policy=policy_document(
                    allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::media-bucket/*")
                ),
            )
        ],
        [res(IAM_POLICY, "task-policy", policy=policy_document(allow("*")))],
    ),
    "IAM.21": (
        [
            res(
                IAM_INLINE_POLICIES[0],
                "exec",
                role="task-role",
                policy=policy_document(
                    allow(
                        [
                            "ssmmessages:CreateControlChannel",
                            "ssmmessages:CreateDataChannel",
                            "ssmmessages:OpenControlChannel",
                            "ssmmessages:OpenDataChannel",
                        ]
                    )
                ),
            )
        ],
        [
            res(
                IAM_INLINE_POLICIES[0],
                "exec",
                role="task-role",
                policy=policy_document(allow("ssmmessages:*")),
            )
        ],
    ),
}
