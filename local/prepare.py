"""Preparing a topology's data directory before its processes start: the db container's
entrypoint steps installed where the Postgres account can run them, barman-cloud, and the database
cluster the first time."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from local import backup_tools
from local.system import (
    POSTGRES_SYSTEM_USER,
    LocalSetupError,
    as_postgres_user,
    postgres_account,
    postgres_bin_dir,
    running_as_root,
)
from local.topology import DATABASE_SUPERUSER, LocalTopology
from paths import SERVICE_DIR

GUARD_SOURCE = SERVICE_DIR / "db" / "postgres-guard.sh"
PREPARE_SOURCE = SERVICE_DIR / "db" / "postgres-prepare.sh"
BACKUP_SOURCE = SERVICE_DIR / "db" / "postgres_backup.py"
# The backup step's modules, imported from the script's own directory.
BACKUP_MODULES = ("backup_common.py", "backup_restore.py", "restore_drill.py", "db_signals.py")


def _check_reachable_by_postgres(path: Path) -> None:
    """Postgres runs as another account: every parent directory must let it through."""
    if not running_as_root():
        return
    probe = subprocess.run(
        [*as_postgres_user(), "test", "-x", str(path)], capture_output=True, check=False
    )
    if probe.returncode != 0:
        raise LocalSetupError(
            f"the `{POSTGRES_SYSTEM_USER}` account cannot reach {path}: give its parent "
            "directories o+x, or set LOCAL_DIR to a directory it can reach (e.g. under /srv)"
        )


def prepare(topology: LocalTopology) -> bool:
    """Create the data directory; initialise the database cluster the first time.

    Returns True when a new cluster was created (a cold start), False when data was there.
    """
    topology.data_dir.mkdir(parents=True, exist_ok=True)
    for directory in (topology.static_root, topology.nginx_dir, topology.s3_dir):
        directory.mkdir(exist_ok=True)
    secret = topology.secrets()
    topology.guard_script.parent.mkdir(exist_ok=True)
    for source, installed in (
        (GUARD_SOURCE, topology.guard_script),
        (PREPARE_SOURCE, topology.prepare_script),
        (BACKUP_SOURCE, topology.backup_script),
        *(
            (BACKUP_SOURCE.with_name(name), topology.backup_script.with_name(name))
            for name in BACKUP_MODULES
        ),
    ):
        if not source.exists():
            raise LocalSetupError(f"{source} is missing: part of the db container's entrypoint")
        shutil.copyfile(source, installed)  # refreshed on every start
        installed.chmod(0o755)
    backup_tools.ensure_installed()

    topology.postgres_dir.mkdir(mode=0o700, exist_ok=True)
    if running_as_root():
        account = postgres_account()
        os.chown(topology.postgres_dir, account.pw_uid, account.pw_gid)
        _check_reachable_by_postgres(topology.postgres_dir)
    if (topology.pgdata / "PG_VERSION").exists():
        return False

    bin_dir = postgres_bin_dir()
    password_file = topology.postgres_dir / "initdb-password"
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret["POSTGRES_PASSWORD"])
    if running_as_root():
        account = postgres_account()
        os.chown(password_file, account.pw_uid, account.pw_gid)
    try:
        _run_as_postgres(
            [
                str(bin_dir / "initdb"),
                f"--pgdata={topology.pgdata}",
                f"--username={DATABASE_SUPERUSER}",
                f"--pwfile={password_file}",
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                # Every page carries a checksum: a restore drill's pg_amcheck then reads a
                # corrupted page as an error, not as data. As Dockerfile.db's POSTGRES_INITDB_ARGS.
                "--data-checksums",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            what="initdb",
        )
    finally:
        password_file.unlink(missing_ok=True)
    # The database and the application's role come from postgres-prepare.sh at the db process's
    # first start, as they do for an existing cluster in the task.
    return True


def _run_as_postgres(command: list[str], *, what: str, stdin: str | None = None) -> None:
    result = subprocess.run(
        [*as_postgres_user(), *command],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise LocalSetupError(
            f"{what} failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
