#!/usr/bin/env python3
"""postgres-backup: the db container's backups, continuous WAL archiving plus base backups in S3.

    postgres-backup wrap COMMAND...        entrypoint step: adds the archive settings to the server
                                           command, starts the base-backup schedule, execs COMMAND
    postgres-backup archive-wal PATH       Postgres' archive_command: one WAL segment to S3
    postgres-backup base-backup            a base backup now, then the retention policy
    postgres-backup list                   the base backups in the archive
    postgres-backup restore [--target-time T]
                                           fills an empty PGDATA from the archive, replays WAL to
                                           the end (or to T), promotes, stops; prints what it did

The work is done by barman-cloud (https://docs.pgbarman.org/, the tool CloudNativePG uses for the
same job): boto3 underneath, so the task role's credentials work in AWS and BACKUP_ENDPOINT_URL
points it at a local S3 server. This file only wires barman-cloud to the container: standard
library only, it runs on the Python of barman's own virtualenv.

Environment (names are the contract with the stack and the local topology):
    BACKUP_DESTINATION_URL   s3://bucket/prefix; unset: no archiving (a loud warning at start)
    BACKUP_SERVER_NAME       folder of this server under the prefix (default "postgres")
    BACKUP_RETENTION_DAYS    recovery window kept by the retention policy (default 14)
    BASE_BACKUP_TIME         HH:MM (UTC) of the daily base backup, or "off" (default 17:00)
    ARCHIVE_TIMEOUT_SECONDS  a WAL segment is archived at least this often (default 60): the most
                             committed data a total loss of the task and its volume can take
    BACKUP_ENDPOINT_URL      optional S3-compatible endpoint (the local stand-in)
    PGDATA, PGPORT, POSTGRES_USER, POSTGRES_PASSWORD   the server, and its superuser

Every failure is logged on a line starting with "postgres-backup: FAILED" (the stack turns that
text into a CloudWatch metric and alarm), and Postgres keeps a WAL segment until it is archived.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

PREFIX = "postgres-backup:"
FAILED = f"{PREFIX} FAILED"
# Compression of WAL segments and base backups: gzip needs no extra library (snappy, lz4 do).
COMPRESSION = "--gzip"
RECOVERY_BEGIN = "# postgres-backup restore: begin"
RECOVERY_END = "# postgres-backup restore: end"
# A failed scheduled base backup is tried again after this long, not a day later.
RETRY_SECONDS = 300
# The bucket may answer a little after the server starts (the endpoint, the local stand-in).
FIRST_LISTING_ATTEMPTS = 24
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class BackupError(RuntimeError):
    """A backup or restore step failed; the message says what and what to do."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Settings:
    destination: str
    server_name: str
    retention_days: int
    base_backup_time: str  # "HH:MM" or "off"
    archive_timeout: int
    endpoint_url: str

    @classmethod
    def from_environment(cls, environ: os._Environ[str] | dict[str, str]) -> Settings:
        settings = cls(
            destination=environ.get("BACKUP_DESTINATION_URL", ""),
            server_name=environ.get("BACKUP_SERVER_NAME") or "postgres",
            retention_days=_positive_int(environ, "BACKUP_RETENTION_DAYS", "14"),
            base_backup_time=environ.get("BASE_BACKUP_TIME") or "17:00",
            archive_timeout=_positive_int(environ, "ARCHIVE_TIMEOUT_SECONDS", "60"),
            endpoint_url=environ.get("BACKUP_ENDPOINT_URL", ""),
        )
        if settings.destination and not settings.destination.startswith("s3://"):
            raise BackupError(
                f"BACKUP_DESTINATION_URL={settings.destination!r} is not an S3 URL: "
                "use s3://BUCKET/PREFIX",
                64,
            )
        if settings.base_backup_time != "off" and not TIME_OF_DAY.match(settings.base_backup_time):
            raise BackupError(
                f"BASE_BACKUP_TIME={settings.base_backup_time!r}: use HH:MM (UTC, 24 h) or off", 64
            )
        return settings

    def barman_args(self) -> list[str]:
        """The options every barman-cloud command shares."""
        return ["--endpoint-url", self.endpoint_url] if self.endpoint_url else []

    def location(self) -> list[str]:
        return [self.destination, self.server_name]


def _positive_int(environ, name: str, default: str) -> int:
    raw = environ.get(name) or default
    if not raw.isdigit() or int(raw) < 1:
        raise BackupError(f"{name}={raw!r}: use a whole number of 1 or more", 64)
    return int(raw)


def log(message: str) -> None:
    print(f"{PREFIX} {message}", file=sys.stderr, flush=True)


# --- pure functions --------------------------------------------------------------------------
def archive_options(settings: Settings, program: str) -> list[str]:
    """The server options that archive every WAL segment through ``program archive-wal``."""
    command = f"{shlex.quote(program)} archive-wal %p"
    return [
        "-c",
        "archive_mode=on",
        "-c",
        f"archive_command={command}",
        "-c",
        f"archive_timeout={settings.archive_timeout}",
    ]


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


def parse_target_time(text: str) -> dt.datetime:
    """A recovery target such as ``2026-12-01 10:00:00+00``; the time zone is required."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BackupError(
            f"target time {text!r} is not a timestamp: use e.g. '2026-12-01 10:00:00+00'", 64
        ) from None
    if value.tzinfo is None:
        raise BackupError(
            f"target time {text!r} has no time zone: add one, e.g. '{text.strip()}+00'", 64
        )
    return value


def completed_backups(listing: dict) -> list[dict]:
    """The DONE backups of a ``barman-cloud-backup-list --format json`` answer, oldest first."""
    backups = [b for b in listing.get("backups_list", []) if b.get("status") == "DONE"]
    return sorted(backups, key=lambda backup: backup["end_time_iso"])


def choose_backup(backups: list[dict], target: dt.datetime | None) -> dict:
    """The newest completed backup that ended before ``target`` (the newest of all without one).

    Recovery starts from a base backup and replays WAL forward: it cannot reach a time before
    the backup ended.
    """
    if not backups:
        raise BackupError(
            "no completed base backup in the archive: take one first "
            "(`make backup` locally, `postgres-backup base-backup` in the db container)",
            3,
        )
    if target is None:
        return backups[-1]
    usable = [b for b in backups if dt.datetime.fromisoformat(b["end_time_iso"]) <= target]
    if not usable:
        earliest = backups[0]["end_time_iso"]
        raise BackupError(
            f"target time {target.isoformat()} is before the earliest backup ended "
            f"({earliest}): choose a time after it",
            3,
        )
    return usable[-1]


def recovery_block(restore_command: str, target: dt.datetime | None) -> str:
    """postgresql.auto.conf lines for one recovery; removed again once it is done."""
    lines = [
        RECOVERY_BEGIN,
        f"restore_command = {_conf_string(restore_command)}",
        "recovery_target_timeline = 'latest'",
    ]
    if target is not None:
        lines += [
            f"recovery_target_time = {_conf_string(target.isoformat(sep=' '))}",
            "recovery_target_action = 'promote'",
        ]
    lines.append(RECOVERY_END)
    return "\n".join(lines) + "\n"


def without_recovery_block(text: str) -> str:
    pattern = re.compile(
        rf"^{re.escape(RECOVERY_BEGIN)}$.*?^{re.escape(RECOVERY_END)}$\n?", re.M | re.S
    )
    return pattern.sub("", text)


def _conf_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class RecoveryOutcome:
    promoted: bool
    target_not_reached: bool
    redo_done_at: str
    last_transaction: str


def read_recovery_log(text: str) -> RecoveryOutcome:
    """What a recovering server said about itself in its log."""
    redo = re.search(r"redo done at (\S+)", text)
    last = re.search(r"last completed transaction was at log time (.+)$", text, re.M)
    return RecoveryOutcome(
        promoted="database system is ready to accept connections" in text,
        target_not_reached="recovery ended before configured recovery target was reached" in text,
        redo_done_at=redo.group(1) if redo else "",
        last_transaction=last.group(1).strip() if last else "",
    )


# --- barman-cloud ----------------------------------------------------------------------------
def barman(tool: str, *arguments: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [f"barman-cloud-{tool}", *arguments],
        capture_output=capture,
        text=True,
        check=False,
    )


def list_backups(settings: Settings) -> list[dict]:
    result = barman(
        "backup-list", *settings.barman_args(), "--format", "json", *settings.location(),
        capture=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(
            f"cannot list the backups in {settings.destination}: {result.stderr.strip()}", 2
        )
    return completed_backups(json.loads(result.stdout or "{}"))


def _require_destination(settings: Settings) -> None:
    if not settings.destination:
        raise BackupError("BACKUP_DESTINATION_URL is not set: nowhere to back up to", 64)


# --- commands --------------------------------------------------------------------------------
def wrap(settings: Settings, command: list[str]) -> int:
    """Entrypoint step: archive settings on the server command, the schedule beside it."""
    if not command:
        raise BackupError("usage: postgres-backup wrap COMMAND... (e.g. postgres)", 64)
    if not is_server_command(command):
        # A one-off command in the db container (a restore, a shell) runs untouched.
        os.execvp(command[0], command)
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
    """The schedule runs detached (double fork): a child of the postmaster that exits would be
    taken for a crashed backend, and the postmaster would restart every connection."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, program, "schedule", str(server_pid)])
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
                print(f"{FAILED} {error}", file=sys.stderr, flush=True)
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
        print(f"{FAILED} {error}", file=sys.stderr, flush=True)
        return False


def _server_answers() -> bool:
    port = os.environ.get("PGPORT", "5432")
    probe = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", port]
    return subprocess.run(probe, check=False).returncode == 0


def archive_wal(settings: Settings, wal_path: str) -> int:
    _require_destination(settings)
    if settings.endpoint_url and not _answers(settings.endpoint_url):
        # Seconds sooner than barman's own failure: the archiver retries at shutdown too.
        print(
            f"{FAILED} to archive WAL {Path(wal_path).name}: {settings.endpoint_url} does not "
            "answer; Postgres keeps the segment and tries again",
            file=sys.stderr,
            flush=True,
        )
        return 1
    result = barman(
        "wal-archive", *settings.barman_args(), COMPRESSION, *settings.location(), wal_path
    )
    if result.returncode != 0:
        print(
            f"{FAILED} to archive WAL {Path(wal_path).name} to {settings.destination} "
            f"(barman-cloud-wal-archive exit {result.returncode}); Postgres keeps the segment "
            "and tries again",
            file=sys.stderr,
            flush=True,
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
    """Take a base backup over 127.0.0.1 as the superuser, then apply the retention policy."""
    _require_destination(settings)
    started = time.monotonic()
    user = os.environ.get("POSTGRES_USER", "postgres")
    port = os.environ.get("PGPORT", "5432")
    log(f"base backup to {settings.destination}/{settings.server_name} starting")
    os.environ.setdefault("PGPASSWORD", os.environ.get("POSTGRES_PASSWORD", ""))
    result = barman(
        "backup", *settings.barman_args(), COMPRESSION, "--immediate-checkpoint",
        "-h", "127.0.0.1", "-p", port, "-U", user, *settings.location(),
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"base backup failed (barman-cloud-backup exit {result.returncode})")
    newest = list_backups(settings)[-1]
    log(
        f"base backup {newest['backup_id']} done in {time.monotonic() - started:.1f} s "
        f"(WAL {newest.get('begin_wal')} .. {newest.get('end_wal')})"
    )
    policy = f"RECOVERY WINDOW OF {settings.retention_days} DAYS"
    deleted = barman(
        "backup-delete", *settings.barman_args(), "--retention-policy", policy,
        *settings.location(),
    )  # fmt: skip
    if deleted.returncode != 0:
        print(
            f"{FAILED} to apply the retention policy ({policy}); older backups stay",
            file=sys.stderr,
            flush=True,
        )
    return newest


def list_command(settings: Settings) -> int:
    _require_destination(settings)
    for backup in list_backups(settings):
        print(
            f"{backup['backup_id']}  ended {backup['end_time_iso']}  "
            f"WAL {backup.get('begin_wal')} .. {backup.get('end_wal')}"
        )
    return 0


def restore(settings: Settings, pgdata: Path, target_text: str | None) -> int:
    """Base backup + WAL replay into an empty PGDATA, then promote and stop cleanly."""
    _require_destination(settings)
    target = parse_target_time(target_text) if target_text else None
    if pgdata.exists() and any(pgdata.iterdir()):
        raise BackupError(
            f"{pgdata} is not empty: restore never overwrites data; move it aside first", 2
        )
    started = time.monotonic()
    backup = choose_backup(list_backups(settings), target)
    log(
        f"restoring base backup {backup['backup_id']} (ended {backup['end_time_iso']}, "
        f"WAL {backup.get('begin_wal')} .. {backup.get('end_wal')}) into {pgdata}"
    )
    pgdata.mkdir(mode=0o700, parents=True, exist_ok=True)
    fetched = barman(
        "restore", *settings.barman_args(), *settings.location(), backup["backup_id"], str(pgdata)
    )
    if fetched.returncode != 0:
        raise BackupError(f"barman-cloud-restore failed (exit {fetched.returncode})")
    pgdata.chmod(0o700)

    endpoint = " ".join(shlex.quote(arg) for arg in settings.barman_args())
    restore_command = (
        f"barman-cloud-wal-restore {endpoint} {shlex.quote(settings.destination)} "
        f"{shlex.quote(settings.server_name)} %f %p"
    )
    auto_conf = pgdata / "postgresql.auto.conf"
    original = auto_conf.read_text() if auto_conf.exists() else ""
    auto_conf.write_text(original + recovery_block(restore_command, target))
    (pgdata / "recovery.signal").touch()
    outcome = _replay(settings, pgdata)
    auto_conf.write_text(without_recovery_block(auto_conf.read_text()))
    if outcome.target_not_reached:
        last = (
            f" (its last transaction: {outcome.last_transaction})"
            if outcome.last_transaction
            else ""
        )
        raise BackupError(
            f"the archive ends before {target_text}{last}: choose an earlier time, or restore "
            "the latest state (no target time)",
            4,
        )
    if not outcome.promoted:
        raise BackupError(f"recovery did not finish; see the server log above ({pgdata})")
    log(
        f"restored: WAL replayed to {outcome.redo_done_at or 'the end of the backup'}, "
        f"last transaction at {outcome.last_transaction or 'the backup end'}, "
        f"target {target.isoformat() if target else 'latest'}, "
        f"in {time.monotonic() - started:.1f} s"
    )
    return 0


def _replay(settings: Settings, pgdata: Path) -> RecoveryOutcome:
    """Run the server until recovery ends, with no network listener; then a fast shutdown.

    The archive stays on: the new timeline's history file must reach the archive, or a later
    recovery could not follow this one.
    """
    program = str(Path(sys.argv[0]).resolve())
    with tempfile.TemporaryDirectory(prefix="postgres-restore-") as socket_dir:
        command = [
            "postgres", "-D", str(pgdata), "-c", "listen_addresses=",
            "-c", f"unix_socket_directories={socket_dir}",
            *archive_options(settings, program),
        ]  # fmt: skip
        log_path = Path(socket_dir) / "server.log"
        with log_path.open("w") as server_log:
            server = subprocess.Popen(command, stdout=server_log, stderr=subprocess.STDOUT)
            try:
                while server.poll() is None:
                    if read_recovery_log(log_path.read_text()).promoted:
                        _report_rows(socket_dir)
                        break
                    time.sleep(0.2)
            finally:
                if server.poll() is None:
                    server.send_signal(signal.SIGINT)  # fast shutdown
                    server.wait()
        text = log_path.read_text()
        sys.stderr.write(text)
        return read_recovery_log(text)


# Exact row counts of the largest tables, whatever the application: one query, no schema needed.
ROW_COUNTS = """
SELECT format('%s=%s', relname, (xpath('/row/n/text()', query_to_xml(
         format('SELECT count(*) AS n FROM %I.%I', schemaname, relname), false, true, '')))[1])
FROM pg_stat_user_tables ORDER BY n_live_tup DESC, relname LIMIT 8
"""


def _report_rows(socket_dir: str) -> None:
    """The restored rows, as a person checks a restore: counted, not estimated."""
    environment = {**os.environ, "PGPASSWORD": os.environ.get("POSTGRES_PASSWORD", "")}
    query = [
        "psql", "-h", socket_dir, "-U", os.environ.get("POSTGRES_USER", "postgres"),
        "-d", os.environ.get("POSTGRES_DB", "postgres"), "-Atc", ROW_COUNTS,
    ]  # fmt: skip
    result = subprocess.run(query, capture_output=True, text=True, env=environment, check=False)
    if result.returncode == 0:
        log("rows: " + (" ".join(result.stdout.split()) or "no tables"))
    else:
        log(f"rows: not counted ({result.stderr.strip()})")


# --- command line ----------------------------------------------------------------------------
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
