"""barman-cloud for the local topology: the db container's backup tool, the same pinned versions.

Postgres runs the archive command as its own account, which as root is an unprivileged one: it
cannot run a Python that lives under /root (pyenv, the project's .venv). So barman gets its own
virtualenv made from Debian's /usr/bin/python3 (tools/local/shared_venv.py), in a directory every
account can read, named by the hash of the requirements file so that a change of versions
installs a new one.

    python -m tools.local.backup_tools      install it if missing; print its bin directory
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from stack.paths import DB_IMAGE_DIR
from tools.local.shared_venv import SharedVirtualenv
from tools.local.system import LocalSetupError

REQUIREMENTS = DB_IMAGE_DIR / "requirements-barman.txt"
# Every dependency is pinned in the file (barman's pins conflict with the project's).
BARMAN = SharedVirtualenv(name="barman", requirements=REQUIREMENTS, pip_options=("--no-deps",))


def tools_dir() -> Path:
    return BARMAN.directory()


def tools_bin() -> Path:
    return BARMAN.bin()


def ensure_installed() -> Path:
    """The bin directory of barman's virtualenv, created the first time (about 15 s)."""
    return BARMAN.ensure_installed()


def main() -> int:
    try:
        print(ensure_installed())
    except LocalSetupError as error:
        print(f"backup tools: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
