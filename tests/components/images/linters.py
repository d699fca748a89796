"""The Dockerfile linters every image's tests run: hadolint and checkov, from the test venv."""

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from stack.paths import REPO_ROOT

VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", REPO_ROOT / ".venv")) / "bin"
CHECKOV = Path(os.environ.get("CHECKOV", REPO_ROOT / ".venv" / "checkov" / "bin" / "checkov"))


def hadolint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    """hadolint on one Dockerfile, failing on anything down to its info level."""
    binary = VENV_BIN / "hadolint"
    assert binary.exists(), f"{binary} is missing: run `make venv`"
    return subprocess.run(
        [str(binary), "--failure-threshold", "info", str(dockerfile)],
        capture_output=True,
        text=True,
        check=False,
    )


def checkov(dockerfiles: Sequence[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """checkov's Dockerfile checks on the given files, offline, run from `cwd`."""
    assert CHECKOV.exists(), f"{CHECKOV} is missing: run `make venv` (it builds checkov's venv)"
    files = [arg for dockerfile in dockerfiles for arg in ("-f", str(dockerfile))]
    return subprocess.run(
        [str(CHECKOV), "--framework", "dockerfile", *files, "--compact", "--quiet", "-o", "cli"],
        capture_output=True,
        text=True,
        # Offline: no platform look-ups, no version check.
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
        cwd=cwd,
        timeout=300,
        check=False,
    )


def assert_hadolint_finds_nothing(dockerfile: Path) -> None:
    result = hadolint(dockerfile)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def assert_checkov_passes(dockerfiles: Sequence[Path], cwd: Path) -> None:
    result = checkov(dockerfiles, cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Failed checks: 0" in result.stdout
    assert "Passed checks:" in result.stdout
