"""What RdsPostgres declares, as pure functions: the allowed sizes, the parameters, the
connection string the application reads, the Performance Insights and log settings.

Facts relied on, with their sources:

- ``rds.force_ssl=1`` makes RDS for PostgreSQL refuse every connection without TLS (the default
  is 1 from PostgreSQL 15 on; it is set explicitly so a parameter group change cannot drop it):
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
- ``sslmode=verify-full`` checks both the chain (against ``sslrootcert``, the RDS CA bundle
  the web image downloads from truststore.pki.rds.amazonaws.com) and that the host name is the
  instance's endpoint:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
  https://www.postgresql.org/docs/17/libpq-ssl.html#LIBPQ-SSL-PROTECTION
- Performance Insights keeps 7 days free of charge (longer retention is paid), and RDS for
  PostgreSQL offers it on every instance class allowed here:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Overview.cost.html
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Overview.Engines.html
- Automated backups are kept 0..35 days; 0 turns them off:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
- General Purpose (gp3) storage is 20..65536 GiB for RDS for PostgreSQL:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html
- A DB instance identifier is 1..63 letters, digits and hyphens, begins with a letter, has no
  two hyphens in a row and does not end with one; RDS stores it in lower case; a snapshot
  identifier follows the same rules, up to 255 characters:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints
  https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html
- Each class's memory (https://aws.amazon.com/rds/instance-types/), and the default
  ``max_connections`` of RDS for PostgreSQL, ``LEAST({DBInstanceClassMemory/9531392}, 5000)``:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections
"""

import re
from urllib.parse import quote

import pulumi

ENGINE = "postgres"
# The default major (a project passes its own; django-tw's is stack.postgres_version.POSTGRES_MAJOR,
# which tests/stack/test_postgres_version.py holds equal to this). RDS for PostgreSQL offers 18
# from 18.1: https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html
ENGINE_MAJOR_VERSION = "18"
POSTGRES_PORT = 5432
STORAGE_TYPE = "gp3"
MIN_STORAGE_GIB, MAX_STORAGE_GIB = 20, 65536
MAX_BACKUP_RETENTION_DAYS = 35
FREE_PERFORMANCE_INSIGHTS_DAYS = 7
# The logs RDS for PostgreSQL can publish to CloudWatch Logs; FSBP RDS.9 asks for both
# (`upgrade` only speaks during engine upgrades).
# https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-9
LOG_EXPORTS = ("postgresql", "upgrade")
# Graviton classes, burstable for small sites and one general-purpose size beyond them: what
# `make plan` prices and what a stack may choose, with each one's memory in GiB.
INSTANCE_MEMORY_GIB = {"db.t4g.micro": 1, "db.t4g.small": 2, "db.t4g.medium": 4, "db.m7g.large": 8}
INSTANCE_CLASSES = tuple(INSTANCE_MEMORY_GIB)
# The default parameter group's max_connections: memory / this many bytes, at most 5000.
BYTES_PER_CONNECTION, MAX_CONNECTIONS_CEILING = 9531392, 5000
# Where the web image keeps the RDS CA bundle (service/Dockerfile downloads it at build time).
RDS_CA_BUNDLE_PATH = "/etc/ssl/certs/rds-global-bundle.pem"
# The master user RDS creates; its password lives in a secret that RDS manages and rotates.
MASTER_USERNAME = "rds_admin"
FORCE_SSL_PARAMETER = {"name": "rds.force_ssl", "value": "1"}
# Bytes of the random suffix each creation of an instance draws (8 hex digits).
IDENTIFIER_SUFFIX_BYTES = 4
MAX_IDENTIFIER_LENGTH, MAX_SNAPSHOT_IDENTIFIER_LENGTH = 63, 255
_IDENTIFIER = re.compile(r"^[a-z](?!.*--)[a-z0-9-]*(?<!-)$")
# The JSON keys of the secret RDS keeps the master user's credentials in, and the KMS key it
# encrypts that secret with when the instance names none (master_user_secret_kms_key_id unset):
# the AWS managed aws/secretsmanager key, which any principal of the account allowed
# GetSecretValue may decrypt through Secrets Manager, so a reader needs no kms:Decrypt.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
MASTER_SECRET_USERNAME_KEY, MASTER_SECRET_PASSWORD_KEY = "username", "password"


def check_instance_class(instance_class: str) -> None:
    """ValueError unless ``instance_class`` is one of :data:`INSTANCE_CLASSES`."""
    if instance_class not in INSTANCE_CLASSES:
        raise ValueError(
            f"instance class {instance_class!r} is not offered here; use one of "
            f"{', '.join(INSTANCE_CLASSES)}"
        )


def check_storage(allocated_gib: int, max_allocated_gib: int) -> None:
    """ValueError unless gp3 can hold ``allocated_gib`` and autoscaling may grow to the maximum."""
    if not MIN_STORAGE_GIB <= allocated_gib <= MAX_STORAGE_GIB:
        raise ValueError(
            f"allocated storage {allocated_gib} GiB: gp3 takes {MIN_STORAGE_GIB}.."
            f"{MAX_STORAGE_GIB} GiB"
        )
    if max_allocated_gib and not allocated_gib < max_allocated_gib <= MAX_STORAGE_GIB:
        raise ValueError(
            f"max allocated storage {max_allocated_gib} GiB: use 0 (no storage autoscaling) or "
            f"more than the allocated {allocated_gib} GiB, at most {MAX_STORAGE_GIB}"
        )


def check_backup_retention(days: int) -> None:
    """ValueError unless automated backups are on (1..35 days)."""
    if not 1 <= days <= MAX_BACKUP_RETENTION_DAYS:
        raise ValueError(
            f"backup retention {days} days: use 1..{MAX_BACKUP_RETENTION_DAYS} (0 would turn "
            "automated backups, and point-in-time recovery, off)"
        )


def default_max_connections(instance_class: str) -> int:
    """The default ``max_connections`` of the class, from its nominal memory. An upper bound:
    RDS computes it from ``DBInstanceClassMemory``, the memory left after what the instance
    reserves for itself, so a running instance shows a lower value."""
    check_instance_class(instance_class)
    memory_bytes = INSTANCE_MEMORY_GIB[instance_class] * 2**30
    return min(memory_bytes // BYTES_PER_CONNECTION, MAX_CONNECTIONS_CEILING)


def performance_insights_retention(instance_class: str) -> int | None:
    """Days of Performance Insights to keep: the free 7 on every allowed class."""
    return FREE_PERFORMANCE_INSIGHTS_DAYS if instance_class in INSTANCE_CLASSES else None


def log_group_names(identifier: str) -> list[str]:
    """Where RDS writes each exported log: ``/aws/rds/instance/<identifier>/<log>``."""
    return [f"/aws/rds/instance/{identifier}/{log}" for log in LOG_EXPORTS]


def instance_identifier(name: str, suffix: str) -> str:
    """``<name>-<suffix>`` in lower case: the instance's name, new with every creation.

    A retained instance (production's ``retain_on_delete``) keeps its name after ``pulumi
    destroy``, and RDS keeps writing its log groups; a stack re-created under the same name
    draws another ``suffix``, so its instance and log groups are new names.
    """
    identifier = f"{name}-{suffix}".lower()
    if len(identifier) > MAX_IDENTIFIER_LENGTH or not _IDENTIFIER.match(identifier):
        raise ValueError(
            f"RDS instance identifier {identifier!r}: use at most {MAX_IDENTIFIER_LENGTH} "
            "letters, digits and single hyphens, starting with a letter (a shorter name)"
        )
    return identifier


def final_snapshot_identifier(identifier: str) -> str:
    """The snapshot RDS takes when the instance ``identifier`` is deleted: as unique as the
    identifier, so a stack destroyed, re-created and destroyed again makes a second one
    instead of failing with ``DBSnapshotAlreadyExists``."""
    cleaned = "".join(c if c.isalnum() else "-" for c in identifier.lower()).strip("-")
    return f"{cleaned}-final"[:MAX_SNAPSHOT_IDENTIFIER_LENGTH]


def verified_url(
    *,
    user: str,
    password: str,
    host: str,
    port: int | str,
    database: str,
    ca_bundle_path: str = RDS_CA_BUNDLE_PATH,
) -> str:
    """``postgres://user:password@host:port/db?sslmode=verify-full&sslrootcert=...``.

    libpq reads both query options; django-environ passes them through to psycopg as
    ``OPTIONS``. The password is percent-encoded, so any character survives.
    """
    return (
        f"postgres://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{port}/"
        f"{quote(database, safe='')}?sslmode=verify-full&sslrootcert={ca_bundle_path}"
    )


def database_url_output(
    *,
    user: str,
    password: pulumi.Input[str],
    host: pulumi.Input[str],
    port: pulumi.Input[int],
    database: str,
    ca_bundle_path: str = RDS_CA_BUNDLE_PATH,
) -> pulumi.Output[str]:
    """:func:`verified_url` once the endpoint and the password are known, a Pulumi secret."""
    url = pulumi.Output.all(password, host, port).apply(
        lambda values: verified_url(
            user=user,
            password=values[0],
            host=values[1],
            port=values[2],
            database=database,
            ca_bundle_path=ca_bundle_path,
        )
    )
    return pulumi.Output.secret(url)


def check_engine_major_version(major: str) -> None:
    """ValueError unless ``major`` is a PostgreSQL major as RDS names it (``"18"``)."""
    if not re.fullmatch(r"1[0-9]|[2-9][0-9]", major):
        raise ValueError(
            f"engine major version {major!r} is not a PostgreSQL major; use e.g. "
            f"{ENGINE_MAJOR_VERSION!r} (RDS picks the newest minor of it)"
        )


def parameter_group_family(major: str) -> str:
    """RDS's parameter group family for a PostgreSQL major: ``postgres18``."""
    check_engine_major_version(major)
    return f"postgres{major}"
