"""EndpointSet's endpoint policies, as pure statements.

Without a policy an endpoint allows any request it carries, whoever's credentials sign it: a
compromised task could copy data to another account's bucket through the S3 gateway. These
policies keep the private route to AWS for this account's principals and this stack's buckets.
https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
"""

from collections.abc import Sequence
from typing import Any

import pulumi


def ecr_layer_objects_arn(region: str) -> str:
    """Where ECR keeps the image layers of ``region``: the S3 bucket an image pull reads
    (ECR docs, "Minimum Amazon S3 bucket permissions for Amazon ECR")."""
    return f"arn:aws:s3:::prod-{region}-starport-layer-bucket/*"


def this_account_only(account_id: str) -> dict[str, Any]:
    """The condition that keeps an endpoint to principals of ``account_id``: credentials of
    another account (an attacker's) cannot use the VPC's private route to AWS."""
    return {"StringEquals": {"aws:PrincipalAccount": account_id}}


def s3_gateway_policy_statements(
    region: str, bucket_arns: Sequence[pulumi.Input[str]], account_id: str
) -> list[dict[str, Any]]:
    """The S3 gateway endpoint reaches ECR's layer bucket and the stack's buckets, nothing else.

    The layer bucket is read through URLs that ECR signs, so its statement names no account
    (as ECR's page gives it); the stack's buckets only for this account's principals. Which
    actions a role may take stays the roles' business: here it is which buckets, and whose.
    """
    statements: list[dict[str, Any]] = [
        {
            "Sid": "EcrImageLayers",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject"],
            "Resource": [ecr_layer_objects_arn(region)],
        }
    ]
    if bucket_arns:
        resources: list[Any] = []
        for arn in bucket_arns:
            objects = f"{arn}/*" if isinstance(arn, str) else pulumi.Output.concat(arn, "/*")
            resources.extend([arn, objects])
        statements.append(
            {
                "Sid": "StackBuckets",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": resources,
                "Condition": this_account_only(account_id),
            }
        )
    return statements


def interface_policy_statements(account_id: str) -> list[dict[str, Any]]:
    """An interface endpoint serves this account's principals only."""
    return [
        {
            "Sid": "ThisAccountOnly",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "*",
            "Resource": "*",
            "Condition": this_account_only(account_id),
        }
    ]
