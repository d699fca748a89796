"""EFS rules: encrypted, backed up, access points pinning a directory and a user, private mounts."""

from __future__ import annotations

import pytest

from policy.aws_types import BACKUP_PLAN, BACKUP_SELECTION, EFS_FILE_SYSTEM
from policy.rules import efs

from ..builders import res
from .efs_fixtures import FIXTURES
from .expect import assert_fails, assert_passes, result_of, rule_ids_of


def test_every_efs_rule_has_a_passing_and_a_failing_fixture():
    assert sorted(FIXTURES) == rule_ids_of(efs)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_passing_fixture_passes(rule_id):
    assert_passes(rule_id, FIXTURES[rule_id][0])


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_failing_fixture_fails_with_a_message(rule_id):
    assert_fails(rule_id, FIXTURES[rule_id][1])


def test_efs_2_accepts_an_aws_backup_selection_that_names_the_file_system():
    file_system = res(
        EFS_FILE_SYSTEM, "pgdata", id="fs-1", arn="arn:aws:elasticfilesystem:x:1:file-system/fs-1"
    )
    plan = res(BACKUP_PLAN, "daily", id="plan-1", rules=[{"ruleName": "daily"}])
    named = res(BACKUP_SELECTION, "pick", planId="plan-1", resources=[file_system.props["arn"]])
    pattern = res(
        BACKUP_SELECTION, "pick", planId="plan-1", resources=["arn:aws:elasticfilesystem:*"]
    )
    other = res(BACKUP_SELECTION, "pick", planId="plan-1", resources=["arn:aws:rds:x:1:db:other"])
    orphan = res(
        BACKUP_SELECTION, "pick", planId="no-such-plan", resources=[file_system.props["arn"]]
    )
    assert result_of("EFS.2", [file_system, plan, named]).passed
    assert result_of("EFS.2", [file_system, plan, pattern]).passed
    assert not result_of("EFS.2", [file_system, plan, other]).passed
    assert not result_of("EFS.2", [file_system, orphan]).passed
