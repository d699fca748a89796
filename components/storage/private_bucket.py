"""The baseline every private bucket of this library shares, declared under its component.

All four public access blocks, objects owned by the bucket owner (no ACLs), SSE-S3 with bucket
keys, optional versioning, and a bucket policy that refuses any request without TLS. Resource
names derive from the component's name, so a component that moved to this function declares
exactly the resources it declared before.
https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components._shared.iam import policy_document


@dataclass(frozen=True)
class PrivateBucket:
    bucket: aws.s3.Bucket
    objects_arn: pulumi.Output[str]
    """``<bucket arn>/*``: every object of the bucket."""
    versioning: aws.s3.BucketVersioning | None
    """What a lifecycle configuration must wait for (None when not versioned)."""
    policy: aws.s3.BucketPolicy
    """The bucket policy: what a writer that AWS checks the policy of must wait for."""

    @property
    def lifecycle_waits_for(self) -> list[pulumi.Resource]:
        """The ``depends_on`` of a lifecycle configuration: the versioning, if any."""
        return [self.versioning] if self.versioning is not None else []


# The statements a bucket's policy adds to the TLS-only one: a function of the bucket's ARN and
# its objects' ARN (``<arn>/*``), which are not known before the bucket exists.
ExtraStatements = Callable[[pulumi.Output[str], pulumi.Output[str]], Sequence[Mapping[str, Any]]]


def declare_private_bucket(
    name: str,
    parent: pulumi.Resource,
    *,
    protect: bool,
    versioned: bool,
    extra_statements: ExtraStatements | None = None,
) -> PrivateBucket:
    """Declare ``{name}-bucket`` and its baseline children under ``parent``.

    ``protect`` protects the bucket and retains it on delete (production data); without it
    the bucket is ``force_destroy``: ``pulumi destroy`` empties it first (below).
    ``extra_statements`` adds statements to the bucket policy after the TLS-only one (a bucket
    has one policy, so whoever else may write to the bucket is granted here).
    """
    child = pulumi.ResourceOptions(parent=parent)
    keep = pulumi.ResourceOptions(parent=parent, protect=protect, retain_on_delete=protect)
    # S3 refuses to delete a bucket that holds anything (BucketNotEmpty), and every bucket here
    # soon does: ELB writes a test object as access logging is enabled, WAL arrives in minutes.
    # With force_destroy the provider answers BucketNotEmpty by deleting every object version
    # and delete marker, then the bucket (terraform-provider-aws internal/service/s3/bucket.go
    # resourceBucketDelete -> emptyBucket). Only where nothing is protected: it takes effect
    # once a `pulumi up` has stored it, so lifting protection (docs/deploying.md's teardown)
    # arms it too.
    bucket = aws.s3.Bucket(f"{name}-bucket", force_destroy=not protect, opts=keep)
    objects = bucket.arn.apply(lambda arn: f"{arn}/*")
    public_access = aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access-block",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child,
    )
    aws.s3.BucketOwnershipControls(
        f"{name}-ownership",
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        opts=child,
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-encryption",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="AES256"
                ),
                bucket_key_enabled=True,
            )
        ],
        opts=child,
    )
    versioning = None
    if versioned:
        versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(
                status="Enabled"
            ),
            opts=child,
        )
    extra = list(extra_statements(bucket.arn, objects)) if extra_statements else []
    policy = aws.s3.BucketPolicy(
        f"{name}-policy",
        bucket=bucket.id,
        policy=policy_document(
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket.arn, objects],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            *extra,
        ),
        # A bucket policy can only be put once the public access block is in place.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[public_access]),
    )
    return PrivateBucket(bucket=bucket, objects_arn=objects, versioning=versioning, policy=policy)
