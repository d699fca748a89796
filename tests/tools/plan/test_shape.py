"""The cost model's inputs: a stack's shape refuses what Fargate cannot run."""

from __future__ import annotations

import pytest

from tools.plan.shape import FargateService, StackShape, with_architecture


def test_unknown_architecture_is_refused():
    with pytest.raises(ValueError, match="X86_64, ARM64"):
        FargateService("app", 1, 0.5, 1, "RISCV")


def test_with_architecture_moves_every_fargate_service_and_keeps_the_rest():
    shape = StackShape(
        region="ap-northeast-1",
        fargate_services=(
            FargateService("app", 1, 0.5, 1.0, "ARM64"),
            FargateService("worker", 2, 0.25, 0.5, "ARM64"),
        ),
        secrets=4,
    )
    moved = with_architecture(shape, "X86_64")
    assert [s.architecture for s in moved.fargate_services] == ["X86_64", "X86_64"]
    assert [(s.name, s.tasks, s.vcpu) for s in moved.fargate_services] == [
        ("app", 1, 0.5),
        ("worker", 2, 0.25),
    ]
    assert moved.secrets == 4
