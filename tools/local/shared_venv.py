"""Virtualenvs every account can run, for the processes of a topology started as root.

Started as root, the topology's processes drop to an unprivileged account (tools/local/system.py),
which
cannot run a Python that lives under /root (pyenv, the project's .venv pointing at it). So what
they run gets its own virtualenv made from Debian's /usr/bin/python3, in a directory every account
can read, named by the hash of its requirements files so that a change of versions installs a new
one. Not as root, the processes run as the developer, who can read the project's own .venv.

    python -m tools.local.shared_venv      install the runtime virtualenv if needed; print its bin
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from stack.paths import DJANGO_FARGATE_DIR, REPO_ROOT, SERVICE_DIR
from tools.local.system import LocalSetupError, running_as_root

SYSTEM_PYTHON = Path("/usr/bin/python3")
# As root: outside any home directory, readable by every account.
SHARED_ROOT = Path("/opt/django-tw")


INSTALLED = ".installed"  # written last: its presence means the directory is complete


def shared_directory(name: str, pins: Sequence[Path]) -> Path:
    """<name>-<hash of the pinned files>: a change of pins is a new directory. As root under
    SHARED_ROOT, where every account may read it; otherwise in the project's .venv."""
    digest = hashlib.sha256()
    for path in pins:
        digest.update(path.read_bytes())
    parent = SHARED_ROOT if running_as_root() else REPO_ROOT / ".venv"
    return parent / f"{name}-{digest.hexdigest()[:12]}"


def install_once(target: Path, install: Callable[[Path], None]) -> Path:
    """`install(target)` unless an earlier run completed it; two topologies starting at once
    (tests beside `make local`) install it once."""
    marker = target / INSTALLED
    if marker.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.parent.chmod(0o755)
    with (target.parent / f".{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            install(target)
            marker.touch()
    return target


def open_to_every_account(target: Path) -> None:
    """Every account may read what `target` holds and run what is executable (umask may be
    stricter than that)."""
    for path in [target, *target.rglob("*")]:
        mode = path.lstat().st_mode
        if not path.is_symlink():
            path.chmod(mode | 0o444 | (0o111 if mode & 0o100 else 0))


@dataclass(frozen=True)
class SharedVirtualenv:
    """One virtualenv installed from pinned requirements files."""

    # Names the directory: <name>-<hash of the requirements files>.
    name: str
    # The file pip installs from; it and every file in `hashed` name the directory.
    requirements: Path
    hashed: tuple[Path, ...] = ()
    # pip's extra arguments (e.g. --no-deps when the file pins every dependency).
    pip_options: tuple[str, ...] = ()
    # Not root: the project's own .venv holds the same packages (None: a virtualenv of its own
    # under .venv, as for barman, whose pins conflict with the project's).
    own_venv_suffices: bool = False
    # Project directories installed editable after the pins, --no-deps (the pins hold their
    # dependencies; a path cannot go into a --require-hashes file), each with the build backend
    # its requirements-build.txt pins and hashes, without build isolation.
    libraries: tuple[Path, ...] = ()

    def directory(self) -> Path:
        return shared_directory(self.name, (self.requirements, *self.hashed))

    def bin(self) -> Path:
        if self.own_venv_suffices and not running_as_root():
            return REPO_ROOT / ".venv" / "bin"
        return self.directory() / "bin"

    def ensure_installed(self) -> Path:
        """The bin directory, the virtualenv created the first time (seconds to a few minutes)."""
        if self.own_venv_suffices and not running_as_root():
            return self.bin()
        target = self.directory()
        if not (target / INSTALLED).exists() and not SYSTEM_PYTHON.exists():
            raise LocalSetupError(
                f"{SYSTEM_PYTHON} is missing: install Debian's python3 and python3-venv "
                f"(`apt-get install python3-venv`), which run {self.name} for every account"
            )
        return install_once(target, self._install) / "bin"

    def _install(self, target: Path) -> None:
        print(f"make local: installing {self.name} into {target} (once)", file=sys.stderr)
        steps = [
            [str(SYSTEM_PYTHON), "-m", "venv", "--clear", str(target)],
            [
                str(target / "bin" / "python"), "-m", "pip", "install", "--quiet",
                "--disable-pip-version-check", "--require-hashes", *self.pip_options,
                "-r", str(self.requirements),
            ],
        ]  # fmt: skip
        for library in self.libraries:
            pip = [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            steps += [
                [*pip, "--require-hashes", "-r", str(library / "requirements-build.txt")],
                [*pip, "--no-deps", "--no-build-isolation", "-e", str(library)],
            ]
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise LocalSetupError(
                    f"installing {self.name} into {target} failed ({' '.join(step[:3])}...):\n"
                    f"{result.stdout}{result.stderr}\n"
                    "is python3-venv installed (`apt-get install python3-venv`)?"
                )
        open_to_every_account(target)


# What the Procfile's processes import: the web container's packages and the stand-ins.
RUNTIME = SharedVirtualenv(
    name="runtime",
    requirements=REPO_ROOT / "requirements" / "local.txt",
    hashed=(
        # The demo's lock, while the checkout holds the demo (its packages are in local.txt).
        *(lock for lock in [SERVICE_DIR / "requirements.txt"] if lock.is_file()),
        DJANGO_FARGATE_DIR / "pyproject.toml",
        DJANGO_FARGATE_DIR / "requirements-build.txt",
    ),
    own_venv_suffices=True,
    # The platform's Django library, which the web process imports.
    libraries=(DJANGO_FARGATE_DIR,),
)


def main() -> int:
    try:
        print(RUNTIME.ensure_installed())
    except LocalSetupError as error:
        print(f"runtime virtualenv: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
