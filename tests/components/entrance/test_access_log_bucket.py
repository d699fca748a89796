"""AccessLogBucket: where the load balancer's access logs go, who may write them, how long."""

from __future__ import annotations

import json

import pulumi
import pytest

from components.entrance.access_log_bucket import (
    ELB_ACCOUNT_BY_REGION,
    LOG_DELIVERY_SERVICE,
    AccessLogBucket,
    AccessLogBucketArgs,
    log_delivery_principal,
    log_delivery_statement,
)
from tests.stack_runs import run_component

ACCOUNT = "123456789012"  # the account the recording mocks answer for


def build(region: str = "ap-northeast-1", **kwargs):
    def program() -> None:
        logs = AccessLogBucket("logs", AccessLogBucketArgs(**kwargs))
        pulumi.export("target_bucket", logs.target.bucket)
        pulumi.export("target_prefix", logs.target.prefix)

    return run_component(program, region=region)


def test_regions_before_august_2022_name_their_elb_account():
    assert log_delivery_principal("ap-northeast-1") == {"AWS": "arn:aws:iam::582318560864:root"}
    assert log_delivery_principal("us-east-1") == {"AWS": "arn:aws:iam::127311923021:root"}
    assert len(ELB_ACCOUNT_BY_REGION) == 22


@pytest.mark.parametrize("region", ["ap-southeast-4", "eu-central-2", "il-central-1"])
def test_newer_regions_name_the_log_delivery_service(region):
    assert log_delivery_principal(region) == {"Service": LOG_DELIVERY_SERVICE}


def test_the_statement_lets_elb_put_objects_and_nothing_else():
    statement = log_delivery_statement("ap-southeast-4", "arn:aws:s3:::b/alb/AWSLogs/1/*")
    assert statement["Action"] == "s3:PutObject"
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == "arn:aws:s3:::b/alb/AWSLogs/1/*"
    assert statement["Principal"] == {"Service": LOG_DELIVERY_SERVICE}


def test_elb_may_write_under_this_accounts_prefix_only_and_tls_is_required():
    recording = build()
    arn = recording.one("aws:s3/bucket:Bucket").outputs["arn"]
    policy = json.loads(recording.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    deny, allow = policy["Statement"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert allow["Principal"] == {"AWS": "arn:aws:iam::582318560864:root"}
    assert allow["Resource"] == f"{arn}/alb/AWSLogs/{ACCOUNT}/*"


def test_a_newer_region_gets_the_service_principal_in_the_bucket_policy():
    recording = build(region="ap-southeast-4")
    policy = json.loads(recording.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    assert policy["Statement"][1]["Principal"] == {"Service": LOG_DELIVERY_SERVICE}


def test_logs_are_encrypted_with_s3_managed_keys_the_only_kind_elb_supports():
    recording = build()
    (rule,) = recording.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "AES256"


def test_logs_expire_after_the_retention():
    recording = build(retention_days=30)
    (rule,) = recording.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    ).inputs["rules"]
    assert rule["expiration"]["days"] == 30
    assert rule["status"] == "Enabled"


@pytest.mark.parametrize("protect", [True, False])
def test_a_protected_bucket_is_kept_and_an_unprotected_one_is_emptied_on_destroy(protect):
    # ELB writes a test object as soon as logging is on: unprotected, the bucket is never empty
    # when `pulumi destroy` reaches it, so the provider must empty it first.
    bucket = build(protect=protect).one("aws:s3/bucket:Bucket")
    assert (bucket.protect, bucket.retain_on_delete) == (protect, protect)
    assert bucket.inputs["forceDestroy"] is (not protect)


def test_the_target_names_the_bucket_and_prefix():
    recording = build(prefix="web/alb")
    assert (
        recording.outputs["target_bucket"]
        == recording.one("aws:s3/bucket:Bucket").outputs["bucket"]
    )
    assert recording.outputs["target_prefix"] == "web/alb"


def test_only_the_named_readers_may_read_the_logs_and_elb_still_writes():
    """The logs hold every request URL: with a reader named, every other principal is refused
    object reads (a request without aws:PrincipalArn too); the log delivery only puts."""
    recording = build(reader_role_names=("tw-x-break-glass",))
    arn = recording.one("aws:s3/bucket:Bucket").outputs["arn"]
    policy = json.loads(recording.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    by_sid = {statement["Sid"]: statement for statement in policy["Statement"]}
    deny = by_sid["DenyObjectReadsToOthers"]
    assert (deny["Effect"], deny["Principal"], deny["Resource"]) == ("Deny", "*", f"{arn}/*")
    assert {"s3:GetObject", "s3:GetObjectVersion"} <= set(deny["Action"])
    assert deny["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:role/tw-x-break-glass"]}
    }
    delivery = by_sid["ElbAccessLogDelivery"]
    assert delivery["Action"] == "s3:PutObject"
    assert "s3:PutObject" not in deny["Action"]


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"retention_days": 0}, "retention_days"),
        ({"prefix": "AWSLogs"}, "AWSLogs"),
        ({"prefix": "/alb"}, "prefix"),
        ({"reader_role_names": ("a b",)}, "reader_role_names: role name 'a b'"),
    ],
)
def test_bad_arguments_say_what_to_change(kwargs, says):
    with pytest.raises(ValueError, match=says):
        AccessLogBucketArgs(**kwargs)
