"""Typed, validated settings of one django-tw stack, from one table: :data:`SETTINGS`.

Data flows one way: ``Pulumi.<stack>.yaml`` -> :func:`load_settings` -> components. Every
setting is checked here, before the program declares a single resource, and every error
names the setting, the bad value and what is allowed, so the fix is obvious from the message.
What each kind of value accepts is in ``settings_parsers.py``.

Setting names are the keys under the ``django-tw:`` namespace (``domain``, ``vpcCidr``...),
plus the provider's ``aws:region``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import settings_parsers as accepts
from components.private_network import NAT_NONE
from paths import REPO_ROOT

# The enumerations (those the components accept are theirs) are offered here with the settings
# that choose among them (``as``: re-exported).
from settings_parsers import CPU_ARCHITECTURES as CPU_ARCHITECTURES
from settings_parsers import DATABASE_EFS as DATABASE_EFS
from settings_parsers import DATABASE_RDS as DATABASE_RDS
from settings_parsers import DATABASES as DATABASES
from settings_parsers import DB_INSTANCE_CLASSES as DB_INSTANCE_CLASSES
from settings_parsers import EFS_THROUGHPUT_MODES as EFS_THROUGHPUT_MODES
from settings_parsers import EGRESS_ENDPOINTS as EGRESS_ENDPOINTS
from settings_parsers import EGRESS_MODES as EGRESS_MODES
from settings_parsers import EGRESS_NAT as EGRESS_NAT
from settings_parsers import ENVIRONMENTS as ENVIRONMENTS
from settings_parsers import FARGATE_CPU_MEMORY as FARGATE_CPU_MEMORY
from settings_parsers import LOG_RETENTION_DAYS as LOG_RETENTION_DAYS
from settings_parsers import NAT_GATEWAY_MODES as NAT_GATEWAY_MODES
from settings_parsers import PRODUCTION as PRODUCTION
from settings_parsers import NotAllowed

PROJECT = "django-tw"


def config_key(name: str) -> str:
    """The key in ``Pulumi.<stack>.yaml``: ``vpcCidr`` -> ``django-tw:vpcCidr``."""
    return name if ":" in name else f"{PROJECT}:{name}"


class SettingsError(ValueError):
    """A stack setting is missing or has a value the stack cannot use."""

    def __init__(self, setting: str, value: object, allowed: str) -> None:
        key = config_key(setting)
        self.setting = key
        self.value = value
        self.allowed = allowed
        super().__init__(f"setting `{key}` has the invalid value {value!r}; allowed: {allowed}")


@dataclass(frozen=True)
class Setting:
    """One stack setting: its name in the stack file, its field, its default, how it is read."""

    name: str
    """As in ``Pulumi.<stack>.yaml`` without the ``django-tw:`` prefix: ``vpcCidr``."""
    field: str
    """The :class:`StackSettings` field that holds the parsed value: ``vpc_cidr``."""
    default: str | None
    """The text used when the stack file leaves the setting out; ``None``: required."""
    parse: accepts.Parser
    """Text (and the settings before this one) -> typed value, or :class:`NotAllowed`."""
    doc: str
    """What it means, one line of Markdown (the README's settings table)."""


# Every setting, in the order they are read: a setting's parser may look at the ones above it.
# Pulumi.prod.yaml writes each of them out; tests check that it does.
SETTINGS: tuple[Setting, ...] = (
    Setting("aws:region", "region", None, accepts.aws_region,
            "AWS region of everything, e.g. `ap-northeast-1`"),
    Setting("environment", "environment", PRODUCTION, accepts.one_of(ENVIRONMENTS),
            "`production`: data protected from deletion (below) and `azCount` >= 2; "
            "`development`: neither"),
    Setting("hostedZone", "hosted_zone", "", accepts.hosted_zone,
            "Route53 public hosted zone that holds `domain` and the `mailFrom` domain"),
    Setting("domain", "domain", "", accepts.domain,
            "host name the site answers on over HTTPS, in `hostedZone`; empty: plain HTTP on "
            "the ALB's DNS name (with a warning)"),
    Setting("vpcCidr", "vpc_cidr", "10.0.0.0/16", accepts.private_network,
            "IPv4 CIDR of the VPC: a private range, /16 to /24"),
    Setting("azCount", "az_count", "2", accepts.az_count,
            "availability zones the subnets span (1 only for `development`)"),
    Setting("egress", "egress", "endpoints", accepts.one_of(EGRESS_MODES),
            "how the private subnets reach AWS: `endpoints` (VPC endpoints, no NAT) or `nat`"),
    Setting("natGateways", "nat_gateways", "single", accepts.one_of(NAT_GATEWAY_MODES),
            "with `egress: nat`: one NAT gateway (`single`) or one per AZ (`per-az`)"),
    Setting("endpointAzCount", "endpoint_az_count", "0", accepts.endpoint_az_count,
            "AZs that get interface endpoint ENIs (0: every AZ)"),
    Setting("taskCpu", "task_cpu", "512", accepts.task_cpu,
            "Fargate task CPU units"),
    Setting("taskMemory", "task_memory", "1024", accepts.task_memory,
            "Fargate task memory, MiB: a size Fargate offers with `taskCpu`"),
    Setting("cpuArchitecture", "cpu_architecture", "ARM64", accepts.one_of(CPU_ARCHITECTURES),
            "`ARM64` (Graviton, cheaper; images built for `linux/arm64`) or `X86_64`"),
    Setting("webConcurrency", "web_concurrency", "2", accepts.integer_between(1, 32),
            "gunicorn worker processes (`WEB_CONCURRENCY`)"),
    Setting("logRetentionDays", "log_retention_days", "30", accepts.log_retention_days,
            "retention of every container's log group: a value CloudWatch Logs offers"),
    Setting("mailFrom", "mail_from", "", accepts.mail_from,
            "sender address (`DEFAULT_FROM_EMAIL`) in `hostedZone`, whose domain becomes an SES "
            "identity; empty: no mail"),
    Setting("databaseName", "database_name", "django_tw", accepts.postgres_name,
            "the application's Postgres database"),
    Setting("databaseUser", "database_user", "django_tw", accepts.application_role,
            "the Postgres role that owns it (not `postgres`, the superuser); its password is "
            "generated and kept in Secrets Manager"),
    Setting("backupRetentionDays", "backup_retention_days", "14",
            accepts.integer_between(1, 3650, "days"),
            "recovery window of the WAL archive and base backups in S3, days"),
    Setting("baseBackupTime", "base_backup_time", "17:00", accepts.time_of_day,
            "when the daily base backup starts, `HH:MM` UTC (quote it in YAML)"),
    Setting("archiveTimeoutSeconds", "archive_timeout_seconds", "60",
            accepts.integer_between(10, 3600, "seconds"),
            "Postgres `archive_timeout`: the longest a written change waits before it reaches "
            "S3, so the most a lost EFS copy can take with it"),
    Setting("efsThroughputMode", "efs_throughput_mode", "elastic",
            accepts.one_of(EFS_THROUGHPUT_MODES),
            "`elastic` (pay per GB read/written, no burst credits) or `bursting` (credits)"),
    Setting("database", "database", DATABASE_EFS, accepts.database,
            "`efs`: Postgres in the task, data on EFS, one task; `rds`: RDS for PostgreSQL, "
            "the task is stateless and scales (`minTasks`..`maxTasks`; needs `azCount` >= 2)"),
    Setting("dbInstanceClass", "db_instance_class", "db.t4g.micro",
            accepts.db_instance_class,
            "with `database: rds`: the instance class, one of " + ", ".join(DB_INSTANCE_CLASSES)),
    Setting("dbAllocatedStorageGb", "db_allocated_storage_gb", "20",
            accepts.db_allocated_storage, "with `database: rds`: gp3 storage at creation, GiB"),
    Setting("dbMaxAllocatedStorageGb", "db_max_allocated_storage_gb", "100",
            accepts.db_max_allocated_storage,
            "with `database: rds`: storage autoscaling ceiling, GiB (0: off)"),
    Setting("dbMultiAz", "db_multi_az", "", accepts.db_multi_az,
            "with `database: rds`: a standby in a second AZ (doubles the instance price); "
            "empty: `true` for production, `false` for development"),
    Setting("dbBackupRetentionDays", "db_backup_retention_days", "7",
            accepts.db_backup_retention_days,
            "with `database: rds`: days of automated backups (the point-in-time window), 7..35"),
    Setting("minTasks", "min_tasks", "1", accepts.min_tasks,
            "tasks always running (1 with `database: efs`)"),
    Setting("maxTasks", "max_tasks", "1", accepts.max_tasks,
            "with `database: rds`: the most tasks auto scaling starts (above `minTasks` turns "
            "it on)"),
)  # fmt: skip

SETTING_NAMES = tuple(setting.name for setting in SETTINGS)
DEFAULTS: dict[str, str | None] = {setting.name: setting.default for setting in SETTINGS}


@dataclass(frozen=True)
class StackSettings:
    """What one stack is: where it runs, how big it is, what it is called.

    One field per entry of :data:`SETTINGS`, in its order, which documents each (a test keeps
    the two in step).
    """

    region: str
    environment: str
    hosted_zone: str
    domain: str
    vpc_cidr: str
    az_count: int
    egress: str
    nat_gateways: str
    endpoint_az_count: int
    task_cpu: int
    task_memory: int
    cpu_architecture: str
    web_concurrency: int
    log_retention_days: int
    mail_from: str
    database_name: str
    database_user: str
    backup_retention_days: int
    base_backup_time: str
    archive_timeout_seconds: int
    efs_throughput_mode: str
    database: str
    db_instance_class: str
    db_allocated_storage_gb: int
    db_max_allocated_storage_gb: int
    db_multi_az: bool
    db_backup_retention_days: int
    min_tasks: int
    max_tasks: int

    @property
    def is_production(self) -> bool:
        return self.environment == PRODUCTION

    @property
    def uses_tls(self) -> bool:
        return bool(self.domain)

    @property
    def sends_mail(self) -> bool:
        return bool(self.mail_from)

    @property
    def mail_domain(self) -> str:
        return self.mail_from.rpartition("@")[2]

    @property
    def managed_database(self) -> bool:
        """RDS holds the data, so the task is stateless."""
        return self.database == DATABASE_RDS

    @property
    def autoscales(self) -> bool:
        return self.max_tasks > self.min_tasks

    @property
    def nat(self) -> str:
        """PrivateNetwork's ``nat``: none with VPC endpoints, else the NAT gateways chosen."""
        return NAT_NONE if self.egress == EGRESS_ENDPOINTS else self.nat_gateways


def load_settings(config: Mapping[str, str]) -> StackSettings:
    """Validate a stack's config (keys without the ``django-tw:`` prefix) into settings.

    Raises :class:`SettingsError` naming the setting, the bad value and the allowed values.
    """
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        text = config.get(setting.name)
        if text is None:
            text = setting.default
        if text is None:
            required = "a value is required; set it in Pulumi.<stack>.yaml"
            raise SettingsError(setting.name, None, required)
        try:
            values[setting.name] = setting.parse(str(text), values)
        except NotAllowed as refused:
            blamed = refused.setting or setting.name
            raise SettingsError(blamed, refused.value, refused.allowed) from None
    return StackSettings(**{setting.field: values[setting.name] for setting in SETTINGS})


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_stack_file(stack: str, root: Path = REPO_ROOT) -> dict[str, str]:
    """The ``config:`` of ``Pulumi.<stack>.yaml`` as plain strings.

    Keys of this project lose their ``django-tw:`` prefix; other namespaces (``aws:region``)
    keep theirs. Encrypted values (``secure:``) are left out: they cannot be read offline.
    """
    path = Path(root) / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        files = Path(root).glob("Pulumi.*.yaml")
        known = ", ".join(sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in files)) or "none"
        raise FileNotFoundError(
            f"unknown stack {stack!r}: {path} does not exist; known stacks: {known}"
        )
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise ValueError(f"{path}: `config:` must be a mapping of setting names to values")
    settings: dict[str, str] = {}
    for key, value in config.items():
        if isinstance(value, dict) and "secure" in value:
            continue
        name = key.removeprefix(f"{PROJECT}:")
        settings[name] = _as_text(value)
    return settings


def config_from_pulumi() -> dict[str, str]:
    """The current stack's settings as :func:`load_settings` takes them (inside a Pulumi run)."""
    from pulumi.runtime.config import get_config

    values: dict[str, str] = {}
    for name in SETTING_NAMES:
        value = get_config(config_key(name))
        if value is not None:
            values[name] = _as_text(value)
    return values


# --- the README's settings table ----------------------------------------------------------------


def _default_in_yaml(default: str | None) -> str:
    if default is None:
        return "(required)"
    # Quoted where YAML would read the bare text as something else ("" as null, 17:00 as 1020).
    reads_as = _as_text(yaml.safe_load(default)) if default else None
    return f"`{default}`" if reads_as == default else f'`"{default}"`'


def settings_table() -> str:
    """The README's table of every setting, its default and what it means, from SETTINGS."""
    rows = [f"| `{s.name}` | {_default_in_yaml(s.default)} | {s.doc} |" for s in SETTINGS]
    return "\n".join(["| setting | default | meaning |", "|---|---|---|", *rows]) + "\n"
