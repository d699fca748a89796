"""The library as a package: installable on its own (src layout, its version), with dependency
bounds the tests run against, installed editable by `make venv`, and in step with the platform's
side of the contract it reads."""

import importlib
import re
import tomllib

from packaging.version import Version

from django_fargate import __version__, redaction
from django_fargate import settings as platform
from stack.paths import DJANGO_FARGATE_DIR, DJANGO_FARGATE_SRC, REPO_ROOT
from tests.locks import input_pins, lock_pins, normalized
from tests.test_makefile import makefile_rules

PYPROJECT = tomllib.loads((DJANGO_FARGATE_DIR / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
BUILD = PYPROJECT["build-system"]


def test_its_version_is_the_packages():
    assert PROJECT["name"] == "django-fargate"
    assert PROJECT["version"] == __version__ == "0.2.0"


def test_each_dependency_starts_at_the_version_its_lock_pins():
    locked = lock_pins(DJANGO_FARGATE_DIR / "requirements.txt")
    lower = {}
    for requirement in PROJECT["dependencies"]:
        name, _, bounds = requirement.partition(">=")
        lower[normalized(name.split("[")[0])] = bounds.split(",")[0]
        assert ",<" in bounds, requirement  # and below the next, untested, major release
    assert lower == {name: locked[name] for name in lower}
    # and the lock's input asks for exactly those, so the wheelhouse holds what it needs
    assert set(input_pins(DJANGO_FARGATE_DIR / "requirements.in")) == set(lower)


def test_its_build_backend_is_the_one_its_build_lock_pins():
    (backend,) = BUILD["requires"]
    name, _, bound = backend.partition(">=")
    pinned = lock_pins(DJANGO_FARGATE_DIR / "requirements-build.txt")
    assert set(pinned) == {name}
    assert Version(pinned[name]) >= Version(bound)


def test_make_venv_installs_it_editable_after_its_pins_and_reinstalls_when_it_changes():
    rules = makefile_rules((REPO_ROOT / "Makefile").read_text())
    prerequisites, recipe = rules[".venv/.local-installed"]
    directory = DJANGO_FARGATE_DIR.relative_to(REPO_ROOT).as_posix()
    assert {f"{directory}/pyproject.toml", f"{directory}/requirements-build.txt"} <= set(
        prerequisites
    )
    installs = [line for line in recipe if "pip install" in line]
    # its build backend, hash checked; then the library itself, without build isolation (which
    # would fetch an unpinned backend) and --no-deps (requirements/local.txt pins them)
    assert f"--require-hashes -r {directory}/requirements-build.txt" in installs[-2]
    assert installs[-1].endswith(f"--no-deps --no-build-isolation -e {directory}")


def test_the_ca_bundle_is_where_the_stacks_database_url_points():
    from components.postgres.rds_parameters import RDS_CA_BUNDLE_PATH

    assert platform.RDS_CA_BUNDLE_PATH == RDS_CA_BUNDLE_PATH


def test_every_secret_of_the_web_contract_is_redacted_from_the_logs():
    from stack.contract import WEB

    environment = {v.name: f"value-of-{v.name}-0123456789" for v in WEB.variables if v.secret}
    assert environment  # the contract has secrets
    assert set(redaction.secret_values(environment)) >= set(environment.values())


def test_the_readme_names_every_environment_variable_the_library_reads():
    read = set()
    for source in DJANGO_FARGATE_SRC.rglob("*.py"):
        text = source.read_text()
        read |= set(re.findall(r"env(?:\.[a-z_]+)?\(\s*\"([A-Z0-9_]+)\"", text))
        read |= set(re.findall(r"environ\.get\(\"([A-Z0-9_]+)\"", text))
        read |= set(re.findall(r"environ\[\"([A-Z0-9_]+)\"\]", text))
    read.add(platform.BUILD_VARIABLE)
    assert {"DATABASE_URL", "AWS_S3_REGION_NAME", "GUNICORN_BIND", "DJANGO_APP_MODULE"} <= read
    assert {"APP_DB_USER", "APP_DB_PASSWORD", "PGDATABASE"} <= read  # rds_app_role
    readme = (DJANGO_FARGATE_DIR / "README.md").read_text()
    assert {name for name in read if f"`{name}`" not in readme} == set()


def test_every_name_of_the_readmes_public_api_resolves():
    readme = (DJANGO_FARGATE_DIR / "README.md").read_text()
    section = readme.split("## Public API", 1)[1].split("\n## ", 1)[0]
    names = set(re.findall(r"`(django_fargate(?:\.\w+)+)`", section))
    assert {"django_fargate.settings.platform_settings", "django_fargate.start.main"} <= names
    for dotted in sorted(names):
        module, _, attribute = dotted.rpartition(".")
        assert hasattr(importlib.import_module(module), attribute), dotted
