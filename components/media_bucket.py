"""MediaBucket: a private, encrypted S3 bucket for user uploads, reached with the task role."""

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.policy_documents import policy_document


@dataclass(frozen=True)
class MediaBucketArgs:
    """Where django-storages keeps uploaded files."""

    protect: bool = True
    """Refuse deletion and keep the bucket if the stack forgets it (production)."""
    versioning: bool = True
    """Keep overwritten and deleted objects recoverable."""
    noncurrent_version_days: int = 30
    """Delete old object versions after this many days (keeps versioning cheap)."""

    def __post_init__(self) -> None:
        if self.noncurrent_version_days < 1:
            raise ValueError("MediaBucketArgs.noncurrent_version_days must be 1 or more")


class MediaBucket(pulumi.ComponentResource):
    """Private bucket: all four public access blocks, SSE-S3, owner-enforced objects,
    TLS-only policy, and the IAM statements that let one role use it."""

    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    task_role_statements: list[dict[str, Any]]

    def __init__(
        self, name: str, args: MediaBucketArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("django-tw:storage:MediaBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        keep = pulumi.ResourceOptions(
            parent=self, protect=args.protect, retain_on_delete=args.protect
        )

        bucket = aws.s3.Bucket(f"{name}-bucket", force_destroy=False, opts=keep)
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
        if args.versioning:
            versioning = aws.s3.BucketVersioning(
                f"{name}-versioning",
                bucket=bucket.id,
                versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(
                    status="Enabled"
                ),
                opts=child,
            )
            aws.s3.BucketLifecycleConfiguration(
                f"{name}-lifecycle",
                bucket=bucket.id,
                rules=[
                    aws.s3.BucketLifecycleConfigurationRuleArgs(
                        id="expire-old-versions",
                        status="Enabled",
                        filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                        noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                            noncurrent_days=args.noncurrent_version_days
                        ),
                        abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                            days_after_initiation=7
                        ),
                    )
                ],
                opts=pulumi.ResourceOptions(parent=self, depends_on=[versioning]),
            )
        aws.s3.BucketPolicy(
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
                }
            ),
            # A bucket policy can only be put once the public access block is in place.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_access]),
        )

        self.bucket_name = bucket.bucket
        self.bucket_arn = bucket.arn
        self.task_role_statements = [
            {
                "Sid": "MediaObjects",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": objects,
            },
            {
                "Sid": "MediaList",
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": bucket.arn,
            },
        ]
        self.register_outputs({"bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn})

    @property
    def required_endpoints(self) -> frozenset[str]:
        return frozenset({"s3"})
