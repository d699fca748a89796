"""service/bench/rpo.py: the worst WAL archive lag under the busy-site mix.

The sampler runs for a few seconds against a real Postgres whose archive_command always fails,
so both of its figures move as they do when S3 is out of reach: the lag grows from the start
and every failed attempt is counted once. The figures of a real run are in docs/operations.md.
"""

from __future__ import annotations

import statistics
import time
from types import SimpleNamespace

import psycopg
import pytest

from service.bench import rpo
from service.bench.writers import RateCheck
from tests.postgres_servers import running_server

OPTIONS = "-c fsync=off -c archive_mode=on -c archive_command=false"


@pytest.fixture(scope="module")
def server():
    with running_server("django-tw-test-rpo-", "postgres", OPTIONS) as executor:
        yield executor


def connect(server) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=server.port, user="postgres", dbname="postgres", autocommit=True
    )


def test_the_sampler_reads_the_lag_and_counts_failed_archive_attempts(server):
    writer = connect(server)
    with rpo.ArchiveLagSampler(lambda: connect(server), interval=0.25) as sampler:
        writer.execute("CREATE TABLE IF NOT EXISTS t (n int)")
        writer.execute("INSERT INTO t SELECT generate_series(1, 1000)")
        writer.execute("SELECT pg_switch_wal()")  # a segment to archive: the attempts fail
        deadline = time.monotonic() + 60  # a loaded machine
        while sampler.failures == 0:
            assert time.monotonic() < deadline, f"no failed attempt counted: {sampler.errors}"
            time.sleep(0.25)
        time.sleep(1)
    writer.close()
    failed = connect(server).execute("SELECT failed_count FROM pg_stat_archiver").fetchone()[0]
    assert sampler.errors == []
    assert len(sampler.lags) >= 4
    # Nothing ever reached the archive: the lag counts from the statistics' reset and only grows.
    assert sampler.lags == sorted(sampler.lags), sampler.lags
    assert sampler.lags[-1] > sampler.lags[0], sampler.lags
    # Counted from the first sample on, never more than the server's own counter.
    assert 1 <= sampler.failures <= failed, (sampler.failures, failed)
    assert sampler.wal_bytes > 0
    assert sampler.seconds >= 1


def test_the_figures_are_the_worst_and_median_lag_and_the_writes_achieved():
    sampler = SimpleNamespace(
        lags=[3.0, 12.5, 59.1, 0.4, 30.0], failures=2, wal_bytes=3 * 2**20, seconds=10.0, errors=[]
    )
    rates = [
        RateCheck("post", 5.0, 10.0, done=48, failed=1),
        RateCheck("like", 10.0, 10.0, done=97, failed=0),
    ]
    figures = rpo.figures(sampler, rates, archive_timeout=60)
    assert figures["worst_archive_lag_seconds"] == max(sampler.lags)
    assert figures["p50_archive_lag_seconds"] == statistics.median(sampler.lags)
    assert figures["samples"] == len(sampler.lags)
    # The lag fell first from 59.1 to 0.4: a segment under the writers reached the archive.
    assert figures["worst_archive_lag_after_first_archive_seconds"] == 30.0
    assert figures["p50_archive_lag_after_first_archive_seconds"] == statistics.median([0.4, 30])
    assert figures["samples_after_first_archive"] == 2
    assert figures["writes_per_second"] == pytest.approx((48 + 97) / 10.0)
    assert figures["achieved_per_second"] == {"post": 4.8, "like": 9.7}
    assert figures["failed_writes"] == 1
    assert figures["wal_mib_per_second"] == pytest.approx(0.3)
    assert figures["failed_archive_attempts"] == 2
    assert figures["archive_timeout_seconds"] == 60


def test_no_sample_is_an_error_that_says_why():
    sampler = SimpleNamespace(lags=[], errors=["connection refused"], seconds=0.0)
    with pytest.raises(ValueError, match=r"never sampled.*connection refused"):
        rpo.figures(sampler, [], archive_timeout=60)


def test_the_busy_site_options_are_the_mix_options():
    args = rpo.parse_args(["--viewers=5", "--mix-seconds=6", "--post-rate=1", "--users=30"])
    assert (args.viewers, args.mix_seconds, args.post_rate, args.users) == (5, 6, 1, 30)
    with pytest.raises(SystemExit):
        rpo.parse_args(["--viewers=31", "--users=30"])


def test_the_lag_after_the_first_archive_starts_where_the_lag_first_falls():
    assert rpo.after_first_archive([200.0, 201.0, 202.0, 1.0, 2.0, 61.0, 0.5]) == [
        1.0, 2.0, 61.0, 0.5,
    ]  # fmt: skip
    assert rpo.after_first_archive([5.0, 6.0, 7.0]) == []  # nothing archived yet
