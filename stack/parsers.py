"""What each stack setting accepts: the enumerations, AWS's limits, one parser per kind of value.

A parser takes a setting's text and the values of the settings before it in
``stack.settings.StackSettings``' fields (by setting name), and returns the typed value or raises
:class:`NotAllowed` saying what would be accepted; ``stack.settings.load_settings`` names the
setting. A check between two settings is written once, in the parser of the setting it blames.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from components._shared.dns import within_zone
from components.fargate.service import CPU_ARCHITECTURES as CPU_ARCHITECTURES
from components.mail import DMARC_POLICIES as DMARC_POLICIES
from components.network.availability_zones import FARGATE_UNSUPPORTED_ZONE_IDS
from components.network.flow_logs import FLOW_LOG_MODES as FLOW_LOG_MODES
from components.network.private_network import NAT_GATEWAY_MODES as NAT_GATEWAY_MODES
from components.network.subnet_layout import MAX_AZS, larger_prefix_for, zone_slots
from components.postgres.efs import EFS_THROUGHPUT_MODES as EFS_THROUGHPUT_MODES
from components.postgres.rds_parameters import INSTANCE_CLASSES as DB_INSTANCE_CLASSES
from components.postgres.rds_parameters import (
    MAX_BACKUP_RETENTION_DAYS,
    MAX_STORAGE_GIB,
    MIN_STORAGE_GIB,
)
from components.postgres.restore_drill_parts import check_schedule

PRODUCTION, DEVELOPMENT = "production", "development"
ENVIRONMENTS = (PRODUCTION, DEVELOPMENT)
# Egress is the stack's choice, one value per PrivateNetworkArgs.nat: VPC endpoints and no NAT,
# or NAT gateways (one, or one per AZ). The other vocabularies are what the components accept.
EGRESS_ENDPOINTS, EGRESS_NAT_SINGLE, EGRESS_NAT_PER_AZ = "endpoints", "nat-single", "nat-per-az"
EGRESS_MODES = (EGRESS_ENDPOINTS, EGRESS_NAT_SINGLE, EGRESS_NAT_PER_AZ)
# Until 0.3 a stack file may still say `egress: nat` with `natGateways: single | per-az`.
EGRESS_NAT = "nat"
WAF_OFF, WAF_ON = "off", "on"
WAF_MODES = (WAF_OFF, WAF_ON)
# Where Postgres runs: a container of the one task with its data on EFS (one writer, one task),
# or RDS (the task is stateless and scales).
DATABASE_EFS, DATABASE_RDS = "efs", "rds"
DATABASES = (DATABASE_EFS, DATABASE_RDS)
# Fargate Spot for the web tasks: off, or mixed (the first task on-demand, the rest split
# between on-demand and Spot: components.fargate.deployment). Only without a database in the task.
FARGATE_SPOT_OFF, FARGATE_SPOT_MIXED = "off", "mixed"
FARGATE_SPOT_MODES = (FARGATE_SPOT_OFF, FARGATE_SPOT_MIXED)
# The most web tasks a stack may scale to: each holds CONN_MAX_AGE connections per gunicorn
# worker, and the smallest instance class allows about a hundred.
MAX_TASKS = 10

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

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_BOUNDARY = re.compile(
    r"^([\w+=,.@-]{1,128}|arn:aws(-cn|-us-gov)?:iam::(\d{12}|aws):policy/[\w+=,.@/-]+)$"
)
_POSTGRES_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_TIME_OF_DAY = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_ZONE_ID = re.compile(r"^[a-z]+[0-9]+-az[0-9]+$")
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
_IAM_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
# Names reserved for documentation (RFC 2606 section 3): a stack still naming one was copied
# from the example and cannot own it. https://www.rfc-editor.org/rfc/rfc2606#section-3
EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")

Earlier = Mapping[str, Any]
"""The values of the settings parsed so far, by setting name (``"taskCpu"``)."""
Parser = Callable[[str, Earlier], Any]


class NotAllowed(ValueError):
    """A refused value: the value as read, what is allowed, and the setting to blame when it is
    not the one being parsed (``domain`` without ``hostedZone`` blames ``hostedZone``)."""

    def __init__(self, value: object, allowed: str, setting: str | None = None) -> None:
        super().__init__(allowed)
        self.value = value
        self.allowed = allowed
        self.setting = setting


# --- building blocks ---------------------------------------------------------------------------


def integer(text: str, allowed: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise NotAllowed(text, allowed) from None


def one_of(choices: tuple[str, ...]) -> Parser:
    allowed = " | ".join(choices)

    def parse(text: str, earlier: Earlier) -> str:
        if text not in choices:
            raise NotAllowed(text, allowed)
        return text

    return parse


def integer_in(choices: tuple[int, ...], separator: str, introduction: str = "") -> Parser:
    allowed = introduction + separator.join(str(choice) for choice in choices)

    def parse(text: str, earlier: Earlier) -> int:
        value = integer(text, allowed)
        if value not in choices:
            raise NotAllowed(value, allowed)
        return value

    return parse


def integer_between(low: int, high: int, unit: str = "") -> Parser:
    allowed = f"{low} to {high}" + (f" ({unit})" if unit else "")

    def parse(text: str, earlier: Earlier) -> int:
        value = integer(text, allowed)
        if not low <= value <= high:
            raise NotAllowed(value, allowed)
        return value

    return parse


_BOOLEANS = {"true": True, "false": False}


def boolean(text: str, earlier: Earlier) -> bool:
    """``true`` or ``false`` (YAML's unquoted booleans reach here as that text)."""
    value = _BOOLEANS.get(text.strip().lower())
    if value is None:
        raise NotAllowed(text, "true | false")
    return value


def is_host_name(value: str) -> bool:
    labels = value.split(".")
    return len(labels) >= 2 and all(_DOMAIN_LABEL.match(label) for label in labels)


def _dns_name(text: str) -> str:
    return text.strip().rstrip(".").lower()


# --- one parser per setting that needs its own ---------------------------------------------------


def aws_region(text: str, earlier: Earlier) -> str:
    if not _REGION.match(text):
        raise NotAllowed(text, "an AWS region name such as ap-northeast-1")
    return text


def private_network(text: str, earlier: Earlier) -> str:
    allowed = "a private IPv4 network from /16 to /24 in CIDR form, e.g. 10.0.0.0/16"
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:
        raise NotAllowed(text, allowed) from None
    # AWS VPCs take /16 to /28; each AZ needs two subnets of at least /26
    # (components.network.subnet_layout), hence /24 at most.
    # https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
    if network.version != 4 or not 16 <= network.prefixlen <= 24 or not network.is_private:
        raise NotAllowed(text, allowed)
    return str(network)


def az_count(text: str, earlier: Earlier) -> int:
    allowed = f"2 to {MAX_AZS} (1 only with environment: {DEVELOPMENT})"
    value = integer(text, allowed)
    lowest = 2 if earlier["environment"] == PRODUCTION else 1
    if not lowest <= value <= MAX_AZS:
        raise NotAllowed(value, allowed)
    # The public subnets span max(2, azCount) zones; the VPC must have a slot for each.
    slots = zone_slots(earlier["vpcCidr"])
    if max(2, value) > slots:
        raise NotAllowed(
            value,
            f"at most {slots} with vpcCidr {earlier['vpcCidr']} (subnets of /26 or more; "
            f"a /{larger_prefix_for(max(2, value))} or larger VPC holds {max(2, value)})",
        )
    return value


def endpoint_az_count(text: str, earlier: Earlier) -> int:
    allowed = f"0 (every AZ) or 1 to azCount ({earlier['azCount']})"
    value = integer(text, allowed)
    if not 0 <= value <= earlier["azCount"]:
        raise NotAllowed(value, allowed)
    return value


def availability_zone_ids(text: str, earlier: Earlier) -> tuple[str, ...]:
    """A YAML list (Pulumi passes it as JSON) or comma-separated text of zone ids; empty:
    chosen automatically."""
    needed = max(2, earlier["azCount"])
    allowed = (
        f"[] (automatic), or {needed} distinct zone ids such as apne1-az1 (one per public "
        f"subnet, the first {earlier['azCount']} for the tasks), none of "
        f"{', '.join(sorted(FARGATE_UNSUPPORTED_ZONE_IDS))} (no Fargate there)"
    )
    stripped = text.strip()
    try:
        listed = json.loads(stripped) if stripped.startswith("[") else stripped.split(",")
    except json.JSONDecodeError:
        raise NotAllowed(text, allowed) from None
    if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        raise NotAllowed(text, allowed)
    ids = tuple(item.strip() for item in listed if item.strip())
    if not ids:
        return ids
    if (
        len(ids) != needed
        or len(set(ids)) != len(ids)
        or not all(_ZONE_ID.match(zone_id) for zone_id in ids)
        or set(ids) & FARGATE_UNSUPPORTED_ZONE_IDS
    ):
        raise NotAllowed(list(ids), allowed)
    return ids


def is_example_name(name: str) -> bool:
    """``name`` (a host, a zone, or the domain of an address) is a documentation example."""
    host = name.rpartition("@")[2].lower().rstrip(".")
    return host.endswith(".example") or any(
        host == domain or host.endswith(f".{domain}") for domain in EXAMPLE_DOMAINS
    )


task_cpu = integer_in(tuple(FARGATE_CPU_MEMORY), " | ")


def task_memory(text: str, earlier: Earlier) -> int:
    cpu = earlier["taskCpu"]
    return integer_in(FARGATE_CPU_MEMORY[cpu], ", ", f"with taskCpu {cpu}: ")(text, earlier)


log_retention_days = integer_in(LOG_RETENTION_DAYS, ", ")


def hosted_zone(text: str, earlier: Earlier) -> str:
    zone = _dns_name(text)
    if zone and not is_host_name(zone):
        raise NotAllowed(zone, 'a DNS zone name such as "example.com"')
    return zone


def domain(text: str, earlier: Earlier) -> str:
    name, zone = _dns_name(text), earlier["hostedZone"]
    if not name:
        return name
    if not zone:
        raise NotAllowed("", f"the Route53 zone that contains domain {name!r}", "hostedZone")
    if not is_host_name(name) or not within_zone(name, zone):
        raise NotAllowed(name, f"{zone} or a name under it (hostedZone: {zone})")
    return name


def mail_from(text: str, earlier: Earlier) -> str:
    address, zone = text.strip(), earlier["hostedZone"]
    if not address:
        return address
    local, _, mail_domain = address.rpartition("@")
    if not local or not zone or not within_zone(mail_domain.lower(), zone):
        raise NotAllowed(
            address,
            f"an address at {zone} or a name under it, e.g. noreply@{zone}"
            if zone
            else '"" (mail needs hostedZone for its DKIM records)',
        )
    return address


def mail_from_subdomain(text: str, earlier: Earlier) -> str:
    """One DNS label under the mail domain; empty: no custom MAIL FROM domain."""
    label = text.strip()
    if not label:
        return label
    if not earlier["mailFrom"]:
        raise NotAllowed(label, '"" (there is no mailFrom to send from)')
    if not _DOMAIN_LABEL.match(label) or label != label.lower():
        domain = earlier["mailFrom"].rpartition("@")[2]
        raise NotAllowed(label, f'one lower-case DNS label such as mail (mail.{domain}), or ""')
    return label


def dmarc_policy(text: str, earlier: Earlier) -> str:
    """The DMARC policy to publish for the mail domain; empty: its ``_dmarc`` record is left
    alone."""
    policy = text.strip()
    if not policy:
        return policy
    if not earlier["mailFrom"]:
        raise NotAllowed(policy, '"" (there is no mailFrom to send from)')
    if policy not in DMARC_POLICIES:
        raise NotAllowed(policy, f'{" | ".join(DMARC_POLICIES)}, or "" (leave _dmarc alone)')
    return policy


def alarm_email(text: str, earlier: Earlier) -> str:
    """One address SNS can mail (any domain: the on-call person's); empty: no subscription."""
    address = text.strip()
    if not address:
        return address
    local, at, mail_domain = address.rpartition("@")
    if not at or not local or any(c.isspace() for c in local) or not is_host_name(mail_domain):
        raise NotAllowed(address, 'one e-mail address, e.g. "ops@example.com", or "" for none')
    return address


def permissions_boundary(text: str, earlier: Earlier) -> str:
    """An IAM managed policy: its name (1..128 of ``[A-Za-z0-9+=,.@_-]``) or its ARN; empty:
    the stack's default name."""
    policy = text.strip()
    if policy and not _BOUNDARY.match(policy):
        raise NotAllowed(
            policy, 'an IAM policy name or ARN, e.g. "tw-prod-permissions-boundary", or ""'
        )
    return policy


def postgres_name(text: str, earlier: Earlier) -> str:
    if not _POSTGRES_NAME.match(text):
        raise NotAllowed(text, "lower-case letters, digits, _ (a Postgres name)")
    return text


def application_role(text: str, earlier: Earlier) -> str:
    role = postgres_name(text, earlier)
    if role == "postgres":
        # The image's bootstrap superuser is "postgres"; the application gets its own role.
        raise NotAllowed(role, "a role other than postgres (the superuser), e.g. django_tw")
    return role


def iam_role_name(text: str, earlier: Earlier) -> str:
    """An IAM role name, or "" (the stack then derives one)."""
    value = text.strip()
    if value and not _IAM_ROLE_NAME.match(value):
        raise NotAllowed(text, 'an IAM role name: 1 to 64 letters, digits or +=,.@_-, or ""')
    return value


def time_of_day(text: str, earlier: Earlier) -> str:
    value = text.strip()
    if not _TIME_OF_DAY.match(value):
        raise NotAllowed(
            value,
            'HH:MM, 24-hour clock, UTC, e.g. "17:00" (quote it: YAML 1.1 reads 17:00 as 1020)',
        )
    return value


def drill_schedule(text: str, earlier: Earlier) -> str:
    """An EventBridge schedule expression for the restore drill (restore_drill_specs)."""
    value = text.strip()
    try:
        return check_schedule(value)
    except ValueError:
        raise NotAllowed(
            value,
            "an EventBridge schedule: 'cron(30 3 * * ? *)' (03:30 UTC daily) or 'rate(1 day)'",
        ) from None


def hsts_include_subdomains(text: str, earlier: Earlier) -> bool:
    include = boolean(text, earlier)
    if include and not earlier["domain"]:
        raise NotAllowed(text, "false without a domain: HSTS is only sent over HTTPS")
    return include


def hsts_preload(text: str, earlier: Earlier) -> bool:
    """Preload lists take only sites that also cover their subdomains
    (https://hstspreload.org/#submission-requirements), and undoing it takes months."""
    preload = boolean(text, earlier)
    if preload and not earlier["hstsIncludeSubdomains"]:
        raise NotAllowed(
            text, "false unless hstsIncludeSubdomains is true (a preload list requires it)"
        )
    return preload


def waf_mode(text: str, earlier: Earlier) -> str:
    """``on`` or ``off``. YAML 1.1 reads a bare on/off as a boolean, which reaches here as
    ``true``/``false``: taken to mean the same."""
    value = {"true": WAF_ON, "false": WAF_OFF}.get(text.strip().lower(), text.strip())
    return one_of(WAF_MODES)(value, earlier)


# --- the database and the number of tasks ------------------------------------------------------


def database(text: str, earlier: Earlier) -> str:
    value = one_of(DATABASES)(text, earlier)
    if value == DATABASE_RDS and earlier["azCount"] < 2:
        # An RDS DB subnet group needs subnets in two AZs, even for a single-AZ instance.
        raise NotAllowed(earlier["azCount"], f"2 or more with database: {DATABASE_RDS}", "azCount")
    return value


db_instance_class = one_of(DB_INSTANCE_CLASSES)
db_allocated_storage = integer_between(MIN_STORAGE_GIB, MAX_STORAGE_GIB, "GiB, gp3")
# FSBP RDS.11 (a mandatory rule of policy/) asks for at least 7 days.
db_backup_retention_days = integer_between(7, MAX_BACKUP_RETENTION_DAYS, "days")


def db_max_allocated_storage(text: str, earlier: Earlier) -> int:
    allocated = earlier["dbAllocatedStorageGb"]
    allowed = (
        f"0 (no storage autoscaling) or {allocated + 1} to {MAX_STORAGE_GIB} (above "
        f"dbAllocatedStorageGb, {allocated})"
    )
    value = integer(text, allowed)
    if value != 0 and not allocated < value <= MAX_STORAGE_GIB:
        raise NotAllowed(value, allowed)
    return value


def db_multi_az(text: str, earlier: Earlier) -> bool:
    """true | false; empty: a standby in a second AZ for production only."""
    value = text.strip().lower()
    if value == "":
        return earlier["environment"] == PRODUCTION
    if value not in ("true", "false"):
        raise NotAllowed(text, 'true | false | "" (production: true, development: false)')
    return value == "true"


def db_apply_immediately(text: str, earlier: Earlier) -> bool:
    """true | false; empty: RDS applies changes at once on development, in the maintenance
    window on production."""
    value = text.strip().lower()
    if value == "":
        return earlier["environment"] != PRODUCTION
    if value not in ("true", "false"):
        raise NotAllowed(text, 'true | false | "" (production: false, development: true)')
    return value == "true"


def min_tasks(text: str, earlier: Earlier) -> int:
    if earlier["database"] == DATABASE_EFS:
        allowed = f"1 with database: {DATABASE_EFS} (one writer on the file system)"
        value = integer(text, allowed)
        if value != 1:
            raise NotAllowed(value, allowed)
        return value
    return integer_between(1, MAX_TASKS, "tasks")(text, earlier)


def max_tasks(text: str, earlier: Earlier) -> int:
    low = earlier["minTasks"]
    high = 1 if earlier["database"] == DATABASE_EFS else MAX_TASKS
    allowed = (
        f"1 with database: {DATABASE_EFS} (one writer on the file system)"
        if high == 1
        else f"minTasks ({low}) to {MAX_TASKS}"
    )
    value = integer(text, allowed)
    if not low <= value <= high:
        raise NotAllowed(value, allowed)
    return value


def fargate_spot(text: str, earlier: Earlier) -> str:
    """``off`` or ``mixed`` (a bare YAML off arrives as ``false``). ``mixed`` only with
    ``database: rds``: with efs the one task holds the database, and Spot may stop it."""
    value = {"false": FARGATE_SPOT_OFF}.get(text.strip().lower(), text.strip())
    value = one_of(FARGATE_SPOT_MODES)(value, earlier)
    if value == FARGATE_SPOT_MIXED and earlier["database"] != DATABASE_RDS:
        raise NotAllowed(
            value,
            f"{FARGATE_SPOT_OFF} with database: {earlier['database']} (Spot may stop the one "
            f"task that holds the database; {FARGATE_SPOT_MIXED} needs database: {DATABASE_RDS})",
        )
    return value


def former_nat_gateways(text: str, earlier: Earlier) -> str:
    """``natGateways``, read only from stack files written before ``egress`` took its value:
    empty (left out), or ``single`` | ``per-az`` for ``egress: nat``."""
    if text == "":
        return ""
    return one_of(NAT_GATEWAY_MODES)(text, earlier)


def egress(text: str, earlier: Earlier) -> str:
    """``endpoints`` | ``nat-single`` | ``nat-per-az``; the former ``nat`` plus ``natGateways``
    becomes the value it meant (the caller warns), and a ``natGateways`` that disagrees with a
    new value is refused rather than silently ignored."""
    gateways = earlier.get("natGateways", "")
    if text == EGRESS_NAT:
        return f"nat-{gateways or 'single'}"
    value = one_of(EGRESS_MODES)(text, earlier)
    if gateways and value != EGRESS_ENDPOINTS and value != f"nat-{gateways}":
        raise NotAllowed(
            gateways,
            f"nothing: `egress: {value}` says how many NAT gateways; remove `natGateways`",
            setting="natGateways",
        )
    return value


def egress_deprecations(config: Mapping[str, str]) -> tuple[str, ...]:
    """What a stack file still says the 0.1 way, each as the line to write instead."""
    found = []
    gateways = config.get("natGateways", "")
    if config.get("egress") == EGRESS_NAT:
        found.append(
            f"`django-tw:egress: nat` is read as `nat-{gateways or 'single'}`: write that "
            "instead (`nat` stops being read in 0.3)"
        )
    if gateways:
        found.append(
            "`django-tw:natGateways` is no longer needed: `egress` says it "
            "(`nat-single` | `nat-per-az`); remove the line"
        )
    return tuple(found)
