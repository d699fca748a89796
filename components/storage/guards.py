"""Bucket-policy statements that limit who reads a bucket's objects and who may destroy them.

An identity policy only adds permissions; a bucket policy's ``Deny`` outweighs every ``Allow``
of every policy in the account, so these hold even against a role that was given
``ReadOnlyAccess`` or ``s3:*`` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).

Principals are matched on ``aws:PrincipalArn``, which for a role's session is the *role's* ARN
(``arn:aws:iam::<account>:role/<name>``), not the session's, so ``ArnLike``/``ArnNotLike`` with
a role name pattern names every session of that role
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
A request without the key (an anonymous one, or one an AWS service makes with its own service
principal) makes ``ArnNotLike`` true (the second page's "Important" note on absent keys): the
read deny applies to it too.
"""

import re
from collections.abc import Sequence
from typing import Any

import pulumi

# Every action that returns an object's bytes: the current version, an older one, a torrent
# of either, a replication read. https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
OBJECT_READ_ACTIONS = (
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectTorrent",
    "s3:GetObjectVersionTorrent",
    "s3:GetObjectVersionForReplication",
)
# What would let a writer remove what it wrote, or shorten how long S3 keeps it: deleting an
# object or a version, and changing the bucket's lifecycle, versioning, policy or replication.
DESTRUCTIVE_ACTIONS = (
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketVersioning",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutReplicationConfiguration",
    "s3:DeleteBucket",
)
# IAM role names: letters, digits and +=,.@_- (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html),
# plus a trailing * for the random suffix Pulumi appends to a role it names.
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}\*?$")


def role_arn_patterns(account_id: pulumi.Input[str], names: Sequence[str]) -> list[Any]:
    """``arn:aws:iam::<account>:role/<name>`` for each role name (or name pattern)."""
    for name in names:
        if not _ROLE_NAME.match(name):
            raise ValueError(
                f"role name {name!r}: use 1 to 64 letters, digits or +=,.@_- (a trailing * "
                "matches Pulumi's random suffix)"
            )
    return [pulumi.Output.concat("arn:aws:iam::", account_id, f":role/{name}") for name in names]


def deny_object_reads_statement(
    objects_arn: pulumi.Input[str], reader_arns: Sequence[pulumi.Input[str]]
) -> dict[str, Any]:
    """Refuse every object read to everyone but ``reader_arns`` (role ARNs or patterns)."""
    if not reader_arns:
        raise ValueError("name at least one reader: a bucket nobody may read cannot be restored")
    return {
        "Sid": "DenyObjectReadsToOthers",
        "Effect": "Deny",
        "Principal": "*",
        "Action": list(OBJECT_READ_ACTIONS),
        "Resource": objects_arn,
        "Condition": {"ArnNotLike": {"aws:PrincipalArn": list(reader_arns)}},
    }


def deny_destruction_statement(
    bucket_arn: pulumi.Input[str],
    objects_arn: pulumi.Input[str],
    writer_arns: Sequence[pulumi.Input[str]],
) -> dict[str, Any]:
    """Refuse ``writer_arns`` every delete and every change to what S3 keeps: they may add
    objects, never take one away (retention is the lifecycle's alone)."""
    if not writer_arns:
        raise ValueError("name the writer this statement holds back")
    return {
        "Sid": "DenyDestructionToTheWriter",
        "Effect": "Deny",
        "Principal": "*",
        "Action": list(DESTRUCTIVE_ACTIONS),
        "Resource": [bucket_arn, objects_arn],
        "Condition": {"ArnLike": {"aws:PrincipalArn": list(writer_arns)}},
    }
