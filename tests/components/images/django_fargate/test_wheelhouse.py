"""The wheelhouse: how every web image gets the library without its build context holding it.

The library's directory builds an image holding only /wheels (the library's wheel and its pinned
dependencies' wheels), and each web image the platform builds installs django-fargate from it
offline. The wheel is built here for real and installed, with no index, into a fresh
virtualenv; the Dockerfiles are read for the steps that do the same in an image build."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from django_fargate import __version__
from stack.app import GENERIC_DOCKERFILE
from stack.images import DJANGO_FARGATE_IMAGE_ARG
from stack.paths import DJANGO_FARGATE_DIR, DJANGO_FARGATE_SRC, REPO_ROOT
from tests.components.images.dockerfile_text import instructions

# The web image the platform builds for an app without a Dockerfile of its own; an app's own
# Dockerfile is held to the same by its tests (the demo's: service/tests/test_dockerfile.py).
GENERIC = REPO_ROOT / GENERIC_DOCKERFILE
PACKAGE = DJANGO_FARGATE_SRC / "django_fargate"


def run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess:
    # Without the checkout on PYTHONPATH (tests/conftest.py puts the library there): what is
    # imported below must come from the installed wheel.
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=environment,
        **kwargs,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The library's wheel, built as the wheelhouse image builds it (--no-deps, the installed
    build backend, no index) from a copy of its directory, so nothing left in the checkout
    (build/, *.egg-info) can slip in."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "django_fargate"
    shutil.copytree(
        DJANGO_FARGATE_DIR,
        source,
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"),
    )
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--quiet", "--wheel-dir", tmp / "wheels", source,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = (tmp / "wheels").glob("django_fargate-*.whl")
    return found


def test_the_wheel_holds_every_module_and_the_type_marker_and_nothing_else(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        f"django_fargate/{p.relative_to(PACKAGE).as_posix()}"
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "django_fargate/management/commands/migrate_locked.py" in modules
    assert "django_fargate/py.typed" in modules
    assert "django_fargate/rds-app-role.sql" in modules  # package data: db-init reads it
    shipped = {name for name in names if ".dist-info/" not in name}
    assert shipped == modules
    assert wheel.name == f"django_fargate-{__version__}-py3-none-any.whl"


def test_the_wheel_installs_offline_into_a_fresh_virtualenv_and_imports(wheel, tmp_path):
    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", venv).returncode == 0
    python = venv / "bin" / "python"
    installed = run(
        python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
        "--find-links", wheel.parent, "django-fargate",
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = (
        "import importlib.metadata as m, django_fargate as d; "
        "print(d.__file__, m.version('django-fargate'))"
    )
    probe = run(python, "-c", where, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    location, version = probe.stdout.split()
    assert Path(location).is_relative_to(venv)  # the installed copy, not the checkout
    assert version == __version__
    # The container health check needs nothing but the standard library: it runs (and finds
    # no gunicorn listening) with none of the library's dependencies installed.
    check = run(python, "-m", "django_fargate.healthcheck", cwd=tmp_path)
    assert check.returncode == 1
    assert "healthcheck: http://127.0.0.1:8000/livez failed" in check.stderr


def stages(dockerfile: Path) -> list[list[str]]:
    found: list[list[str]] = []
    for line in instructions(dockerfile):
        if line.startswith("FROM ") or not found:
            found.append([])
        found[-1].append(line)
    return found


def test_the_wheelhouse_image_holds_only_the_wheels():
    *build, final = stages(DJANGO_FARGATE_DIR / "Dockerfile")
    assert final == ["FROM scratch", "COPY --from=build /wheels /wheels"]
    steps = " ".join(build[-1])
    # The dependencies' wheels from the lock, each hash checked; the build backend too.
    assert "--require-hashes --wheel-dir /wheels -r requirements.txt" in steps
    assert "--require-hashes -r requirements-build.txt" in steps
    # The library's own wheel: no dependency resolution, no index, no unpinned backend.
    assert (
        "wheel --no-cache-dir --no-deps --no-build-isolation --no-index --wheel-dir /wheels ."
        in (steps)
    )
    # and the build context leaves out what a checkout accumulates beside the source
    ignored = (DJANGO_FARGATE_DIR / ".dockerignore").read_text().split()
    assert {"**/__pycache__", "**/*.egg-info"} <= set(ignored)
    copied = {word for line in build[-1] if line.startswith("COPY ") for word in line.split()[1:-1]}
    assert copied == {
        "requirements.txt",
        "requirements-build.txt",
        "pyproject.toml",
        "README.md",
        "src",
    }
    assert all((DJANGO_FARGATE_DIR / name).exists() for name in copied)


def installs_the_library_from_the_wheelhouse_offline(dockerfile: Path) -> None:
    """What every web image does, the generic one and an app's own."""
    lines = instructions(dockerfile)
    assert lines[:2] == [
        f"ARG {DJANGO_FARGATE_IMAGE_ARG}",
        f"FROM ${{{DJANGO_FARGATE_IMAGE_ARG}}} AS django_fargate",
    ]
    (copy,) = [line for line in lines if line.startswith("COPY --from=django_fargate ")]
    source, target = copy.split()[2:]
    assert source == "/wheels"
    (install,) = [line for line in lines if f"--find-links {target} django-fargate" in line]
    assert "--no-index" in install.split()
    # ... and the dependencies it brings must agree with what the project installed.
    assert "pip check" in install


def test_the_generic_web_image_installs_the_library_from_the_wheelhouse_offline():
    installs_the_library_from_the_wheelhouse_offline(GENERIC)
