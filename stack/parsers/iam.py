"""What the IAM settings accept: the permissions boundary and the break-glass role's name."""

from __future__ import annotations

import re

from stack.parsers import Earlier, NotAllowed

_BOUNDARY = re.compile(
    r"^([\w+=,.@-]{1,128}|arn:aws(-cn|-us-gov)?:iam::(\d{12}|aws):policy/[\w+=,.@/-]+)$"
)

# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
_IAM_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")


def permissions_boundary(text: str, earlier: Earlier) -> str:
    """An IAM managed policy: its name (1..128 of ``[A-Za-z0-9+=,.@_-]``) or its ARN; empty:
    the stack's default name."""
    policy = text.strip()
    if policy and not _BOUNDARY.match(policy):
        raise NotAllowed(
            policy, 'an IAM policy name or ARN, e.g. "tw-prod-permissions-boundary", or ""'
        )
    return policy


def iam_role_name(text: str, earlier: Earlier) -> str:
    """An IAM role name, or "" (the stack then derives one)."""
    value = text.strip()
    if value and not _IAM_ROLE_NAME.match(value):
        raise NotAllowed(text, 'an IAM role name: 1 to 64 letters, digits or +=,.@_-, or ""')
    return value
