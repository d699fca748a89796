"""What one `make bench` run measured (service/bench/run.py fills it in, service/bench/report.py
writes
it out),
and how its figures are written in the report."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.bench.load import Measurement
from service.bench.mix import MixResults


@dataclass
class Results:
    """Everything the report is written from."""

    options: dict
    machine: dict
    started_at: str
    dataset_small: dict = field(default_factory=dict)
    dataset: dict = field(default_factory=dict)
    queries_small: dict = field(default_factory=dict)
    queries: dict = field(default_factory=dict)
    profile: dict = field(default_factory=dict)
    candidates: list[tuple[str, Measurement, Measurement]] = field(default_factory=list)
    chosen: str = ""
    steps: list[tuple[str, Measurement, Measurement]] = field(default_factory=list)
    table: list[Measurement] = field(default_factory=list)
    endpoints: dict[str, str] = field(default_factory=dict)
    seconds_total: float = 0.0
    worker_recycles: int = 0  # gunicorn workers restarted by max_requests during the table
    # path -> (requests, requests gunicorn took longer than SLOW_SECONDS on) during the table
    slow_requests: dict[str, tuple[int, int]] = field(default_factory=dict)
    slow_seconds: float = 0.1  # the threshold of slow_requests (SLOW_SECONDS)
    log_dir: str = ""
    mix: MixResults | None = None  # the busy site (service/bench/mix.py)


# --- how a figure is written ---------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def rps(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def queries_of(m: Measurement) -> str:
    mean = m.queries_mean
    if mean is None:
        return "- (nginx only)"
    if m.queries_max == round(mean) and abs(mean - round(mean)) < 0.005:
        return f"{m.queries_max}"
    return f"{mean:.2f} (max {m.queries_max})"


def errors_of(m: Measurement) -> str:
    if not m.errors:
        return "0"
    parts = []
    if m.socket_errors:
        parts.append(f"{m.socket_errors} socket")
    if m.unexpected_status:
        parts.append(f"{m.unexpected_status} x HTTP {m.first_unexpected_status}")
    return ", ".join(parts)


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0
