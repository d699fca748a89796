"""AccessLogBucket: the private S3 bucket a load balancer writes its access logs to.

ALB access logs go to S3 only, and to a bucket encrypted with S3-managed keys only: "The only
server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)"
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html),
which is the baseline of :mod:`components.storage.private_bucket`. The bucket policy lets the load
balancers of this account write under one prefix and nothing else; S3 expires the logs after
the retention. Who writes depends on the region (:func:`log_delivery_principal`). The logs
hold every request URL, so when readers are named the policy refuses object reads to every
other principal; the log delivery only puts objects, which that statement leaves alone.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components.entrance.load_balancer import AccessLogTarget
from components.storage.guards import deny_object_reads_statement, role_arn_patterns
from components.storage.private_bucket import declare_private_bucket

COMPONENT_TYPE = "django-tw:entrance:AccessLogBucket"
FORMER_COMPONENT_TYPES = ("django-tw:access_log_bucket:AccessLogBucket",)

ACCESS_LOGS_DOC = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
    "enable-access-logging.html#attach-bucket-policy"
)
# Regions that opened in August 2022 or later: the log delivery service principal writes.
LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"
# Regions available before August 2022: an Elastic Load Balancing account of each region writes,
# and the policy names that account (the same page's table).
ELB_ACCOUNT_BY_REGION: dict[str, str] = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
}

_PREFIX = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")
# An upload the load balancer never finished is billed until it is aborted.
ABORT_INCOMPLETE_UPLOAD_DAYS = 1


def log_delivery_principal(region: str) -> dict[str, str]:
    """Who writes a load balancer's access logs in ``region``: the region's Elastic Load
    Balancing account where AWS documents one, else the log delivery service principal."""
    account = ELB_ACCOUNT_BY_REGION.get(region)
    if account is not None:
        return {"AWS": f"arn:aws:iam::{account}:root"}
    return {"Service": LOG_DELIVERY_SERVICE}


def log_objects_arn(bucket_arn: pulumi.Input[str], prefix: str, account_id: str) -> Any:
    """Where this account's load balancers write: ``<bucket>/<prefix>/AWSLogs/<account>/*``
    (ELB adds ``AWSLogs/<account>/`` after the prefix)."""
    return pulumi.Output.concat(bucket_arn, f"/{prefix}/AWSLogs/{account_id}/*")


def log_delivery_statement(region: str, objects_arn: pulumi.Input[str]) -> dict[str, Any]:
    """The bucket policy statement that lets ELB put log objects there, and only there."""
    return {
        "Sid": "ElbAccessLogDelivery",
        "Effect": "Allow",
        "Principal": log_delivery_principal(region),
        "Action": "s3:PutObject",
        "Resource": objects_arn,
    }


def expiry_rule(retention_days: int) -> aws.s3.BucketLifecycleConfigurationRuleArgs:
    """Every log object expires ``retention_days`` after it was written."""
    return aws.s3.BucketLifecycleConfigurationRuleArgs(
        id="expire-access-logs",
        status="Enabled",
        filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
        expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=retention_days),
        abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
            days_after_initiation=ABORT_INCOMPLETE_UPLOAD_DAYS
        ),
    )


@dataclass(frozen=True)
class AccessLogBucketArgs:
    """Where a load balancer's access logs are kept, and for how long."""

    retention_days: int = 90
    """Days S3 keeps each log object."""
    prefix: str = "alb"
    """Key prefix the load balancer writes under; ELB adds ``AWSLogs/<account>/...``."""
    protect: bool = True
    """Refuse deletion and keep the bucket if the stack forgets it (audit evidence)."""
    reader_role_names: Sequence[str] = ()
    """The only IAM roles (a trailing ``*`` matches a random suffix) that may read the logs,
    e.g. a break-glass role; empty: whoever IAM lets."""

    def __post_init__(self) -> None:
        if self.retention_days < 1:
            raise ValueError(
                f"AccessLogBucketArgs.retention_days is {self.retention_days}; use 1 or more"
            )
        if not _PREFIX.match(self.prefix) or "awslogs" in self.prefix.lower():
            raise ValueError(
                f"AccessLogBucketArgs.prefix {self.prefix!r}: use lower-case letters, digits, "
                "'.', '_', '-' and inner '/', without 'AWSLogs' (ELB adds it)"
            )
        try:
            role_arn_patterns("0", self.reader_role_names)
        except ValueError as error:
            raise ValueError(f"AccessLogBucketArgs.reader_role_names: {error}") from None


class AccessLogBucket(pulumi.ComponentResource):
    """Private (all four public access blocks, owner-enforced objects), SSE-S3, TLS-only bucket
    that only the region's ELB log delivery may write to, under this account's prefix."""

    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    prefix: str
    target: AccessLogTarget
    """What ``PublicEntranceArgs.access_logs`` takes. Its bucket name resolves only once the
    bucket policy exists: ELB checks that it may write when access logging is turned on, so a
    load balancer given this target is created after the policy."""

    def __init__(
        self, name: str, args: AccessLogBucketArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        invoke = pulumi.InvokeOptions(parent=self)
        account_id = aws.get_caller_identity(opts=invoke).account_id
        # The provider's region: the bucket's, and the load balancer's (ELB writes only to a
        # bucket in its own region). It decides who the policy lets write.
        region = aws.get_region(opts=invoke).region

        def delivery(bucket_arn: pulumi.Output[str], objects: pulumi.Output[str]) -> list:
            writable = log_objects_arn(bucket_arn, args.prefix, account_id)
            statements = [log_delivery_statement(region, writable)]
            if args.reader_role_names:
                readers = role_arn_patterns(account_id, args.reader_role_names)
                statements.append(deny_object_reads_statement(objects, readers))
            return statements

        private = declare_private_bucket(
            name, self, protect=args.protect, versioned=False, extra_statements=delivery
        )
        bucket = private.bucket
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=[expiry_rule(args.retention_days)],
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.bucket_name = bucket.bucket
        self.bucket_arn = bucket.arn
        self.prefix = args.prefix
        writable_name = pulumi.Output.all(bucket.bucket, private.policy.id).apply(
            lambda values: values[0]
        )
        self.target = AccessLogTarget(bucket=writable_name, prefix=args.prefix)
        self.register_outputs(
            {"bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn, "prefix": self.prefix}
        )
