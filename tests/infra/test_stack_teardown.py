"""Tearing a stack down: what `pulumi destroy` may delete, and what production keeps.

A development stack is destroyed in one command: nothing is protected, and every bucket and
vault empties itself first (S3 and AWS Backup refuse to delete one that holds anything, and
each of them soon does). A production stack keeps its data; the README's teardown names each
resource it keeps and says how to empty it.
"""

from __future__ import annotations

import pytest

from offline import StackRecording
from stack_settings import read_stack_file
from tests.infra.conftest import BUCKET, run_main

VAULT = "aws:backup/vault:Vault"


@pytest.fixture(scope="module")
def dev() -> StackRecording:
    """The dev stack, exactly as Pulumi.dev.yaml describes it."""
    return run_main(read_stack_file("dev"))


def containers_of_data(recording: StackRecording) -> list:
    return [*recording.of_type(BUCKET), *recording.of_type(VAULT)]


def test_a_development_stack_protects_nothing(dev):
    assert [r.name for r in dev.resources if r.protect or r.retain_on_delete] == []


def test_every_bucket_and_vault_of_a_development_stack_is_emptied_by_destroy(dev):
    found = containers_of_data(dev)
    assert {r.type for r in found} == {BUCKET, VAULT}
    assert [r.name for r in found if r.inputs.get("forceDestroy") is not True] == []


def test_production_keeps_every_bucket_and_vault_and_never_empties_one(prod):
    found = containers_of_data(prod)
    assert {r.type for r in found} == {BUCKET, VAULT}
    for resource in found:
        assert resource.protect, resource.name
        assert resource.retain_on_delete, resource.name
        assert resource.inputs.get("forceDestroy", False) is False, resource.name
