"""MediaBucket: a private, encrypted S3 bucket for user uploads, reached with the task role."""

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components.storage.private_bucket import declare_private_bucket

COMPONENT_TYPE = "django-tw:storage:MediaBucket"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = ("django-tw:media_bucket:MediaBucket",)


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
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )

        private = declare_private_bucket(
            name, self, protect=args.protect, versioned=args.versioning
        )
        bucket, objects = private.bucket, private.objects_arn
        if args.versioning:
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
                opts=pulumi.ResourceOptions(parent=self, depends_on=private.lifecycle_waits_for),
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
