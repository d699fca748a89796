"""ECR rules: the image repositories (FSBP ECR.*).

The program declares repositories through awsx (``awsx:ecr:Repository``), whose inputs are the
component's, not the ``aws:ecr`` resource's; both shapes are read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from policy.aws_types import (
    AWSX_ECR_REPOSITORY,
    ECR_LIFECYCLE_POLICY,
    ECR_REGISTRY_SCANNING,
    ECR_REPOSITORY,
)
from policy.model import Enforcement, Resource, resource_rule, stack_rule
from policy.readers import of_type, refers_to

MANDATORY, ADVISORY = Enforcement.MANDATORY, Enforcement.ADVISORY
REPOSITORIES = (ECR_REPOSITORY, AWSX_ECR_REPOSITORY)


def _repositories(resources: Sequence[Resource]) -> list[Resource]:
    return of_type(resources, *REPOSITORIES)


@stack_rule("ECR.1", "ECR repositories scan images on push", MANDATORY, reads=REPOSITORIES)
def check_ecr_1_scan_on_push(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    if of_type(resources, ECR_REGISTRY_SCANNING):
        return []  # registry-wide scanning covers every repository
    return [
        (repo, "image scanning on push is off")
        for repo in _repositories(resources)
        if (repo.props.get("imageScanningConfiguration") or {}).get("scanOnPush") is not True
    ]


# Advisory: tasks pin images by digest, so a tag that moves changes nothing that runs.
@resource_rule("ECR.2", "ECR repositories have immutable tags", ADVISORY, REPOSITORIES)
def check_ecr_2_immutable_tags(_type: str, props: Mapping[str, Any]) -> list[str]:
    if not str(props.get("imageTagMutability") or "MUTABLE").startswith("IMMUTABLE"):
        return ["image tags are mutable"]
    return []


@stack_rule("ECR.3", "ECR repositories expire old images", MANDATORY, reads=REPOSITORIES)
def check_ecr_3_lifecycle(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    policies = of_type(resources, ECR_LIFECYCLE_POLICY)
    findings: list[tuple[Resource | None, str]] = []
    for repo in _repositories(resources):
        if repo.type == AWSX_ECR_REPOSITORY:
            # awsx.ecr.Repository adds a lifecycle policy unless told to skip it.
            # https://www.pulumi.com/registry/packages/awsx/api-docs/ecr/repository/
            if (repo.props.get("lifecyclePolicy") or {}).get("skip") is True:
                findings.append((repo, "the repository skips its lifecycle policy"))
        elif not any(refers_to(p.props.get("repository"), repo) for p in policies):
            findings.append((repo, "no lifecycle policy expires old images"))
    return findings
