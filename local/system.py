"""Facts about this machine that every part of the local topology shares: who we run as.
Which PostgreSQL server runs is local/postgres_server.py's (the pinned wheels)."""

from __future__ import annotations

import os
import pwd

# The system account Postgres runs as when we are root (Postgres refuses to run as root).
POSTGRES_SYSTEM_USER = "postgres"


class LocalSetupError(RuntimeError):
    """Something on this machine stops the local topology from starting; the message says what."""


def running_as_root() -> bool:
    return os.geteuid() == 0


def postgres_account() -> pwd.struct_passwd:
    """The system account Postgres runs as when we are root; an error says how to get it."""
    try:
        return pwd.getpwnam(POSTGRES_SYSTEM_USER)
    except KeyError as missing:
        raise LocalSetupError(
            f"running as root needs the `{POSTGRES_SYSTEM_USER}` system account to run "
            "Postgres: `bash local/install-system-packages.sh` creates it (useradd --system)"
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
