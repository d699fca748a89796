"""Typed, validated settings of one django-tw stack.

Data flows one way: ``Pulumi.<stack>.yaml`` -> :func:`load_settings` -> components. Every
setting is checked here, before the program declares a single resource, and every error
names the setting, the bad value and what is allowed, so the fix is obvious from the message.

Keys are the names under the ``django-tw:`` namespace (``domain``, ``vpcCidr``...), plus the
provider's ``aws:region``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from paths import REPO_ROOT

PROJECT = "django-tw"

EGRESS_MODES = ("endpoints", "nat")
NAT_GATEWAY_MODES = ("single", "per-az")
ENVIRONMENTS = ("production", "development")
CPU_ARCHITECTURES = ("X86_64", "ARM64")
EFS_THROUGHPUT_MODES = ("elastic", "bursting")
_TIME_OF_DAY = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")

# CloudWatch Logs accepts only these retention periods (PutRetentionPolicy, retentionInDays):
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip


def _memory_range(start: int, stop: int, step: int) -> tuple[int, ...]:
    return tuple(range(start, stop + 1, step))


# The task-level CPU/memory pairs Fargate offers (CPU units -> MiB):
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
FARGATE_CPU_MEMORY: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _memory_range(1024, 4096, 1024),
    1024: _memory_range(2048, 8192, 1024),
    2048: _memory_range(4096, 16384, 1024),
    4096: _memory_range(8192, 30720, 1024),
    8192: _memory_range(16384, 61440, 4096),
    16384: _memory_range(32768, 122880, 8192),
}

# Every setting and its default (None = required); StackSettings describes each. Pulumi.prod.yaml
# writes each of them out; tests check that it does.
DEFAULTS: dict[str, str | None] = {
    "aws:region": None,
    "environment": "production",
    "domain": "",
    "hostedZone": "",
    "vpcCidr": "10.0.0.0/16",
    "azCount": "2",
    "egress": "endpoints",
    "natGateways": "single",
    "endpointAzCount": "0",
    "taskCpu": "512",
    "taskMemory": "1024",
    "cpuArchitecture": "ARM64",
    "webConcurrency": "2",
    "logRetentionDays": "30",
    "mailFrom": "",
    "databaseName": "django_tw",
    "databaseUser": "django_tw",
    "backupRetentionDays": "14",
    "baseBackupTime": "17:00",
    "archiveTimeoutSeconds": "60",
    "efsThroughputMode": "elastic",
}

SETTING_NAMES = tuple(DEFAULTS)

_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_DB_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


class SettingsError(ValueError):
    """A stack setting is missing or has a value the stack cannot use."""

    def __init__(self, setting: str, value: object, allowed: str) -> None:
        key = setting if ":" in setting else f"{PROJECT}:{setting}"
        self.setting = key
        self.value = value
        self.allowed = allowed
        super().__init__(f"setting `{key}` has the invalid value {value!r}; allowed: {allowed}")


@dataclass(frozen=True)
class StackSettings:
    """What one stack is: where it runs, how big it is, what it is called."""

    region: str
    """AWS region (``aws:region``), e.g. ``ap-northeast-1``."""
    environment: str
    """``production``: data protected from deletion, >= 2 AZs; ``development``: neither."""
    domain: str
    """Host name the site answers on (``""``: no TLS, plain HTTP on the ALB's DNS name)."""
    hosted_zone: str
    """Route53 public hosted zone that holds ``domain`` and the mail domain."""
    vpc_cidr: str
    """IPv4 CIDR of the VPC, /16 to /24, private address range."""
    az_count: int
    """Availability zones the subnets span."""
    egress: str
    """``endpoints``: private subnets reach AWS through VPC endpoints; ``nat``: through NAT."""
    nat_gateways: str
    """With ``egress: nat``: one NAT gateway (``single``) or one per AZ (``per-az``)."""
    endpoint_az_count: int
    """AZs that get interface endpoint ENIs (0 = every AZ)."""
    task_cpu: int
    """Fargate task CPU units."""
    task_memory: int
    """Fargate task memory, MiB."""
    cpu_architecture: str
    """``X86_64`` or ``ARM64`` (Graviton, cheaper; the images must be built for it)."""
    web_concurrency: int
    """gunicorn worker processes (WEB_CONCURRENCY)."""
    log_retention_days: int
    """CloudWatch Logs retention of every container's log group."""
    mail_from: str
    """Sender address (DEFAULT_FROM_EMAIL); its domain becomes an SES identity. ``""``: no mail."""
    database_name: str
    """Name of the application's Postgres database."""
    database_user: str
    """Postgres role that owns it (not a superuser); its password is generated and kept in
    Secrets Manager."""
    backup_retention_days: int
    """Recovery window of the WAL archive and base backups in S3, days."""
    base_backup_time: str
    """When the daily base backup starts, ``HH:MM`` in UTC."""
    archive_timeout_seconds: int
    """Postgres ``archive_timeout``: the longest a written change waits before its WAL segment
    is archived (the worst-case data loss when the EFS copy is lost)."""
    efs_throughput_mode: str
    """``elastic`` (pay per GB read/written, no burst credits) or ``bursting``."""

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_tls(self) -> bool:
        return bool(self.domain)

    @property
    def sends_mail(self) -> bool:
        return bool(self.mail_from)

    @property
    def mail_domain(self) -> str:
        return self.mail_from.rpartition("@")[2]


def _int(config: Mapping[str, str], name: str, allowed: str) -> int:
    raw = _raw(config, name)
    try:
        return int(str(raw).strip())
    except ValueError:
        raise SettingsError(name, raw, allowed) from None


def _raw(config: Mapping[str, str], name: str) -> str:
    value = config.get(name)
    if value is None:
        default = DEFAULTS[name]
        if default is None:
            raise SettingsError(name, None, "a value is required; set it in Pulumi.<stack>.yaml")
        return default
    return str(value)


def _choice(config: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    value = _raw(config, name)
    if value not in choices:
        raise SettingsError(name, value, " | ".join(choices))
    return value


def _is_host_name(value: str) -> bool:
    labels = value.split(".")
    return len(labels) >= 2 and all(_DOMAIN_LABEL.match(label) for label in labels)


def _within(name: str, zone: str) -> bool:
    return name == zone or name.endswith("." + zone)


def load_settings(config: Mapping[str, str]) -> StackSettings:
    """Validate a stack's config (keys without the ``django-tw:`` prefix) into settings.

    Raises :class:`SettingsError` naming the setting, the bad value and the allowed values.
    """
    region = _raw(config, "aws:region")
    if not _REGION.match(region):
        raise SettingsError("aws:region", region, "an AWS region name such as ap-northeast-1")

    environment = _choice(config, "environment", ENVIRONMENTS)
    production = environment == "production"

    cidr_text = _raw(config, "vpcCidr")
    cidr_allowed = "a private IPv4 network from /16 to /24 in CIDR form, e.g. 10.0.0.0/16"
    try:
        network = ipaddress.ip_network(cidr_text, strict=True)
    except ValueError:
        raise SettingsError("vpcCidr", cidr_text, cidr_allowed) from None
    # AWS VPCs take /16 to /28; each AZ needs two subnets of at least /28, hence /24 at most.
    # https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
    if network.version != 4 or not 16 <= network.prefixlen <= 24 or not network.is_private:
        raise SettingsError("vpcCidr", cidr_text, cidr_allowed)

    az_allowed = "2 to 6 (1 only with environment: development)"
    az_count = _int(config, "azCount", az_allowed)
    lowest = 2 if production else 1
    if not lowest <= az_count <= 6:
        raise SettingsError("azCount", az_count, az_allowed)

    egress = _choice(config, "egress", EGRESS_MODES)
    nat_gateways = _choice(config, "natGateways", NAT_GATEWAY_MODES)

    endpoint_allowed = f"0 (every AZ) or 1 to azCount ({az_count})"
    endpoint_az_count = _int(config, "endpointAzCount", endpoint_allowed)
    if not 0 <= endpoint_az_count <= az_count:
        raise SettingsError("endpointAzCount", endpoint_az_count, endpoint_allowed)

    cpu_allowed = " | ".join(str(cpu) for cpu in FARGATE_CPU_MEMORY)
    task_cpu = _int(config, "taskCpu", cpu_allowed)
    if task_cpu not in FARGATE_CPU_MEMORY:
        raise SettingsError("taskCpu", task_cpu, cpu_allowed)
    memories = FARGATE_CPU_MEMORY[task_cpu]
    memory_allowed = f"with taskCpu {task_cpu}: " + ", ".join(str(m) for m in memories)
    task_memory = _int(config, "taskMemory", memory_allowed)
    if task_memory not in memories:
        raise SettingsError("taskMemory", task_memory, memory_allowed)

    cpu_architecture = _choice(config, "cpuArchitecture", CPU_ARCHITECTURES)

    web_concurrency = _int(config, "webConcurrency", "1 to 32")
    if not 1 <= web_concurrency <= 32:
        raise SettingsError("webConcurrency", web_concurrency, "1 to 32")

    retention_allowed = ", ".join(str(d) for d in LOG_RETENTION_DAYS)
    log_retention_days = _int(config, "logRetentionDays", retention_allowed)
    if log_retention_days not in LOG_RETENTION_DAYS:
        raise SettingsError("logRetentionDays", log_retention_days, retention_allowed)

    hosted_zone = _raw(config, "hostedZone").strip().rstrip(".").lower()
    if hosted_zone and not _is_host_name(hosted_zone):
        raise SettingsError("hostedZone", hosted_zone, 'a DNS zone name such as "example.com"')

    domain = _raw(config, "domain").strip().rstrip(".").lower()
    if domain:
        if not hosted_zone:
            raise SettingsError(
                "hostedZone", "", f"the Route53 zone that contains domain {domain!r}"
            )
        if not _is_host_name(domain) or not _within(domain, hosted_zone):
            raise SettingsError(
                "domain", domain, f"{hosted_zone} or a name under it (hostedZone: {hosted_zone})"
            )

    mail_from = _raw(config, "mailFrom").strip()
    if mail_from:
        local, _, mail_domain = mail_from.rpartition("@")
        mail_allowed = (
            f"an address at {hosted_zone} or a name under it, e.g. noreply@{hosted_zone}"
            if hosted_zone
            else '"" (mail needs hostedZone for its DKIM records)'
        )
        if not local or not hosted_zone or not _within(mail_domain.lower(), hosted_zone):
            raise SettingsError("mailFrom", mail_from, mail_allowed)

    identifiers = {}
    for name in ("databaseName", "databaseUser"):
        value = _raw(config, name)
        if not _DB_IDENTIFIER.match(value):
            raise SettingsError(name, value, "lower-case letters, digits, _ (a Postgres name)")
        identifiers[name] = value
    if identifiers["databaseUser"] == "postgres":
        # The image's bootstrap superuser is "postgres"; the application gets its own role.
        raise SettingsError(
            "databaseUser", "postgres", "a role other than postgres (the superuser), e.g. django_tw"
        )

    backup_allowed = "1 to 3650 (days)"
    backup_retention_days = _int(config, "backupRetentionDays", backup_allowed)
    if not 1 <= backup_retention_days <= 3650:
        raise SettingsError("backupRetentionDays", backup_retention_days, backup_allowed)

    base_backup_time = _raw(config, "baseBackupTime").strip()
    if not _TIME_OF_DAY.match(base_backup_time):
        raise SettingsError(
            "baseBackupTime",
            base_backup_time,
            'HH:MM, 24-hour clock, UTC, e.g. "17:00" (quote it: YAML 1.1 reads 17:00 as 1020)',
        )

    # archive_timeout: the PostgreSQL docs call "a minute or so" reasonable; shorter bloats the
    # archive (each forced switch archives a whole 16 MB segment).
    # https://www.postgresql.org/docs/current/runtime-config-wal.html#GUC-ARCHIVE-TIMEOUT
    timeout_allowed = "10 to 3600 (seconds)"
    archive_timeout_seconds = _int(config, "archiveTimeoutSeconds", timeout_allowed)
    if not 10 <= archive_timeout_seconds <= 3600:
        raise SettingsError("archiveTimeoutSeconds", archive_timeout_seconds, timeout_allowed)

    efs_throughput_mode = _choice(config, "efsThroughputMode", EFS_THROUGHPUT_MODES)

    return StackSettings(
        region=region,
        environment=environment,
        domain=domain,
        hosted_zone=hosted_zone,
        vpc_cidr=str(network),
        az_count=az_count,
        egress=egress,
        nat_gateways=nat_gateways,
        endpoint_az_count=endpoint_az_count,
        task_cpu=task_cpu,
        task_memory=task_memory,
        cpu_architecture=cpu_architecture,
        web_concurrency=web_concurrency,
        log_retention_days=log_retention_days,
        mail_from=mail_from,
        database_name=identifiers["databaseName"],
        database_user=identifiers["databaseUser"],
        backup_retention_days=backup_retention_days,
        base_backup_time=base_backup_time,
        archive_timeout_seconds=archive_timeout_seconds,
        efs_throughput_mode=efs_throughput_mode,
    )


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
        key = name if ":" in name else f"{PROJECT}:{name}"
        value = get_config(key)
        if value is not None:
            values[name] = _as_text(value)
    return values
