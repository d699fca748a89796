"""RDS rules: what each accepts beyond its fixtures (defaults the API applies, other engines)."""

from __future__ import annotations

from policy.aws_types import RDS_INSTANCE

from ..builders import res
from .expect import result_of
from .rds_fixtures import INSTANCE


def without(key: str) -> dict:
    return {k: v for k, v in INSTANCE.items() if k != key}


def test_an_unset_port_is_the_engine_default():
    assert not result_of("RDS.23", [res(RDS_INSTANCE, "db", **without("port"))]).passed


def test_unset_backups_keep_one_day_which_is_too_few():
    result = result_of("RDS.11", [res(RDS_INSTANCE, "db", **without("backupRetentionPeriod"))])
    assert "1 days" in result.findings[0].message


def test_minor_upgrades_are_on_unless_turned_off():
    assert result_of(
        "RDS.13", [res(RDS_INSTANCE, "db", **without("autoMinorVersionUpgrade"))]
    ).passed


def test_the_logs_asked_for_depend_on_the_engine():
    other = res(RDS_INSTANCE, "db", **(INSTANCE | {"engine": "oracle-ee"}))
    assert result_of("RDS.9", [other]).passed
    missing = result_of(
        "RDS.9", [res(RDS_INSTANCE, "db", **without("enabledCloudwatchLogsExports"))]
    )
    assert "postgresql, upgrade" in missing.findings[0].message
