"""Facts about this machine that every part of the local topology shares: who we run as and
which account its processes drop to. Which PostgreSQL server runs is
tools/local/postgres_server.py's
(the pinned wheels)."""

from __future__ import annotations

import os
import pwd
from collections.abc import Mapping
from pathlib import Path

from stack.paths import REPO_ROOT

# The system account the service tests' own Postgres servers run as when we are root
# (tests/postgres_servers.py; Postgres refuses to run as root).
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
            f"running as root needs the `{POSTGRES_SYSTEM_USER}` system account to run the "
            "service tests' Postgres: `bash tools/local/install-system-packages.sh` creates it"
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


# When `make local` starts as root, every process of the topology drops to one unprivileged
# account (as the task's containers run as uid 101, 10001 and 999): the checkout's owner when that
# is not root, otherwise `nobody`, which owns no files of its own. One account for all of them,
# because the data directory is private to its owner (0700): a second account could not enter it.
LOCAL_USER_VARIABLE = "LOCAL_USER"
UNPRIVILEGED_FALLBACK = "nobody"


def topology_account(
    environ: Mapping[str, str] = os.environ, checkout: Path = REPO_ROOT
) -> pwd.struct_passwd | None:
    """The account the topology's processes run as when we are root; None when we are not (they
    run as us). LOCAL_USER names another account."""
    if not running_as_root():
        return None
    name = environ.get(LOCAL_USER_VARIABLE)
    if not name:
        owner = checkout.stat().st_uid
        if owner != 0:
            return pwd.getpwuid(owner)
        name = UNPRIVILEGED_FALLBACK
    try:
        account = pwd.getpwnam(name)
    except KeyError as missing:
        raise LocalSetupError(
            f"there is no `{name}` account to run the local topology as: create it, or set "
            f"{LOCAL_USER_VARIABLE} to an existing unprivileged account"
        ) from missing
    if account.pw_uid == 0:
        raise LocalSetupError(
            f"{LOCAL_USER_VARIABLE}={name} is root: name an unprivileged account, the one the "
            "processes drop to"
        )
    return account


def as_account(account: pwd.struct_passwd | None) -> list[str]:
    """Command prefix that runs a program as `account` (nothing when it is None)."""
    if account is None:
        return []
    return [
        "setpriv",
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--init-groups",
        "--",
    ]
