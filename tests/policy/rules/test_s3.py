"""S3 rules: every bucket blocks public access, refuses plain HTTP and keeps ACLs off."""

from __future__ import annotations

from policy.aws_types import BUCKETS

from ..builders import res
from .expect import result_of


def test_s3_rules_fail_a_bucket_with_no_companion_at_all():
    bucket = res(BUCKETS[0], "media", id="media-bucket", bucket="media-bucket")
    assert not result_of("S3.1/S3.8", [bucket]).passed
    assert not result_of("S3.5", [bucket]).passed
    # Buckets have been created with ACLs disabled since April 2023: no controls resource is fine.
    assert result_of("S3.12", [bucket]).passed
