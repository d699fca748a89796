"""PostgresBackupBucket on its own: private, versioned, TLS-only, lifecycle, prefix-scoped role."""

from __future__ import annotations

import json

import pulumi
import pytest

from components.postgres.backup_bucket import (
    PostgresBackupBucket,
    PostgresBackupBucketArgs,
    backup_statements,
    safety_expiry_days,
)
from tests.stack_runs import run_component

LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
ACCOUNT = "123456789012"  # the account the recording mocks answer for
WRITER, BREAK_GLASS = "tw-x-task-role-*", "tw-x-break-glass"


def build(prefix_for_statements: str | None = None, **kwargs):
    def program() -> None:
        bucket = PostgresBackupBucket("pg-backups", PostgresBackupBucketArgs(**kwargs))
        pulumi.export("statements", bucket.task_role_statements(prefix_for_statements))
        pulumi.export("destination_url", bucket.destination_url)
        pulumi.export("bucket_name", bucket.bucket_name)
        pulumi.export("required_endpoints", sorted(bucket.required_endpoints))

    return run_component(program)


def test_bucket_is_private_encrypted_and_owner_enforced():
    recording = build()
    block = recording.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    for key in (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ):
        assert block[key] is True, key
    (rule,) = recording.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "AES256"
    ownership = recording.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"]["objectOwnership"] == "BucketOwnerEnforced"


def test_bucket_is_versioned_and_refuses_plain_http():
    recording = build()
    bucket = recording.one("aws:s3/bucket:Bucket")
    versioning = recording.one("aws:s3/bucketVersioning:BucketVersioning").inputs
    assert versioning["versioningConfiguration"]["status"] == "Enabled"
    policy = json.loads(recording.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == [bucket.outputs["arn"], bucket.outputs["arn"] + "/*"]


def test_lifecycle_expires_deleted_backups_and_forgotten_ones_after_the_retention():
    recording = build(retention_days=10, noncurrent_version_days=4, safety_margin_days=5)
    lifecycle = recording.one(LIFECYCLE)
    (rule,) = lifecycle.inputs["rules"]
    assert rule["status"] == "Enabled"
    assert rule["filter"] == {"prefix": "postgres/"}
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 4
    assert rule["expiration"]["days"] == 15
    assert rule["abortIncompleteMultipartUpload"]["daysAfterInitiation"] >= 1
    versioning = recording.one("aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.urn in lifecycle.dependencies


def test_destination_url_names_the_bucket_and_the_prefix():
    recording = build(prefix="db/main")
    assert (
        recording.outputs["destination_url"] == f"s3://{recording.outputs['bucket_name']}/db/main"
    )


def policy_statements(recording) -> dict[str, dict]:
    policy = json.loads(recording.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def guarded():
    return build(writer_role_names=(WRITER,), reader_role_names=(BREAK_GLASS,))


def test_old_versions_are_kept_as_long_as_the_retention_unless_told_otherwise():
    """An object the writer overwrote stays an old version for as long as the original would
    have lived: an overwrite shortens nothing a restore can reach."""
    (rule,) = build(retention_days=10, safety_margin_days=5).one(LIFECYCLE).inputs["rules"]
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 15
    assert rule["expiration"]["days"] == 15


def test_only_the_writer_and_the_break_glass_role_may_read_objects():
    recording = guarded()
    arn = recording.one("aws:s3/bucket:Bucket").outputs["arn"]
    deny = policy_statements(recording)["DenyObjectReadsToOthers"]
    assert deny["Effect"] == "Deny"
    assert deny["Principal"] == "*"
    assert {"s3:GetObject", "s3:GetObjectVersion"} <= set(deny["Action"])
    assert deny["Resource"] == f"{arn}/*"
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
    assert deny["Condition"] == {
        "ArnNotLike": {
            "aws:PrincipalArn": [
                f"arn:aws:iam::{ACCOUNT}:role/{WRITER}",
                f"arn:aws:iam::{ACCOUNT}:role/{BREAK_GLASS}",
            ]
        }
    }


def test_the_writer_may_neither_delete_nor_change_what_s3_keeps():
    recording = guarded()
    arn = recording.one("aws:s3/bucket:Bucket").outputs["arn"]
    deny = policy_statements(recording)["DenyDestructionToTheWriter"]
    assert deny["Effect"] == "Deny"
    assert deny["Principal"] == "*"
    for action in (
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketVersioning",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
    ):
        assert action in deny["Action"], action
    assert deny["Resource"] == [arn, f"{arn}/*"]
    assert deny["Condition"] == {
        "ArnLike": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:role/{WRITER}"]}
    }


def test_without_named_roles_the_policy_only_requires_tls():
    assert list(policy_statements(build())) == ["DenyInsecureTransport"]


def test_role_may_list_read_and_write_under_the_prefix_only_and_never_delete():
    recording = build()
    arn = recording.one("aws:s3/bucket:Bucket").outputs["arn"]
    listing, objects = recording.outputs["statements"]
    assert listing["Action"] == ["s3:ListBucket"]
    assert listing["Resource"] == arn
    assert listing["Condition"] == {"StringLikeIfExists": {"s3:prefix": ["postgres", "postgres/*"]}}
    assert sorted(objects["Action"]) == ["s3:GetObject", "s3:PutObject"]
    assert objects["Resource"] == f"{arn}/postgres/*"
    assert recording.outputs["required_endpoints"] == ["s3"]


def test_role_statements_follow_another_prefix_when_asked():
    recording = build(prefix_for_statements="other")
    arn = recording.one("aws:s3/bucket:Bucket").outputs["arn"]
    listing, objects = recording.outputs["statements"]
    assert listing["Condition"]["StringLikeIfExists"]["s3:prefix"] == ["other", "other/*"]
    assert objects["Resource"] == f"{arn}/other/*"


@pytest.mark.parametrize("protect", [True, False])
def test_protection_follows_the_arg_and_an_unprotected_bucket_can_be_destroyed(protect):
    bucket = build(protect=protect).one("aws:s3/bucket:Bucket")
    assert bucket.protect is protect
    assert bucket.retain_on_delete is protect
    # Unprotected, `pulumi destroy` empties the bucket (every version) before deleting it.
    assert bucket.inputs["forceDestroy"] is (not protect)


def test_every_resource_is_a_child_of_the_component():
    recording = build()
    component = recording.one("django-tw:postgres:PostgresBackupBucket")
    for resource in recording.resources:
        if resource.custom:
            assert resource.parent == component.urn, resource.name


def test_safety_expiry_is_the_retention_plus_the_margin():
    assert safety_expiry_days(14, 7) == 21
    assert safety_expiry_days(1, 2) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prefix": "/postgres"}, r"prefix '/postgres'.*without a leading or trailing '/'"),
        ({"prefix": "postgres/"}, r"prefix 'postgres/'"),
        ({"prefix": ""}, r"prefix ''"),
        ({"retention_days": 0}, r"retention_days is 0; use 1 or more"),
        ({"safety_margin_days": 1}, r"margin_days is 1; use more than 1"),
        ({"noncurrent_version_days": 0}, r"noncurrent_version_days must be 1 or more"),
        ({"writer_role_names": ("role/x",)}, r"role name 'role/x'"),
        ({"reader_role_names": ("",)}, r"role name ''"),
    ],
)
def test_bad_args_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        PostgresBackupBucketArgs(**kwargs)


def test_statements_refuse_a_prefix_that_would_widen_them():
    with pytest.raises(ValueError, match=r"backup prefix '\*'"):
        backup_statements("arn:aws:s3:::b", "*")
