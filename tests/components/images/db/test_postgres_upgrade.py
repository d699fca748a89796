"""postgres-upgrade.sh, the db image's major-version upgrade: a data directory of the previous
major (stack.postgres_version.PREVIOUS_MAJOR) becomes one of POSTGRES_MAJOR with every row and
sequence, the old directory and a base backup are kept, and nothing happens outside the
single-writer guard. Any app's data: here a table of 3,000 rows the test writes itself (the
demo's own test upgrades its schema and asks Django; its benchmark, `python -m
service.bench.upgrade`, times the full 50,000-tweet set)."""

from __future__ import annotations

import shutil
import subprocess

import psycopg
import pytest

from stack.paths import DB_IMAGE_DIR
from stack.postgres_version import POSTGRES_MAJOR, PREVIOUS_MAJOR
from tools.local.db_volume import DATABASE, UPGRADE, Volume, free_port, server_command, url
from tools.local.postgres_server import postgres_bin_dir

EX_USAGE = 64
ROWS = 3000

pytestmark = pytest.mark.timeout(300)


def snapshot(port: int) -> dict:
    """The rows, a digest of them, the sequence's position and the server's major."""
    with psycopg.connect(url(port)) as connection:
        count, digest = connection.execute(
            "SELECT count(*), md5(string_agg(id::text || ':' || body, ',' ORDER BY id)) FROM note"
        ).fetchone()
        (position,) = connection.execute(
            "SELECT last_value FROM pg_sequences WHERE sequencename = 'note_id_seq'"
        ).fetchone()
        (version,) = connection.execute("SHOW server_version_num").fetchone()
    return {"count": count, "digest": digest, "sequence": position, "major": int(version) // 10000}


@pytest.fixture(scope="module")
def upgraded():
    """A previous-major cluster with 3,000 rows, read, upgraded and started again."""
    volume = Volume.fresh()
    port = free_port()
    volume.initdb(PREVIOUS_MAJOR)
    volume.start(PREVIOUS_MAJOR, port)
    try:
        with psycopg.connect(url(port, "postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
        with psycopg.connect(url(port)) as connection:
            connection.execute("CREATE TABLE note (id bigserial PRIMARY KEY, body text NOT NULL)")
            connection.execute(
                "INSERT INTO note (body) SELECT 'note ' || n FROM generate_series(1, %s) n",
                (ROWS,),
            )
        before = snapshot(port)
        volume.stop(PREVIOUS_MAJOR)
        result, _ = volume.upgrade()
        if result.returncode == 0:
            volume.start(POSTGRES_MAJOR, port)
        yield {"volume": volume, "port": port, "before": before, "result": result}
    finally:
        volume.discard()


def test_the_upgrade_succeeds_and_says_what_it_did(upgraded):
    result = upgraded["result"]
    assert result.returncode == 0, result.stderr
    assert f"PostgreSQL {PREVIOUS_MAJOR} -> {POSTGRES_MAJOR}" in result.stderr
    assert "pg_upgrade --link done" in result.stderr
    assert (upgraded["volume"].pgdata / "PG_VERSION").read_text().strip() == str(POSTGRES_MAJOR)


def test_every_row_and_the_sequence_survive(upgraded):
    before, after = upgraded["before"], snapshot(upgraded["port"])
    assert (before["major"], after["major"]) == (PREVIOUS_MAJOR, POSTGRES_MAJOR)
    assert before["count"] == ROWS
    assert {k: v for k, v in after.items() if k != "major"} == {
        k: v for k, v in before.items() if k != "major"
    }


def test_a_new_row_on_the_upgraded_directory_takes_the_next_id(upgraded):
    with psycopg.connect(url(upgraded["port"])) as connection:
        (new_id,) = connection.execute(
            "INSERT INTO note (body) VALUES ('after the upgrade') RETURNING id"
        ).fetchone()
    assert new_id == upgraded["before"]["sequence"] + 1


def test_the_old_directory_and_a_base_backup_of_it_are_kept(upgraded):
    root = upgraded["volume"].root
    kept = list(root.glob(f"pgdata.{PREVIOUS_MAJOR}-before-upgrade-*"))
    backups = list(root.glob(f"pgdata.{PREVIOUS_MAJOR}.base-backup-*"))
    assert len(kept) == len(backups) == 1
    assert (kept[0] / "PG_VERSION").read_text().strip() == str(PREVIOUS_MAJOR)
    # pg_upgrade --link disables the old cluster's control file so it cannot start by mistake
    assert (kept[0] / "global" / "pg_control.old").exists()
    assert (backups[0] / "base.tar.gz").stat().st_size > 0
    assert f"kept: {kept[0]}" in upgraded["result"].stderr


def test_an_upgraded_directory_is_left_alone(upgraded):
    upgraded_volume = upgraded["volume"]
    subprocess.run(
        server_command([str(postgres_bin_dir() / "pg_ctl"), "-D", str(upgraded_volume.pgdata),
                        "-w", "-m", "fast", "stop"]),
        check=True, capture_output=True, cwd="/",
    )  # fmt: skip
    try:
        result, _ = upgraded_volume.upgrade()
        assert result.returncode == 0, result.stderr
        assert f"already PostgreSQL {POSTGRES_MAJOR}; nothing to do" in result.stderr
    finally:
        upgraded_volume.start(POSTGRES_MAJOR, upgraded["port"])


@pytest.fixture
def old_cluster():
    volume = Volume.fresh()
    volume.initdb(PREVIOUS_MAJOR)
    yield volume
    shutil.rmtree(volume.root, ignore_errors=True)


def test_outside_the_single_writer_guard_it_refuses_and_changes_nothing(old_cluster):
    result, _ = old_cluster.upgrade(guarded=False)
    assert result.returncode == EX_USAGE
    assert "run this through postgres-guard.sh" in result.stderr
    assert (old_cluster.pgdata / "PG_VERSION").read_text().strip() == str(PREVIOUS_MAJOR)
    assert sorted(path.name for path in old_cluster.root.iterdir()) == ["pgdata"]


def test_while_another_server_holds_the_volume_it_does_not_start(old_cluster):
    """The guard in front of it waits for the lock (here: not at all) and refuses."""
    lock = old_cluster.root / "postgres.lock"
    holder = subprocess.Popen(
        server_command(["flock", "--exclusive", str(lock), "sleep", "60"]), cwd="/"
    )
    try:
        subprocess.run(
            server_command(["sh", "-c", f"until ! flock -n {lock} true; do sleep 0.1; done"]),
            check=True, timeout=10, cwd="/",
        )  # fmt: skip
        result, _ = old_cluster.upgrade()
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 75, result.stderr
    assert "refusing to start" in result.stderr
    assert (old_cluster.pgdata / "PG_VERSION").read_text().strip() == str(PREVIOUS_MAJOR)


def test_the_db_image_carries_the_upgrade_as_a_command():
    dockerfile = (DB_IMAGE_DIR / "Dockerfile").read_text()
    assert "COPY --chmod=0755 postgres-upgrade.sh /usr/local/bin/postgres-upgrade" in dockerfile
    assert UPGRADE.stat().st_mode & 0o111
