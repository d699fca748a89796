"""A busy site: many signed-in viewers read home and explore while others post and like.

The table of service/bench/run.py has one viewer reading a timeline nothing changes, where the
per-viewer
page cache serves every request whole. Here:
1. service/bench/sessions.py signs every bench user in (rows in the session table); the first
   --viewers of them are the viewers, each following about a tenth of the users, popular ones
   more often (service/bench/dataset.py).
2. Read-only: home, explore and /healthz take turns (--rounds) at the highest connection count,
   every request with the next viewer's cookies (service/bench/wrk_rotating.lua), after a warm-up
   that
   builds each viewer's pages once.
3. The same again while service/bench/writers.py posts (--post-rate) and likes (--like-rate) as
random
   users at fixed rates, and every gunicorn worker's resident memory is sampled.
4. In one process (service/bench/render_cost.py): what a page served whole from the cache costs, and
   what the same page costs when something on it changed, with cProfile of the latter.
"""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from service.bench import load
from service.bench.load import Endpoint, Measurement
from service.bench.writers import RateCheck, Writers, WriterSession
from tools.local.harness import RunningTopology

ENDPOINTS = ("home", "explore", "healthz")
WARM_ENOUGH = 0.05  # warm when fewer than this share of pages are built
WARM_UP_LIMIT_SECONDS = 90.0


@dataclass
class MixResults:
    viewers: int
    writers: int
    seconds: float
    connections: int
    read_only: dict[str, Measurement] = field(default_factory=dict)
    busy: dict[str, Measurement] = field(default_factory=dict)
    rates: list[RateCheck] = field(default_factory=list)
    worker_rss_mib: list[float] = field(default_factory=list)  # the most each worker used
    render_cost: dict = field(default_factory=dict)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("busy site (many viewers while others post and like)")
    group.add_argument("--viewers", type=int, default=200, help="viewers, one session each")
    group.add_argument("--mix-seconds", type=float, default=10, help="per endpoint and phase")
    group.add_argument(
        "--mix-connections",
        type=int,
        default=10,
        help="wrk connections of the viewers (few: a saturated queue would starve the writers)",
    )
    group.add_argument("--post-rate", type=float, default=5.0, help="posts per second")
    group.add_argument("--like-rate", type=float, default=10.0, help="likes per second")
    group.add_argument("--render-requests", type=int, default=60, help="per in-process case")


def check_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.viewers < 1 or args.viewers > args.users:
        parser.error("--viewers must be between 1 and --users")
    if args.post_rate < 0 or args.like_rate < 0:
        parser.error("--post-rate and --like-rate cannot be negative")


def measure(
    topology: RunningTopology,
    args: argparse.Namespace,
    django: Callable[..., dict],
    say: Callable[[str], None],
    while_writing: AbstractContextManager | None = None,
) -> MixResults:
    """Steps 1-4 above on a running topology holding the full data set; ``while_writing`` is
    entered for step 3 alone, the time the writers run (service/bench/rpo.py samples the WAL
    archive in it)."""
    top = args.mix_connections
    sessions_file = args.artifacts / "sessions.jsonl"
    summary = django("service.bench.sessions", f"--output={sessions_file}")
    sessions = [
        WriterSession(**json.loads(line)) for line in sessions_file.read_text().splitlines()
    ]
    cookie_file = args.artifacts / "viewer-cookies.txt"
    cookie_file.write_text("".join(f"{s.cookie}\n" for s in sessions[: args.viewers]))
    endpoints = {
        "home": Endpoint("home", "home timeline", "/", cookie_file=str(cookie_file)),
        "explore": Endpoint("explore", "explore", "/explore/", cookie_file=str(cookie_file)),
        "healthz": Endpoint("healthz", "/healthz", "/healthz"),
    }
    results = MixResults(
        viewers=args.viewers,
        writers=len(sessions),
        seconds=args.mix_seconds,
        connections=top,
    )
    ordered = [endpoints[key] for key in ENDPOINTS]

    say(f"busy site: {args.viewers} viewers warm their pages")
    for endpoint in ordered[:2]:
        _warm(topology, endpoint, top)
    say(f"busy site: read-only, {', '.join(ENDPOINTS)} in turns at {top} connections")
    results.read_only = _interleaved(topology, ordered, top, args)

    say(
        f"busy site: the same while {len(sessions)} users post {args.post_rate:g}/s "
        f"and like {args.like_rate:g}/s"
    )
    memory = _MemorySampler(topology)
    writers = Writers(
        topology.base_url,
        sessions,
        newest_tweet=summary["newest_tweet"],
        post_rate=args.post_rate,
        like_rate=args.like_rate,
    )
    with while_writing or nullcontext():
        memory.start()
        writers.start()
        try:
            results.busy = _interleaved(topology, ordered, top, args)
        finally:
            results.rates = writers.stop()
            results.worker_rss_mib = memory.stop()

    say("busy site: a page from the cache against a page after a change, in one process")
    results.render_cost = django(
        "service.bench.render_cost",
        f"--user={sessions[0].username}",
        f"--requests={args.render_requests}",
        f"--output={args.artifacts / 'profile' / 'render-cost.txt'}",
    )
    return results


def _warm(topology: RunningTopology, endpoint: Endpoint, connections: int) -> None:
    """Until nearly every page is served whole: every viewer's page built once on every worker
    (bounded by WARM_UP_LIMIT_SECONDS)."""
    spent = 0.0
    while spent < WARM_UP_LIMIT_SECONDS:
        warm = load.run(topology.base_url, endpoint, connections=connections, seconds=2)
        spent += warm.seconds
        if warm.built_share is not None and warm.built_share < WARM_ENOUGH:
            return


def _interleaved(
    topology: RunningTopology,
    endpoints: list[Endpoint],
    connections: int,
    args: argparse.Namespace,
) -> dict[str, Measurement]:
    return load.run_interleaved(
        topology.base_url,
        endpoints,
        connections=connections,
        seconds=args.mix_seconds,
        rounds=args.rounds,
    )


# --- memory of the gunicorn workers --------------------------------------------------------------


def gunicorn_workers(group: int, proc: Path = Path("/proc")) -> list[int]:
    """The pids of gunicorn's workers in process group `group`: gunicorn processes whose parent
    is a gunicorn process (the master)."""
    found: dict[int, int] = {}  # pid -> parent pid
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        parent, process_group = int(fields[1]), int(fields[2])
        if process_group == group and b"gunicorn" in command:
            found[int(entry.name)] = parent
    return sorted(pid for pid, parent in found.items() if parent in found)


def resident_mib(pid: int, proc: Path = Path("/proc")) -> float | None:
    try:
        status = (proc / str(pid) / "status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


class _MemorySampler:
    """Every half second, the resident memory of each gunicorn worker; keeps each one's most."""

    def __init__(self, topology: RunningTopology) -> None:
        self.group = topology.processes["web"].pid  # started in its own session and group
        self.most: dict[int, float] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._sample, name="rss", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> list[float]:
        self.stopping.set()
        self.thread.join()
        return sorted((round(mib, 1) for mib in self.most.values()), reverse=True)

    def _sample(self) -> None:
        while not self.stopping.is_set():
            for pid in gunicorn_workers(self.group):
                mib = resident_mib(pid)
                if mib is not None:
                    self.most[pid] = max(mib, self.most.get(pid, 0.0))
            self.stopping.wait(0.5)
