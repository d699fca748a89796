"""The permissions boundary every IAM role and user of a stack carries, set in one place.

A boundary caps what an identity may do whatever its own policies say
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html): a deploy
role that may create roles only with the boundary (``iam:PermissionsBoundary``) cannot create
one with more than the boundary allows. :func:`bound_identities` is a stack transformation, so
every ``aws.iam.Role`` and ``aws.iam.User`` any component declares gets it.
"""

import re

import pulumi
import pulumi_aws as aws

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


def bound_every_identity(prefix: str, policy: str, region: str) -> str:
    """Give every IAM role and user declared after this call the boundary ``policy`` (a name
    in this account, or an ARN; empty: :func:`default_boundary_name` of ``prefix``), and return
    its ARN. Call it before the first resource: a stack transformation applies only to the
    resources registered after it."""
    account_id = aws.get_caller_identity().account_id
    arn = boundary_policy_arn(
        policy or default_boundary_name(prefix), partition_of(region), account_id
    )
    pulumi.runtime.register_stack_transformation(bound_identities(arn))
    return arn
