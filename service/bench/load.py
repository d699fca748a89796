"""Drive one endpoint with wrk and read back what it measured.

wrk (Debian package `wrk`) keeps a fixed number of connections busy for a fixed time on the
loopback interface; service/bench/wrk.lua adds the count of unexpected statuses and the SQL queries
per
response the server reported, and prints everything as one JSON line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
# The same, but each request carries the next of many sessions' cookies (Endpoint.cookie_file).
WRK_ROTATING_SCRIPT = Path(__file__).resolve().parent / "wrk_rotating.lua"
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
    # A file of Cookie header values, one per line: the requests take them in turn (many viewers).
    cookie_file: str = ""


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
    # Timeline pages only (X-Timeline-Served, service.bench.query_count): responses that said how
    # they
    # were served, how many of them were built rather than served whole from the page cache, and
    # how many cards they rendered in all.
    served_counted: int = 0
    built: int = 0
    cards_rendered: int = 0
    # 1,000 latency quantiles in ms (wrk's distribution), so rounds can be merged.
    quantiles_ms: tuple[float, ...] = field(default=(), repr=False)
    rounds: int = 1

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.socket_errors + self.unexpected_status

    @property
    def built_share(self) -> float | None:
        return self.built / self.served_counted if self.served_counted else None

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
        f"--script={WRK_ROTATING_SCRIPT if endpoint.cookie_file else WRK_SCRIPT}",
        base_url.rstrip("/") + endpoint.path,
    ]
    environment = {
        **os.environ,
        "BENCH_METHOD": endpoint.method,
        "BENCH_BODY": endpoint.body,
        "BENCH_COOKIE": endpoint.cookie,
        "BENCH_ORIGIN": endpoint.origin,
        "BENCH_EXPECT": str(endpoint.expect),
        "BENCH_COOKIE_FILE": endpoint.cookie_file,
        "BENCH_WRK_LUA": str(WRK_SCRIPT),
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
    if raw["requests"] == 0:
        # A run that completed nothing would enter the report as 0 requests/s beside real
        # figures; it means the service did not answer (not up yet, or every request failed).
        failures = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"]
        raise LoadError(
            f"wrk on {endpoint.path} completed no request in {seconds:g} s "
            f"({failures} socket errors, {raw['timeouts']} timeouts): "
            "the service did not answer; see the topology's logs"
        )
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
        served_counted=raw["served_counted"],
        built=raw["built"],
        cards_rendered=raw["cards_rendered"],
        quantiles_ms=tuple(value / 1000 for value in raw["quantiles_us"]),
    )


def run_interleaved(
    base_url: str,
    endpoints: Sequence[Endpoint],
    *,
    connections: int,
    seconds: float,
    rounds: int,
) -> dict[str, Measurement]:
    """Measure several endpoints in turns (a, b, a, b, ...), `seconds` each in all.

    On a machine where other work comes and goes, endpoints measured one after the other see
    different background load, and a ratio between them says more about the neighbours than
    about the service. Taking turns in short rounds gives every endpoint the same conditions.
    """
    rounds = max(1, min(rounds, int(seconds)))
    parts: dict[str, list[Measurement]] = {endpoint.key: [] for endpoint in endpoints}
    for _ in range(rounds):
        for endpoint in endpoints:
            parts[endpoint.key].append(
                run(base_url, endpoint, connections=connections, seconds=seconds / rounds)
            )
    return {key: merge(measurements) for key, measurements in parts.items()}


def merge(parts: Sequence[Measurement]) -> Measurement:
    """One measurement from several runs of the same endpoint and connection count."""
    first = parts[0]
    if len(parts) == 1:
        return first
    weighted = sorted(
        (value, part.requests / len(part.quantiles_ms))
        for part in parts
        for value in part.quantiles_ms
    )
    return replace(
        first,
        seconds=sum(part.seconds for part in parts),
        requests=sum(part.requests for part in parts),
        p50_ms=_quantile(weighted, 0.50),
        p99_ms=_quantile(weighted, 0.99),
        socket_errors=sum(part.socket_errors for part in parts),
        unexpected_status=sum(part.unexpected_status for part in parts),
        first_unexpected_status=next(
            (part.first_unexpected_status for part in parts if part.first_unexpected_status), 0
        ),
        queries_counted=sum(part.queries_counted for part in parts),
        queries_total=sum(part.queries_total for part in parts),
        queries_max=max(part.queries_max for part in parts),
        served_counted=sum(part.served_counted for part in parts),
        built=sum(part.built for part in parts),
        cards_rendered=sum(part.cards_rendered for part in parts),
        quantiles_ms=(),
        rounds=len(parts),
    )


def _quantile(weighted: Sequence[tuple[float, float]], q: float) -> float:
    """The value below which a share `q` of the total weight lies."""
    total = sum(weight for _, weight in weighted)
    if not total:
        return 0.0
    running = 0.0
    for value, weight in weighted:
        running += weight
        if running >= q * total:
            return value
    return weighted[-1][0]
