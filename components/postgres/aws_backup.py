"""A daily AWS Backup plan for one resource: vault, plan, service role and selection.

Not a component of its own: :func:`declare_daily_backup` declares its resources under the
caller's parent, so the resources keep the URNs they had when the caller declared them itself.
"""

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components._shared.iam import policy_document

BACKUP_SERVICE = "backup.amazonaws.com"
# AWS's managed policies for the role AWS Backup assumes: one to take backups, one to restore.
# https://docs.aws.amazon.com/aws-backup/latest/devguide/security-iam-awsmanpol.html
SERVICE_ROLE_POLICIES = {
    "backup": "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "restores": "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
}
RULE_NAME = "daily"


def daily_rule(
    vault_name: pulumi.Input[str], schedule: str, retention_days: int
) -> aws.backup.PlanRuleArgs:
    """One rule: a recovery point into ``vault_name`` on ``schedule`` (a cron expression in
    UTC), deleted after ``retention_days``."""
    if retention_days < 1:
        raise ValueError(f"retention_days is {retention_days}; keep recovery points 1 day or more")
    return aws.backup.PlanRuleArgs(
        rule_name=RULE_NAME,
        target_vault_name=vault_name,
        schedule=schedule,
        lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=retention_days),
    )


def backup_trust_policy() -> pulumi.Output[str]:
    """AWS Backup may assume the role: the trust policy AWS Backup's "IAM service roles" page
    gives, without conditions, as it documents no ``aws:SourceAccount`` or ``aws:SourceArn``
    for assuming a selection's role (its confused-deputy page conditions resource policies:
    vault, KMS key, SNS topic).
    https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html
    https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html
    Only a principal of this account may pass the role to a backup selection (``iam:PassRole``),
    so no other account's jobs can use it."""
    return policy_document(
        {"Effect": "Allow", "Principal": {"Service": BACKUP_SERVICE}, "Action": "sts:AssumeRole"}
    )


def declare_daily_backup(
    prefix: str,
    resources: Sequence[pulumi.Input[str]],
    *,
    schedule: str,
    retention_days: int,
    opts: pulumi.ResourceOptions,
    vault_opts: pulumi.ResourceOptions,
    force_destroy: bool = False,
) -> aws.backup.Vault:
    """Back ``resources`` (ARNs) up daily: ``{prefix}-vault``, ``-plan``, ``-role`` with the two
    managed policies attached (``-role-backup``, ``-role-restores``) and ``-selection``.

    ``opts`` parents everything to the caller; ``vault_opts`` may also protect the vault, whose
    recovery points outlive whatever was backed up. ``force_destroy`` (for a vault nothing
    protects) lets ``pulumi destroy`` delete its recovery points, then the vault.
    """
    # AWS Backup refuses to delete a vault that holds recovery points, and the first daily job
    # makes one. With force_destroy the provider deletes each (ListRecoveryPointsByBackupVault,
    # DeleteRecoveryPoint, waiting until it is gone) before DeleteBackupVault
    # (terraform-provider-aws internal/service/backup/vault.go resourceVaultDelete).
    vault = aws.backup.Vault(f"{prefix}-vault", force_destroy=force_destroy, opts=vault_opts)
    plan = aws.backup.Plan(
        f"{prefix}-plan", rules=[daily_rule(vault.name, schedule, retention_days)], opts=opts
    )
    role = aws.iam.Role(f"{prefix}-role", assume_role_policy=backup_trust_policy(), opts=opts)
    for purpose, policy_arn in SERVICE_ROLE_POLICIES.items():
        aws.iam.RolePolicyAttachment(
            f"{prefix}-role-{purpose}", role=role.name, policy_arn=policy_arn, opts=opts
        )
    aws.backup.Selection(
        f"{prefix}-selection",
        plan_id=plan.id,
        iam_role_arn=role.arn,
        resources=list(resources),
        opts=opts,
    )
    return vault
