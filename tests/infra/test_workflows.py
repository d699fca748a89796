"""The GitHub Actions workflows shipped for users of the repository (not run here)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from paths import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as True.
    document["on"] = document.pop(True, document.get("on"))
    return document


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def action(workflow: dict, job: str, prefix: str) -> dict:
    (found,) = [s for s in steps(workflow, job) if s.get("uses", "").startswith(prefix)]
    return found


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_workflow_parses_and_has_jobs(path: Path):
    document = yaml.safe_load(path.read_text())
    assert document["name"]
    assert document["jobs"]
    for job in document["jobs"].values():
        assert "steps" in job or "uses" in job


def test_pull_requests_run_make_test_through_the_ci_entry_point():
    workflow = load("test.yml")
    assert "pull_request" in workflow["on"]
    assert workflow["jobs"]["test"]["container"] == "debian:12"
    commands = " ".join(s.get("run", "") for s in steps(workflow, "test"))
    assert "bash .ci/run" in commands
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text()


def test_pull_requests_get_a_pulumi_preview_of_prod_with_oidc_credentials():
    workflow = load("preview.yml")
    assert "pull_request" in workflow["on"]
    assert workflow["permissions"]["id-token"] == "write"
    pulumi = action(workflow, "preview", "pulumi/actions@")
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["stack-name"] == "prod"
    credentials = action(workflow, "preview", "aws-actions/configure-aws-credentials@")
    assert "role-to-assume" in credentials["with"]
    assert "aws-access-key-id" not in credentials["with"]


def test_main_is_deployed_with_pulumi_up_after_the_tests_pass():
    workflow = load("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["jobs"]["test"]["uses"] == "./.github/workflows/test.yml"
    assert "workflow_call" in load("test.yml")["on"]
    assert workflow["jobs"]["deploy"]["needs"] == "test"
    pulumi = action(workflow, "deploy", "pulumi/actions@")
    assert (pulumi["with"]["command"], pulumi["with"]["stack-name"]) == ("up", "prod")
    credentials = action(workflow, "deploy", "aws-actions/configure-aws-credentials@")
    assert credentials["with"]["aws-region"] == "ap-northeast-1"
    assert "role-to-assume" in credentials["with"]


def test_no_workflow_holds_long_lived_aws_keys():
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text()
        assert "AWS_SECRET_ACCESS_KEY" not in text, path.name
        assert "aws-access-key-id" not in text, path.name


def test_the_deployed_site_is_smoke_checked_after_pulumi_up():
    deploy_steps = steps(load("deploy.yml"), "deploy")
    up = deploy_steps.index(action(load("deploy.yml"), "deploy", "pulumi/actions@"))
    (check,) = [i for i, s in enumerate(deploy_steps) if "ops.smoke_check" in s.get("run", "")]
    assert check > up
    command = deploy_steps[check]["run"]
    assert "pulumi stack output url --stack prod" in command
    assert "continue-on-error" not in deploy_steps[check]  # a failed check fails the job
    assert (REPO_ROOT / "ops" / "smoke_check.py").is_file()
