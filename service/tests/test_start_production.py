"""The demo started by the web image's command, the platform's `python -m django_fargate.start`:
migrations under the lock, then gunicorn with the platform's configuration, serving pages whose
static URLs come from the manifest collect-static.sh wrote at image build; the platform's health
check reports it healthy, and SIGTERM stops it gracefully within the ECS stop timeout."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

import psycopg
import pytest

from service.tests.environments import production_environment
from stack.paths import DJANGO_FARGATE_SRC, SERVICE_DIR
from tests.postgres_servers import free_port

ECS_DEFAULT_STOP_TIMEOUT = 30


@pytest.fixture
def empty_database(postgresql_server):
    name = f"django_tw_start_{uuid.uuid4().hex[:8]}"
    admin = f"postgres://postgres@{postgresql_server.host}:{postgresql_server.port}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@{postgresql_server.host}:{postgresql_server.port}/{name}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def healthcheck(port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "django_fargate.healthcheck"],
        env={**library_path(os.environ), "HEALTHCHECK_URL": f"http://127.0.0.1:{port}/livez"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def library_path(environment) -> dict[str, str]:
    """``environment`` that imports the platform's library from the checkout, as the image has
    it installed."""
    return {**environment, "PYTHONPATH": str(DJANGO_FARGATE_SRC)}


# The web image's command, run from its WORKDIR (the project's directory, /app).
WEB_COMMAND = [sys.executable, "-m", "django_fargate.start"]


def start_until_healthy(command: list[str], cwd, environment: dict[str, str], port: int):
    """Starts ``command`` from ``cwd``; returns it once the health check passes on ``port``.

    A command that exits or stays unhealthy for 60 s fails the test and is stopped.
    """
    web = subprocess.Popen(
        command,
        cwd=cwd,
        env=library_path(environment),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while healthcheck(port).returncode != 0:
            assert web.poll() is None, web.stdout.read()
            assert time.monotonic() < deadline, f"{command} did not become healthy"
            time.sleep(0.3)
    except BaseException:
        stop(web)
        raise
    return web


def stop(web: subprocess.Popen) -> str:
    """Sends SIGTERM as ECS does and returns everything the process wrote."""
    web.send_signal(signal.SIGTERM)
    output, _ = web.communicate(timeout=ECS_DEFAULT_STOP_TIMEOUT)
    return output


def collect_static(static_root, environment: dict[str, str]) -> None:
    """What the image build runs (service/Dockerfile): collect-static.sh into ``static_root``."""
    subprocess.run(
        [str(SERVICE_DIR / "collect-static.sh")],
        env={**library_path(environment), "DJANGO_STATIC_ROOT": str(static_root)},
        check=True,
        timeout=120,
    )


def test_the_image_command_migrates_and_serves_from_a_read_only_static_root(
    tmp_path, empty_database, s3_endpoint
):
    port = free_port()
    environment = production_environment(
        tmp_path,
        DATABASE_URL=empty_database,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        DJANGO_APP_MODULE="config.wsgi:application",  # the image's ENV
    )
    environment["PATH"] = f"{os.path.dirname(sys.executable)}:{environment['PATH']}"
    static_root = tmp_path / "static"
    collect_static(static_root, environment)
    # In the image the collected files belong to root: the start must not need to write there.
    for directory in (static_root, static_root / "css"):
        directory.chmod(0o555)
    web = start_until_healthy(WEB_COMMAND, SERVICE_DIR, environment, port)
    try:
        with psycopg.connect(empty_database) as connection:
            tables = {
                row[0]
                for row in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            }
        assert {"tweets_tweet", "tweets_like", "accounts_follow", "accounts_profile"} <= tables
        # A page names the stylesheet by the hashed name the build collected (and nginx has).
        hashed = next((static_root / "css").glob("site.*.css")).name
        page = urllib.request.Request(
            f"http://127.0.0.1:{port}/accounts/login/",
            headers={"Host": "tw.example.com", "X-Forwarded-Proto": "https"},
        )
        with urllib.request.urlopen(page, timeout=10) as response:
            assert f"/static/css/{hashed}" in response.read().decode()

        down = healthcheck(free_port())
        assert down.returncode == 1
        assert "failed" in down.stderr
    finally:
        started_stopping = time.monotonic()
        output = stop(web)
        for directory in (static_root, static_root / "css"):
            directory.chmod(0o755)
    assert time.monotonic() - started_stopping < ECS_DEFAULT_STOP_TIMEOUT
    assert web.returncode == 0, output
    assert "Migration lock acquired." in output
    assert '"GET /livez HTTP/1.1" 200' in output  # the access log goes to stdout


def test_collect_static_writes_hashed_files_and_their_manifest(tmp_path):
    environment = {"PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    collect_static(tmp_path / "static", environment)
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    hashed = list((tmp_path / "static" / "css").glob("site.*.css"))
    assert hashed, "no hashed stylesheet"
    assert f"css/{hashed[0].name}" in manifest
    # Twice from the same code: the same names, so the web and nginx images agree.
    collect_static(tmp_path / "again", environment)
    assert (tmp_path / "again" / "staticfiles.json").read_text() == manifest


def test_start_sh_serves_the_development_site_with_its_static_files(tmp_path, empty_database):
    port = free_port()
    environment = {
        "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}",
        "DATABASE_URL": empty_database,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    # Started from another directory: the script finds its own.
    web = start_until_healthy([str(SERVICE_DIR / "start.sh")], tmp_path, environment, port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css") as response:
            assert response.status == 200
            assert b"django-tw" in response.read()
    finally:
        output = stop(web)
    assert "Migration lock acquired." in output
