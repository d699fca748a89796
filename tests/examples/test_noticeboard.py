"""examples/noticeboard: a Django app that is not the demo, on the platform's library.

Its specifications are its own (examples/noticeboard/notices/tests/), run here by Django's test
runner in a fresh interpreter with the environment a task gives the web container and a real
PostgreSQL, as a team would run them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.examples.noticeboard import NOTICEBOARD, task_environment
from tests.postgres_servers import running_server


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    with running_server("noticeboard-test-pg-", "noticeboard", "-c fsync=off") as server:
        yield f"postgres://{server.user}@{server.host}:{server.port}/noticeboard"


def manage(
    database_url: str, tmp_path, *arguments: str, **variables: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=NOTICEBOARD,
        env={**task_environment(tmp_path / "static", database_url), **variables},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_its_own_specifications_pass_against_postgres(database_url, tmp_path):
    result = manage(database_url, tmp_path, "test", "notices", "--noinput", "-v", "2")
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    # Every one it found ran and passed: Django's runner says "... ok" for each.
    (found,) = re.findall(r"Found (\d+) test\(s\)", report)
    assert int(found) > 0
    assert report.count(" ... ok") == int(found), report


def test_its_migrations_match_its_models(database_url, tmp_path):
    result = manage(database_url, tmp_path, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_its_deploy_checks_pass_with_the_platform_s_settings(database_url, tmp_path):
    result = manage(database_url, tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_admin_lives_where_its_secret_says(database_url, tmp_path):
    where = "from django.urls import reverse; print(reverse('admin:index'))"
    default = manage(database_url, tmp_path, "shell", "-c", where)
    assert default.stdout.splitlines()[-1] == "/admin/", default.stderr
    environment = {"NOTICEBOARD_ADMIN_PATH": "desk-4f1c/"}
    moved = manage(database_url, tmp_path, "shell", "-c", where, **environment)
    assert moved.stdout.splitlines()[-1] == "/desk-4f1c/", moved.stderr
