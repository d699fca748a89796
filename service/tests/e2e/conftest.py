"""The demo's whole local topology (nginx, gunicorn + Django, Postgres, S3 and SMTP stand-ins),
once per test session, and a real browser for the tests that need one.

It runs on free ports in a fresh data directory, beside any `make local`. Logs and screenshots
are kept under artifacts/e2e/<time>/ (git-ignored) for after the run. The browser acts as if
it reached nginx through the ALB (`X-Forwarded-Proto: https`), so Django runs with its
deployed settings.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.browser import chromium
from tests.e2e.conftest import artifacts_dir
from tools.local.app import LocalApp
from tools.local.harness import RunningTopology

__all__ = ["artifacts_dir", "browser", "page", "running_topology", "topology"]


@pytest.fixture(scope="session")
def running_topology(artifacts_dir: Path) -> Iterator[RunningTopology]:
    topology = RunningTopology(log_dir=artifacts_dir / "logs", app=LocalApp.demo())
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


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
