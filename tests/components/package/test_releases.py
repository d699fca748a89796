"""The package's version moves whenever what a consumer depends on moves.

A consumer pins a released version (components/README.md). What that version promises is its
schema (the SDK every language generates), its Python names and its type tokens (part of every
URN a stack holds). Their fingerprint is recorded per version in releases.json, and a released
version's fingerprint never changes: a change to any of them fails here until the version in
pyproject.toml is raised, components/CHANGELOG.md says what changed, and the new version's
fingerprint is recorded:

    UPDATE_RELEASES=1 .venv/bin/python -m pytest tests/components/package/test_releases.py
"""

import hashlib
import json
import os
import re
import tomllib
from pathlib import Path

import pytest

import components
from components.package.provider import PackageProvider
from stack.paths import REPO_ROOT
from tests.components._shared.test_aliases import COMPONENT_MODULES

RELEASES = Path(__file__).with_name("releases.json")
CHANGELOG = REPO_ROOT / "components" / "CHANGELOG.md"


def project_version() -> str:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["version"]


def promised(schema: dict, names: list[str], tokens: list[str]) -> str:
    """The fingerprint of what a version promises (the schema without its version field)."""
    body = {
        "schema": {key: value for key, value in schema.items() if key != "version"},
        "names": sorted(names),
        "tokens": sorted(tokens),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def current_fingerprint() -> str:
    schema = json.loads(PackageProvider().schema)
    tokens = [module.COMPONENT_TYPE for module in COMPONENT_MODULES]
    return promised(schema, list(components.__all__), tokens)


def recorded() -> dict[str, str]:
    return json.loads(RELEASES.read_text())


def test_what_this_version_promises_is_what_was_recorded_for_it():
    version, fingerprint, releases = project_version(), current_fingerprint(), recorded()
    if os.environ.get("UPDATE_RELEASES") and version not in releases:
        releases[version] = fingerprint
        RELEASES.write_text(json.dumps(releases, indent=1) + "\n")
    assert version in releases, (
        f"version {version} has no fingerprint: run UPDATE_RELEASES=1 on this test once"
    )
    assert releases[version] == fingerprint, (
        f"the schema, a public name or a type token changed since {version} was recorded: raise "
        "the version in pyproject.toml (and PACKAGE_VERSION), say what changed in "
        "components/CHANGELOG.md, then record it with UPDATE_RELEASES=1"
    )


def test_every_recorded_version_has_a_changelog_entry_and_the_newest_is_this_one():
    entries = re.findall(r"^## (\d+\.\d+\.\d+)", CHANGELOG.read_text(), flags=re.M)
    assert entries, "components/CHANGELOG.md has no `## <version>` entry"
    assert entries[0] == project_version()
    assert set(recorded()) <= set(entries)


@pytest.mark.parametrize(
    ("change", "also"),
    [
        ("schema", {"schema": {"resources": {"django-tw:index:X": {}}}}),
        ("names", {"names": ["NewComponent"]}),
        ("tokens", {"tokens": ["django-tw:network:Renamed"]}),
    ],
)
def test_a_change_to_any_promised_part_changes_the_fingerprint(change, also):
    base = {"schema": {"name": "django-tw", "version": "1"}, "names": ["A"], "tokens": ["t"]}
    changed = {key: value for key, value in base.items()}
    changed[change] = also[change]
    assert promised(**base) != promised(**changed)
    moved_version = {**base, "schema": {"name": "django-tw", "version": "2"}}
    assert promised(**base) == promised(**moved_version)  # the version alone is not a change
