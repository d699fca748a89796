"""db/db_signals.py, the db container's health metrics, measured on a real Postgres: one whose
archive_command always fails, so the archiver's counters move as they do when S3 is out of
reach."""

from __future__ import annotations

import datetime as dt
import time

import db_signals
import psycopg
import pytest

from tests.postgres_servers import running_server

OPTIONS = "-c fsync=off -c archive_mode=on -c archive_command=false -c max_connections=40"


@pytest.fixture(scope="module")
def server():
    with running_server("django-tw-test-signals-", "postgres", OPTIONS) as executor:
        yield executor


@pytest.fixture
def connected(server, monkeypatch):
    monkeypatch.setenv("PGPORT", str(server.port))
    monkeypatch.setenv("POSTGRES_USER", "postgres")
    monkeypatch.setenv("POSTGRES_DB", "postgres")
    monkeypatch.delenv("POSTGRES_PASSWORD", raising=False)
    return psycopg.connect(
        host="127.0.0.1", port=server.port, user="postgres", dbname="postgres", autocommit=True
    )


def test_connections_and_the_oldest_open_transaction_are_measured(connected):
    held = psycopg.connect(connected.info.dsn)
    held.execute("SELECT 1")  # a transaction stays open: psycopg does not autocommit
    time.sleep(1.5)
    try:
        # Counted before the sample: a backend exits a moment after its client disconnects, so
        # counted after, psql's just-closed connection could still be listed.
        clients = connected.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
        ).fetchone()[0]
        values = db_signals.metrics(db_signals.sample(), None, None)
    finally:
        held.close()
    # psql's own connection is one more than this test's two.
    assert values["Connections"] == clients + 1
    assert values["ConnectionsPercent"] == round(100 * (clients + 1) / 40, 1)
    assert values["OldestTransactionSeconds"] >= 1.5


def test_failed_archive_attempts_count_from_the_previous_report_and_the_lag_grows(connected):
    first = db_signals.sample()
    connected.execute("CREATE TABLE IF NOT EXISTS t (n int)")
    connected.execute("INSERT INTO t VALUES (1)")
    connected.execute("SELECT pg_switch_wal()")
    deadline = time.monotonic() + 30
    while db_signals.sample()["failed_count"] == first["failed_count"]:
        assert time.monotonic() < deadline, "the archiver never tried"
        time.sleep(0.5)
    values = db_signals.metrics(db_signals.sample(), first["failed_count"], None)
    assert values["ArchiveFailures"] >= 1
    # Nothing was ever archived: the lag counts from the statistics' reset, the server's start.
    started = connected.execute("SELECT stats_reset FROM pg_stat_archiver").fetchone()[0]
    expected = (dt.datetime.now(dt.UTC) - started).total_seconds()
    assert abs(values["ArchiveLagSeconds"] - expected) < 5


def test_the_database_size_is_every_database_and_a_share_of_the_budget(connected):
    total = connected.execute("SELECT sum(pg_database_size(oid)) FROM pg_database").fetchone()[0]
    values = db_signals.metrics(db_signals.sample(), None, int(total) * 2)
    assert abs(values["DatabaseBytes"] - total) < 2**20
    assert 45 <= values["DatabaseBudgetPercent"] <= 55
    assert "DatabaseBudgetPercent" not in db_signals.metrics(db_signals.sample(), None, None)


def test_the_figures_are_the_exact_row_counts_the_drill_compares(connected):
    connected.execute("CREATE TABLE IF NOT EXISTS probe_tweet (n int)")
    connected.execute("INSERT INTO probe_tweet SELECT generate_series(1, 137)")
    db_signals.publish_figures()
    figures = dict(
        connected.execute(
            "SELECT relname, rows FROM restore_drill.figures "
            "WHERE taken_at = (SELECT max(taken_at) FROM restore_drill.figures)"
        ).fetchall()
    )
    assert figures["probe_tweet"] == 137


def test_a_report_is_one_embedded_metric_document_with_every_value():
    values = db_signals.metrics(
        {"last_archived": 100.0, "stats_reset": 1.0, "failed_count": 7, "now": 160.0,
         "database_bytes": 2048, "connections": 5, "max_connections": 100,
         "oldest_transaction": None},
        previous_failed=4, budget_bytes=4096,
    )  # fmt: skip
    assert values["ArchiveLagSeconds"] == 60.0
    assert values["ArchiveFailures"] == 3
    assert values["DatabaseBudgetPercent"] == 50.0
    assert values["OldestTransactionSeconds"] == 0.0
    document = db_signals.emf(values, "tw-prod/database", "postgres", dt.datetime.now(dt.UTC))
    declared = document["_aws"]["CloudWatchMetrics"][0]
    assert declared["Namespace"] == "tw-prod/database"
    assert declared["Dimensions"] == [["Server"]]
    assert [m["Name"] for m in declared["Metrics"]] == list(values)
    assert document["Server"] == "postgres"
    assert all(document[name] == value for name, value in values.items())
