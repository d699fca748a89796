"""start.production.sh, the web container's command: migrations under the lock, then gunicorn
with gunicorn.conf.py, serving pages whose static URLs come from the manifest collect-static.sh
wrote at image build; healthcheck.py reports it healthy, and SIGTERM stops it gracefully within
the ECS stop timeout."""

import os
import runpy
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

import psycopg
import pytest

from stack.paths import SERVICE_DIR
from tests.service.environments import production_environment
from tests.service.postgres import free_port

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
        [sys.executable, str(SERVICE_DIR / "healthcheck.py")],
        env={**os.environ, "HEALTHCHECK_URL": f"http://127.0.0.1:{port}/livez"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def start_until_healthy(script: str, cwd, environment: dict[str, str], port: int):
    """Starts service/<script> from `cwd`; returns it once healthcheck.py passes on `port`.

    A script that exits or stays unhealthy for 60 s fails the test and is stopped.
    """
    web = subprocess.Popen(
        [str(SERVICE_DIR / script)],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while healthcheck(port).returncode != 0:
            assert web.poll() is None, web.stdout.read()
            assert time.monotonic() < deadline, f"{script} did not become healthy"
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
        env={**environment, "DJANGO_STATIC_ROOT": str(static_root)},
        check=True,
        timeout=120,
    )


def test_start_production_migrates_and_serves_from_a_read_only_static_root(
    tmp_path, empty_database, s3_endpoint
):
    port = free_port()
    environment = production_environment(
        tmp_path,
        DATABASE_URL=empty_database,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        AWS_S3_ENDPOINT_URL=s3_endpoint,
    )
    environment["PATH"] = f"{os.path.dirname(sys.executable)}:{environment['PATH']}"
    static_root = tmp_path / "static"
    collect_static(static_root, environment)
    # In the image the collected files belong to root: the start must not need to write there.
    for directory in (static_root, static_root / "css"):
        directory.chmod(0o555)
    # Started from another directory: the script must find its own.
    web = start_until_healthy("start.production.sh", tmp_path, environment, port)
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


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9000")
    config = runpy.run_path(str(SERVICE_DIR / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert config["threads"] == 4
    assert config["bind"] == "127.0.0.1:9000"
    assert config["worker_tmp_dir"] == "/dev/shm"
    assert config["accesslog"] == "-"
    assert config["graceful_timeout"] < ECS_DEFAULT_STOP_TIMEOUT


def test_gunicorn_defaults_match_the_container_contract(monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(SERVICE_DIR / "gunicorn.conf.py"))
    # The task's loopback only: the VPC reaches the task through nginx, never past it.
    assert config["bind"] == "127.0.0.1:8000"
    assert config["threads"] == 1


def test_the_container_health_check_asks_gunicorn_for_liveness(monkeypatch):
    # Liveness of gunicorn itself: a database outage must not get the web container killed.
    monkeypatch.delenv("HEALTHCHECK_URL", raising=False)
    assert runpy.run_path(str(SERVICE_DIR / "healthcheck.py"))["URL"] == (
        "http://127.0.0.1:8000/livez"
    )


def test_start_sh_serves_the_development_site_with_its_static_files(tmp_path, empty_database):
    port = free_port()
    environment = {
        "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}",
        "DATABASE_URL": empty_database,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    web = start_until_healthy("start.sh", tmp_path, environment, port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css") as response:
            assert response.status == 200
            assert b"django-tw" in response.read()
    finally:
        output = stop(web)
    assert "Migration lock acquired." in output
