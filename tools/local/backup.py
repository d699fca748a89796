"""`make backup` and `make restore`: the db container's backup tool, run on the local topology.

    python -m tools.local.backup take                          a base backup of the running database
    python -m tools.local.backup restore [--target-time T]     the stopped database, from the
    archive
    python -m tools.local.backup drill                         the restore drill, into scratch space

Both run components/images/db/postgres_backup.py (installed in the data directory) as the
Postgres account,
with the environment `make local` gives the db process: the same barman-cloud commands and
settings as the container in AWS, against the S3 stand-in. A restore never deletes anything: the
data directory it replaces is kept beside it (printed at the end), and put back if it fails.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping

from tools.local.launch import ready_to_start
from tools.local.system import LocalSetupError, as_account, topology_account
from tools.local.topology import LocalTopology


def postgres_is_running(topology: LocalTopology) -> bool:
    """True while a server holds the guard's lock on this data directory (the guard's flock)."""
    lock_file = topology.postgres_dir / "postgres.lock"
    if not lock_file.exists():
        return False
    with lock_file.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def run_backup_tool(
    topology: LocalTopology, environment: Mapping[str, str], *arguments: str
) -> int:
    """components/images/db/postgres_backup.py as the account Postgres runs as; its lines go
    straight through."""
    command = [*as_account(topology_account(environment)), str(topology.backup_script), *arguments]
    # That account may not enter the checkout: run from the data directory.
    return subprocess.run(
        command, env=dict(environment), cwd=topology.data_dir, check=False
    ).returncode


def superuser_connection(environment: Mapping[str, str]):
    """A connection to the topology's database as its superuser (autocommit), the way the backup
    tool and an operator reach it: over 127.0.0.1 with the db container's credentials."""
    import psycopg

    return psycopg.connect(
        host="127.0.0.1",
        port=int(environment["PGPORT"]),
        user=environment["POSTGRES_USER"],
        password=environment["POSTGRES_PASSWORD"],
        dbname=environment["POSTGRES_DB"],
        autocommit=True,
        connect_timeout=5,
    )


def count_tweets(environment: Mapping[str, str]) -> int:
    with superuser_connection(environment) as connection:
        row = connection.execute("SELECT count(*) FROM tweets_tweet").fetchone()
    return int(row[0]) if row else 0


def take(topology: LocalTopology) -> int:
    if not postgres_is_running(topology):
        raise LocalSetupError(
            f"the local database in {topology.data_dir} is not running: start it with "
            "`make local` (a base backup copies a running server), then run `make backup`"
        )
    environment = topology.environment()
    status = run_backup_tool(topology, environment, "base-backup")
    if status == 0:
        with contextlib.suppress(Exception):  # a database without the app's tables yet
            print(f"make backup: the database held {count_tweets(environment)} tweets")
    return status


@contextlib.contextmanager
def s3_stand_in(topology: LocalTopology, environment: Mapping[str, str]) -> Iterator[None]:
    """The S3 stand-in, replayed from its recording, for as long as the restore runs."""
    from tools.local import s3_server

    server = s3_server.start(
        port=topology.ports.s3,
        buckets=s3_server.buckets_of(environment),
        region=environment["AWS_S3_REGION_NAME"],
        recording=topology.s3_recording,
    )
    try:
        yield
    finally:
        server.stop()


def restore(topology: LocalTopology, target_time: str | None) -> int:
    if postgres_is_running(topology):
        raise LocalSetupError(
            f"the local database in {topology.data_dir} is running: stop `make local` "
            "(Ctrl-C) first; a restore replaces the data directory"
        )
    # Nothing of the topology may be half up; the tools in the data directory, even for a fresh
    # clone of it.
    environment = ready_to_start(topology).environment
    pgdata = topology.pgdata
    kept = None
    if pgdata.exists():
        kept = pgdata.with_name(f"pgdata.before-restore-{time.strftime('%Y%m%d-%H%M%S')}")
        pgdata.rename(kept)
    arguments = ["restore", *(["--target-time", target_time] if target_time else [])]
    started = time.monotonic()
    with s3_stand_in(topology, environment):
        status = run_backup_tool(topology, environment, *arguments)
    if status != 0:
        shutil.rmtree(pgdata, ignore_errors=True)
        if kept is not None:
            kept.rename(pgdata)
        print("make restore: nothing changed; the database is as it was", file=sys.stderr)
        return status
    print(f"make restore: done in {time.monotonic() - started:.1f} s; start it with `make local`")
    if kept is not None:
        print(f"make restore: the data directory it replaced is kept in {kept} (delete it when "
              "you no longer need it)")  # fmt: skip
    return 0


def drill(topology: LocalTopology) -> int:
    """components/images/db/restore_drill.py, as the scheduled task runs it in AWS, against this
    archive:
    the live database (running or not) is never touched."""
    from tools.local.harness import port_open

    running = port_open(topology.ports.s3)
    environment = topology.environment() if running else ready_to_start(topology).environment
    drill_script = topology.backup_script.with_name("restore_drill.py")
    command = [*as_account(topology_account(environment)), str(drill_script)]
    started = time.monotonic()
    with contextlib.nullcontext() if running else s3_stand_in(topology, environment):
        status = subprocess.run(
            command, env=dict(environment), cwd=topology.data_dir, check=False
        ).returncode
    print(f"make restore-drill: {'passed' if status == 0 else 'FAILED'} in "
          f"{time.monotonic() - started:.1f} s", file=sys.stderr)  # fmt: skip
    return status


def target_time(text: str) -> str:
    """``--target-time``, refused before anything is touched unless it is a timestamp with a time
    zone (the restore in the container parses it again, with the same rule)."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a timestamp: use e.g. '2026-12-01 10:00:00+00'"
        ) from None
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone: add one, e.g. '+00'")
    return text.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.local.backup", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("take", help="a base backup of the running local database")
    restore_parser = commands.add_parser("restore", help="restore the stopped local database")
    restore_parser.add_argument(
        "--target-time",
        help="point in time, e.g. '2026-12-01 10:00:00+00' (default: latest)",
    )
    commands.add_parser("drill", help="restore the archive into scratch space and check it")
    arguments = parser.parse_args(argv)
    topology = LocalTopology.from_environment()
    name = {"take": "make backup", "drill": "make restore-drill"}.get(
        arguments.command, "make restore"
    )
    try:
        given = getattr(arguments, "target_time", None)
        target = target_time(given) if given else None
    except ValueError as error:
        # 64, as the container's own restore answers a bad target (EX_USAGE): nothing touched.
        print(f"{name}: --target-time {error}", file=sys.stderr)
        return 64
    try:
        if arguments.command == "take":
            return take(topology)
        if arguments.command == "drill":
            return drill(topology)
        return restore(topology, target)
    except LocalSetupError as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    # What a restore writes (the restored cluster, the S3 stand-in's recording) stays private.
    os.umask(0o077)
    sys.exit(main())
