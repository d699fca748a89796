"""Tearing a stack down: what `pulumi destroy` may delete, and what production keeps.

A development stack is destroyed in one command: nothing is protected, and every bucket and
vault empties itself first (S3 and AWS Backup refuse to delete one that holds anything, and
each of them soon does). A production stack keeps its data; docs/deploying.md's teardown names each
resource it keeps and says how to empty it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stack.paths import REPO_ROOT
from tests.stack_runs import BUCKET, run_main, stack_config
from tools.offline import StackRecording

VAULT = "aws:backup/vault:Vault"
RECORDING = Path(__file__).with_name("prod_stack.json")
DEPLOYING = REPO_ROOT / "docs" / "deploying.md"
TEARDOWN_HEADING = "## Teardown: data a stack operation never deletes"


@pytest.fixture(scope="module")
def dev() -> StackRecording:
    """The dev stack, exactly as Pulumi.dev.yaml describes it."""
    return run_main(stack_config("dev"))


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


def teardown_rows() -> dict[str, list[str]]:
    """The teardown table's rows by the Pulumi name they start with (`tw-<stack>-...`)."""
    deploying = DEPLOYING.read_text(encoding="utf-8")
    section = deploying.split(TEARDOWN_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        found = re.match(r"^\| `(tw-<stack>-[a-z0-9-]+)`", line)
        if found:
            rows[found.group(1)] = [cell.strip() for cell in line.strip("|").split("|")]
    return rows


def as_documented(name: str) -> str:
    """``tw-prod-media-bucket`` -> ``tw-<stack>-media-bucket``: the name without the stack's."""
    return re.sub(r"^tw-[a-z0-9]+-", "tw-<stack>-", name)


def kept_names(urns_and_flags) -> set[str]:
    return {as_documented(urn.rsplit("::", 1)[1]) for urn, kept in urns_and_flags if kept}


def test_the_teardown_names_every_resource_the_prod_stack_keeps(prod):
    recorded = json.loads(RECORDING.read_text())
    kept = kept_names((e["urn"], e["protect"] or e["retain_on_delete"]) for e in recorded)
    # The running program and its recording agree (test_recorded_prod_stack keeps them so).
    assert kept == kept_names((r.urn, r.protect or r.retain_on_delete) for r in prod.resources)
    assert len(kept) >= 5
    assert kept - set(teardown_rows()) == set()


def test_the_teardown_names_what_the_rds_stack_keeps_too(scale):
    kept = kept_names((r.urn, r.protect or r.retain_on_delete) for r in scale.resources)
    assert "tw-<stack>-rds-instance" in kept
    assert kept - set(teardown_rows()) == set()


def test_each_kept_resource_says_how_to_empty_it_before_destroy(prod, scale):
    rows = teardown_rows()
    for stack in (prod, scale):
        for resource in stack.resources:
            if resource.protect or resource.retain_on_delete:
                how = rows[as_documented(resource.name)][-1]
                emptied_by = "empty_vault" if resource.type == VAULT else "empty_bucket"
                if resource.type in (BUCKET, VAULT):
                    assert how.startswith(f"`{emptied_by} "), resource.name
                else:
                    assert how.startswith("nothing: "), resource.name


def test_the_deploying_doc_defines_the_functions_the_table_uses():
    deploying = DEPLOYING.read_text(encoding="utf-8")
    section = deploying.split(TEARDOWN_HEADING, 1)[1].split("\n## ", 1)[0]
    for function in ("empty_bucket", "empty_vault"):
        assert f"\n{function}() {{" in section, function
    # A versioned bucket is empty only without its versions and delete markers.
    assert "for kind in Versions DeleteMarkers" in section
