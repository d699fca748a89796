"""plan.deploy_role: the deploy role's policy covers exactly what the program declares."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest

from paths import REPO_ROOT
from plan.deploy_actions import NEEDS
from plan.deploy_role import (
    Declared,
    UnknownTypeError,
    declared_by_stack,
    policy_document,
    policy_text,
)

RECORDING = REPO_ROOT / "tests" / "infra" / "prod_stack.json"
FIRST_DEPLOY = REPO_ROOT / "docs" / "first-deploy.md"
# Inline policies of one role may hold 10,240 characters, whitespace not counted:
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
INLINE_ROLE_POLICY_LIMIT = 10_240
DOC_BLOCK = re.compile(
    r"<!-- deploy-role-policy:start -->\n```json\n(?P<policy>.*?)```\n"
    r"<!-- deploy-role-policy:end -->",
    re.DOTALL,
)


@pytest.fixture(scope="module")
def prod() -> Declared:
    return declared_by_stack("prod")


@pytest.fixture(scope="module")
def policy(prod: Declared) -> dict:
    return policy_document(prod)


def statement(policy: dict, sid: str) -> dict:
    return next(s for s in policy["Statement"] if s["Sid"] == sid)


def test_every_type_in_the_recorded_prod_stack_has_its_permissions():
    recorded = json.loads(RECORDING.read_text())
    types = {
        entry["urn"].split("::")[-2].split("$")[-1]
        for entry in recorded
        if entry["custom"] or entry["urn"].split("::")[-2].split("$")[-1].startswith("awsx:")
    }
    assert types, "the recording holds no resource"
    assert sorted(types - set(NEEDS)) == []


def test_a_new_resource_type_without_permissions_stops_the_policy():
    unknown = SimpleNamespace(type="aws:rds/instance:Instance", custom=True, name="db", inputs={})
    with pytest.raises(UnknownTypeError, match=r"no entry for aws:rds/instance:Instance"):
        policy_document(Declared([unknown], []))


def test_the_program_s_data_sources_and_resources_are_all_covered(prod):
    assert "aws:route53/getZone:getZone" in prod.data_sources
    assert "aws:ecs/service:Service" in prod.types
    policy_document(prod)  # raises on anything missing


def test_no_action_is_a_wildcard_and_iam_is_only_on_the_stack_s_names(policy):
    everything = [
        a
        for s in policy["Statement"]
        for a in [s["Action"]]
        for a in ([a] if isinstance(a, str) else a)
    ]
    assert not [a for a in everything if "*" in a]
    assert not [a for a in statement(policy, "DeclaredResources")["Action"] if a.startswith("iam:")]
    identities = statement(policy, "StackIdentities")
    assert identities["Resource"] == [
        "arn:aws:iam::*:role/tw-prod-db-backup-role-*",
        "arn:aws:iam::*:role/tw-prod-execution-role-*",
        "arn:aws:iam::*:role/tw-prod-flow-logs-role-*",
        "arn:aws:iam::*:role/tw-prod-task-role-*",
        "arn:aws:iam::*:user/tw-prod-mail-smtp-user-*",
    ]


def test_service_linked_roles_only_for_the_services_that_make_them(policy):
    linked = statement(policy, "ServiceLinkedRoles")
    assert linked["Action"] == "iam:CreateServiceLinkedRole"
    assert linked["Condition"] == {
        "StringEquals": {
            "iam:AWSServiceName": [
                "backup.amazonaws.com",
                "ecs.amazonaws.com",
                "elasticfilesystem.amazonaws.com",
                "elasticloadbalancing.amazonaws.com",
            ]
        }
    }


def test_pass_role_only_to_the_service_each_role_trusts(policy):
    tasks = statement(policy, "PassRoleToEcsTasks")
    assert tasks["Resource"] == [
        "arn:aws:iam::*:role/tw-prod-execution-role-*",
        "arn:aws:iam::*:role/tw-prod-task-role-*",
    ]
    assert tasks["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}
    }
    backup = statement(policy, "PassRoleToBackup")
    assert backup["Resource"] == ["arn:aws:iam::*:role/tw-prod-db-backup-role-*"]
    assert backup["Condition"] == {"StringEquals": {"iam:PassedToService": "backup.amazonaws.com"}}
    passing = [s for s in policy["Statement"] if "iam:PassRole" in json.dumps(s["Action"])]
    flow_logs = statement(policy, "PassRoleToVpcFlowLogs")
    assert flow_logs["Resource"] == ["arn:aws:iam::*:role/tw-prod-flow-logs-role-*"]
    assert [s["Sid"] for s in passing] == [
        "PassRoleToBackup",
        "PassRoleToEcsTasks",
        "PassRoleToVpcFlowLogs",
    ]


def test_the_policy_fits_in_the_role_s_inline_policy_quota(policy):
    assert len(json.dumps(policy, separators=(",", ":"))) <= INLINE_ROLE_POLICY_LIMIT


def test_the_command_prints_the_policy_and_the_doc_holds_the_same(policy):
    printed = subprocess.run(
        [sys.executable, "-m", "plan.deploy_role", "--stack", "prod"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    assert printed == policy_text(policy)
    assert json.loads(printed) == policy
    block = DOC_BLOCK.search(FIRST_DEPLOY.read_text())
    assert block, f"{FIRST_DEPLOY} has no deploy-role-policy block"
    assert block.group("policy") == printed, (
        "docs/first-deploy.md's policy is stale: paste `python -m plan.deploy_role --stack prod`"
    )


def test_an_unknown_stack_is_one_line_and_exit_2():
    result = subprocess.run(
        [sys.executable, "-m", "plan.deploy_role", "--stack", "nope"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unknown stack 'nope'" in result.stderr
