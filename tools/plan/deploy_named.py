"""The deploy role's log group, RDS and backup-vault grants, on the stack's own names only.

``logs:DeleteLogGroup``, ``rds:DeleteDBInstance`` or ``backup:DeleteBackupVault`` on ``*``
would reach every log group, database and vault of the account. The names are predictable
(set by the program, or Pulumi's auto-name: the logical name, ``-`` and 7 characters), and
these actions take them as resources in the Service Authorization Reference:

- CloudWatch Logs: ``log-group:<name>`` and ``log-group:<name>:*`` (the older actions name
  the group with ``:*``); ``DescribeLogGroups`` and ``DescribeMetricFilters`` stay on ``*``:
  they list names and filters, no event.
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
- RDS: ``db:<identifier>``, ``pg:<name>``, ``subgrp:<name>`` and the default option group
  ``og:default*`` CreateDBInstance also names; the ``Describe*`` reads stay on ``*``.
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html,
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/security_iam_id-based-policy-examples-create-and-modify-examples.html
- AWS Backup: the vault's own actions on ``backup-vault:<name>``; recovery points and plans
  have generated ARNs, so their actions, and tagging (shared with plans), stay on ``*``.
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html

A name drawn from a ``random.RandomId`` (the RDS identifier ``<name>-<hex>``, and the log
groups RDS writes under it) becomes ``<name>-*``: the offline run only knows a stand-in value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from tools.plan.deploy_actions import NEEDS

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
RANDOM_ID = "random:index/randomId:RandomId"
RDS = {
    "aws:rds/instance:Instance": ("db", "identifier", "identifierPrefix"),
    "aws:rds/parameterGroup:ParameterGroup": ("pg", "name", "namePrefix"),
    "aws:rds/subnetGroup:SubnetGroup": ("subgrp", "name", "namePrefix"),
}
VAULT = "aws:backup/vault:Vault"
VAULT_ACTIONS = frozenset(
    f"backup:{a}"
    for a in (
        "CreateBackupVault", "DeleteBackupVault", "DescribeBackupVault",
        "ListRecoveryPointsByBackupVault",
    )
)  # fmt: skip
LOGS_UNSCOPED = frozenset({"logs:DescribeLogGroups", "logs:DescribeMetricFilters"})


def random_bases(resources: Iterable[Any]) -> list[str]:
    """``tw-scale-rds`` for a ``RandomId`` named ``tw-scale-rds-id``: names built from its
    hex are ``tw-scale-rds-<hex>``."""
    return sorted(r.name.removesuffix("-id") for r in resources if r.type == RANDOM_ID)


def unrandomized(name: str, bases: Iterable[str]) -> str:
    for base in bases:
        name = re.sub(rf"(?<![\w-]){re.escape(base)}-[0-9a-f]+(?![\w-])", f"{base}-*", name)
    return name


def physical(resource: Any, name_key: str, prefix_key: str, bases: Iterable[str]) -> str:
    """The physical name as a pattern: set, or Pulumi's auto-name (prefix and suffix)."""
    if name := resource.inputs.get(name_key):
        return unrandomized(name, bases)
    return f"{resource.inputs.get(prefix_key) or resource.name + '-'}*"


def _allow(sid: str, actions: Iterable[str], resources: list[str]) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}


def _needed(types: set[str], kinds: Iterable[str], service: str) -> set[str]:
    return {a for k in kinds if k in types for a in NEEDS[k].actions if a.startswith(service)}


def named_statements(declared: Any, target: Any) -> tuple[list[dict], set[str]]:
    """The statements on the stack's log groups, RDS resources and vault, and the actions
    they grant (which the policies on ``*`` must then leave out)."""
    resources, types = declared.resources, declared.types
    bases = random_bases(resources)
    where = f"{target.region}:{target.account}"
    statements: list[dict] = []

    logs = _needed(types, (LOG_GROUP, METRIC_FILTER), "logs:") - LOGS_UNSCOPED
    groups = sorted(
        {physical(r, "name", "namePrefix", bases) for r in resources if r.type == LOG_GROUP}
    )
    if logs and groups:
        arn = f"arn:{target.partition}:logs:{where}:log-group:"
        arns = sorted({f"{arn}{g}{tail}" for g in groups for tail in ("", ":*")})
        statements.append(_allow("StackLogGroups", logs, arns))

    rds = {a for a in _needed(types, RDS, "rds:") if not a.startswith("rds:Describe")}
    rds_arns = sorted(
        f"arn:{target.partition}:rds:{where}:{kind}:{physical(r, key, prefix, bases)}"
        for r in resources
        if r.type in RDS
        for kind, key, prefix in [RDS[r.type]]
    )
    if rds and rds_arns:
        default_options = f"arn:{target.partition}:rds:{where}:og:default*"
        statements.append(_allow("StackDatabase", rds, [*rds_arns, default_options]))

    vaults = sorted(
        f"arn:{target.partition}:backup:{where}:backup-vault:{physical(r, 'name', '', bases)}"
        for r in resources
        if r.type == VAULT
    )
    if vaults and (vault := _needed(types, [VAULT], "backup:") & VAULT_ACTIONS):
        statements.append(_allow("StackBackupVault", vault, vaults))

    granted = {a for s in statements for a in s["Action"]}
    return statements, granted
