"""RDS rules: DB instances (FSBP RDS.*), as RdsPostgres declares them.

Enforcement follows each control's severity in Security Hub: critical, high and medium controls
that every stack meets are mandatory; a low control, and Multi-AZ (a cost choice development
stacks make on purpose), are advisory.
https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policy.aws_types import RDS_CLUSTER, RDS_INSTANCE
from policy.model import Enforcement, resource_rule
from policy.readers import as_int, as_list

MANDATORY, ADVISORY = Enforcement.MANDATORY, Enforcement.ADVISORY
INSTANCES = [RDS_INSTANCE]

# RDS.9: the logs each engine must publish (the control's list for PostgreSQL).
REQUIRED_LOGS = {"postgres": ("postgresql", "upgrade")}
# RDS.11's default parameter: backups kept at least this many days.
MIN_BACKUP_RETENTION_DAYS = 7
# RDS.23: the engines' well-known ports.
DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306, "mariadb": 3306}


# Critical.
@resource_rule("RDS.2", "RDS instances are not publicly accessible", MANDATORY, INSTANCES)
def check_rds_2_private(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("publiclyAccessible") is True:
        return ["publiclyAccessible is true: the instance gets a public address"]
    return []


# Medium.
@resource_rule("RDS.3", "RDS instances encrypt storage at rest", MANDATORY, INSTANCES)
def check_rds_3_encrypted(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("storageEncrypted") is not True:
        return ["storage is not encrypted at rest (storageEncrypted: true)"]
    return []


# Medium, advisory here: a development stack runs one AZ to halve the price.
@resource_rule("RDS.5", "RDS instances have a standby in a second AZ", ADVISORY, INSTANCES)
def check_rds_5_multi_az(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("multiAz") is not True:
        return ["single-AZ: an AZ outage stops the database until it is restored elsewhere"]
    return []


# Low (RDS.7 for clusters, RDS.8 for instances); production stacks turn it on.
@resource_rule(
    "RDS.7/RDS.8", "RDS clusters and instances have deletion protection", ADVISORY,
    [RDS_INSTANCE, RDS_CLUSTER],
)  # fmt: skip
def check_rds_8_deletion_protection(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("deletionProtection") is not True:
        return ["deletionProtection is off: one API call deletes the database"]
    return []


# Medium.
@resource_rule("RDS.9", "RDS instances publish their logs to CloudWatch Logs", MANDATORY, INSTANCES)
def check_rds_9_logs(_type: str, props: Mapping[str, Any]) -> list[str]:
    engine = str(props.get("engine", ""))
    published = {str(log) for log in as_list(props.get("enabledCloudwatchLogsExports"))}
    missing = [log for log in REQUIRED_LOGS.get(engine, ()) if log not in published]
    if missing:
        return [f"{engine} logs not published to CloudWatch Logs: {', '.join(missing)}"]
    return []


# Medium.
@resource_rule("RDS.11", "RDS instances keep automated backups", MANDATORY, INSTANCES)
def check_rds_11_backups(_type: str, props: Mapping[str, Any]) -> list[str]:
    # Unset, the API keeps 1 day: below the control's minimum all the same.
    days = as_int(props.get("backupRetentionPeriod"), 1)
    if days < MIN_BACKUP_RETENTION_DAYS:
        return [f"backupRetentionPeriod is {days} days; keep at least {MIN_BACKUP_RETENTION_DAYS}"]
    return []


# High.
@resource_rule("RDS.13", "RDS instances take minor version upgrades", MANDATORY, INSTANCES)
def check_rds_13_minor_upgrades(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("autoMinorVersionUpgrade") is False:
        return ["autoMinorVersionUpgrade is false: security fixes wait for someone to apply them"]
    return []


# Low, advisory: the port is open to one client security group only; another port would hide
# nothing from a client inside it.
@resource_rule("RDS.23", "RDS instances do not use the engine's default port", ADVISORY, INSTANCES)
def check_rds_23_port(_type: str, props: Mapping[str, Any]) -> list[str]:
    engine = str(props.get("engine", ""))
    default = DEFAULT_PORTS.get(engine)
    port = as_int(props.get("port"), default or 0)
    if default is not None and port == default:
        return [f"{engine} listens on its default port {default}"]
    return []
