"""Readings from gunicorn's access and error log (the web process's log in the harness)."""

from __future__ import annotations

import re
from pathlib import Path

SLOW_SECONDS = 0.1
# gunicorn's access log (django_fargate.gunicorn_conf): ... "GET /path HTTP/1.1" 200 58386 0.012345s
ACCESS_LINE = re.compile(r'"GET (\S+) HTTP/1\.1" \d+ \S+ ([\d.]+)s')


def size(log: Path) -> int:
    """Where the log ends now: an offset for slow_requests."""
    return log.stat().st_size if log.exists() else 0


def slow_requests(log: Path, offset: int) -> dict[str, tuple[int, int]]:
    """Per page, how many requests gunicorn served since `offset` and how many took longer than
    SLOW_SECONDS (by gunicorn's own clock: a cache miss that renders the page, typically)."""
    with log.open("rb") as handle:
        handle.seek(offset)
        text = handle.read().decode(errors="replace")
    counts: dict[str, list[int]] = {"/": [0, 0], "/explore/": [0, 0]}
    for path, seconds in ACCESS_LINE.findall(text):
        if path in counts:
            counts[path][0] += 1
            counts[path][1] += float(seconds) > SLOW_SECONDS
    return {path: (total, slow) for path, (total, slow) in counts.items()}


def worker_recycles(log: Path) -> int:
    """How many times gunicorn has replaced a worker that reached max_requests, so far."""
    if not log.exists():
        return 0
    return log.read_text(errors="replace").count("Autorestarting worker")
