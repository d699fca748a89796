"""tools.plan.preview_role: the pull-request preview role describes resources and reads no data."""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys

import pytest

from stack.paths import REPO_ROOT
from tests.stack_runs import stand_in_stack_file
from tools.plan.deploy_role import declared_by_stack

# What a preview must never read: an S3 object (the WAL archive and base backups, the access
# logs), a secret's value, a log event, a decrypted key, an image's layers.
FORBIDDEN = (
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectAttributes",
    "s3:GetObjectTorrent",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "logs:StartQuery",
    "logs:GetQueryResults",
    "logs:StartLiveTail",
    "kms:Decrypt",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
)
# A managed policy: 6,144 characters, whitespace not counted.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
MANAGED_POLICY_LIMIT = 6_144


@pytest.fixture(scope="module")
def printed() -> dict:
    """The policy exactly as an operator gets it: ``python -m tools.plan.preview_role --stack
    dev``."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.plan.preview_role",
            "--stack",
            "dev",
            "--config-file",
            str(stand_in_stack_file("dev")),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def allowed(document: dict) -> list[str]:
    actions: list[str] = []
    for statement in document["Statement"]:
        if statement["Effect"] == "Allow":
            value = statement["Action"]
            actions.extend([value] if isinstance(value, str) else value)
    return actions


def denied(document: dict) -> list[str]:
    return [
        action
        for statement in document["Statement"]
        if statement["Effect"] == "Deny"
        for action in statement["Action"]
    ]


@pytest.mark.parametrize("action", FORBIDDEN)
def test_no_allowed_action_reads_data(printed, action):
    matching = [a for a in allowed(printed) if fnmatch.fnmatchcase(action.lower(), a.lower())]
    assert matching == [], f"{action} is allowed by {matching}"


@pytest.mark.parametrize("action", FORBIDDEN)
def test_every_data_read_is_denied_even_if_another_policy_allows_it(printed, action):
    assert any(fnmatch.fnmatchcase(action.lower(), d.lower()) for d in denied(printed)), action


def test_no_allowed_action_is_a_wildcard(printed):
    # "*", "s3:Get*", "logs:Get*", "secretsmanager:*": each would take in a data read.
    assert [a for a in allowed(printed) if "*" in a or "?" in a] == []


def test_every_allowed_action_only_describes(printed):
    verbs = {action.partition(":")[2] for action in allowed(printed)}
    assert verbs
    assert all(v.startswith(("Describe", "Get", "List")) for v in verbs), verbs


def test_a_preview_of_the_existing_stack_can_log_in_to_its_registry(printed):
    # awsx's ecr.Image invokes aws.ecr.getAuthorizationToken on every preview
    # (pulumi-awsx awsx/ecr/auth.ts, getDockerCredentials); the provider checks its credentials.
    assert {"ecr:GetAuthorizationToken", "sts:GetCallerIdentity"} <= set(allowed(printed))


def test_every_data_source_the_preview_invokes_is_readable(printed):
    from tools.plan.deploy_actions import NEEDS

    declared = declared_by_stack("dev", config_file=stand_in_stack_file("dev"))
    for token in declared.data_sources:
        assert set(NEEDS[token].actions) <= set(allowed(printed)), token


def test_each_declared_type_is_described(printed):
    """A refresh reads every resource: each type's describe calls are granted."""
    from tools.plan.deploy_actions import NEEDS

    declared = declared_by_stack("dev", config_file=stand_in_stack_file("dev"))
    for kind in ("aws:s3/bucket:Bucket", "aws:ecs/service:Service", "aws:iam/role:Role"):
        assert kind in declared.types
        verbs = ("Get", "Describe")
        reads = {a for a in NEEDS[kind].actions if a.partition(":")[2].startswith(verbs)}
        assert reads, kind
        assert reads <= set(allowed(printed)), kind


def test_the_policy_fits_a_managed_policy(printed):
    assert len(json.dumps(printed, separators=(",", ":"))) <= MANAGED_POLICY_LIMIT


def test_the_deploying_doc_points_at_the_generator_not_at_read_only_access():
    readme = (REPO_ROOT / "docs" / "deploying.md").read_text(encoding="utf-8")
    assert "python -m tools.plan.preview_role --stack dev" in readme
