"""The permissions boundary every IAM role and user of a stack carries, set in one place.

A boundary caps what an identity may do whatever its own policies say
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html): a deploy
role that may create roles only with the boundary (``iam:PermissionsBoundary``) cannot create
one with more than the boundary allows. :func:`bound_identities` is a stack transformation, so
every ``aws.iam.Role`` and ``aws.iam.User`` any component declares gets it.
"""

from __future__ import annotations

import re

import pulumi

BOUNDED_TYPES = ("aws:iam/role:Role", "aws:iam/user:User")
_POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")  # IAM CreatePolicy's PolicyName
_POLICY_ARN = re.compile(r"^arn:aws(-cn|-us-gov)?:iam::(\d{12}|aws):policy/([\w+=,.@/-]+)$")


def default_boundary_name(prefix: str) -> str:
    """``tw-prod`` -> ``tw-prod-permissions-boundary``: the policy the deploy docs create."""
    return f"{prefix}-permissions-boundary"


def partition_of(region: str) -> str:
    """``aws``, ``aws-cn`` or ``aws-us-gov``: the partition a region's ARNs start with."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def boundary_policy_arn(policy: str, partition: str, account_id: str) -> str:
    """A managed policy's ARN from its name (in ``account_id``), or ``policy`` when it is one."""
    if _POLICY_ARN.match(policy):
        return policy
    if not _POLICY_NAME.match(policy):
        raise ValueError(f"{policy!r} is neither an IAM policy name nor a policy ARN")
    return f"arn:{partition}:iam::{account_id}:policy/{policy}"


def bound_identities(boundary_arn: pulumi.Input[str]) -> pulumi.ResourceTransformation:
    """A transformation that gives every IAM role and user ``boundary_arn`` as its boundary
    (one set by the component itself is kept)."""

    def transform(args: pulumi.ResourceTransformationArgs):
        if args.type_ not in BOUNDED_TYPES or args.props.get("permissions_boundary"):
            return None
        return pulumi.ResourceTransformationResult(
            {**args.props, "permissions_boundary": boundary_arn}, args.opts
        )

    return transform
