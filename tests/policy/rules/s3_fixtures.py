"""A passing and a failing stack for each S3 rule (rule id -> (passing, failing))."""

from __future__ import annotations

from typing import Any

from policy.aws_types import BUCKET_OWNERSHIP, BUCKET_POLICY, BUCKET_PUBLIC_ACCESS_BLOCK, BUCKETS
from policy.model import Resource

from ..builders import allow, policy_document, res

BUCKET = res(BUCKETS[0], "media", id="media-bucket", bucket="media-bucket")
SECURE_TRANSPORT_DENY = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::media-bucket", "arn:aws:s3:::media-bucket/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}
PUBLIC_ACCESS_BLOCKED = {
    "bucket": "media-bucket",
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}


def bucket_policy(*statements: dict[str, Any]) -> Resource:
    return res(
        BUCKET_POLICY,
        "media-policy",
        bucket="media-bucket",
        policy=policy_document(*statements),
    )


def bucket_ownership(object_ownership: str) -> Resource:
    return res(
        BUCKET_OWNERSHIP,
        "media-ownership",
        bucket="media-bucket",
        rule={"objectOwnership": object_ownership},
    )


FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "S3.1/S3.8": (
        [BUCKET, res(BUCKET_PUBLIC_ACCESS_BLOCK, "media-pab", **PUBLIC_ACCESS_BLOCKED)],
        [
            BUCKET,
            res(
                BUCKET_PUBLIC_ACCESS_BLOCK,
                "media-pab",
                **(PUBLIC_ACCESS_BLOCKED | {"blockPublicPolicy": False}),
            ),
        ],
    ),
    "S3.5": (
        [BUCKET, bucket_policy(SECURE_TRANSPORT_DENY)],
        [BUCKET, bucket_policy(allow("s3:GetObject", "arn:aws:s3:::media-bucket/*"))],
    ),
    "S3.12": (
        [BUCKET, bucket_ownership("BucketOwnerEnforced")],
        [BUCKET, bucket_ownership("ObjectWriter")],
    ),
}
