"""db/postgres_backup.py, the db container's backup step: its settings, its schedule, how it picks a
backup for a target time, and what it adds to the server command. (The restores themselves run
against real Postgres and S3 in tests/e2e/test_backup_restore.py; here barman-cloud and the
server are stood in for by scripts that record how they were called.)"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import backup_common
import backup_restore
import postgres_backup
from stack.paths import DB_IMAGE_DIR
from tests.postgres_servers import free_port

SCRIPT = DB_IMAGE_DIR / "postgres_backup.py"

UTC = dt.UTC
DESTINATION = {"BACKUP_DESTINATION_URL": "s3://bucket/postgres"}


def settings(**environment: str):
    return backup_common.Settings.from_environment({**DESTINATION, **environment})


def run(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BACKUP_", "BASE_"))}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *arguments],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


class StandIns:
    """Programs the backup step runs (barman-cloud-*, postgres, psql), stood in for by scripts
    in one directory put first on PATH. Each records its name and arguments, runs `then` (sh),
    prints `stdout` and exits with `status`."""

    def __init__(self, root: Path) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.log = root / "calls.jsonl"
        self.path = f"{self.bin}:/usr/bin:/bin"  # not /usr/local/bin: no real postgres

    def add(self, name: str, *, status: int = 0, stdout: str = "", then: str = "") -> None:
        output = self.bin / f"{name}.stdout"
        output.write_text(stdout)
        record = "import json, sys; print(json.dumps(sys.argv[1:]))"
        script = self.bin / name
        script.write_text(
            "#!/bin/sh\n"
            f'{shlex.quote(sys.executable)} -c {shlex.quote(record)} {shlex.quote(name)} "$@"'
            f" >> {shlex.quote(str(self.log))}\n"
            f"{then}\n"
            f"cat {shlex.quote(str(output))}\n"
            f"exit {status}\n"
        )
        script.chmod(0o755)

    def calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def names_called(self) -> list[str]:
        return [call[0] for call in self.calls()]


@pytest.fixture
def stand_ins(tmp_path) -> StandIns:
    return StandIns(tmp_path)


# --- settings -------------------------------------------------------------------------------
def test_defaults_are_the_stacks_defaults():
    defaults = settings()
    assert defaults.server_name == "postgres"
    assert defaults.retention_days == 14
    assert defaults.base_backup_time == "17:00"
    assert defaults.archive_timeout == 60
    assert defaults.barman_args() == []


def test_a_local_endpoint_is_passed_to_every_barman_command():
    local = settings(BACKUP_ENDPOINT_URL="http://127.0.0.1:9000")
    assert local.barman_args() == ["--endpoint-url", "http://127.0.0.1:9000"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("BACKUP_DESTINATION_URL", "https://bucket/x", "is not an S3 URL"),
        ("BASE_BACKUP_TIME", "25:00", "use HH:MM"),
        ("BASE_BACKUP_TIME", "7:00", "use HH:MM"),
        ("ARCHIVE_TIMEOUT_SECONDS", "0", "1 or more"),
        ("BACKUP_RETENTION_DAYS", "two", "1 or more"),
    ],
)
def test_bad_settings_are_refused_naming_the_variable(name, value, message):
    with pytest.raises(backup_common.BackupError) as refused:
        settings(**{name: value})
    assert name in str(refused.value)
    assert message in str(refused.value)


# --- the schedule ---------------------------------------------------------------------------
def test_the_next_base_backup_is_later_today_or_tomorrow_in_utc():
    morning = dt.datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert postgres_backup.seconds_until(morning, "17:00") == 7.5 * 3600
    evening = dt.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert postgres_backup.seconds_until(evening, "17:00") == 23 * 3600
    exactly = dt.datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert postgres_backup.seconds_until(exactly, "17:00") == 24 * 3600
    tokyo = dt.timezone(dt.timedelta(hours=9))
    assert (
        postgres_backup.seconds_until(dt.datetime(2026, 12, 2, 1, 0, tzinfo=tokyo), "17:00") == 3600
    )


def test_an_empty_archive_gets_its_first_base_backup_now_and_one_with_a_backup_waits(
    stand_ins, monkeypatch
):
    """WAL alone restores nothing: with no completed base backup in the archive (none at all,
    or only a failed one) the schedule takes one at once; with one, it waits for the daily
    BASE_BACKUP_TIME."""
    monkeypatch.setenv("PATH", stand_ins.path)
    in_six_hours = (dt.datetime.now(UTC) + dt.timedelta(hours=6)).strftime("%H:%M")
    daily = settings(BASE_BACKUP_TIME=in_six_hours)

    def no_retry(seconds: float) -> bool:
        raise AssertionError(f"the listing answered; nothing to wait {seconds} s for")

    for archive in ({"backups_list": []}, {"backups_list": LISTING["backups_list"][2:]}):
        stand_ins.add("barman-cloud-backup-list", stdout=json.dumps(archive))
        assert postgres_backup._first_wait(daily, no_retry) == 0.0

    stand_ins.add("barman-cloud-backup-list", stdout=json.dumps(LISTING))
    wait = postgres_backup._first_wait(daily, no_retry)
    six_hours = dt.timedelta(hours=6).total_seconds()
    # BASE_BACKUP_TIME is whole minutes: the next run is up to a minute under six hours away.
    assert six_hours - 120 < wait <= six_hours


def test_a_base_backup_deletes_nothing_the_buckets_lifecycle_expires_old_ones(
    stand_ins, monkeypatch
):
    """The bucket refuses the task's role every delete (write-once backups), so the backup step
    never runs barman-cloud-backup-delete: retention is the bucket lifecycle's."""
    monkeypatch.setenv("PATH", stand_ins.path)
    stand_ins.add("barman-cloud-backup")
    stand_ins.add("barman-cloud-backup-list", stdout=json.dumps(LISTING))
    stand_ins.add("barman-cloud-backup-delete")

    newest = postgres_backup.base_backup(settings())

    assert newest["backup_id"] == "B2"
    assert "barman-cloud-backup" in stand_ins.names_called()
    assert "barman-cloud-backup-delete" not in stand_ins.names_called()


def test_a_base_backup_gives_barman_the_superusers_password_and_no_one_else(
    stand_ins, monkeypatch, tmp_path
):
    """libpq takes the password from PGPASSWORD: barman's alone, the superuser's even when this
    process inherited another (an empty one), and the step's own environment keeps none."""
    monkeypatch.setenv("PATH", stand_ins.path)
    monkeypatch.setenv("POSTGRES_PASSWORD", "the-superusers")
    monkeypatch.setenv("PGPASSWORD", "")
    seen = tmp_path / "pgpassword"
    stand_ins.add("barman-cloud-backup", then=f'printf %s "$PGPASSWORD" > {seen}')
    stand_ins.add("barman-cloud-backup-list", stdout=json.dumps(LISTING))

    postgres_backup.base_backup(settings())

    assert seen.read_text() == "the-superusers"
    assert os.environ["PGPASSWORD"] == ""  # untouched


# --- choosing what to restore ----------------------------------------------------------------
LISTING = {
    "backups_list": [
        {"backup_id": "B2", "status": "DONE", "end_time_iso": "2026-12-02T17:05:00+00:00"},
        {"backup_id": "B1", "status": "DONE", "end_time_iso": "2026-12-01T17:05:00+00:00"},
        {"backup_id": "B3", "status": "FAILED", "end_time_iso": "2026-12-03T17:05:00+00:00"},
    ]
}


def test_only_completed_backups_count_oldest_first():
    assert [b["backup_id"] for b in backup_common.completed_backups(LISTING)] == ["B1", "B2"]


def test_latest_restores_the_newest_backup_and_a_time_the_newest_that_ended_before_it():
    backups = backup_common.completed_backups(LISTING)
    assert backup_restore.choose_backup(backups, None)["backup_id"] == "B2"
    between = backup_restore.parse_target_time("2026-12-02 09:00:00+00")
    assert backup_restore.choose_backup(backups, between)["backup_id"] == "B1"
    after = backup_restore.parse_target_time("2026-12-03 09:00:00+09:00")
    assert backup_restore.choose_backup(backups, after)["backup_id"] == "B2"


def test_a_time_before_every_backup_or_an_empty_archive_is_refused():
    backups = backup_common.completed_backups(LISTING)
    with pytest.raises(backup_common.BackupError, match="before the earliest backup ended"):
        backup_restore.choose_backup(
            backups, backup_restore.parse_target_time("2026-11-30 00:00:00+00")
        )
    with pytest.raises(backup_common.BackupError, match="no completed base backup"):
        backup_restore.choose_backup([], None)


@pytest.mark.parametrize(
    ("text", "message"),
    [("2026-12-01 10:00:00", "has no time zone"), ("yesterday", "is not a timestamp")],
)
def test_a_target_time_needs_a_time_zone_and_a_timestamp(text, message):
    with pytest.raises(backup_common.BackupError, match=message):
        backup_restore.parse_target_time(text)


# --- recovery settings -----------------------------------------------------------------------
def test_the_recovery_block_is_removed_again_leaving_the_rest():
    target = backup_restore.parse_target_time("2026-12-01 10:00:00+00")
    block = backup_restore.recovery_block("barman-cloud-wal-restore s3://b s %f %p", target)
    assert "restore_command = 'barman-cloud-wal-restore s3://b s %f %p'" in block
    assert "recovery_target_time = '2026-12-01 10:00:00+00:00'" in block
    assert "recovery_target_action = 'promote'" in block
    original = "# Do not edit this file manually!\nwork_mem = '8MB'\n"
    assert backup_restore.without_recovery_block(original + block) == original
    assert "recovery_target_time =" not in backup_restore.recovery_block("x", None)


def test_the_server_log_tells_promotion_and_a_target_beyond_the_archive():
    promoted = backup_restore.read_recovery_log(
        "LOG:  redo done at 0/30007A8 system usage: ...\n"
        "LOG:  last completed transaction was at log time 2026-12-01 18:31:40.02+00\n"
        "LOG:  database system is ready to accept connections\n"
    )
    assert promoted.promoted
    assert not promoted.target_not_reached
    assert promoted.redo_done_at == "0/30007A8"
    assert promoted.last_transaction == "2026-12-01 18:31:40.02+00"
    short = backup_restore.read_recovery_log(
        "FATAL:  recovery ended before configured recovery target was reached\n"
    )
    assert short.target_not_reached
    assert not short.promoted


# --- the entrypoint step and the archive command ----------------------------------------------
def test_wrap_adds_the_archive_settings_to_the_server_command():
    server = "/usr/lib/postgresql/17/bin/postgres"
    result = run(
        "wrap", "echo", server, **DESTINATION, BASE_BACKUP_TIME="off", ARCHIVE_TIMEOUT_SECONDS="30"
    )
    assert result.returncode == 0, result.stderr
    words = result.stdout.split()
    archive_command = f"archive_command={SCRIPT.resolve()}"
    assert words[:5] == [server, "-c", "archive_mode=on", "-c", archive_command]
    assert words[5:] == ["archive-wal", "%p", "-c", "archive_timeout=30"]
    assert "archiving WAL to s3://bucket/postgres/postgres at least every 30 s" in result.stderr


def test_wrap_leaves_a_one_off_command_alone():
    result = run("wrap", "echo", "postgres-backup", "restore", **DESTINATION)
    assert result.returncode == 0
    assert result.stdout.split() == ["postgres-backup", "restore"]
    assert result.stderr == ""


def test_wrap_without_a_destination_warns_loudly_and_archives_nothing():
    result = run("wrap", "echo", "postgres")
    assert result.stdout.split() == ["postgres"]
    assert "WAL archiving and base backups are OFF" in result.stderr


def test_a_failed_archive_is_one_line_an_alarm_can_count_and_a_nonzero_status():
    unreachable = f"http://127.0.0.1:{free_port()}"
    result = run("archive-wal", "pg_wal/000000010000000000000007", **DESTINATION,
                 BACKUP_ENDPOINT_URL=unreachable)  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.startswith(
        "postgres-backup: FAILED to archive WAL 000000010000000000000007"
    )
    assert "Postgres keeps the segment and tries again" in result.stderr


def test_the_archive_command_succeeds_only_when_barman_archived_the_segment(stand_ins):
    """On a zero exit Postgres "will assume that the file has been successfully archived, and
    will remove or recycle it": a failed upload must exit non-zero, or the segment never
    reaches the archive and no restore can replay past it.
    https://www.postgresql.org/docs/17/continuous-archiving.html#BACKUP-ARCHIVING-WAL"""
    wal = "pg_wal/000000010000000000000007"
    stand_ins.add("barman-cloud-wal-archive", status=1)
    result = run("archive-wal", wal, **DESTINATION, PATH=stand_ins.path)
    assert result.returncode != 0
    assert result.stderr.startswith(
        "postgres-backup: FAILED to archive WAL 000000010000000000000007 to "
        "s3://bucket/postgres (barman-cloud-wal-archive exit 1)"
    )

    stand_ins.add("barman-cloud-wal-archive", status=0)
    result = run("archive-wal", wal, **DESTINATION, PATH=stand_ins.path)
    assert result.returncode == 0
    assert "FAILED" not in result.stderr
    expected = ["barman-cloud-wal-archive", "--gzip", "s3://bucket/postgres", "postgres", wal]
    assert stand_ins.calls() == [expected, expected]


def test_a_refused_restore_is_not_counted_as_a_failure():
    result = run("restore", "--target-time", "2026-12-01 10:00:00", **DESTINATION,
                 PGDATA="/nonexistent/pgdata")  # fmt: skip
    assert result.returncode == 64
    assert result.stderr.startswith("postgres-backup: refused:")
    assert "FAILED" not in result.stderr


def test_a_restore_to_a_time_recovers_from_the_backup_before_it_and_stops_at_it(
    stand_ins, tmp_path
):
    """The server recovers with the target time and promotes there, from the newest backup
    that ended before it; once it has stopped, postgresql.auto.conf is as the backup had it.
    https://www.postgresql.org/docs/17/runtime-config-wal.html#RUNTIME-CONFIG-WAL-RECOVERY-TARGET"""
    pgdata = tmp_path / "pgdata"
    seen = tmp_path / "recovering-with.conf"
    backed_up = "# Do not edit this file manually!\nwork_mem = '8MB'\n"
    stand_ins.add("barman-cloud-backup-list", stdout=json.dumps(LISTING))
    # barman-cloud-restore ... BACKUP_ID DESTINATION: the backup's files, auto.conf among them.
    write_auto_conf = f'printf %s {shlex.quote(backed_up)} > "$into/postgresql.auto.conf"'
    stand_ins.add("barman-cloud-restore", then=f"for into; do :; done; {write_auto_conf}")
    # postgres -D PGDATA ...: what it would recover with, then what a promoted server logs.
    stand_ins.add(
        "postgres",
        then=f'cp "$2/postgresql.auto.conf" {shlex.quote(str(seen))}',
        stdout="LOG:  database system is ready to accept connections\n",
    )
    stand_ins.add("psql", stdout="tweets_tweet=3\n")

    result = run("restore", "--target-time", "2026-12-02 09:00:00+00", **DESTINATION,
                 PGDATA=str(pgdata), PATH=stand_ins.path)  # fmt: skip

    assert result.returncode == 0, result.stderr
    fetched = [call for call in stand_ins.calls() if call[0] == "barman-cloud-restore"]
    assert fetched == [
        ["barman-cloud-restore", "s3://bucket/postgres", "postgres", "B1", str(pgdata)]
    ]
    recovering_with = seen.read_text()
    assert recovering_with.startswith(backed_up)
    assert "recovery_target_time = '2026-12-02 09:00:00+00:00'" in recovering_with
    assert "recovery_target_action = 'promote'" in recovering_with
    assert (pgdata / "postgresql.auto.conf").read_text() == backed_up


def test_a_restore_never_writes_over_a_data_directory_that_holds_anything(stand_ins, tmp_path):
    """Even with a backup to restore, a PGDATA that is not empty (a live server's, say) is left
    as it is: the restore is refused before anything is fetched into it."""
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("17\n")
    stand_ins.add("barman-cloud-backup-list", stdout=json.dumps(LISTING))
    stand_ins.add("barman-cloud-restore", then=f"touch {shlex.quote(str(pgdata))}/fetched")

    result = run("restore", **DESTINATION, PGDATA=str(pgdata), PATH=stand_ins.path)

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"postgres-backup: refused: {pgdata} is not empty")
    assert "barman-cloud-restore" not in stand_ins.names_called()
    assert [path.name for path in pgdata.iterdir()] == ["PG_VERSION"]
    assert (pgdata / "PG_VERSION").read_text() == "17\n"


@pytest.mark.parametrize(
    "command", [["archive-wal", "pg_wal/000000010000000000000007"], ["base-backup"]]
)
def test_a_missing_barman_is_a_failure_an_alarm_counts_not_a_traceback(command):
    result = run(*command, **DESTINATION, PATH="/usr/bin:/bin")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("postgres-backup: FAILED barman-cloud-")
    assert "is not on PATH" in result.stderr
    assert "Traceback" not in result.stderr


def test_wrap_starts_the_health_metrics_beside_the_server_when_the_stack_asks():
    """With DB_SIGNALS_NAMESPACE (the task definition sets it) db_signals.py runs detached beside
    the server until it exits; here the "server" is a shell that lives a second and a half."""
    unreachable = str(free_port())
    server = ["sh", "-c", 'echo "$0"; sleep 1.5', "postgres"]
    result = run("wrap", *server, DB_SIGNALS_NAMESPACE="tw-test/database",
                 DB_SIGNALS_INTERVAL_SECONDS="1", PGPORT=unreachable)  # fmt: skip
    assert result.stdout.split() == ["postgres"]
    assert "postgres-db-signals: not measured" in result.stderr

    without = run("wrap", *server, PGPORT=unreachable)
    assert "postgres-db-signals" not in without.stderr
