"""A daily AWS Backup plan for one resource: vault, plan, service role and selection.

Not a component of its own: :func:`declare_daily_backup` declares its resources under the
caller's parent, so the resources keep the URNs they had when the caller declared them itself.
"""

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components.policy_documents import service_trust_policy

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
    # AWS Backup may assume the role only for this account's jobs (the confused-deputy guard;
    # aws:SourceAccount is what AWS Backup's trust policy examples condition on).
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOptions(parent=opts.parent))
    role = aws.iam.Role(
        f"{prefix}-role",
        assume_role_policy=service_trust_policy(BACKUP_SERVICE, account_id.account_id),
        opts=opts,
    )
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
