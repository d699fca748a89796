"""A passing and a failing stack for each ECR rule (rule id -> (passing, failing))."""

from __future__ import annotations

from policy.aws_types import ECR_LIFECYCLE_POLICY, ECR_REPOSITORY
from policy.model import Resource

from ..builders import res

REPO = res(
    ECR_REPOSITORY,
    "web-repo",
    id="web",
    name="web",
    imageScanningConfiguration={"scanOnPush": True},
    imageTagMutability="IMMUTABLE",
)

FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "ECR.1": (
        [REPO],
        [
            res(
                ECR_REPOSITORY,
                "web-repo",
                id="web",
                name="web",
                imageScanningConfiguration={"scanOnPush": False},
            )
        ],
    ),
    "ECR.2": (
        [REPO],
        [res(ECR_REPOSITORY, "web-repo", id="web", name="web", imageTagMutability="MUTABLE")],
    ),
    "ECR.3": (
        [REPO, res(ECR_LIFECYCLE_POLICY, "web-lifecycle", repository="web", policy="{}")],
        [REPO],
    ),
}
