"""What the database's settings accept: where Postgres runs, the RDS instance, the names of
the database and its role, the backups' schedule."""

from __future__ import annotations

import re

from components.postgres.rds_parameters import (
    MAX_BACKUP_RETENTION_DAYS,
    MAX_STORAGE_GIB,
    MIN_STORAGE_GIB,
)
from components.postgres.restore_drill_parts import check_schedule
from stack.parsers import Earlier, NotAllowed, integer, integer_between, one_of
from stack.parsers.choices import DATABASE_RDS, DATABASES, DB_INSTANCE_CLASSES, PRODUCTION

_POSTGRES_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_TIME_OF_DAY = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


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
