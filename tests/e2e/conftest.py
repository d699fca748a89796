"""One local topology (nginx, gunicorn + Django, Postgres, S3 and SMTP stand-ins) per test session.

It runs on free ports in a fresh data directory, beside any `make local`. Logs and screenshots
are kept under artifacts/e2e/<time>/ (git-ignored) for after the run.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from local.harness import RunningTopology
from paths import ARTIFACTS_DIR


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
