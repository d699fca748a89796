"""The GitHub Actions workflows shipped for users of the repository (not run here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from stack.paths import REPO_ROOT
from tests.locks import lock_pins
from tests.stack_runs import STAND_IN_APP
from tests.test_workflow_images import shipped_stacks
from tests.workflow_files import WORKFLOWS, action, load, steps, uses, workflows


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


def test_pull_requests_get_a_pulumi_preview_with_oidc_credentials():
    workflow = load("preview.yml")
    assert "pull_request" in workflow["on"]
    assert workflow["jobs"]["preview"]["permissions"]["id-token"] == "write"
    pulumi = action(workflow, "preview", "pulumi/actions@")
    assert pulumi["with"]["command"] == "preview"
    credentials = action(workflow, "preview", "aws-actions/configure-aws-credentials@")
    assert "role-to-assume" in credentials["with"]
    assert "aws-access-key-id" not in credentials["with"]


def test_main_is_deployed_with_pulumi_up_after_the_tests_pass():
    workflow = load("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["jobs"]["deploy"]["permissions"]["id-token"] == "write"
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
    (check,) = [
        i for i, s in enumerate(deploy_steps) if "tools.ops.smoke_check" in s.get("run", "")
    ]
    assert check > up
    assert deploy_steps[up]["id"] == "up"
    # the URL comes from the action's outputs, through the environment (never spliced into shell)
    assert deploy_steps[check]["env"]["SITE_URL"] == "${{ steps.up.outputs.url }}"
    assert '"$SITE_URL"' in deploy_steps[check]["run"]
    assert "continue-on-error" not in deploy_steps[check]  # a failed check fails the job
    assert (REPO_ROOT / "tools" / "ops" / "smoke_check.py").is_file()


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


def manifest_directories(*patterns: str) -> set[str]:
    """Each directory of the checkout holding a file that matches one of `patterns`, as
    Dependabot writes it ("/", "/service"); git's files, virtualenvs, node_modules are not ours."""
    found = set()
    for path in (path for pattern in patterns for path in REPO_ROOT.glob(pattern)):
        relative = path.relative_to(REPO_ROOT)
        if {".git", ".venv", "node_modules", ".local", "artifacts"} & set(relative.parts):
            continue
        if relative.is_relative_to(STAND_IN_APP):  # the tests' own app, which ships nowhere
            continue
        found.add("/" + relative.parent.as_posix() if relative.parent.parts else "/")
    return found


def dependabot_directories(ecosystem: str) -> set[str]:
    config = yaml.safe_load((REPO_ROOT / ".github" / "dependabot.yml").read_text())
    (update,) = [u for u in config["updates"] if u["package-ecosystem"] == ecosystem]
    return set(update.get("directories") or [update["directory"]])


@pytest.mark.parametrize(
    ("ecosystem", "manifests"),
    [
        ("pip", ("**/requirements*.txt", "requirements/*.txt")),
        # dependabot-core docker/lib/dependabot/docker/file_fetcher.rb matches every file whose
        # name contains "dockerfile" (DOCKER_REGEXP)
        ("docker", ("**/Dockerfile*",)),
        ("npm", ("**/package.json",)),
    ],
)
def test_dependabot_watches_every_manifest_the_project_has(ecosystem, manifests):
    """The demo's directories are the demo's test's (service/tests/test_workflows.py)."""
    assert without_the_demo(dependabot_directories(ecosystem)) == without_the_demo(
        manifest_directories(*manifests)
    )


# The demo app's directory, as Dependabot names it.
DEMO_DIRECTORY = "/service"


def without_the_demo(directories: set[str]) -> set[str]:
    return {
        d for d in directories if d != DEMO_DIRECTORY and not d.startswith(f"{DEMO_DIRECTORY}/")
    }


def test_dependabot_updates_the_actions():
    assert dependabot_directories("github-actions") == {"/"}


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
    assert "--require-hashes" in installs
    policy_pins = lock_pins(REPO_ROOT / "policy" / "requirements.txt")
    assert re.fullmatch(r"\d+\.\d+\.\d+", policy_pins["pulumi-policy"])
    # The pack's own virtualenv is the program's, which the same step creates.
    assert "virtualenv: ../.venv" in (REPO_ROOT / "policy" / "PulumiPolicy.yaml").read_text()
    assert "-r ../policy/requirements.in" in (REPO_ROOT / "requirements" / "dev.in").read_text()


DEPLOYING = REPO_ROOT / "docs" / "deploying.md"


def trust_policies_in_the_deploying_doc() -> list[dict]:
    text = DEPLOYING.read_text()
    blocks = re.findall(r"```json\n(.*?)```", text, re.DOTALL)
    documents = [json.loads(block) for block in blocks]
    return [
        d
        for d in documents
        if any(s.get("Action") == "sts:AssumeRoleWithWebIdentity" for s in d["Statement"])
    ]


def test_the_deploying_doc_trusts_each_role_for_exactly_one_subject_and_audience():
    subjects = []
    for document in trust_policies_in_the_deploying_doc():
        (statement,) = document["Statement"]
        condition = statement["Condition"]
        assert set(condition) == {"StringEquals"}, "exact subjects only, no StringLike"
        equals = condition["StringEquals"]
        assert equals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
        subject = equals["token.actions.githubusercontent.com:sub"]
        assert "*" not in subject
        subjects.append(subject)
    assert subjects == ["repo:OWNER/REPO:pull_request", "repo:OWNER/REPO:environment:production"]
    deploying = DEPLOYING.read_text()
    assert ":*`" not in deploying
    assert "AWS_PREVIEW_ROLE_ARN" in deploying


# --- what pull-request code may hold -----------------------------------------------------------

SECRET_REFERENCE = re.compile(r"\bsecrets\b(\s*\.\s*(\w+))?")
DEPLOY_ROLE_REFERENCE = re.compile(r"\bvars\s*\.\s*AWS_DEPLOY_ROLE_ARN\b")
PRODUCTION_TOKEN = "PULUMI_ACCESS_TOKEN"  # the secret's name; the CLI's variable has it too


def test_pull_requests_preview_a_development_stack_with_the_preview_token():
    workflow = load("preview.yml")
    pulumi = action(workflow, "preview", "pulumi/actions@")
    stack = pulumi["with"]["stack-name"]
    assert not shipped_stacks()[stack].is_production, f"preview.yml previews {stack}"
    # The CLI reads PULUMI_ACCESS_TOKEN; what it is given is the preview team's token.
    assert pulumi["env"]["PULUMI_ACCESS_TOKEN"] == "${{ secrets.PULUMI_PREVIEW_TOKEN }}"
    assert "`PULUMI_PREVIEW_TOKEN`" in DEPLOYING.read_text(), "say how to make it"
    levels = REPO_ROOT / "policy" / f"config.{stack}.json"
    expected = f"policy/config.{stack}.json" if levels.is_file() else None
    assert pulumi["with"].get("policyPackConfigs") == expected


def test_production_credentials_reach_only_the_production_environment():
    holders = []
    for name, workflow in workflows().items():
        assert "pull_request_target" not in workflow["on"], name
        for job_name, job in workflow["jobs"].items():
            text = yaml.safe_dump(job)
            names = {m[2] for m in SECRET_REFERENCE.finditer(text)}
            production = job.get("environment") == "production"
            if production:
                assert "pull_request" not in workflow["on"], name
            else:
                # `secrets: inherit`, `toJSON(secrets)` or secrets[...] would hand over all.
                assert "secrets" not in job, f"{name}:{job_name}"
                assert None not in names, f"{name}:{job_name}"
                assert names <= {"PULUMI_PREVIEW_TOKEN", "GITHUB_TOKEN"}, f"{name}:{job_name}"
            if PRODUCTION_TOKEN in names or DEPLOY_ROLE_REFERENCE.search(text):
                holders.append((name, job_name, production))
    assert holders == [("deploy.yml", "deploy", True)]


def test_pull_requests_from_forks_skip_the_preview_instead_of_failing_it():
    # A fork's pull_request run gets no secret and no OIDC token.
    preview = load("preview.yml")["jobs"]["preview"]
    assert preview["if"] == "github.event.pull_request.head.repo.full_name == github.repository"


def test_each_job_holds_only_the_permissions_it_uses():
    jobs = []
    for name, workflow in workflows().items():
        default = workflow["permissions"]
        assert "write" not in dict(default).values(), f"{name}: grant writes per job"
        jobs += [(f"{name}:{job_name}", job, default) for job_name, job in workflow["jobs"].items()]
    for job_name, job, default in jobs:
        granted = job.get("permissions", default)
        assert isinstance(granted, dict), f"{job_name}: permissions as a mapping"
        assert set(granted.values()) <= {"read", "write", "none"}, job_name
        needed = set()
        if uses(job, "aws-actions/configure-aws-credentials@"):
            needed.add("id-token")
        if any(step.get("with", {}).get("comment-on-pr") for step in job.get("steps", [])):
            needed.add("pull-requests")
        assert {scope for scope, level in granted.items() if level == "write"} == needed, job_name
        assert set(granted) <= {"contents", *needed}, job_name
