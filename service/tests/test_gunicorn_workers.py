"""gunicorn's workers are recycled rarely enough that their caches pay off, and the
application is imported per worker, not preloaded (the platform's django_fargate.gunicorn_conf,
which the demo runs; docs/DESIGN.md "gunicorn's workers")."""

from __future__ import annotations

import re
import runpy

from service.bench.run import STEPS
from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT

# A worker must outlive the warm-up of its caches by far: at least this long at the timeline
# throughput the benchmark measured for the deployed configuration.
MIN_WORKER_LIFETIME_SECONDS = 5 * 60


def gunicorn_config(monkeypatch, **environment: str) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DJANGO_FARGATE_SRC / "django_fargate" / "gunicorn_conf.py"))


def deployed_timeline_requests_per_second() -> float:
    """The timeline's requests/s of the deployed configuration, from docs/benchmarks.md."""
    text = (REPO_ROOT / "docs" / "benchmarks.md").read_text()
    deployed = STEPS[-1].title
    (row,) = [line for line in text.splitlines() if line.startswith(f"| {deployed} |")]
    return float(re.match(r"[\d,.]+", row.split("|")[2].strip())[0].replace(",", ""))


def test_a_worker_under_the_measured_load_lives_for_minutes(monkeypatch):
    config = gunicorn_config(monkeypatch)
    per_worker = deployed_timeline_requests_per_second() / config["workers"]
    # the jitter only lengthens a worker's life (gunicorn/workers/base.py, Worker.__init__:
    # max_requests + randint(0, max_requests_jitter)): the shortest is max_requests
    assert config["max_requests"] / per_worker >= MIN_WORKER_LIFETIME_SECONDS


def test_recycling_can_be_turned_off_or_tuned(monkeypatch):
    off = gunicorn_config(monkeypatch, GUNICORN_MAX_REQUESTS="0")
    assert (off["max_requests"], off["max_requests_jitter"]) == (0, 0)
    tuned = gunicorn_config(monkeypatch, GUNICORN_MAX_REQUESTS="5000")
    assert tuned["max_requests"] == 5000
    # a jitter in proportion keeps two workers with the same load from restarting together
    # at any setting
    for config in (gunicorn_config(monkeypatch), tuned):
        requests, jitter = config["max_requests"], config["max_requests_jitter"]
        assert requests // 20 <= jitter < requests


def test_the_application_is_imported_by_each_worker(monkeypatch):
    assert gunicorn_config(monkeypatch)["preload_app"] is False
