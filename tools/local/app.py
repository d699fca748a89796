"""Which Django project the local topology runs: the demo in service/, or any app directory.

    make local APP=examples/noticeboard

An app directory holds ``manage.py``. Its settings module is the one ``manage.py`` names
(``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")``, as ``django-admin
startproject`` writes it) unless ``APP_SETTINGS`` names another; gunicorn serves
``<its package>.wsgi:application`` unless ``APP_WSGI`` names another. The demo keeps its own
production settings and image scripts (``collect-static.sh``, ``start.production.sh``); any
other app is built and started the way the platform's generic image does it
(components/images/app/Dockerfile): collectstatic in the library's build mode, then
``python -m django_fargate.start`` (migrations under the lock, then gunicorn).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from stack.paths import REPO_ROOT, SERVICE_DIR
from tools.local.system import LocalSetupError

APP_VARIABLE = "APP"
SETTINGS_VARIABLE = "APP_SETTINGS"
WSGI_VARIABLE = "APP_WSGI"
_SETDEFAULT = re.compile(
    r"""os\.environ\.setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']\s*\)"""
)
_MODULE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
# A requirement line's distribution name (PEP 508), before any extra, version or marker.
_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")
# Asks an interpreter which of the given distributions it lacks, one name a line.
_MISSING = (
    "import sys, importlib.metadata as m\n"
    "for name in sys.argv[1:]:\n"
    "    try: m.distribution(name)\n"
    "    except m.PackageNotFoundError: print(name)\n"
)


@dataclass(frozen=True)
class LocalApp:
    """One Django project's directory and the modules its web process runs."""

    directory: Path
    settings_module: str
    wsgi: str
    """``module:application``, what gunicorn serves."""

    @property
    def is_demo(self) -> bool:
        return self.directory == SERVICE_DIR

    @property
    def name(self) -> str:
        """Names its data directory (tools/local/topology.py)."""
        return re.sub(r"[^a-z0-9]+", "-", self.directory.name.lower()).strip("-") or "app"

    @classmethod
    def demo(cls) -> LocalApp:
        return cls(SERVICE_DIR, "config.settings.production", "config.wsgi:application")

    @classmethod
    def at(cls, directory: Path | str, environ: Mapping[str, str] = os.environ) -> LocalApp:
        """The app in ``directory`` (relative to the checkout, or absolute)."""
        path = (REPO_ROOT / directory).resolve()
        if path == SERVICE_DIR:
            return cls.demo()
        manage = path / "manage.py"
        if not manage.is_file():
            raise LocalSetupError(
                f"APP={directory}: {manage} does not exist; name a Django project's directory "
                "(the one holding manage.py)"
            )
        settings = environ.get(SETTINGS_VARIABLE) or _named_by(manage)
        if not settings or not _MODULE.match(settings):
            raise LocalSetupError(
                f"APP={directory}: {manage} names no DJANGO_SETTINGS_MODULE; set "
                f"{SETTINGS_VARIABLE}=<its settings module>"
            )
        _check_module(path, settings, SETTINGS_VARIABLE, directory)
        wsgi = environ.get(WSGI_VARIABLE) or f"{settings.split('.')[0]}.wsgi"
        _check_module(path, wsgi, WSGI_VARIABLE, directory)
        return cls(path, settings, f"{wsgi}:application")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> LocalApp:
        """``APP`` (empty: the demo)."""
        given = environ.get(APP_VARIABLE, "").strip()
        return cls.at(given, environ) if given else cls.demo()


def _named_by(manage: Path) -> str | None:
    found = _SETDEFAULT.search(manage.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def _check_module(root: Path, module: str, variable: str, directory: Path | str) -> None:
    base = root.joinpath(*module.split("."))
    if not (base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()):
        raise LocalSetupError(
            f"APP={directory}: the module {module} is not in {root} (neither {base}.py nor "
            f"{base}/__init__.py); set {variable} to the project's"
        )


def required_distributions(app: LocalApp) -> list[str]:
    """The distributions the app's requirements.txt names (options and comments skipped)."""
    requirements = app.directory / "requirements.txt"
    if app.is_demo or not requirements.is_file():
        return []
    names = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-") and (found := _REQUIREMENT.match(line)):
            names.append(found.group(1))
    return names


def check_requirements(app: LocalApp, python: Path) -> None:
    """The local processes run on the topology's own virtualenv (requirements/local.txt), not
    on the app's image: say which of the app's requirements it lacks rather than let web fail
    on an import."""
    names = required_distributions(app)
    if not names:
        return
    result = subprocess.run(
        [str(python), "-c", _MISSING, *names], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise LocalSetupError(f"{python} could not list its packages: {result.stderr.strip()}")
    if missing := result.stdout.split():
        raise LocalSetupError(
            f"APP={app.directory}: its requirements.txt names {', '.join(missing)}, which the "
            f"local runtime ({python.parent.parent}) does not have: make local runs every app on "
            "requirements/local.txt's packages; add them to requirements/local.in and run "
            "`make lock` to run this one locally"
        )
