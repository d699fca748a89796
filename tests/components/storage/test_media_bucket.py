"""MediaBucket on its own."""

from __future__ import annotations

import json

import pulumi
import pytest

from components.storage.media_bucket import MediaBucket, MediaBucketArgs
from tests.stack_runs import run_component


def build(**kwargs):
    def program() -> None:
        bucket = MediaBucket("media", MediaBucketArgs(**kwargs))
        pulumi.export("statements", bucket.task_role_statements)
        pulumi.export("required_endpoints", sorted(bucket.required_endpoints))

    return run_component(program)


def test_all_four_public_access_blocks_are_on():
    block = build().one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    for key in (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ):
        assert block[key] is True, key


def test_objects_are_encrypted_and_owned_by_the_bucket_owner():
    recording = build()
    (rule,) = recording.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "AES256"
    ownership = recording.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"]["objectOwnership"] == "BucketOwnerEnforced"


def test_policy_denies_access_without_tls():
    recording = build()
    bucket = recording.one("aws:s3/bucket:Bucket")
    policy = json.loads(recording.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == [bucket.outputs["arn"], bucket.outputs["arn"] + "/*"]


def test_role_statements_are_scoped_to_this_bucket():
    recording = build()
    arn = recording.one("aws:s3/bucket:Bucket").outputs["arn"]
    statements = recording.outputs["statements"]
    assert {s["Resource"] for s in statements} == {arn, f"{arn}/*"}
    assert all("*" not in action for s in statements for action in s["Action"])
    assert recording.outputs["required_endpoints"] == ["s3"]


@pytest.mark.parametrize("protect", [True, False])
def test_protection_follows_the_arg_and_an_unprotected_bucket_can_be_destroyed(protect):
    bucket = build(protect=protect).one("aws:s3/bucket:Bucket")
    assert bucket.protect is protect
    assert bucket.retain_on_delete is protect
    # Unprotected, `pulumi destroy` empties the bucket (every version) before deleting it.
    assert bucket.inputs["forceDestroy"] is (not protect)


def test_versioning_keeps_old_versions_for_a_while():
    recording = build(noncurrent_version_days=10)
    versioning = recording.one("aws:s3/bucketVersioning:BucketVersioning").inputs
    assert versioning["versioningConfiguration"]["status"] == "Enabled"
    (rule,) = recording.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    ).inputs["rules"]
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 10
