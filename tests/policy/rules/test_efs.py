"""EFS rules: encrypted, backed up, access points pinning a directory and a user, private mounts."""

from __future__ import annotations

from policy.aws_types import BACKUP_PLAN, BACKUP_SELECTION, EFS_FILE_SYSTEM

from ..builders import res
from .expect import result_of


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
