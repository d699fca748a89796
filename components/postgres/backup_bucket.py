"""PostgresBackupBucket: a private, versioned S3 bucket for a WAL archive and base backups.

barman-cloud (or any boto3-based tool: pgBackRest, WAL-G) writes under one prefix with the task
role; nothing else may. Kept apart from EfsPostgres so a managed database (RDS keeps its
own backups) need not create it, and another project can give it to its own Postgres.

Write-once for the writer: the bucket policy refuses the writer's role every delete and every
change to the lifecycle, versioning or policy (:mod:`components.storage.guards`), so S3's
lifecycle alone ends a backup's life. An overwrite only adds a version (the bucket is
versioned), and an older version is kept as long as the retention, so nothing the writer does
shortens what a restore can reach. Chosen over S3 Object Lock: Object Lock cannot be turned off
once on, needs versioning, and a retention in governance or compliance mode would also stop a
development stack's bucket from being emptied on `pulumi destroy`
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html); a bucket policy's
deny holds against the task role as firmly, and a lifecycle rule's expirations are S3's own
actions, which no bucket policy refuses.
https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components.storage.guards import (
    deny_destruction_statement,
    deny_object_reads_statement,
    role_arn_patterns,
)
from components.storage.private_bucket import declare_private_bucket

COMPONENT_TYPE = "django-tw:postgres:PostgresBackupBucket"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = (
    "django-tw:database:PostgresBackupBucket",
    "django-tw:postgres_backup_bucket:PostgresBackupBucket",
)

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
    """The recovery window, days: S3 expires each object at retention_days plus the safety
    margin (:func:`safety_expiry_days`), which keeps the base backup the window starts from and
    every WAL segment after it. The backup tool deletes nothing."""
    prefix: str = "postgres"
    """Key prefix of the backups; the task role may touch nothing outside it."""
    noncurrent_version_days: int | None = None
    """Days an overwritten (or expired) object stays as an old version. None: as long as the
    safety expiry, so an object a compromised writer overwrote is still there for as long as
    the original would have been."""
    safety_margin_days: int = 7
    """Objects are kept retention_days + this; see :func:`safety_expiry_days`."""
    protect: bool = True
    """Refuse deletion and keep the bucket if the stack forgets it (production)."""
    writer_role_names: Sequence[str] = ()
    """IAM role names (a trailing ``*`` matches Pulumi's random suffix) of the backup tool: the
    bucket policy refuses them every delete and every change to what S3 keeps. They may read
    (a restore does)."""
    reader_role_names: Sequence[str] = ()
    """Roles besides the writers that may read the objects (a break-glass role). When either
    list is set, the bucket policy refuses object reads to every other principal."""

    def __post_init__(self) -> None:
        if not _PREFIX.match(self.prefix):
            raise ValueError(
                f"PostgresBackupBucketArgs.prefix {self.prefix!r}: use lower-case letters, "
                "digits, '.', '_', '-' and inner '/', without a leading or trailing '/'"
            )
        if self.noncurrent_version_days is not None and self.noncurrent_version_days < 1:
            raise ValueError("PostgresBackupBucketArgs.noncurrent_version_days must be 1 or more")
        try:
            safety_expiry_days(self.retention_days, self.safety_margin_days)
            role_arn_patterns("0", (*self.writer_role_names, *self.reader_role_names))
        except ValueError as error:
            raise ValueError(f"PostgresBackupBucketArgs: {error}") from None

    @property
    def old_version_days(self) -> int:
        """Days an old version is kept: the arg, or the safety expiry."""
        if self.noncurrent_version_days is not None:
            return self.noncurrent_version_days
        return safety_expiry_days(self.retention_days, self.safety_margin_days)


def backup_statements(
    bucket_arn: pulumi.Input[str], prefix: str, sid: str = "PostgresBackup"
) -> list[dict[str, Any]]:
    """IAM statements that let a role list, read and write under ``prefix`` only.

    s3:ListBucket is also what HeadBucket needs, and barman-cloud calls HeadBucket (which
    carries no ``s3:prefix``) before every archive or backup: hence ``StringLikeIfExists``.
    A listing that does name a prefix must stay under this one; objects outside it can be
    neither read nor written. https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
    No delete at all: the lifecycle expires backups (the bucket policy also refuses the writer
    every delete), and an overwrite in a versioned bucket keeps the old version.
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
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": objects,
        },
    ]


def guard_statements(args: PostgresBackupBucketArgs, parent: pulumi.Resource):
    """The bucket-policy statements that keep the writer from destroying backups and everyone
    but the writers and readers from reading them (none when no role is named)."""
    writers, readers = args.writer_role_names, (*args.writer_role_names, *args.reader_role_names)
    if not readers:
        return None

    def statements(bucket_arn: pulumi.Output[str], objects: pulumi.Output[str]) -> list:
        account_id = aws.get_caller_identity(opts=pulumi.InvokeOptions(parent=parent)).account_id
        guards = [deny_object_reads_statement(objects, role_arn_patterns(account_id, readers))]
        if writers:
            writer_arns = role_arn_patterns(account_id, writers)
            guards.append(deny_destruction_statement(bucket_arn, objects, writer_arns))
        return guards

    return statements


class PostgresBackupBucket(pulumi.ComponentResource):
    """Private (all four public access blocks, owner-enforced objects), SSE-S3 encrypted,
    versioned, TLS-only bucket whose lifecycle is the backups' retention."""

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

        guards = guard_statements(args, self)
        private = declare_private_bucket(
            name, self, protect=args.protect, versioned=True, extra_statements=guards
        )
        bucket = private.bucket
        # The retention: every object expires at the safety expiry (barman-cloud deletes
        # nothing); in a versioned bucket that leaves an old version, which goes after
        # old_version_days, as does one an overwrite left. Large base backups are multipart
        # uploads; an interrupted one would otherwise be billed forever.
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
                        noncurrent_days=args.old_version_days
                    ),
                    abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                        days_after_initiation=3
                    ),
                )
            ],
            opts=pulumi.ResourceOptions(parent=self, depends_on=private.lifecycle_waits_for),
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
        """What the backup tool's role needs: list/read/write under ``prefix`` (default: this
        bucket's prefix) and nothing else."""
        return backup_statements(self.bucket_arn, prefix or self.prefix)

    @property
    def required_endpoints(self) -> frozenset[str]:
        """S3 only, through the free gateway endpoint."""
        return frozenset({"s3"})
