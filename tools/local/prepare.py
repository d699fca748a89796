"""Preparing a topology's data directory before its processes start: private to the account the
processes run as, the db container's entrypoint steps installed where that account can run them,
barman-cloud, and the database cluster the first time."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from stack.paths import DB_IMAGE_DIR, REPO_ROOT
from tools.local import backup_tools
from tools.local.app import check_requirements
from tools.local.postgres_server import postgres_bin_dir
from tools.local.shared_venv import RUNTIME
from tools.local.system import (
    LOCAL_USER_VARIABLE,
    LocalSetupError,
    as_account,
    topology_account,
)
from tools.local.topology import DATABASE_SUPERUSER, LocalTopology

GUARD_SOURCE = DB_IMAGE_DIR / "postgres-guard.sh"
PREPARE_SOURCE = DB_IMAGE_DIR / "postgres-prepare.sh"
BACKUP_SOURCE = DB_IMAGE_DIR / "postgres_backup.py"
# The backup step's modules, imported from the script's own directory.
BACKUP_MODULES = ("backup_common.py", "backup_restore.py", "restore_drill.py", "db_signals.py")


def checkout_probes(topology: LocalTopology) -> tuple[tuple[str, Path], ...]:
    """What the processes read from the checkout (and the app) once they no longer run as root."""
    return (
        ("-r", REPO_ROOT / "tools" / "local" / "Procfile"),
        ("-r", topology.app.directory / "manage.py"),
    )


def make_private(root: Path, account: pwd.struct_passwd | None) -> None:
    """Directories 0700, files without group or other bits, everything owned by `account`.

    The data directory holds the database, its WAL archive and base backups (the S3 stand-in's
    recording), media, reset mail and the generated secrets. Run at every start, so a directory
    from an older checkout (0755, Postgres' files owned by another account) is brought in line."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            if account is not None:
                os.lchown(path, account.pw_uid, account.pw_gid)
            continue
        if account is not None:
            os.chown(path, account.pw_uid, account.pw_gid)
        mode = path.stat().st_mode & 0o7777
        path.chmod(0o700 if path.is_dir() else mode & 0o700)


def _check_reachable(account: pwd.struct_passwd | None, topology: LocalTopology) -> None:
    """The processes run as `account`: it must reach the data directory and read the checkout."""
    if account is None:
        return
    probes = (
        ("-x", topology.data_dir),
        *checkout_probes(topology),
        ("-x", RUNTIME.bin() / "python"),
    )
    for test, path in probes:
        probe = subprocess.run(
            [*as_account(account), "test", test, str(path)], capture_output=True, check=False
        )
        if probe.returncode != 0:
            raise LocalSetupError(
                f"the `{account.pw_name}` account, which runs the local topology when it starts "
                f"as root, cannot reach {path}: give its parent directories o+x (the checkout "
                f"o+r as well), or set {LOCAL_USER_VARIABLE} to an account that can"
            )


def prepare(topology: LocalTopology) -> bool:
    """Create the data directory; initialise the database cluster the first time.

    Returns True when a new cluster was created (a cold start), False when data was there.
    """
    account = topology_account()
    topology.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for directory in (topology.static_root, topology.nginx_dir, topology.s3_dir):
        directory.mkdir(mode=0o700, exist_ok=True)
    secret = topology.secrets()
    topology.guard_script.parent.mkdir(mode=0o700, exist_ok=True)
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
        installed.chmod(0o700)
    check_requirements(topology.app, RUNTIME.ensure_installed() / "python")
    backup_tools.ensure_installed()

    topology.postgres_dir.mkdir(mode=0o700, exist_ok=True)
    make_private(topology.data_dir, account)
    _check_reachable(account, topology)
    if (topology.pgdata / "PG_VERSION").exists():
        return False

    bin_dir = postgres_bin_dir()
    password_file = topology.postgres_dir / "initdb-password"
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret["POSTGRES_PASSWORD"])
    if account is not None:
        os.chown(password_file, account.pw_uid, account.pw_gid)
    try:
        _run_as(
            account,
            [
                str(bin_dir / "initdb"),
                f"--pgdata={topology.pgdata}",
                f"--username={DATABASE_SUPERUSER}",
                f"--pwfile={password_file}",
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                # Every page carries a checksum: a restore drill's pg_amcheck then reads a
                # corrupted page as an error, not as data. As the db image's
                # POSTGRES_INITDB_ARGS (components/images/db/Dockerfile).
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


def _run_as(
    account: pwd.struct_passwd | None, command: list[str], *, what: str, stdin: str | None = None
) -> None:
    result = subprocess.run(
        [*as_account(account), *command],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise LocalSetupError(
            f"{what} failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
