"""The recovery point objective of a busy site: the worst WAL archive lag while it is busy.

    .venv/bin/python -m service.bench.rpo [--tweets 50000] [--archive-timeout 60]
    [--viewers 200] [--mix-seconds 30] [--rounds 5] [--post-rate 5] [--like-rate 10]

On a fresh local topology with the production backup settings (service.bench.restore's: WAL
archived to the S3 stand-in every `archive_timeout` seconds at the latest), load the `make bench`
data set and run `make bench`'s busy-site mix (service/bench/mix.py: many signed-in viewers read
home and explore while others post and like). While the writers run, once a second, the lag is
read the way the db container reports it: db/db_signals.py's query and its ArchiveLagSeconds
(seconds since the last archived segment) and ArchiveFailures (failed archive attempts).

Prints one JSON line: the worst and median lag, over every sample and over those from the first
segment archived under the writers on (before it the lag still counts the quiet minutes before
them), the samples, the writes per second achieved, the WAL written per second and the failed
archive attempts. The samples themselves go to ARTIFACTS/archive-lag.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg

from service.bench import mix
from service.bench.restore import backed_up_topology
from service.bench.rows import one_value
from service.bench.run import DEPLOYED, WebSetting, _django
from service.bench.writers import RateCheck
from stack.paths import ARTIFACTS_DIR, SERVICE_DIR
from tools.local.backup import superuser_connection

# db_signals.py runs in the db container beside backup_common.py, its one import.
sys.path.insert(0, str(SERVICE_DIR / "db"))
import db_signals

WAL_POSITION = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"


class ArchiveLagSampler:
    """A context manager: every ``interval`` seconds while entered, db_signals' ArchiveLagSeconds
    and ArchiveFailures over one connection, and the WAL written meanwhile."""

    def __init__(self, connect: Callable[[], psycopg.Connection], interval: float = 1.0) -> None:
        self.connect = connect
        self.interval = interval
        self.lags: list[float] = []
        self.failures = 0
        self.wal_bytes = 0
        self.seconds = 0.0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="archive-lag", daemon=True)

    def __enter__(self) -> ArchiveLagSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(30)

    def _sample(self) -> None:
        started = time.monotonic()
        try:
            with self.connect() as connection:
                first = one_value(connection, WAL_POSITION)
                previous: int | None = None
                while True:
                    sample = one_value(connection, db_signals.SIGNALS)
                    values = db_signals.metrics(sample, previous, None)
                    previous = sample["failed_count"]
                    self.lags.append(values["ArchiveLagSeconds"])
                    self.failures += values["ArchiveFailures"]
                    self.wal_bytes = one_value(connection, WAL_POSITION) - first
                    self.seconds = time.monotonic() - started
                    if self._stop.wait(self.interval):
                        return
        except psycopg.Error as error:
            self.errors.append(str(error))


def after_first_archive(lags: Sequence[float]) -> list[float]:
    """The samples from the first segment archived while sampling on (the lag fell). Before it
    the lag still counts the quiet time before the writers began, when there was nothing to
    lose: archive_timeout cuts a segment only when WAL was written since the last one."""
    for index in range(1, len(lags)):
        if lags[index] < lags[index - 1]:
            return list(lags[index:])
    return []


def figures(
    sampler: ArchiveLagSampler, rates: Sequence[RateCheck], archive_timeout: int
) -> dict[str, object]:
    """The JSON line's figures from what was sampled and how the writers' rates were held."""
    if not sampler.lags:
        raise ValueError(f"the archive lag was never sampled: {sampler.errors}")
    seconds = sampler.seconds or 1.0
    achieved = {check.action: round(check.achieved_per_second, 2) for check in rates}
    steady = after_first_archive(sampler.lags)
    return {
        "worst_archive_lag_seconds": max(sampler.lags),
        "p50_archive_lag_seconds": round(statistics.median(sampler.lags), 1),
        "samples": len(sampler.lags),
        "worst_archive_lag_after_first_archive_seconds": max(steady) if steady else None,
        "p50_archive_lag_after_first_archive_seconds": round(statistics.median(steady), 1)
        if steady
        else None,
        "samples_after_first_archive": len(steady),
        "sampled_seconds": round(sampler.seconds, 1),
        "writes_per_second": round(sum(achieved.values()), 2),
        "achieved_per_second": achieved,
        "failed_writes": sum(check.failed for check in rates),
        "wal_mib_per_second": round(sampler.wal_bytes / seconds / 2**20, 3),
        "failed_archive_attempts": sampler.failures,
        "archive_timeout_seconds": archive_timeout,
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m service.bench.rpo", description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--tweets", type=int, default=50_000)
    parser.add_argument("--follows", type=int, default=100)
    parser.add_argument("--archive-timeout", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5, help="turns of each endpoint per phase")
    parser.add_argument("--web", type=WebSetting.parse, default=WebSetting(2, 1))
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between samples")
    parser.add_argument(
        "--artifacts",
        type=Path,
        default=ARTIFACTS_DIR / "bench-rpo" / time.strftime("%Y%m%d-%H%M%S"),
    )
    mix.add_arguments(parser)
    args = parser.parse_args(argv)
    args.artifacts = args.artifacts.resolve()
    mix.check_arguments(parser, args)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.artifacts.mkdir(parents=True, exist_ok=True)
    topology = backed_up_topology("bench-rpo", args.archive_timeout)
    topology.environment.update(
        {"DJANGO_HTTPS": "false", **args.web.environment, **DEPLOYED}  # as `make bench` runs
    )

    def django(module: str, *more: str) -> dict:
        return _django(topology, module, *more)

    def say(message: str) -> None:
        print(f"rpo: {message}", flush=True)

    try:
        say(f"starting a topology in {topology.data_dir}")
        topology.start_all(timeout=240)
        say(f"loading {args.users} users and {args.tweets} tweets")
        django("service.bench.dataset", f"--users={args.users}", f"--tweets={args.tweets}",
               f"--follows={args.follows}")  # fmt: skip
        sampler = ArchiveLagSampler(
            lambda: superuser_connection(topology.environment), args.interval
        )
        results = mix.measure(topology, args, django, say, while_writing=sampler)
        measured = figures(sampler, results.rates, args.archive_timeout)
        (args.artifacts / "archive-lag.json").write_text(json.dumps(sampler.lags))
    finally:
        topology.stop_all()
        shutil.rmtree(topology.data_dir, ignore_errors=True)
    print(json.dumps(measured))
    return 0


if __name__ == "__main__":
    sys.exit(main())
