"""Facts about this machine that every part of the local topology shares: who we run as and
where the PostgreSQL server is installed."""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
from pathlib import Path

# The system account Postgres runs as when we are root (Postgres refuses to run as root).
POSTGRES_SYSTEM_USER = "postgres"


class LocalSetupError(RuntimeError):
    """Something on this machine stops the local topology from starting; the message says what."""


def running_as_root() -> bool:
    return os.geteuid() == 0


def postgres_bin_dir() -> Path:
    """The newest installed PostgreSQL server's bin directory (Debian layout), or PG_BIN."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    candidates = glob.glob("/usr/lib/postgresql/*/bin/postgres")
    if not candidates:
        found = shutil.which("postgres")
        if found:
            return Path(found).parent
        raise LocalSetupError(
            "no PostgreSQL server found: install it with `apt-get install postgresql` "
            "(or set PG_BIN to the directory that holds `postgres` and `initdb`)"
        )

    def major(path: str) -> int:
        match = re.search(r"/postgresql/(\d+)/", path)
        return int(match.group(1)) if match else 0

    return Path(max(candidates, key=major)).parent


def postgres_account() -> pwd.struct_passwd:
    """The system account Postgres runs as when we are root; an error says how to get it."""
    try:
        return pwd.getpwnam(POSTGRES_SYSTEM_USER)
    except KeyError as missing:
        raise LocalSetupError(
            f"running as root needs the `{POSTGRES_SYSTEM_USER}` system account to run "
            "Postgres: install the postgresql package (`apt-get install postgresql`)"
        ) from missing


def as_postgres_user() -> list[str]:
    """Command prefix that runs a program as the Postgres account when we are root."""
    if not running_as_root():
        return []
    postgres_account()
    return [
        "setpriv",
        f"--reuid={POSTGRES_SYSTEM_USER}",
        f"--regid={POSTGRES_SYSTEM_USER}",
        "--init-groups",
        "--",
    ]
