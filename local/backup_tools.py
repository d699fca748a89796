"""barman-cloud for the local topology: the db container's backup tool, the same pinned versions.

Postgres runs the archive command as its own account, and as root that account is `postgres`: it
cannot run a Python that lives under /root (pyenv, the project's .venv). So barman gets its own
virtualenv made from Debian's /usr/bin/python3, in a directory every account can read, named by
the hash of the requirements file so that a change of versions installs a new one.

    python -m local.backup_tools      install it if missing; print its bin directory
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from local.system import LocalSetupError, running_as_root
from paths import REPO_ROOT, SERVICE_DIR

REQUIREMENTS = SERVICE_DIR / "db" / "requirements-barman.txt"
SYSTEM_PYTHON = Path("/usr/bin/python3")
# As root: outside any home directory, readable by the postgres account. Otherwise Postgres runs
# as the developer, who can read the project's own .venv.
SHARED_ROOT = Path("/opt/django-tw")


def tools_dir() -> Path:
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    parent = SHARED_ROOT if running_as_root() else REPO_ROOT / ".venv"
    return parent / f"barman-{digest}"


def tools_bin() -> Path:
    return tools_dir() / "bin"


def ensure_installed() -> Path:
    """The bin directory of barman's virtualenv, created the first time (about 15 s)."""
    target = tools_dir()
    marker = target / ".installed"
    if marker.exists():
        return target / "bin"
    if not SYSTEM_PYTHON.exists():
        raise LocalSetupError(
            f"{SYSTEM_PYTHON} is missing: install Debian's python3 and python3-venv "
            "(`apt-get install python3-venv`), which run barman-cloud for the postgres account"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    steps = [
        [str(SYSTEM_PYTHON), "-m", "venv", "--clear", str(target)],
        [
            str(target / "bin" / "python"), "-m", "pip", "install", "--quiet",
            "--disable-pip-version-check", "--no-deps", "-r", str(REQUIREMENTS),
        ],
    ]  # fmt: skip
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise LocalSetupError(
                f"installing barman-cloud into {target} failed ({' '.join(step[:3])}...):\n"
                f"{result.stdout}{result.stderr}\n"
                "is python3-venv installed (`apt-get install python3-venv`)?"
            )
    for path in [target, *target.rglob("*")]:
        # Every account may read and run it (umask may be stricter than that).
        mode = path.lstat().st_mode
        if not path.is_symlink():
            path.chmod(mode | 0o444 | (0o111 if mode & 0o100 else 0))
    marker.touch()
    return target / "bin"


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
