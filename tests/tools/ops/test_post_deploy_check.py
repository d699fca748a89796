"""tools/ops/post-deploy-check.sh: valid bash, reading only what the stack really exports, with
every check explained in docs/first-deploy.md."""

from __future__ import annotations

import re
import subprocess

import pytest

from stack.paths import REPO_ROOT
from stack.settings import SETTING_NAMES
from tests.stack_runs import prod_config, run_main

SCRIPT = REPO_ROOT / "tools" / "ops" / "post-deploy-check.sh"
FIRST_DEPLOY = REPO_ROOT / "docs" / "first-deploy.md"
README = REPO_ROOT / "README.md"
DEPLOYING = REPO_ROOT / "docs" / "deploying.md"


@pytest.fixture(scope="module")
def script() -> str:
    return SCRIPT.read_text()


def test_the_script_is_valid_bash_and_executable():
    result = subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert SCRIPT.stat().st_mode & 0o111


def test_it_reads_only_outputs_the_stack_exports_and_settings_it_has(script):
    outputs = set(re.findall(r"\$\(output ([a-z_]+)\)", script))
    settings = set(re.findall(r"\$\(setting ([\w:]+)\)", script))
    assert {"url", "cluster_name", "service_name", "backup_vault_name"} <= outputs
    exported = set(run_main(prod_config()).outputs)
    assert sorted(outputs - exported) == []
    assert sorted(settings - set(SETTING_NAMES)) == []


def test_every_check_is_explained_in_the_first_deploy_doc(script):
    checks = set(re.findall(r'\b(?:pass|fail|wait_for) ([a-z][a-z-]+) "', script))
    assert {"service-steady", "target-healthy", "exec-works", "mail-sends", "backup-job"} <= checks
    doc = FIRST_DEPLOY.read_text()
    assert sorted(c for c in checks if f"| `{c}` |" not in doc) == []


def test_every_check_runs_and_failures_set_the_exit_status(script):
    defined = re.findall(r"^(check_\w+)\(\) \{", script, re.MULTILINE)
    called = re.findall(r"^(check_\w+)$", script, re.MULTILINE)
    assert defined == called
    assert script.rstrip().endswith('exit "$failed"')


def test_the_readme_and_the_deploying_doc_link_the_first_deploy_doc():
    assert "](docs/first-deploy.md)" in README.read_text()
    deploying = DEPLOYING.read_text()
    assert "](first-deploy.md)" in deploying
    assert "tools/ops/post-deploy-check.sh" in deploying
