"""ECR rules: images scanned on push, immutable tags (advisory), old images expire."""

from __future__ import annotations

import pytest

from policy.aws_types import AWSX_ECR_REPOSITORY, ECR_REGISTRY_SCANNING, ECR_REPOSITORY
from policy.rules import ecr

from ..builders import res
from .ecr_fixtures import FIXTURES
from .expect import assert_fails, assert_passes, result_of, rule_ids_of


def test_every_ecr_rule_has_a_passing_and_a_failing_fixture():
    assert sorted(FIXTURES) == rule_ids_of(ecr)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_passing_fixture_passes(rule_id):
    assert_passes(rule_id, FIXTURES[rule_id][0])


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_failing_fixture_fails_with_a_message(rule_id):
    assert_fails(rule_id, FIXTURES[rule_id][1])


def test_ecr_3_trusts_awsx_repositories_unless_they_skip_the_lifecycle_policy():
    managed = res(AWSX_ECR_REPOSITORY, "web", imageScanningConfiguration={"scanOnPush": True})
    skipped = res(AWSX_ECR_REPOSITORY, "web", lifecyclePolicy={"skip": True})
    assert result_of("ECR.3", [managed]).passed
    assert not result_of("ECR.3", [skipped]).passed


def test_ecr_1_accepts_registry_wide_scanning():
    unscanned = res(ECR_REPOSITORY, "web", name="web")
    registry = res(ECR_REGISTRY_SCANNING, "scanning", scanType="ENHANCED")
    assert result_of("ECR.1", [unscanned, registry]).passed
