"""A stand-in for the db container's EFS volume, on this machine: a data directory made and
started with the pinned PostgreSQL servers (tools/local/postgres_server.py) as the postgres
account, and the db image's own upgrade run (components/images/db/postgres-upgrade.sh, through
postgres-guard.sh as the image's entrypoint runs it). The db image's tests and the demo's
upgrade benchmark both use it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from stack.paths import DB_IMAGE_DIR
from stack.postgres_version import POSTGRES_MAJOR, PREVIOUS_MAJOR
from tools.local.postgres_server import postgres_bin_dir
from tools.local.system import POSTGRES_SYSTEM_USER, as_postgres_user, running_as_root
from tools.local.topology import new_data_dir

GUARD = DB_IMAGE_DIR / "postgres-guard.sh"
UPGRADE = DB_IMAGE_DIR / "postgres-upgrade.sh"
DATABASE = "django_tw"
SUPERUSER = "postgres"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_command(command: list[str]) -> list[str]:
    """``command`` as the postgres account when we are root, from `/` (it cannot read our cwd)."""
    return [*as_postgres_user(), *command]


@dataclass
class Volume:
    """A stand-in for the db container's EFS volume: the data directory and the guard's lock."""

    root: Path

    @classmethod
    def fresh(cls, prefix: str = "django-tw-upgrade-") -> Volume:
        root = new_data_dir(prefix)
        if running_as_root():
            shutil.chown(root, user=POSTGRES_SYSTEM_USER, group=POSTGRES_SYSTEM_USER)
        return cls(root)

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    def initdb(self, major: int) -> None:
        subprocess.run(
            server_command(
                [str(postgres_bin_dir(major) / "initdb"), "--pgdata", str(self.pgdata),
                 f"--username={SUPERUSER}", "--auth=trust", "--encoding=UTF8",
                 "--locale=C.UTF-8"]
            ),
            check=True, capture_output=True, cwd="/",
        )  # fmt: skip

    def pg_ctl(self, major: int, *arguments: str) -> None:
        subprocess.run(
            server_command([str(postgres_bin_dir(major) / "pg_ctl"), "-D", str(self.pgdata),
                            *arguments]),
            check=True, capture_output=True, cwd="/", timeout=300,
        )  # fmt: skip

    def start(self, major: int, port: int) -> None:
        options = f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1"
        self.pg_ctl(major, "-w", "-l", str(self.root / f"server-{major}.log"), "-o", options,
                    "start")  # fmt: skip

    def stop(self, major: int) -> None:
        self.pg_ctl(major, "-w", "-m", "fast", "stop")

    def discard(self) -> None:
        """Stop whichever server still runs on the volume, at once, and delete it."""
        for major in (POSTGRES_MAJOR, PREVIOUS_MAJOR):
            subprocess.run(
                server_command([str(postgres_bin_dir(major) / "pg_ctl"), "-D",
                                str(self.pgdata), "-m", "immediate", "stop"]),
                capture_output=True, cwd="/", check=False,
            )  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)

    def upgrade(self, extra_environment: dict[str, str] | None = None, *, guarded: bool = True):
        """The db image's one-off upgrade run: guard -> postgres-upgrade, new major on PATH."""
        environment = {
            **os.environ,
            "PGDATA": str(self.pgdata),
            "PG_OLD_BINDIR": str(postgres_bin_dir(PREVIOUS_MAJOR)),
            "PATH": f"{postgres_bin_dir(POSTGRES_MAJOR)}:{os.environ['PATH']}",
            "PG_LOCK_WAIT_SECONDS": "0",
            **(extra_environment or {}),
        }
        command = [str(GUARD), str(UPGRADE)] if guarded else [str(UPGRADE)]
        started = time.monotonic()
        result = subprocess.run(
            server_command(command), env=environment, capture_output=True, text=True,
            cwd="/", timeout=3600, check=False,
        )  # fmt: skip
        return result, time.monotonic() - started


def url(port: int, database: str = DATABASE) -> str:
    return f"postgres://{SUPERUSER}@127.0.0.1:{port}/{database}"
