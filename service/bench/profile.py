"""Where a timeline request spends its time, measured with pyinstrument inside one process.

Run inside the web container's environment with service.bench.settings (service/bench/run.py does
that):

    python -m service.bench.profile --user bench-user-0001 --requests 20 --output DIR

It signs the user in with Django's test client and requests the home timeline `--requests` times
with the timeline cache off (every request renders) and again with it on (what a repeat visit
costs), after one warm-up request each. It writes each full pyinstrument report to DIR and prints
one JSON line: milliseconds per request and the share of the time spent in each part of the stack.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

# Which part of the stack a frame belongs to, by the path of its source file (first match wins).
AREAS = (
    ("SQL (psycopg, the ORM, the database)", ("/psycopg/", "/django/db/")),
    ("signed S3 URLs (boto3, django-storages)", ("/botocore/", "/boto3/", "/storages/")),
    ("template rendering", ("/django/template/", "/django/templatetags/", "/django/utils/html")),
    ("URL reversing", ("/django/urls/",)),
    ("timeline cache (pickle, LocMem)", ("/django/core/cache/", "pickle")),
    ("sessions, auth, CSRF, middleware", ("/django/contrib/", "/django/middleware/")),
    ("Django utilities (escaping, dates, lazy strings)", ("/django/utils/",)),
)
INDEX_SCAN = re.compile(r"(?:Index|Index Only) Scan(?: Backward)? using (\w+)")
SEQUENTIAL_SCAN = re.compile(r"Seq Scan on (\w+)")
QUERY_COUNT_HEADER = "X-Query-Count"  # service.bench.query_count
OTHER = "everything else (request handling, forms, the test client)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", required=True)
    parser.add_argument("--paths", nargs="+", default=["/", "/explore/"])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    args.output.mkdir(parents=True, exist_ok=True)
    result: dict = {
        path: {
            mode: profile(
                args.user,
                path,
                args.requests,
                cache_seconds,
                args.output / _report_name(path, mode),
            )
            for mode, cache_seconds in (("rendered", 0), ("cached", 60))
        }
        for path in args.paths
    }
    result["/healthz"] = {"answered first": profile_healthz(args.requests)}
    result["plans"] = query_plans(args.user)
    print(json.dumps(result), flush=True)
    return 0


def _report_name(path: str, mode: str) -> str:
    return f"{path.strip('/') or 'home'}-{mode}"


def profile(username: str, path: str, requests: int, cache_seconds: int, report: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=username))
    with override_settings(TIMELINE_CACHE_SECONDS=cache_seconds):
        warm_up = client.get(path)
        if warm_up.status_code != 200:
            raise SystemExit(f"GET {path} as {username}: {warm_up.status_code}")
        queries: set[int] = set()
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        profiler.start()
        for _ in range(requests):
            queries.add(int(client.get(path)[QUERY_COUNT_HEADER]))
        session = profiler.stop()
        elapsed = time.perf_counter() - started
    report.with_suffix(".txt").write_text(profiler.output_text(unicode=True, color=False))
    report.with_suffix(".html").write_text(profiler.output_html())
    return {
        # The warm-up renders; in "cached" mode every later request is served from the cache.
        "queries_first": int(warm_up[QUERY_COUNT_HEADER]),
        "queries": sorted(queries),
        "ms_per_request": round(elapsed / requests * 1000, 2),
        "areas": shares_by_area(session.root_frame()),
        "hot": hot_functions(session.root_frame()),
        "report": str(report.with_suffix(".txt")),
    }


def query_plans(username: str) -> dict:
    """EXPLAIN ANALYZE of the first page of each timeline as a page whose version moved builds
    it (tweets.pages.page_rows, one query): how long Postgres takes to plan and run it and which
    indexes it uses, to show they keep working as the data grows."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from tweets.pages import page_rows_query
    from tweets.timelines import explore_sql, home_sql

    viewer = get_user_model().objects.get(username=username)
    plans = {}
    for name, timeline in (("/", home_sql(viewer.pk)), ("/explore/", explore_sql())):
        sql, params = page_rows_query(timeline, 1, viewer.pk)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE) {sql}", params)
            text = "\n".join(row[0] for row in cursor.fetchall())
        plans[name] = {
            "planning_ms": _milliseconds(r"Planning Time: ([\d.]+) ms", text),
            "execution_ms": _milliseconds(r"Execution Time: ([\d.]+) ms", text),
            "indexes": sorted(
                set(re.findall(r"(?:Index|Index Only) Scan(?: Backward)? using (\w+)", text))
            ),
            "sequential_scans": sorted(set(re.findall(r"Seq Scan on (\w+)", text))),
        }
    return plans


def _milliseconds(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def profile_healthz(requests: int) -> dict:
    """The floor: /healthz is answered by the first middleware with one query."""
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="localhost")
    warm_up = client.get("/healthz")
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for _ in range(requests):
        client.get("/healthz")
    session = profiler.stop()
    elapsed = time.perf_counter() - started
    return {
        "queries_first": int(warm_up[QUERY_COUNT_HEADER]),
        "queries": [int(warm_up[QUERY_COUNT_HEADER])],
        "ms_per_request": round(elapsed / requests * 1000, 2),
        "areas": shares_by_area(session.root_frame()),
        "hot": hot_functions(session.root_frame()),
    }


def shares_by_area(root) -> dict[str, float]:
    """Self time of every frame, summed by area, as percentages of the total."""
    totals: dict[str, float] = defaultdict(float)
    stack = [root] if root is not None else []
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        # Synthetic "[self]" children carry no file; their time is their parent's own.
        if not frame.is_synthetic and frame.total_self_time:
            totals[_area_of(frame.file_path or "")] += frame.total_self_time
    whole = sum(totals.values()) or 1.0
    ordered = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return {area: round(100 * seconds / whole, 1) for area, seconds in ordered}


def hot_functions(root, count: int = 6) -> list[tuple[str, float]]:
    """The functions with the most self time, as (function (file:line), percent)."""
    totals: dict[str, float] = defaultdict(float)
    whole = 0.0
    stack = [root] if root is not None else []
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        if not frame.is_synthetic and frame.total_self_time:
            where = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
            totals[where] += frame.total_self_time
            whole += frame.total_self_time
    ordered = sorted(totals.items(), key=lambda item: item[1], reverse=True)[:count]
    return [(name, round(100 * seconds / (whole or 1.0), 1)) for name, seconds in ordered]


def _area_of(file_path: str) -> str:
    for area, markers in AREAS:
        if any(marker in file_path for marker in markers):
            return area
    return OTHER


if __name__ == "__main__":
    sys.exit(main())
