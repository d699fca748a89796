"""The package's provider as a Pulumi plugin: the directory Pulumi runs, the pins it installs,
the version it reports and the runtime its manifest names."""

import subprocess
import sys
import tomllib

from components.package.provider import PACKAGE_VERSION
from stack.paths import REPO_ROOT
from tests.locks import input_pins, lock_pins


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
