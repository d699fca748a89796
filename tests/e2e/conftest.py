"""One local topology (nginx, gunicorn + Django, Postgres, S3 and SMTP stand-ins) per test session,
and a real browser for the tests that need one.

It runs on free ports in a fresh data directory, beside any `make local`. Logs and screenshots
are kept under artifacts/e2e/<time>/ (git-ignored) for after the run.

The browser is Debian's chromium driven by Playwright (Playwright's own browser downloads are
not used). It acts as if it reached nginx through the ALB (`X-Forwarded-Proto: https`), so
Django runs with its deployed settings.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from stack.paths import ARTIFACTS_DIR
from tools.local.harness import RunningTopology

if TYPE_CHECKING:
    from tests.e2e.test_backup_restore import Database


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = ARTIFACTS_DIR / "e2e" / time.strftime("%Y%m%d-%H%M%S")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def running_topology(artifacts_dir: Path) -> Iterator[RunningTopology]:
    topology = RunningTopology(log_dir=artifacts_dir / "logs")
    try:
        seconds = topology.start_all(timeout=180)
        (artifacts_dir / "startup.txt").write_text(f"healthy after {seconds:.1f} s\n")
        yield topology
    finally:
        topology.stop_all()
        shutil.rmtree(topology.data_dir, ignore_errors=True)


@pytest.fixture
def topology(running_topology: RunningTopology) -> RunningTopology:
    """The session's topology, with every process running and /healthz green before the test.

    A test that breaks a process restarts it; if it failed half-way, this puts things back so
    one failure does not cascade into the next tests.
    """
    for name in running_topology.commands:
        if not running_topology.is_running(name):
            running_topology.start(name)
    running_topology.wait_ready(timeout=120)
    return running_topology


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    # We run as root in CI, where chromium's sandbox cannot start.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, topology: RunningTopology) -> Iterator[Page]:
    context = browser.new_context(
        base_url=topology.base_url,
        extra_http_headers={"X-Forwarded-Proto": "https"},
        viewport={"width": 1000, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def database(artifacts_dir: Path, request) -> Iterator[Database]:
    """A local db process (guard, prepare, backup step) archiving to its own S3 stand-in, with a
    probe table whose rows the backup and drill tests write and count."""
    from tests.e2e.test_backup_restore import Database

    database = Database(artifacts_dir / "logs" / request.node.name)
    database.start()
    database.query(
        "CREATE TABLE probe_tweet (id bigserial PRIMARY KEY, text text NOT NULL, "
        "created_at timestamptz NOT NULL DEFAULT clock_timestamp())"
    )
    try:
        yield database
    finally:
        database.stop()
        shutil.rmtree(database.topology.data_dir, ignore_errors=True)
