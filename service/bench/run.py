"""`make bench`: measure the service through nginx and write docs/benchmarks.md.

The steps, in order (every figure in the report comes from this run):
1. Start the local production topology (nginx, gunicorn + Django, Postgres behind the lock guard,
   the S3 and SMTP stand-ins) on free ports in a fresh directory, with service.bench.settings: the
   production settings plus a per-response SQL query count.
2. Load the small data set (users, follows, --small-tweets tweets) and count the queries of a
   timeline page; grow it to --tweets tweets and count again; profile the timeline with
   pyinstrument (service/bench/profile.py).
3. Choose gunicorn's workers x threads: each candidate serves the home timeline and /healthz at
   the highest connection count; the best timeline throughput wins.
4. Show what each optimisation buys: the same two measurements without the cached template
   loader and without the timeline cache, then with each added.
5. Measure every endpoint at every connection count with wrk. The GET endpoints take turns in
   short rounds, so each sees the same background load and their ratios hold on a busy machine;
   posting comes last because it adds tweets.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

from service.bench import load, mix, report, web_log
from service.bench.load import Endpoint, Measurement
from service.bench.machine import machine_info
from service.bench.results import Results
from stack.paths import ARTIFACTS_DIR, DJANGO_FARGATE_SRC, REPO_ROOT, SERVICE_DIR
from tools.local.client import CSRF_INPUT, SiteClient
from tools.local.harness import RunningTopology

DEFAULT_OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"
ENDPOINT_ORDER = ("healthz", "static", "timeline", "explore", "post")


@dataclass(frozen=True)
class WebSetting:
    """gunicorn's process model: WEB_CONCURRENCY workers, GUNICORN_THREADS threads each."""

    workers: int
    threads: int

    @classmethod
    def parse(cls, text: str) -> WebSetting:
        match = re.fullmatch(r"(\d+)x(\d+)", text.strip())
        if not match or int(match.group(1)) < 1 or int(match.group(2)) < 1:
            raise argparse.ArgumentTypeError(
                f"{text!r}: write a gunicorn setting as WORKERSxTHREADS, e.g. 2x1 or 2x4"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.workers}x{self.threads}"

    @property
    def environment(self) -> dict[str, str]:
        return {"WEB_CONCURRENCY": str(self.workers), "GUNICORN_THREADS": str(self.threads)}


@dataclass(frozen=True)
class Step:
    """One configuration of the service for the "what each step bought" table."""

    title: str
    environment: dict[str, str]


STEPS = (
    Step(
        "templates re-read on every render, no timeline cache",
        {"BENCH_TEMPLATE_LOADER": "uncached", "BENCH_TIMELINE_CACHE": "off"},
    ),
    Step(
        "+ cached template loader (Django's default without DEBUG)",
        {"BENCH_TEMPLATE_LOADER": "cached", "BENCH_TIMELINE_CACHE": "off"},
    ),
    Step(
        "+ per-viewer page cache, its version read with the user (as deployed)",
        {"BENCH_TEMPLATE_LOADER": "cached", "BENCH_TIMELINE_CACHE": "on"},
    ),
)
DEPLOYED = STEPS[-1].environment
# Not deployed: shows what gunicorn's worker recycling costs (max_requests in
# django_fargate.gunicorn_conf).
NO_RECYCLING = Step(
    "(not deployed) the same, workers never recycled: GUNICORN_MAX_REQUESTS=0",
    {**DEPLOYED, "GUNICORN_MAX_REQUESTS": "0"},
)


class BenchError(RuntimeError):
    """A step of the benchmark failed; the message says which and why."""


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        results = run(args)
    except (BenchError, load.LoadError) as error:
        print(f"make bench: {error}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report.render(results))
    print(f"bench: wrote {args.output} ({results.seconds_total:.0f} s)", flush=True)
    return 0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m service.bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--tweets", type=int, default=50_000)
    parser.add_argument("--small-tweets", type=int, default=1000, help="first size measured")
    parser.add_argument("--follows", type=int, default=100, help="follows of a typical user")
    parser.add_argument("--seconds", type=float, default=10, help="per wrk run of the table")
    parser.add_argument("--step-seconds", type=float, default=8, help="per selection/step run")
    parser.add_argument(
        "--connections",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 10, 50],
        help="comma-separated concurrent connections; the last one is used for the ratios",
    )
    parser.add_argument(
        "--candidates",
        type=lambda text: [WebSetting.parse(part) for part in text.split(",")],
        default=[WebSetting(2, 1), WebSetting(3, 1), WebSetting(4, 1), WebSetting(2, 4)],
        help="gunicorn WORKERSxTHREADS settings to choose from, e.g. 2x1,4x1,2x4",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="the table's GET endpoints take turns in this many rounds per connection count",
    )
    parser.add_argument("--profile-requests", type=int, default=20)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--artifacts",
        type=Path,
        default=ARTIFACTS_DIR / "bench" / time.strftime("%Y%m%d-%H%M%S"),
        help="logs and profiler reports (git-ignored)",
    )
    mix.add_arguments(parser)
    args = parser.parse_args(argv)
    # Bench's Django scripts run in service/: a relative path must not change meaning there.
    args.artifacts = args.artifacts.resolve()
    if args.small_tweets >= args.tweets:
        parser.error("--small-tweets must be smaller than --tweets")
    mix.check_arguments(parser, args)
    return args


# --- the run -----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Results:
    began = time.monotonic()
    load.wrk_binary()  # fail before minutes of setup if the load generator is missing
    results = Results(
        options={
            key: str(value) if isinstance(value, Path) else value
            for key, value in vars(args).items()
            if key not in ("candidates",)
        }
        | {"candidates": [str(c) for c in args.candidates]},
        machine=machine_info(),
        started_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    args.artifacts.mkdir(parents=True, exist_ok=True)
    topology = RunningTopology(log_dir=args.artifacts / "logs")
    artifacts = args.artifacts.resolve()
    results.log_dir = str(
        artifacts.relative_to(REPO_ROOT) if artifacts.is_relative_to(REPO_ROOT) else artifacts
    )
    first = args.candidates[0]
    topology.environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "service.bench.settings",
            "PYTHONPATH": os.pathsep.join(
                [str(REPO_ROOT), str(SERVICE_DIR), str(DJANGO_FARGATE_SRC)]
            ),
            # Plain http on loopback, as `make local` runs: the load generator plays a browser.
            "DJANGO_HTTPS": "false",
            **first.environment,
            **DEPLOYED,
        }
    )
    password = secrets.token_urlsafe(18)
    topology.environment["BENCH_PASSWORD"] = password
    try:
        _say(f"starting the topology on {topology.base_url}")
        topology.start_all(timeout=180)

        _say(f"loading {args.users} users and {args.small_tweets} tweets")
        results.dataset_small = _dataset(topology, args, args.small_tweets)
        results.queries_small = _profile(topology, args, results.dataset_small, "small", 3)
        _say(f"growing the data set to {args.tweets} tweets")
        results.dataset = _dataset(topology, args, args.tweets)
        _say("profiling the timeline (pyinstrument)")
        results.profile = _profile(topology, args, results.dataset, "full", args.profile_requests)
        results.queries = results.profile

        user = results.dataset["typical_user"]
        endpoints = _endpoints(topology, user, password)
        results.endpoints = {e.key: e.title for e in endpoints.values()}
        top = max(args.connections)

        for candidate in args.candidates:
            _say(f"gunicorn {candidate}: timeline and /healthz at {top} connections")
            _restart_web(topology, {**candidate.environment, **DEPLOYED})
            timeline, healthz = _pair(topology, endpoints, top, args.step_seconds, str(candidate))
            results.candidates.append((str(candidate), timeline, healthz))
        best = max(results.candidates, key=lambda row: (row[1].rps, -len(row[0])))
        chosen = WebSetting.parse(best[0])
        results.chosen = str(chosen)

        for step in (*STEPS, NO_RECYCLING, STEPS[-1]):
            if step is STEPS[-1] and results.steps and results.steps[-1][0] == NO_RECYCLING.title:
                # Back to the deployed configuration for the table (no measurement).
                topology.environment.pop("GUNICORN_MAX_REQUESTS", None)
                _restart_web(topology, {**chosen.environment, **step.environment})
                break
            _say(f"step: {step.title}")
            _restart_web(topology, {**chosen.environment, **step.environment})
            timeline, healthz = _pair(topology, endpoints, top, args.step_seconds, step.title)
            results.steps.append((step.title, timeline, healthz))

        log = topology.log_dir / "web.log"
        recycled_before = web_log.worker_recycles(log)
        log_offset = web_log.size(log)
        readers = [endpoints[key] for key in ENDPOINT_ORDER if key != "post"]
        for connections in args.connections:
            _say(f"{', '.join(e.key for e in readers)} in turns at {connections} connections")
            measured = load.run_interleaved(
                topology.base_url,
                readers,
                connections=connections,
                seconds=args.seconds,
                rounds=args.rounds,
            )
            results.table.extend(measured.values())
        for connections in args.connections:
            # Last: every post adds a tweet (and invalidates the followers' cached pages).
            _say(f"post at {connections} connections")
            results.table.append(
                load.run(
                    topology.base_url,
                    endpoints["post"],
                    connections=connections,
                    seconds=args.seconds,
                )
            )
        results.table.sort(key=lambda m: (ENDPOINT_ORDER.index(m.endpoint), m.connections))
        results.worker_recycles = web_log.worker_recycles(log) - recycled_before
        results.slow_requests = web_log.slow_requests(log, log_offset)
        results.slow_seconds = web_log.SLOW_SECONDS

        results.mix = mix.measure(
            topology, args, lambda module, *more: _django(topology, module, *more), _say
        )
    except Exception as error:
        raise BenchError(f"{error}\n{topology.diagnostics()}") from error
    finally:
        topology.stop_all()
        shutil.rmtree(topology.data_dir, ignore_errors=True)
    results.seconds_total = time.monotonic() - began
    return results


def _say(message: str) -> None:
    print(f"bench: {message}", flush=True)


def _pair(
    topology: RunningTopology,
    endpoints: dict[str, Endpoint],
    connections: int,
    seconds: float,
    label: str,
) -> tuple[Measurement, Measurement]:
    """The home timeline and /healthz in turns (2-second rounds), for a ratio of the two."""
    measured = load.run_interleaved(
        topology.base_url,
        [endpoints["timeline"], endpoints["healthz"]],
        connections=connections,
        seconds=seconds,
        rounds=max(1, int(seconds // 2)),
    )
    return measured["timeline"], measured["healthz"]


def _restart_web(topology: RunningTopology, environment: dict[str, str]) -> None:
    topology.stop("web")
    topology.environment.update(environment)
    topology.start("web")
    topology.wait_healthy(timeout=120)


def _django(topology: RunningTopology, module: str, *arguments: str, timeout: float = 600) -> dict:
    """Run one of bench's Django scripts in the web container's environment; its JSON line."""
    finished = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=SERVICE_DIR,
        env=topology.environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if finished.returncode != 0:
        raise BenchError(
            f"{module} failed (exit {finished.returncode}):\n"
            f"{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}"
        )
    return json.loads(finished.stdout.strip().splitlines()[-1])


def _dataset(topology: RunningTopology, args: argparse.Namespace, tweets: int) -> dict:
    started = time.monotonic()
    summary = _django(
        topology,
        "service.bench.dataset",
        f"--users={args.users}",
        f"--tweets={tweets}",
        f"--follows={args.follows}",
    )
    summary["load_seconds"] = round(time.monotonic() - started, 1)
    return summary


def _profile(
    topology: RunningTopology, args: argparse.Namespace, dataset: dict, name: str, requests: int
) -> dict:
    return _django(
        topology,
        "service.bench.profile",
        f"--user={dataset['typical_user']}",
        f"--requests={requests}",
        f"--output={args.artifacts / 'profile' / name}",
    )


def _endpoints(topology: RunningTopology, username: str, password: str) -> dict[str, Endpoint]:
    """The five request shapes, the signed-in ones with a real session of `username`."""
    site = SiteClient(topology.base_url, https=False)
    signed_in = site.post(
        "/accounts/login/", {"username": username, "password": password}, timeout=60
    )
    if signed_in.status_code != 302:
        raise BenchError(f"signing in as {username} answered {signed_in.status_code}")
    home = site.get("/")
    tokens = CSRF_INPUT.findall(home.text)
    if home.status_code != 200 or not tokens:
        raise BenchError(f"GET / as {username} answered {home.status_code} without a form")
    cookie = "; ".join(f"{c.name}={c.value}" for c in site.session.cookies)
    manifest = json.loads((topology.topology.static_root / "staticfiles.json").read_text())
    stylesheet = manifest["paths"]["css/site.css"]
    body = "&".join(
        f"{name}={quote_plus(value)}"
        for name, value in (
            ("csrfmiddlewaretoken", tokens[0]),
            ("text", "Measured under load through nginx"),
            ("next", "/"),
        )
    )
    return {
        "healthz": Endpoint("healthz", "/healthz", "/healthz"),
        "static": Endpoint(
            "static",
            "static file (nginx)",
            f"/static/{stylesheet}",
            through_django=False,
        ),
        "timeline": Endpoint("timeline", f"home timeline of {username}", "/", cookie=cookie),
        "explore": Endpoint("explore", "explore", "/explore/", cookie=cookie),
        "post": Endpoint(
            "post",
            "post a tweet",
            "/tweets/",
            method="POST",
            expect=302,
            body=body,
            cookie=cookie,
            origin=site.origin,
        ),
    }
