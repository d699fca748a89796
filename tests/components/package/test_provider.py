"""The components as a Pulumi package: the schema Pulumi's analyzer infers and the plugin Pulumi
runs (components built through the provider's construct path: test_provider_construct.py).

The schema is what `pulumi package add` turns into an SDK for each language; a change to it
changes every consumer's SDK, so it is compared with package_schema.json and a change that is
meant updates the snapshot in the same commit:

    UPDATE_SCHEMA_SNAPSHOT=1 .venv/bin/python -m pytest tests/components/package/test_provider.py
"""

import difflib
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from components.package.provider import (
    PACKAGE_COMPONENTS,
    PACKAGE_NAME,
    PACKAGE_VERSION,
)
from stack.paths import REPO_ROOT
from tests.locks import input_pins, lock_pins

SNAPSHOT = Path(__file__).with_name("package_schema.json")
# The components every language must be able to use, whatever else the package adds.
REQUIRED = ("PrivateNetwork", "EndpointSet", "FargateService", "EfsPostgres")


@pytest.fixture(scope="module")
def schema(provider) -> dict:
    return json.loads(provider.schema)


# --- the schema ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "former"),
    [
        ("FargateService", "SidecarTask"),
        ("EfsPostgres", "PersistentPostgres"),
        ("RdsPostgres", "ManagedPostgres"),
    ],
)
def test_a_renamed_component_keeps_its_former_token_as_a_schema_alias(schema, current, former):
    """Another language's SDK, generated from this schema, registers the alias with the new
    token, so a stack built with 0.1's token moves its resources instead of replacing them."""
    resource = schema["resources"][f"django-tw:index:{current}"]
    assert resource["aliases"] == [{"type": f"django-tw:index:{former}"}]
    assert f"django-tw:index:{former}" not in schema["resources"]


def test_the_schema_equals_its_snapshot(schema):
    current = json.dumps(schema, indent=1, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SCHEMA_SNAPSHOT"):
        SNAPSHOT.write_text(current)
    recorded = SNAPSHOT.read_text()
    if current != recorded:
        diff = difflib.unified_diff(
            recorded.splitlines(), current.splitlines(), "snapshot", "now", lineterm="", n=2
        )
        shown = "\n".join(list(diff)[:120])
        raise AssertionError(
            "the package schema differs from tests/components/package/package_schema.json; if the "
            "change is "
            f"meant, rerun with UPDATE_SCHEMA_SNAPSHOT=1 and commit the snapshot:\n{shown}"
        )


def test_every_package_component_has_an_index_token(schema):
    assert schema["name"] == PACKAGE_NAME
    assert sorted(schema["resources"]) == sorted(
        f"{PACKAGE_NAME}:index:{component.__name__}" for component in PACKAGE_COMPONENTS
    )
    assert {f"django-tw:index:{name}" for name in REQUIRED} <= set(schema["resources"])


@pytest.mark.parametrize("name", REQUIRED)
def test_a_required_component_s_inputs_and_outputs_are_typed_and_documented(schema, name):
    resource = schema["resources"][f"django-tw:index:{name}"]
    assert resource["isComponent"] is True
    assert resource["description"]
    for kind in ("inputProperties", "properties"):
        assert resource[kind], kind
        for property_name, spec in resource[kind].items():
            assert spec.get("type") or spec.get("$ref"), (kind, property_name)
            assert spec.get("description"), (kind, property_name)


def test_fields_with_defaults_are_optional_and_the_others_required(schema):
    network = schema["resources"]["django-tw:index:PrivateNetwork"]
    assert network.get("requiredInputs", []) == []
    postgres = schema["resources"]["django-tw:index:EfsPostgres"]
    assert sorted(postgres["requiredInputs"]) == ["image", "subnetIds", "vpcId", "walArchive"]
    health = schema["types"]["django-tw:index:HealthCheck"]
    assert health["required"] == ["command"]


def test_ready_after_is_left_to_depends_on(schema):
    task = schema["resources"]["django-tw:index:FargateService"]
    assert "readyAfter" not in task["inputProperties"]
    assert "containers" in task["requiredInputs"]


def test_endpoint_services_are_a_list_of_names(schema):
    services = schema["resources"]["django-tw:index:EndpointSet"]["inputProperties"]["services"]
    assert services["type"] == "array"
    assert services["items"]["type"] == "string"


# --- the plugin ---------------------------------------------------------------------------------


def test_the_plugin_directory_runs_as_pulumi_runs_it():
    # The Python language host runs `python <plugin directory>`: the provider starts and parses
    # its arguments (here only --help), so the directory's imports resolve.
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "components"), "--help"],
        cwd=REPO_ROOT / "components",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Pulumi provider plugin" in result.stdout


def test_the_plugin_pins_what_the_repository_pins():
    # the plugin's input asks for the program's versions (its lock takes the rest of the
    # program's lock: tests/test_locks.py)
    plugin = input_pins(REPO_ROOT / "components" / "requirements.in")
    repository = lock_pins(REPO_ROOT / "requirements.txt")
    assert plugin == {name: repository[name] for name in plugin}
    assert set(plugin) == {"pulumi", "pulumi-aws", "pulumi-awsx", "pulumi-random"}


def test_the_package_version_is_the_project_s():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == PACKAGE_VERSION


def test_the_plugin_manifest_names_python():
    manifest = (REPO_ROOT / "components" / "PulumiPlugin.yaml").read_text()
    assert "name: python" in manifest
