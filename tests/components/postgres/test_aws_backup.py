"""A daily AWS Backup plan for one resource, declared under its caller."""

import json

import pulumi
import pytest

from components.postgres.aws_backup import SERVICE_ROLE_POLICIES, daily_rule, declare_daily_backup
from tests.stack_runs import run_component

FILE_SYSTEM_ARN = "arn:aws:elasticfilesystem:ap-northeast-1:123456789012:file-system/fs-1"


def test_the_rule_backs_up_daily_into_the_vault_and_deletes_after_the_retention():
    rule = daily_rule("pg-vault", "cron(0 18 * * ? *)", 35)
    assert rule.rule_name == "daily"
    assert rule.target_vault_name == "pg-vault"
    assert rule.schedule == "cron(0 18 * * ? *)"
    assert rule.lifecycle.delete_after == 35


def test_a_retention_under_one_day_says_what_to_change():
    with pytest.raises(ValueError, match=r"retention_days is 0; keep recovery points 1 day"):
        daily_rule("pg-vault", "cron(0 18 * * ? *)", 0)


def test_the_role_may_back_up_and_restore_through_aws_managed_policies():
    assert set(SERVICE_ROLE_POLICIES) == {"backup", "restores"}
    assert all(
        arn.startswith("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyFor")
        for arn in SERVICE_ROLE_POLICIES.values()
    )


def declare(**kwargs) -> None:
    owner = pulumi.ComponentResource("test:index:Owner", "owner")
    declare_daily_backup(
        "owner-backup",
        [FILE_SYSTEM_ARN],
        schedule="cron(0 18 * * ? *)",
        retention_days=7,
        opts=pulumi.ResourceOptions(parent=owner),
        vault_opts=pulumi.ResourceOptions(parent=owner),
        **kwargs,
    )


def test_a_vault_keeps_its_recovery_points_unless_told_it_may_delete_them():
    kept = run_component(declare).one("aws:backup/vault:Vault")
    assert kept.inputs.get("forceDestroy", False) is False
    deletable = run_component(lambda: declare(force_destroy=True)).one("aws:backup/vault:Vault")
    # `pulumi destroy` then deletes the recovery points the daily job made, then the vault.
    assert deletable.inputs["forceDestroy"] is True


def test_every_resource_is_declared_under_the_callers_parent_and_only_the_vault_is_kept():
    def program() -> None:
        owner = pulumi.ComponentResource("test:index:Owner", "owner")
        child = pulumi.ResourceOptions(parent=owner)
        keep = pulumi.ResourceOptions(parent=owner, protect=True, retain_on_delete=True)
        declare_daily_backup(
            "owner-backup",
            [FILE_SYSTEM_ARN],
            schedule="cron(0 18 * * ? *)",
            retention_days=7,
            opts=child,
            vault_opts=keep,
        )

    recording = run_component(program)
    owner = recording.one("test:index:Owner")
    declared = [r for r in recording.resources if r is not owner]
    assert sorted(r.name for r in declared) == [
        "owner-backup-plan",
        "owner-backup-role",
        "owner-backup-role-backup",
        "owner-backup-role-restores",
        "owner-backup-selection",
        "owner-backup-vault",
    ]
    assert all(r.parent == owner.urn for r in declared)
    assert [r.name for r in declared if r.protect and r.retain_on_delete] == ["owner-backup-vault"]
    selection = recording.one("aws:backup/selection:Selection").inputs
    assert selection["resources"] == [FILE_SYSTEM_ARN]
    assert selection["iamRoleArn"] == recording.one("aws:iam/role:Role").outputs["arn"]
    (rule,) = recording.one("aws:backup/plan:Plan").inputs["rules"]
    assert rule["targetVaultName"] == recording.one("aws:backup/vault:Vault").outputs["name"]
    assert rule["lifecycle"]["deleteAfter"] == 7
    trust = json.loads(recording.one("aws:iam/role:Role").inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "backup.amazonaws.com"}
    # The trust AWS Backup's service-role page gives: no condition keys it does not document.
    assert statement == {
        "Effect": "Allow",
        "Principal": {"Service": "backup.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
