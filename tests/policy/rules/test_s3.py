"""S3 rules: every bucket blocks public access, refuses plain HTTP and keeps ACLs off."""

from __future__ import annotations

import pytest

from policy.aws_types import BUCKETS
from policy.rules import s3

from ..builders import res
from .expect import assert_fails, assert_passes, result_of, rule_ids_of
from .s3_fixtures import FIXTURES


def test_every_s3_rule_has_a_passing_and_a_failing_fixture():
    assert sorted(FIXTURES) == rule_ids_of(s3)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_passing_fixture_passes(rule_id):
    assert_passes(rule_id, FIXTURES[rule_id][0])


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_failing_fixture_fails_with_a_message(rule_id):
    assert_fails(rule_id, FIXTURES[rule_id][1])


def test_s3_rules_fail_a_bucket_with_no_companion_at_all():
    bucket = res(BUCKETS[0], "media", id="media-bucket", bucket="media-bucket")
    assert not result_of("S3.1/S3.8", [bucket]).passed
    assert not result_of("S3.5", [bucket]).passed
    # Buckets have been created with ACLs disabled since April 2023: no controls resource is fine.
    assert result_of("S3.12", [bucket]).passed
