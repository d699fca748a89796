"""ECR rules: images scanned on push, immutable tags (advisory), old images expire."""

from __future__ import annotations

from policy.aws_types import AWSX_ECR_REPOSITORY, ECR_REGISTRY_SCANNING, ECR_REPOSITORY

from ..builders import res
from .expect import result_of


def test_ecr_3_trusts_awsx_repositories_unless_they_skip_the_lifecycle_policy():
    managed = res(AWSX_ECR_REPOSITORY, "web", imageScanningConfiguration={"scanOnPush": True})
    skipped = res(AWSX_ECR_REPOSITORY, "web", lifecyclePolicy={"skip": True})
    assert result_of("ECR.3", [managed]).passed
    assert not result_of("ECR.3", [skipped]).passed


def test_ecr_1_accepts_registry_wide_scanning():
    unscanned = res(ECR_REPOSITORY, "web", name="web")
    registry = res(ECR_REGISTRY_SCANNING, "scanning", scanType="ENHANCED")
    assert result_of("ECR.1", [unscanned, registry]).passed
