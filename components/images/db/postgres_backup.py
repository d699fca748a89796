#!/usr/bin/env python3
"""postgres-backup: the db container's backups, continuous WAL archiving plus base backups in S3.

    postgres-backup wrap COMMAND...        entrypoint step: adds the archive settings to the server
                                           command, starts the base-backup schedule, execs COMMAND
    postgres-backup archive-wal PATH       Postgres' archive_command: one WAL segment to S3
    postgres-backup base-backup            a base backup now (the bucket expires old ones)
    postgres-backup list                   the base backups in the archive
    postgres-backup restore [--target-time T]
                                           fills an empty PGDATA from the archive, replays WAL to
                                           the end (or to T), promotes, stops; prints what it did

The work is done by barman-cloud (https://docs.pgbarman.org/, the tool CloudNativePG uses for the
same job): boto3 underneath, so the task role's credentials work in AWS and BACKUP_ENDPOINT_URL
points it at a local S3 server. This file only wires barman-cloud to the container: standard
library only, it runs on the Python of barman's own virtualenv.

The environment it reads and the log lines it writes are described in backup_common.py; the
restore is backup_restore.py. Both sit beside this file (its Dockerfile installs the three in
/usr/local/lib/postgres-backup), and Python puts a script's own directory first on its path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from backup_common import (
    COMPRESSION,
    PREFIX,
    BackupError,
    Settings,
    archive_options,
    barman,
    failed,
    list_backups,
    log,
    require_destination,
)
from backup_restore import restore

# A failed scheduled base backup is tried again after this long, not a day later.
RETRY_SECONDS = 300
# The bucket may answer a little after the server starts (the endpoint, the local stand-in).
FIRST_LISTING_ATTEMPTS = 24


def is_server_command(command: list[str]) -> bool:
    """Whether ``command`` starts the server (``postgres``, ``docker-entrypoint.sh postgres``)."""
    return any(Path(argument).name == "postgres" for argument in command)


def seconds_until(now: dt.datetime, time_of_day: str) -> float:
    """Seconds from ``now`` (aware) to the next ``HH:MM`` UTC; a full day when it is now."""
    hour, minute = (int(part) for part in time_of_day.split(":"))
    now_utc = now.astimezone(dt.UTC)
    next_run = now_utc.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if next_run <= now_utc:
        next_run += dt.timedelta(days=1)
    return (next_run - now_utc).total_seconds()


def wrap(settings: Settings, command: list[str]) -> int:
    """Entrypoint step: archive settings on the server command, the schedule beside it."""
    if not command:
        raise BackupError("usage: postgres-backup wrap COMMAND... (e.g. postgres)", 64)
    if not is_server_command(command):
        # A one-off command in the db container (a restore, a shell) runs untouched.
        os.execvp(command[0], command)
    if os.environ.get("DB_SIGNALS_NAMESPACE"):
        # The health metrics (db_signals.py) beside the server, detached as the schedule is.
        signals = str(Path(sys.argv[0]).resolve().with_name("db_signals.py"))
        _start_detached([signals, "loop", str(os.getpid())])
    if not settings.destination:
        log("WARNING: BACKUP_DESTINATION_URL is not set: WAL archiving and base backups are OFF")
        os.execvp(command[0], command)
    program = str(Path(sys.argv[0]).resolve())
    log(
        f"archiving WAL to {settings.destination}/{settings.server_name} at least every "
        f"{settings.archive_timeout} s; base backups "
        + (
            "off"
            if settings.base_backup_time == "off"
            else f"daily at {settings.base_backup_time} UTC"
        )
    )
    if settings.base_backup_time != "off":
        _start_schedule(program, server_pid=os.getpid())
    full = [*command, *archive_options(settings, program)]
    os.execvp(full[0], full)
    return 0  # not reached


def _start_schedule(program: str, server_pid: int) -> None:
    _start_detached([program, "schedule", str(server_pid)])


def _start_detached(arguments: list[str]) -> None:
    """A helper beside the server runs detached (double fork): a child of the postmaster that
    exits would be taken for a crashed backend, and the postmaster would restart every
    connection."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, *arguments])
        os._exit(0)
    os.wait()


def schedule(settings: Settings, server_pid: int) -> int:
    """First base backup as soon as the server answers if the archive has none; then daily."""

    def server_alive() -> bool:
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def sleep_while_alive(seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not server_alive():
                return False
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        return server_alive()

    wait = _first_wait(settings, sleep_while_alive)
    while sleep_while_alive(wait):
        if _backup_when_ready(settings, sleep_while_alive):
            wait = seconds_until(dt.datetime.now(dt.UTC), settings.base_backup_time)
        else:
            wait = RETRY_SECONDS
    return 0


def _first_wait(settings: Settings, sleep_while_alive) -> float:
    """None in the archive: back up now (WAL alone restores nothing). Else: the next run."""
    for attempt in range(FIRST_LISTING_ATTEMPTS):
        try:
            if list_backups(settings):
                return seconds_until(dt.datetime.now(dt.UTC), settings.base_backup_time)
            break
        except BackupError as error:
            if attempt == FIRST_LISTING_ATTEMPTS - 1:
                failed(str(error))
                return RETRY_SECONDS
            if not sleep_while_alive(5):
                return 0.0
    log("no base backup in the archive yet: taking the first one now")
    return 0.0


def _backup_when_ready(settings: Settings, sleep_while_alive) -> bool:
    for _ in range(120):
        if _server_answers():
            break
        if not sleep_while_alive(1):
            return False
    try:
        base_backup(settings)
        return True
    except BackupError as error:
        failed(str(error))
        return False


def _server_answers() -> bool:
    port = os.environ.get("PGPORT", "5432")
    probe = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", port]
    return subprocess.run(probe, check=False).returncode == 0


def archive_wal(settings: Settings, wal_path: str) -> int:
    require_destination(settings)
    if settings.endpoint_url and not _answers(settings.endpoint_url):
        # Seconds sooner than barman's own failure: the archiver retries at shutdown too.
        failed(
            f"to archive WAL {Path(wal_path).name}: {settings.endpoint_url} does not "
            "answer; Postgres keeps the segment and tries again"
        )
        return 1
    result = barman(
        "wal-archive", *settings.barman_args(), COMPRESSION, *settings.location(), wal_path
    )
    if result.returncode != 0:
        failed(
            f"to archive WAL {Path(wal_path).name} to {settings.destination} "
            f"(barman-cloud-wal-archive exit {result.returncode}); Postgres keeps the segment "
            "and tries again"
        )
    return result.returncode


def _answers(url: str) -> bool:
    parsed = urllib.parse.urlparse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((parsed.hostname or "localhost", port), timeout=2):
            return True
    except OSError:
        return False


def base_backup(settings: Settings) -> dict:
    """Take a base backup over 127.0.0.1 as the superuser.

    Nothing is deleted: the bucket refuses the task's role every delete, so a compromised
    container cannot destroy the backups, and its lifecycle expires each object once it is
    older than the recovery window plus a margin (components/postgres/backup_bucket.py). So no
    barman-cloud-backup-delete, which would only be refused.
    """
    require_destination(settings)
    started = time.monotonic()
    user = os.environ.get("POSTGRES_USER", "postgres")
    port = os.environ.get("PGPORT", "5432")
    log(f"base backup to {settings.destination}/{settings.server_name} starting")
    # libpq reads the superuser's password from PGPASSWORD: given to barman alone, and the
    # superuser's own, whatever PGPASSWORD this process inherited (an empty one would win).
    password = os.environ.get("POSTGRES_PASSWORD") or os.environ.get("PGPASSWORD", "")
    result = barman(
        "backup", *settings.barman_args(), COMPRESSION, "--immediate-checkpoint",
        "-h", "127.0.0.1", "-p", port, "-U", user, *settings.location(),
        env={**os.environ, "PGPASSWORD": password},
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"base backup failed (barman-cloud-backup exit {result.returncode})")
    newest = list_backups(settings)[-1]
    log(
        f"base backup {newest['backup_id']} done in {time.monotonic() - started:.1f} s "
        f"(WAL {newest.get('begin_wal')} .. {newest.get('end_wal')})"
    )
    log(
        f"older backups are the bucket's to expire (recovery window {settings.retention_days} "
        "days); this task deletes nothing"
    )
    return newest


def list_command(settings: Settings) -> int:
    require_destination(settings)
    for backup in list_backups(settings):
        print(
            f"{backup['backup_id']}  ended {backup['end_time_iso']}  "
            f"WAL {backup.get('begin_wal')} .. {backup.get('end_wal')}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="postgres-backup", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    wrap_parser = commands.add_parser("wrap")
    wrap_parser.add_argument("server_command", nargs=argparse.REMAINDER)
    archive_parser = commands.add_parser("archive-wal")
    archive_parser.add_argument("wal_path")
    commands.add_parser("base-backup")
    commands.add_parser("list")
    schedule_parser = commands.add_parser("schedule")
    schedule_parser.add_argument("server_pid", type=int)
    restore_parser = commands.add_parser("restore")
    restore_parser.add_argument("--target-time", default=None)
    arguments = parser.parse_args(argv)
    try:
        settings = Settings.from_environment(os.environ)
        if arguments.command == "wrap":
            return wrap(settings, arguments.server_command)
        if arguments.command == "archive-wal":
            return archive_wal(settings, arguments.wal_path)
        if arguments.command == "base-backup":
            base_backup(settings)
            return 0
        if arguments.command == "list":
            return list_command(settings)
        if arguments.command == "schedule":
            return schedule(settings, arguments.server_pid)
        pgdata = Path(os.environ.get("PGDATA", ""))
        if not str(pgdata) or str(pgdata) == ".":
            raise BackupError("PGDATA is not set: the data directory to restore into", 64)
        return restore(settings, pgdata, arguments.target_time)
    except BackupError as error:
        # A refusal (bad input, nothing to restore) is the operator's to fix, not an alarm.
        word = "FAILED" if error.status == 1 else "refused:"
        print(f"{PREFIX} {word} {error}", file=sys.stderr, flush=True)
        return error.status


if __name__ == "__main__":
    sys.exit(main())
