"""PostgresBackupBucket: a private, versioned S3 bucket for a WAL archive and base backups.

barman-cloud (or any boto3-based tool: pgBackRest, WAL-G) writes under one prefix with the task
role; nothing else may. Kept apart from PersistentPostgres so a managed database (RDS keeps its
own backups) need not create it, and another project can give it to its own Postgres.
"""

import re
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aliases import with_former_types
from components.private_bucket import declare_private_bucket

COMPONENT_TYPE = "django-tw:postgres_backup_bucket:PostgresBackupBucket"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = ("django-tw:database:PostgresBackupBucket",)

_PREFIX = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")

# barman-cloud's recovery window keeps the newest base backup older than the window, so with
# daily base backups the oldest object it still needs is up to one backup interval older.
BASE_BACKUP_INTERVAL_DAYS = 1


def safety_expiry_days(retention_days: int, margin_days: int) -> int:
    """Age at which S3 deletes a backup object barman-cloud should have deleted itself.

    Longer than anything the recovery window keeps (``retention_days`` plus one backup
    interval), plus ``margin_days`` in which an operator can notice failing base backups: past
    it the last good base backup expires too, so the margin is the time to act on the alarm.
    """
    if retention_days < 1:
        raise ValueError(f"retention_days is {retention_days}; use 1 or more")
    if margin_days <= BASE_BACKUP_INTERVAL_DAYS:
        raise ValueError(
            f"margin_days is {margin_days}; use more than {BASE_BACKUP_INTERVAL_DAYS} (a base "
            "backup interval), or S3 could expire a backup the recovery window still needs"
        )
    return retention_days + margin_days


@dataclass(frozen=True)
class PostgresBackupBucketArgs:
    """Where a Postgres WAL archive and its base backups live."""

    retention_days: int = 14
    """The backup tool's recovery window, days (barman-cloud-backup-delete
    ``--retention-policy "RECOVERY WINDOW OF n DAYS"``); the safety expiry derives from it."""
    prefix: str = "postgres"
    """Key prefix of the backups; the task role may touch nothing outside it."""
    noncurrent_version_days: int = 7
    """Days a backup object the tool deleted (or overwrote) stays recoverable as an old
    version. The task role cannot delete versions, so this also bounds what a compromised
    task can destroy."""
    safety_margin_days: int = 7
    """Objects older than retention_days + this are expired by S3 even if the tool never
    deleted them; see :func:`safety_expiry_days`."""
    protect: bool = True
    """Refuse deletion and keep the bucket if the stack forgets it (production)."""

    def __post_init__(self) -> None:
        if not _PREFIX.match(self.prefix):
            raise ValueError(
                f"PostgresBackupBucketArgs.prefix {self.prefix!r}: use lower-case letters, "
                "digits, '.', '_', '-' and inner '/', without a leading or trailing '/'"
            )
        if self.noncurrent_version_days < 1:
            raise ValueError("PostgresBackupBucketArgs.noncurrent_version_days must be 1 or more")
        try:
            safety_expiry_days(self.retention_days, self.safety_margin_days)
        except ValueError as error:
            raise ValueError(f"PostgresBackupBucketArgs: {error}") from None


def backup_statements(
    bucket_arn: pulumi.Input[str], prefix: str, sid: str = "PostgresBackup"
) -> list[dict[str, Any]]:
    """IAM statements that let a role list, read, write and delete under ``prefix`` only.

    s3:ListBucket is also what HeadBucket needs, and barman-cloud calls HeadBucket (which
    carries no ``s3:prefix``) before every archive or backup: hence ``StringLikeIfExists``.
    A listing that does name a prefix must stay under this one; objects outside it can be
    neither read nor written. https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
    No s3:DeleteObjectVersion: in a versioned bucket a delete only adds a delete marker, so the
    role cannot destroy what the lifecycle keeps as old versions.
    """
    if not _PREFIX.match(prefix):
        raise ValueError(
            f"backup prefix {prefix!r}: use lower-case letters, digits, '.', '_', '-' and "
            "inner '/', without a leading or trailing '/'"
        )
    objects = pulumi.Output.concat(bucket_arn, f"/{prefix}/*")
    return [
        {
            "Sid": f"{sid}List",
            "Effect": "Allow",
            "Action": ["s3:ListBucket"],
            "Resource": bucket_arn,
            "Condition": {"StringLikeIfExists": {"s3:prefix": [prefix, f"{prefix}/*"]}},
        },
        {
            "Sid": f"{sid}Objects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": objects,
        },
    ]


class PostgresBackupBucket(pulumi.ComponentResource):
    """Private (all four public access blocks, owner-enforced objects), SSE-S3 encrypted,
    versioned, TLS-only bucket whose lifecycle follows the backup tool's retention."""

    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    destination_url: pulumi.Output[str]
    """``s3://<bucket>/<prefix>``: what barman-cloud takes as its destination."""
    prefix: str

    def __init__(
        self, name: str, args: PostgresBackupBucketArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )

        private = declare_private_bucket(name, self, protect=args.protect, versioned=True)
        bucket = private.bucket
        # In a versioned bucket a delete (barman-cloud-backup-delete) leaves an old version:
        # those go after noncurrent_version_days. Current objects older than the safety expiry
        # are ones the tool failed to delete. Large base backups are multipart uploads; an
        # interrupted one would otherwise be billed forever.
        # https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="backup-retention",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(
                        prefix=f"{args.prefix}/"
                    ),
                    expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(
                        days=safety_expiry_days(args.retention_days, args.safety_margin_days)
                    ),
                    noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                        noncurrent_days=args.noncurrent_version_days
                    ),
                    abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                        days_after_initiation=3
                    ),
                )
            ],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[private.versioning]),
        )

        self.prefix = args.prefix
        self.bucket_name = bucket.bucket
        self.bucket_arn = bucket.arn
        self.destination_url = pulumi.Output.concat("s3://", bucket.bucket, f"/{args.prefix}")
        self.register_outputs(
            {
                "bucket_name": self.bucket_name,
                "bucket_arn": self.bucket_arn,
                "destination_url": self.destination_url,
            }
        )

    def task_role_statements(self, prefix: str | None = None) -> list[dict[str, Any]]:
        """What the backup tool's role needs: list/read/write/delete under ``prefix`` (default:
        this bucket's prefix) and nothing else."""
        return backup_statements(self.bucket_arn, prefix or self.prefix)

    @property
    def required_endpoints(self) -> frozenset[str]:
        """S3 only, through the free gateway endpoint."""
        return frozenset({"s3"})
