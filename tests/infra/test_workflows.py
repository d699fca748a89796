"""The GitHub Actions workflows shipped for users of the repository (not run here)."""

from __future__ import annotations

import json
import re
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
    assert deploy_steps[up]["id"] == "up"
    # the URL comes from the action's outputs, through the environment (never spliced into shell)
    assert deploy_steps[check]["env"]["SITE_URL"] == "${{ steps.up.outputs.url }}"
    assert '"$SITE_URL"' in deploy_steps[check]["run"]
    assert "continue-on-error" not in deploy_steps[check]  # a failed check fails the job
    assert (REPO_ROOT / "ops" / "smoke_check.py").is_file()


# --- credentials, pins and the policy pack ----------------------------------------------------

FULL_SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
RELEASE_COMMENT = re.compile(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def third_party_uses(path: Path) -> list[str]:
    """Every `uses:` of an action from another repository (local workflows excepted)."""
    document = yaml.safe_load(path.read_text())
    found = []
    for job in document["jobs"].values():
        if not job.get("uses", "./").startswith("./"):
            found.append(job["uses"])
        found += [s["uses"] for s in job.get("steps", []) if "uses" in s]
    return found


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_action_is_pinned_by_full_commit_sha_with_its_release(path: Path):
    uses = third_party_uses(path)
    assert uses, f"{path.name} uses no action"
    for reference in uses:
        assert FULL_SHA_PIN.match(reference), f"{path.name}: {reference} is not pinned by commit"
    lines = [line.strip() for line in path.read_text().splitlines() if "uses:" in line]
    for line in lines:
        if "./.github/" not in line:
            assert RELEASE_COMMENT.search(line), f"{path.name}: {line!r} names no # vX.Y.Z"


def test_the_same_action_is_pinned_to_the_same_commit_everywhere():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS.glob("*.yml"):
        for reference in third_party_uses(path):
            action_name, _, sha = reference.partition("@")
            pins.setdefault(action_name, set()).add(sha)
    assert {name: shas for name, shas in pins.items() if len(shas) > 1} == {}


def test_dependabot_updates_the_actions_and_the_pip_requirements():
    config = yaml.safe_load((REPO_ROOT / ".github" / "dependabot.yml").read_text())
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) >= {"github-actions", "pip"}
    pip = ecosystems["pip"]
    directories = pip.get("directories") or [pip["directory"]]
    assert "/" in directories
    assert "/policy" in directories


def test_pull_requests_assume_only_the_read_only_preview_role():
    workflow = load("preview.yml")
    assert set(workflow["on"]) == {"pull_request"}
    credentials = action(workflow, "preview", "aws-actions/configure-aws-credentials@")
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_PREVIEW_ROLE_ARN }}"
    assert "AWS_DEPLOY_ROLE_ARN" not in (WORKFLOWS / "preview.yml").read_text()
    # No environment: the token's subject stays repo:<owner>/<repo>:pull_request.
    assert "environment" not in workflow["jobs"]["preview"]


def test_only_the_production_environment_assumes_the_deploy_role():
    workflow = load("deploy.yml")
    deploy = workflow["jobs"]["deploy"]
    assert deploy["environment"] == "production"
    credentials = action(workflow, "deploy", "aws-actions/configure-aws-credentials@")
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    for path in WORKFLOWS.glob("*.yml"):
        if path.name != "deploy.yml":
            assert "AWS_DEPLOY_ROLE_ARN" not in path.read_text(), path.name


@pytest.mark.parametrize(("name", "job"), [("preview.yml", "preview"), ("deploy.yml", "deploy")])
def test_preview_and_up_run_the_policy_pack_with_what_it_needs(name: str, job: str):
    workflow = load(name)
    pulumi = action(workflow, job, "pulumi/actions@")
    assert pulumi["with"]["policyPacks"] == "policy"
    assert (REPO_ROOT / "policy" / "PulumiPolicy.yaml").is_file()
    installs = " ".join(s.get("run", "") for s in steps(workflow, job))
    assert "-r policy/requirements.txt" in installs
    pinned = (REPO_ROOT / "policy" / "requirements.txt").read_text()
    assert re.search(r"^pulumi-policy==\d+\.\d+\.\d+$", pinned, re.MULTILINE)
    # The pack's own virtualenv is the program's, which the same step creates.
    assert "virtualenv: ../.venv" in (REPO_ROOT / "policy" / "PulumiPolicy.yaml").read_text()
    assert "-r policy/requirements.txt" in (REPO_ROOT / "requirements-dev.txt").read_text()


def trust_policies_in_readme() -> list[dict]:
    text = (REPO_ROOT / "README.md").read_text()
    blocks = re.findall(r"```json\n(.*?)```", text, re.DOTALL)
    documents = [json.loads(block) for block in blocks]
    return [
        d
        for d in documents
        if any(s.get("Action") == "sts:AssumeRoleWithWebIdentity" for s in d["Statement"])
    ]


def test_the_readme_trusts_each_role_for_exactly_one_subject_and_audience():
    subjects = []
    for document in trust_policies_in_readme():
        (statement,) = document["Statement"]
        condition = statement["Condition"]
        assert set(condition) == {"StringEquals"}, "exact subjects only, no StringLike"
        equals = condition["StringEquals"]
        assert equals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
        subject = equals["token.actions.githubusercontent.com:sub"]
        assert "*" not in subject
        subjects.append(subject)
    assert subjects == ["repo:OWNER/REPO:pull_request", "repo:OWNER/REPO:environment:production"]
    readme = (REPO_ROOT / "README.md").read_text()
    assert ":*`" not in readme
    assert "AWS_PREVIEW_ROLE_ARN" in readme
