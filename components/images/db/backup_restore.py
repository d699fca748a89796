"""postgres-backup restore: an empty PGDATA filled from the archive, recovered, promoted, stopped.

The newest base backup that ended before the target is fetched (barman-cloud-restore); a marked
block in postgresql.auto.conf gives Postgres its restore_command (barman-cloud-wal-restore) and
the target; the server runs with no network listener until it promotes, the rows of the largest
tables are counted, and a fast shutdown ends it. The block is removed again afterwards.
https://www.postgresql.org/docs/17/continuous-archiving.html#BACKUP-PITR-RECOVERY
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from backup_common import (
    BackupError,
    Settings,
    archive_options,
    barman,
    list_backups,
    log,
    require_destination,
)

RECOVERY_BEGIN = "# postgres-backup restore: begin"
RECOVERY_END = "# postgres-backup restore: end"


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


def restore(settings: Settings, pgdata: Path, target_text: str | None) -> int:
    """Base backup + WAL replay into an empty PGDATA, then promote and stop cleanly."""
    require_destination(settings)
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


# Exact row counts of the largest tables (by pages: the statistics are empty after a restore),
# whatever the application, no schema needed: one query writes a count query per table and
# psql's \gexec runs each (no XML functions, which a server built without libxml lacks).
ROW_COUNTS = """
SELECT format('SELECT %L || ''='' || count(*) FROM %I.%I', s.relname, s.schemaname, s.relname)
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
ORDER BY c.relpages DESC, s.relname LIMIT 8
\\gexec
"""


def _report_rows(socket_dir: str) -> None:
    """The restored rows, as a person checks a restore: counted, not estimated."""
    environment = {**os.environ, "PGPASSWORD": os.environ.get("POSTGRES_PASSWORD", "")}
    query = [
        "psql", "-h", socket_dir, "-U", os.environ.get("POSTGRES_USER", "postgres"),
        "-d", os.environ.get("POSTGRES_DB", "postgres"), "-At", "-v", "ON_ERROR_STOP=1",
        "-f", "-",
    ]  # fmt: skip
    result = subprocess.run(
        query, input=ROW_COUNTS, capture_output=True, text=True, env=environment, check=False
    )
    if result.returncode == 0:
        log("rows: " + (" ".join(result.stdout.split()) or "no tables"))
    else:
        log(f"rows: not counted ({result.stderr.strip()})")
