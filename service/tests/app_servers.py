"""Several copies of the web service on one database, as several tasks run it behind the ALB.

Each copy is its own gunicorn process (so its own in-memory caches), started from the service's
directory with DATABASE_URL pointing at a database of the session's server; the tests that use
them create that database, migrate it the way a starting task does, and drop it afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import requests

from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT, SERVICE_DIR
from tests.postgres_servers import free_port

GUNICORN = Path(sys.executable).with_name("gunicorn")
# config.settings.test with the timeline cache on, as in production.
CACHED_SETTINGS = "service.tests.cached_timeline_settings"


def service_environment(database_url: str, settings: str = "config.settings.test") -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join([str(SERVICE_DIR), str(REPO_ROOT), str(DJANGO_FARGATE_SRC)]),
    }


@contextmanager
def fresh_database(host: str, port: int, user: str = "postgres") -> Iterator[str]:
    """An empty database on the server for the test (its URL), dropped afterwards."""
    name = f"starters_{uuid.uuid4().hex[:10]}"
    admin = f"postgres://{user}@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgres://{user}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_migrations(database_url: str) -> subprocess.Popen:
    """`manage.py migrate_locked`, as django_fargate.start runs it before gunicorn."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "migrate_locked", "--noinput"],
        cwd=SERVICE_DIR,
        env=service_environment(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def migrate(database_url: str) -> str:
    process = start_migrations(database_url)
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, output
    return output


def manage(database_url: str, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=SERVICE_DIR,
        env=service_environment(database_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextmanager
def app_server(database_url: str, settings: str = CACHED_SETTINGS) -> Iterator[str]:
    """One gunicorn process (one worker) serving the site; yields its base URL."""
    port = free_port()
    environment = {
        **service_environment(database_url, settings),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "python:django_fargate.gunicorn_conf", "config.wsgi:application"],
        cwd=SERVICE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}/livez", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or busy starting
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not start: {process.stderr.read()[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
