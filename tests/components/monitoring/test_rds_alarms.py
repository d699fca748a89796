"""rds_alarm_specs: what the alarms of an RDS instance read, and when they fire."""

import pytest

from components.monitoring.rds_alarms import (
    DbInstance,
    connections_threshold,
    free_storage_floor_bytes,
    rds_alarm_specs,
)
from components.postgres.rds_parameters import INSTANCE_CLASSES

GIB = 2**30


def specs(instance_class: str = "db.t4g.small", allocated_storage_gib: int = 20) -> dict:
    instance = DbInstance("tw-rds", instance_class, allocated_storage_gib)
    return {spec.key: spec for spec in rds_alarm_specs(instance)}


def test_storage_cpu_and_connections_of_the_instance_are_watched():
    by_key = specs()
    assert list(by_key) == ["db-free-storage", "db-cpu", "db-connections", "db-transaction-ids"]
    for spec in by_key.values():
        assert spec.namespace == "AWS/RDS"
        assert spec.dimensions == {"DBInstanceIdentifier": "tw-rds"}
        assert spec.treat_missing_data == "notBreaching"
        assert len(spec.description) > 60, spec.key
    assert [s.metric_name for s in by_key.values()] == [
        "FreeStorageSpace",
        "CPUUtilization",
        "DatabaseConnections",
        "MaximumUsedTransactionIDs",
    ]


def test_transaction_ids_page_at_half_the_wraparound_horizon():
    ids = specs()["db-transaction-ids"]
    assert (ids.comparison, ids.statistic) == ("GreaterThanThreshold", "Maximum")
    # Postgres tells apart 2^31 transaction IDs; autovacuum freezes from 200 million on.
    assert 5 * 200_000_000 <= ids.threshold <= 2**31 / 2
    assert "1,000,000,000" in ids.description


def test_free_storage_pages_below_a_tenth_of_the_allocated_storage_held_past_autoscaling():
    storage = specs(allocated_storage_gib=20)["db-free-storage"]
    assert (storage.comparison, storage.statistic) == ("LessThanThreshold", "Minimum")
    assert storage.threshold == free_storage_floor_bytes(20) == 2 * GIB
    assert "under 2 GiB" in storage.description
    # Storage autoscaling acts after 5 minutes at the same mark: the alarm waits three times that.
    assert storage.period_seconds * storage.evaluation_periods == 900
    assert specs(allocated_storage_gib=100)["db-free-storage"].threshold == 10 * GIB


def test_cpu_pages_at_80_percent_for_15_minutes():
    cpu = specs()["db-cpu"]
    assert (cpu.threshold, cpu.statistic, cpu.comparison) == (
        80,
        "Average",
        "GreaterThanOrEqualToThreshold",
    )
    assert cpu.period_seconds * cpu.evaluation_periods == 900


@pytest.mark.parametrize(
    ("instance_class", "threshold"),
    [("db.t4g.micro", 78), ("db.t4g.small", 157), ("db.t4g.medium", 315), ("db.m7g.large", 630)],
)
def test_connections_page_at_70_percent_of_the_classs_default_maximum(instance_class, threshold):
    connections = specs(instance_class)["db-connections"]
    assert connections.threshold == connections_threshold(instance_class) == threshold
    assert connections.statistic == "Maximum"
    assert instance_class in connections.description


def test_every_offered_class_has_a_connections_threshold():
    assert all(connections_threshold(c) > 0 for c in INSTANCE_CLASSES)


@pytest.mark.parametrize(
    ("instance_class", "storage", "message"),
    [
        ("db.r7g.16xlarge", 20, "DbInstance: instance class 'db.r7g.16xlarge' is not offered"),
        ("db.t4g.micro", 0, "allocated_storage_gib 0: give the instance's allocated storage"),
    ],
)
def test_an_instance_the_alarms_cannot_size_is_refused(instance_class, storage, message):
    with pytest.raises(ValueError, match=message):
        DbInstance("tw-rds", instance_class, storage)
