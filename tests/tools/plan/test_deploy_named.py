"""tools.plan.deploy_named: the deploy role may delete and change the stack's own log groups,
database and backup vault, named as the program names them, and no other stack's."""

from __future__ import annotations

import pytest

from tests.tools.plan.deploy_stacks import ACCOUNT, STACKS, SUFFIX, granted, stack_policies
from tests.tools.plan.policy_eval import allows, listed
from tools.plan.deploy_actions import NEEDS

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
# What stays on "*": names and filters only, no event, no data (Service Authorization
# Reference: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html,
# list_amazonrds.html, list_awsbackup.html); recovery points and plans have generated ARNs.
ON_ANY = {
    "logs:DescribeLogGroups", "logs:DescribeMetricFilters",
    "rds:DescribeDBInstances", "rds:DescribeDBParameterGroups", "rds:DescribeDBParameters",
    "rds:DescribeDBSubnetGroups",
    "backup:CreateBackupPlan", "backup:UpdateBackupPlan", "backup:DeleteBackupPlan",
    "backup:GetBackupPlan", "backup:CreateBackupSelection", "backup:DeleteBackupSelection",
    "backup:GetBackupSelection", "backup:DeleteRecoveryPoint", "backup:DescribeRecoveryPoint",
    "backup:ListTags", "backup:TagResource", "backup:UntagResource",
}  # fmt: skip


@pytest.fixture(scope="module")
def stacks() -> dict[str, tuple]:
    return stack_policies()


def needed(declared, kinds, service: str) -> set[str]:
    return {
        a
        for k in kinds
        if k in declared.types
        for a in NEEDS[k].actions
        if a.startswith(f"{service}:")
    }


@pytest.mark.parametrize("stack", STACKS)
def test_log_groups_the_stack_declares_and_no_other(stacks, stack):
    declared, statements, region = stacks[stack]
    kinds = (LOG_GROUP, "aws:cloudwatch/logMetricFilter:LogMetricFilter")
    actions = needed(declared, kinds, "logs") - ON_ANY
    names = [r.inputs["name"] for r in declared.resources if r.type == LOG_GROUP]
    assert names
    assert actions
    arn = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:"
    for name in names:
        for tail in ("", ":*"):
            missing = [a for a in sorted(actions) if not allows(statements, a, arn + name + tail)]
            assert missing == [], name
    others = ["/ecs/tw-staging/web", f"/ecs/tw-{stack}x/web", "/aws/rds/instance/other-db/error"]
    for name in others:
        for action in sorted(granted(statements, "logs") - ON_ANY):
            assert not allows(statements, action, f"{arn}{name}:*"), (action, name)


def test_the_database_rds_log_groups_follow_the_instance_s_drawn_identifier(stacks):
    # The identifier is <name>-<hex of a RandomId>: each creation draws another.
    declared, statements, region = stacks["scale"]
    rds = ("aws:rds/instance:Instance", "aws:rds/parameterGroup:ParameterGroup",
           "aws:rds/subnetGroup:SubnetGroup")  # fmt: skip
    actions = needed(declared, rds, "rds") - ON_ANY
    assert actions
    base = f"arn:aws:rds:{region}:{ACCOUNT}:"
    own = [f"{base}db:tw-scale-rds-0badc0de", f"{base}pg:tw-scale-rds-params-{SUFFIX}",
           f"{base}subgrp:tw-scale-rds-subnets-{SUFFIX}"]  # fmt: skip
    for action in sorted(actions):
        assert any(allows(statements, action, arn) for arn in own), action
    for action in ("rds:CreateDBInstance", "rds:ModifyDBInstance", "rds:DeleteDBInstance"):
        assert allows(statements, action, own[0]), action
    logs = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:/aws/rds/instance/tw-scale-rds-0badc0de"
    assert allows(statements, "logs:DeleteLogGroup", f"{logs}/postgresql:*")
    others = [f"{base}db:other-app-db", f"{base}db:tw-staging-rds-0a1b2c3d",
              f"{base}pg:other-params", f"{base}subgrp:other-subnets"]  # fmt: skip
    for action in sorted(granted(statements, "rds") - ON_ANY):
        for arn in others:
            assert not allows(statements, action, arn), (action, arn)


@pytest.mark.parametrize("stack", ["prod", "dev"])
def test_the_backup_vault_the_stack_declares_and_no_other(stacks, stack):
    declared, statements, region = stacks[stack]
    vaults = [r.name for r in declared.resources if r.type == "aws:backup/vault:Vault"]
    actions = needed(declared, ["aws:backup/vault:Vault"], "backup") - ON_ANY
    assert vaults
    assert actions
    arn = f"arn:aws:backup:{region}:{ACCOUNT}:backup-vault:"
    for vault in vaults:
        missing = [
            a for a in sorted(actions) if not allows(statements, a, f"{arn}{vault}-{SUFFIX}")
        ]
        assert missing == [], vault
    for other in ("other-app-vault", "Default", f"tw-staging-db-backup-vault-{SUFFIX}"):
        for action in sorted(granted(statements, "backup") - ON_ANY):
            assert not allows(statements, action, arn + other), (action, other)


@pytest.mark.parametrize("stack", STACKS)
def test_only_reads_of_names_and_generated_arns_stay_on_any_log_group_database_or_vault(
    stacks, stack
):
    _, statements, _ = stacks[stack]
    on_any = {
        a
        for s in statements
        if s["Effect"] == "Allow" and "*" in listed(s["Resource"])
        for a in listed(s["Action"])
        if a.split(":")[0] in ("logs", "rds", "backup")
    }
    assert on_any <= ON_ANY
