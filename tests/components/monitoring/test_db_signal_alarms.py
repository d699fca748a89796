"""db_signal_alarm_specs: what the alarms on the db container's own metrics read, and when
they fire."""

import pytest

from components.monitoring.db_signal_alarms import (
    DbSignals,
    archive_lag_threshold,
    db_signal_alarm_specs,
)

SIGNALS = DbSignals("django-tw/database", "postgres", 60)


def specs(signals: DbSignals = SIGNALS) -> dict:
    return {spec.key: spec for spec in db_signal_alarm_specs(signals)}


def test_each_signal_of_the_db_container_has_its_alarm_on_its_server():
    by_key = specs()
    assert {key: spec.metric_name for key, spec in by_key.items()} == {
        "db-archive-lag": "ArchiveLagSeconds",
        "db-archive-failures": "ArchiveFailures",
        "db-connections-percent": "ConnectionsPercent",
        "db-size-budget": "DatabaseBudgetPercent",
        "db-oldest-transaction": "OldestTransactionSeconds",
    }
    for spec in by_key.values():
        assert spec.namespace == "django-tw/database"
        assert spec.dimensions == {"Server": "postgres"}
        assert spec.comparison == "GreaterThanThreshold"
        assert len(spec.description) > 60, spec.key


def test_archive_lag_pages_after_three_archive_timeouts_held_for_15_minutes():
    lag = specs(DbSignals("ns", "main", 120))["db-archive-lag"]
    assert lag.threshold == archive_lag_threshold(120) == 360
    assert lag.statistic == "Maximum"
    assert lag.period_seconds * lag.evaluation_periods == 15 * 60
    assert "360 s" in lag.description
    assert lag.dimensions == {"Server": "main"}


def test_any_failed_archive_attempt_pages():
    failures = specs()["db-archive-failures"]
    assert (failures.statistic, failures.threshold) == ("Sum", 0)


@pytest.mark.parametrize(
    ("key", "threshold"),
    [
        ("db-connections-percent", 80),
        ("db-size-budget", 80),
        ("db-oldest-transaction", 3600),
    ],
)
def test_the_pressure_alarms_fire_above_their_marks(key, threshold):
    assert specs()[key].threshold == threshold


def test_bad_signals_say_what_to_change():
    with pytest.raises(ValueError, match="give the namespace and server name"):
        DbSignals("", "postgres", 60)
    with pytest.raises(ValueError, match="archive_timeout_seconds is 0"):
        DbSignals("ns", "postgres", 0)
