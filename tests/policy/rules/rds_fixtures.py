"""A passing and a failing stack for each RDS rule (rule id -> (passing, failing))."""

from __future__ import annotations

from policy.aws_types import RDS_INSTANCE
from policy.model import Resource

from ..builders import res

# What RdsPostgres declares on production (port aside: 5432, see RDS.23).
INSTANCE = {
    "engine": "postgres",
    "engineVersion": "17",
    "publiclyAccessible": False,
    "storageEncrypted": True,
    "multiAz": True,
    "deletionProtection": True,
    "enabledCloudwatchLogsExports": ["postgresql", "upgrade"],
    "backupRetentionPeriod": 7,
    "autoMinorVersionUpgrade": True,
    "port": 5433,
}


def instance(**overrides: object) -> list[Resource]:
    return [res(RDS_INSTANCE, "db", **(INSTANCE | overrides))]


FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "RDS.2": (instance(), instance(publiclyAccessible=True)),
    "RDS.3": (instance(), instance(storageEncrypted=False)),
    "RDS.5": (instance(), instance(multiAz=False)),
    "RDS.7/RDS.8": (instance(), instance(deletionProtection=False)),
    "RDS.9": (instance(), instance(enabledCloudwatchLogsExports=["postgresql"])),
    "RDS.11": (instance(), instance(backupRetentionPeriod=1)),
    "RDS.13": (instance(), instance(autoMinorVersionUpgrade=False)),
    "RDS.23": (instance(), instance(port=5432)),
}
