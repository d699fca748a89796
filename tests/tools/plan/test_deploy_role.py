"""tools.plan.deploy_role: the deploy role's policies cover exactly what the program declares, name
the stack's identities as IAM builds their ARNs, fit IAM's quotas, and cannot lift the
boundary every role and user of the stack carries."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest

from stack.paths import REPO_ROOT
from tests.stack_runs import stand_in_stack_file
from tools.plan.deploy_actions import NEEDS
from tools.plan.deploy_boundary import boundary_document
from tools.plan.deploy_policies import (
    MANAGED_POLICIES_PER_ROLE,
    MANAGED_POLICY_LIMIT,
    NEVER,
    Declared,
    Target,
    UnknownTypeError,
    deploy_policies,
    minified_size,
)
from tools.plan.deploy_role import declared_by_stack

RECORDING = REPO_ROOT / "tests" / "stack" / "prod_stack.json"
ACCOUNT = "123456789012"  # the offline mocks' account
# The shipped stacks, and prod/scale with each optional setting on.
VARIANTS = {
    "prod": ("prod", {}),
    "scale": ("scale", {}),
    "dev": ("dev", {}),
    "prod-options": (
        "prod",
        {"waf": "on", "egress": "nat", "natGateways": "per-az", "flowLogs": "all"},
    ),
    "prod-no-alarm-mail": ("prod", {"alarmEmail": "", "flowLogs": "off"}),
    "scale-spot": ("scale", {"fargateSpot": "mixed", "waf": "on"}),
}


@pytest.fixture(scope="module")
def stacks() -> dict[str, Declared]:
    return {
        label: declared_by_stack(s, overrides=o, config_file=stand_in_stack_file(s))
        for label, (s, o) in VARIANTS.items()
    }


def policies_of(stacks: dict[str, Declared], label: str) -> dict[str, dict]:
    return deploy_policies(stacks[label], Target(VARIANTS[label][0], ACCOUNT))


def statements(policies: dict[str, dict]) -> list[dict]:
    return [s for document in policies.values() for s in document["Statement"]]


def listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def allowed(policies: dict[str, dict]) -> set[str]:
    return {a for s in statements(policies) if s["Effect"] == "Allow" for a in listed(s["Action"])}


def iam_match(pattern: str, arn: str) -> bool:
    """IAM's ARN wildcards: ``*`` any run of characters (``/`` too), ``?`` one; no brackets
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, arn) is not None


def test_every_type_in_the_recorded_prod_stack_has_its_permissions():
    recorded = json.loads(RECORDING.read_text())
    kinds = {entry["urn"].split("::")[-2].split("$")[-1] for entry in recorded}
    types = {k for k in kinds if k.startswith(("aws:", "awsx:", "random:"))}
    assert types, "the recording holds no resource"
    assert sorted(types - set(NEEDS)) == []


def test_every_entry_names_the_provider_code_it_was_read_from():
    unsourced = [kind for kind, needs in NEEDS.items() if not needs.source]
    assert unsourced == []
    aws_entries = [n.source for k, n in NEEDS.items() if k.startswith("aws:") and "/" in k]
    assert all(s.startswith("internal/") for s in aws_entries)


@pytest.mark.parametrize("label", sorted(VARIANTS))
def test_every_stack_and_option_has_an_entry_for_each_type(stacks, label):
    assert sorted(stacks[label].types - set(NEEDS)) == []


def test_a_new_resource_type_without_permissions_stops_the_policies():
    unknown = SimpleNamespace(type="aws:rds/cluster:Cluster", custom=True, name="db", inputs={})
    with pytest.raises(UnknownTypeError, match=r"no entry for aws:rds/cluster:Cluster"):
        deploy_policies(Declared([unknown], []), Target("prod"))


@pytest.mark.parametrize("label", ["prod", "scale", "dev"])
def test_the_service_s_steady_state_wait_may_read_its_deployments(stacks, label):
    # The provider's waiter: internal/service/ecs/service.go, statusServiceWaitForStable ->
    # findPrimaryDeploymentARN (ListServiceDeployments), findDeploymentStatus (Describe...).
    grants = allowed(policies_of(stacks, label))
    assert {"ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments"} <= grants


def test_a_development_stack_may_empty_its_backup_vault_when_destroyed(stacks):
    # dev's vault is force_destroy: internal/service/backup/vault.go, resourceVaultDelete lists
    # the recovery points, deletes each and waits (waitRecoveryPointDeleted) before the vault.
    grants = allowed(policies_of(stacks, "dev"))
    assert {
        "backup:ListRecoveryPointsByBackupVault",
        "backup:DeleteRecoveryPoint",
        "backup:DescribeRecoveryPoint",
        "backup:DeleteBackupVault",
    } <= grants


def test_scale_s_database_and_scaling_are_covered_with_their_linked_roles(stacks):
    policies = policies_of(stacks, "scale")
    grants = allowed(policies)
    assert {"rds:CreateDBInstance", "application-autoscaling:RegisterScalableTarget"} <= grants
    # RDS creates the managed master secret with the caller's permissions.
    assert {"secretsmanager:CreateSecret", "secretsmanager:RotateSecret"} <= grants
    linked = next(s for s in statements(policies) if s.get("Sid") == "ServiceLinkedRoles")
    services = linked["Condition"]["StringEquals"]["iam:AWSServiceName"]
    assert {"rds.amazonaws.com", "ecs.application-autoscaling.amazonaws.com"} <= set(services)


def test_no_action_is_a_wildcard_and_iam_is_only_in_the_identity_policy(stacks):
    policies = policies_of(stacks, "prod")
    assert not [a for s in statements(policies) for a in listed(s["Action"]) if "*" in a]
    for name, document in policies.items():
        if not name.endswith("-identity"):
            assert not [a for s in document["Statement"] for a in listed(s["Action"])
                        if a.startswith("iam:")], name  # fmt: skip


@pytest.mark.parametrize("label", sorted(VARIANTS))
def test_every_identity_s_arn_as_iam_builds_it_matches_the_policy(stacks, label):
    """arn:aws:iam::<account>:<role|user><path><name>: the SMTP user's path is /ses-smtp/."""
    declared = stacks[label]
    sids = ("StackIdentities", "StackIdentitiesWithinBoundary")
    identity = [s for s in statements(policies_of(stacks, label)) if s.get("Sid") in sids]
    assert identity
    for resource in declared.resources:
        if resource.type not in ("aws:iam/role:Role", "aws:iam/user:User"):
            continue
        kind = "user" if resource.type.endswith("User") else "role"
        name = resource.inputs.get("name") or f"{resource.name}-1a2b3c4"  # Pulumi's suffix
        arn = f"arn:aws:iam::{ACCOUNT}:{kind}{resource.inputs.get('path') or '/'}{name}"
        for statement in identity:
            assert any(iam_match(p, arn) for p in statement["Resource"]), (arn, statement["Sid"])
    smtp_user = f"arn:aws:iam::{ACCOUNT}:user/ses-smtp/tw-prod-mail-smtp-user-1a2b3c4"
    assert not iam_match("arn:aws:iam::*:user/tw-prod-mail-smtp-user-*", smtp_user)


@pytest.mark.parametrize("label", sorted(VARIANTS))
def test_each_policy_fits_a_managed_policy_and_the_role_s_quota(stacks, label):
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: 6,144
    # characters per managed policy without whitespace, 10 managed policies per role.
    policies = policies_of(stacks, label)
    sizes = {name: minified_size(document) for name, document in policies.items()}
    assert sizes
    assert {n: s for n, s in sizes.items() if s > MANAGED_POLICY_LIMIT} == {}
    assert len(policies) <= MANAGED_POLICIES_PER_ROLE
    target = Target(VARIANTS[label][0], ACCOUNT)
    assert minified_size(boundary_document(stacks[label], target)) <= MANAGED_POLICY_LIMIT


def test_the_grouping_is_by_service_and_deterministic(stacks):
    first, again = policies_of(stacks, "prod"), policies_of(stacks, "prod")
    assert list(first) == list(again) == sorted(first)
    network = first["tw-prod-deploy-network"]["Statement"][0]["Action"]
    assert {a.split(":")[0] for a in network} == {"ec2"}


@pytest.mark.parametrize("label", sorted(VARIANTS))
def test_every_role_and_user_carries_the_stack_s_boundary(stacks, label):
    stack = VARIANTS[label][0]
    expected = f"arn:aws:iam::{ACCOUNT}:policy/tw-{stack}-permissions-boundary"
    identities = [r for r in stacks[label].resources
                  if r.type in ("aws:iam/role:Role", "aws:iam/user:User")]  # fmt: skip
    assert identities
    assert {r.name: r.inputs.get("permissionsBoundary") for r in identities} == {
        r.name: expected for r in identities
    }


def test_identities_are_created_and_changed_only_within_the_boundary(stacks):
    policies = policies_of(stacks, "prod")
    boundary = Target("prod", ACCOUNT).boundary_arn
    for statement in statements(policies):
        actions = set(listed(statement["Action"]))
        creating = actions & {"iam:CreateRole", "iam:CreateUser", "iam:PutRolePolicy",
                              "iam:AttachRolePolicy", "iam:PutUserPolicy"}  # fmt: skip
        if creating and statement["Effect"] == "Allow":
            assert statement["Condition"] == {
                "StringLike": {"iam:PermissionsBoundary": boundary}
            }, creating


def test_the_boundary_and_the_policies_cannot_be_lifted_or_rewritten(stacks):
    policies = policies_of(stacks, "prod")
    grants = allowed(policies)
    assert not grants & set(NEVER)
    denied = [s for s in statements(policies) if s["Effect"] == "Deny"]
    assert {"iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion",
            "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"} <= {
        a for s in denied for a in listed(s["Action"]) if s["Resource"] == "*"
    }  # fmt: skip


def test_pass_role_only_to_the_service_each_role_trusts(stacks):
    passing = {s["Sid"]: s for s in statements(policies_of(stacks, "prod"))
               if "iam:PassRole" in listed(s["Action"])}  # fmt: skip
    assert sorted(passing) == [
        "PassRoleToBackup",
        "PassRoleToEcsTasks",
        "PassRoleToEvents",  # the restore drill's schedule starts its task through a role
        "PassRoleToVpcFlowLogs",
    ]
    assert passing["PassRoleToEvents"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "events.amazonaws.com"}
    }
    tasks = passing["PassRoleToEcsTasks"]
    assert tasks["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}
    }
    assert tasks["Resource"] == [
        f"arn:aws:iam::{ACCOUNT}:role/tw-prod-execution-role-*",
        f"arn:aws:iam::{ACCOUNT}:role/tw-prod-restore-drill-execution-role-*",
        f"arn:aws:iam::{ACCOUNT}:role/tw-prod-restore-drill-role-*",
        f"arn:aws:iam::{ACCOUNT}:role/tw-prod-task-role-*",
    ]


@pytest.mark.parametrize("label", sorted(VARIANTS))
def test_the_boundary_allows_what_the_stack_s_identities_do_and_never_iam(stacks, label):
    document = boundary_document(stacks[label], Target(VARIANTS[label][0], ACCOUNT))
    boundary = set(document["Statement"][0]["Action"])
    assert not [a for a in boundary if a.startswith(("iam:", "sts:"))]
    # The one IAM grant beyond it: passing the stack's ECS task roles to ECS (scheduled tasks).
    passing = [s for s in document["Statement"][1:] if s["Effect"] == "Allow"]
    for statement in passing:
        assert listed(statement["Action"]) == ["iam:PassRole"]
        assert statement["Condition"] == {
            "StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}
        }
    passable = boundary | ({"iam:PassRole"} if passing else set())
    for resource in stacks[label].resources:
        if resource.type in ("aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy"):
            for statement in json.loads(resource.inputs["policy"])["Statement"]:
                assert set(listed(statement["Action"])) <= passable, resource.name


@pytest.mark.parametrize("stack", ["prod", "scale", "dev"])
def test_the_command_prints_each_policy_and_the_boundary_with_its_size(stack, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tools.plan.deploy_role", "--stack", stack, "--out", str(tmp_path),
         "--config-file", str(stand_in_stack_file(stack))],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in tmp_path.glob("*.json"))
    assert f"tw-{stack}-permissions-boundary.json" in written
    assert f"tw-{stack}-deploy-identity.json" in written
    for path in tmp_path.glob("*.json"):
        size = minified_size(json.loads(path.read_text()))
        assert f"{path}: " in result.stdout
        assert f"{size} of 6144 characters" in result.stdout


def test_an_unknown_stack_is_one_line_and_exit_2():
    result = subprocess.run(
        [sys.executable, "-m", "tools.plan.deploy_role", "--stack", "nope"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unknown stack 'nope'" in result.stderr
