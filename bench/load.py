"""Drive one endpoint with wrk and read back what it measured.

wrk (Debian package `wrk`) keeps a fixed number of connections busy for a fixed time on the
loopback interface; bench/wrk.lua adds the count of unexpected statuses and the SQL queries per
response the server reported, and prints everything as one JSON line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
RESULT_PREFIX = "BENCH_RESULT "


class LoadError(RuntimeError):
    """wrk is missing or did not produce a result; the message says what to do."""


@dataclass(frozen=True)
class Endpoint:
    """One request shape: what wrk sends and which status every answer should have."""

    key: str  # short name used in the report and on the command line
    title: str
    path: str
    method: str = "GET"
    expect: int = 200
    body: str = ""
    cookie: str = ""
    origin: str = ""
    through_django: bool = True  # False: nginx answers on its own (static files)


@dataclass(frozen=True)
class Measurement:
    endpoint: str
    connections: int
    seconds: float
    requests: int
    p50_ms: float
    p99_ms: float
    socket_errors: int
    unexpected_status: int
    first_unexpected_status: int
    queries_counted: int
    queries_total: int
    queries_max: int
    label: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.socket_errors + self.unexpected_status

    @property
    def queries_mean(self) -> float | None:
        if not self.queries_counted:
            return None
        return self.queries_total / self.queries_counted


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise LoadError("wrk is not installed: `apt-get install wrk` (Debian/Ubuntu package)")
    return found


def run(
    base_url: str,
    endpoint: Endpoint,
    *,
    connections: int,
    seconds: float,
    label: str = "",
    timeout_s: int = 10,
) -> Measurement:
    """Keep `connections` connections busy on `endpoint` for `seconds`; return the figures."""
    threads = max(1, min(connections, os.cpu_count() or 1))
    command = [
        wrk_binary(),
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={timeout_s}s",
        f"--script={WRK_SCRIPT}",
        base_url.rstrip("/") + endpoint.path,
    ]
    environment = {
        **os.environ,
        "BENCH_METHOD": endpoint.method,
        "BENCH_BODY": endpoint.body,
        "BENCH_COOKIE": endpoint.cookie,
        "BENCH_ORIGIN": endpoint.origin,
        "BENCH_EXPECT": str(endpoint.expect),
    }
    finished = subprocess.run(
        command,
        env=environment,
        capture_output=True,
        text=True,
        timeout=seconds + timeout_s + 60,
        check=False,
    )
    line = next(
        (row for row in finished.stdout.splitlines() if row.startswith(RESULT_PREFIX)), None
    )
    if finished.returncode != 0 or line is None:
        raise LoadError(
            f"wrk on {endpoint.path} failed (exit {finished.returncode}):\n"
            f"{finished.stdout[-2000:]}\n{finished.stderr[-2000:]}"
        )
    raw = json.loads(line.removeprefix(RESULT_PREFIX))
    return Measurement(
        endpoint=endpoint.key,
        connections=connections,
        seconds=raw["duration_us"] / 1e6,
        requests=raw["requests"],
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        socket_errors=raw["connect_errors"]
        + raw["read_errors"]
        + raw["write_errors"]
        + raw["timeouts"],
        unexpected_status=raw["unexpected"],
        first_unexpected_status=raw["first_unexpected"],
        queries_counted=raw["counted"],
        queries_total=raw["queries"],
        queries_max=raw["max_queries"],
        label=label,
    )
