"""What a home timeline page costs served whole from the cache, and after something on it
changed, measured in one process (no nginx, no gunicorn) with cProfile.

Run inside the web container's environment with service.bench.settings (service/bench/mix.py does
that):

    python -m service.bench.render_cost --user bench-user-0001 --requests 60 --output FILE

Four cases, `--requests` requests each, timed in turns (the median is reported):
- "whole page from the cache": nothing changes between requests (a repeat visit);
- "after a like": before every request one more user likes the newest tweet on the page
  (outside the timed part): the page's version moves, so the page is built again from the
  cached card bodies, each card's actions showing the new count, rendering no body;
- "after a new tweet": before every request someone the user follows posts: the page is built
  again and renders the one new body;
- "after a new tweet, card cache off": the same with CARD_CACHE_SECONDS=0: every card body of
  the page is rendered again, as every page built did before bodies were shared.
The cases are timed without the profiler, then profiled one after the other with cProfile; the full
profiles of the two "after a" cases with the cards cached go to FILE. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.bench.profile import AREAS, OTHER, QUERY_COUNT_HEADER

# Makes the changes: its own thread, so its own database connection (Django has one per thread).
other_client = ThreadPoolExecutor(max_workers=1, thread_name_prefix="other-user")

CASES = (
    "whole page from the cache",
    "after a like",
    "after a new tweet",
    "after a new tweet, card cache off",
)
CHANGED = CASES[1:3]  # what the "a page after a change" target is judged on


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", required=True)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    print(json.dumps(measure(args.user, args.requests, args.output)), flush=True)
    return 0


def measure(username: str, requests: int, output: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import Follow
    from tweets.models import Like, Tweet
    from tweets.timeline_cache import CACHE_ALIAS
    from tweets.timelines import home_timeline

    user_model = get_user_model()
    viewer = user_model.objects.get(username=username)
    client = Client(HTTP_HOST="localhost")
    client.force_login(viewer)
    newest = home_timeline(viewer).values_list("pk", flat=True).first()
    likers = list(
        user_model.objects.exclude(pk=viewer.pk)
        .exclude(likes__tweet_id=newest)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    liked: list[int] = []

    def new_like() -> None:
        # A real change through the signals: the like count of one card and the versions move.
        if not likers:
            # Everyone likes it already: start over (the first counts come back, cached).
            Like.objects.filter(tweet_id=newest, user_id__in=liked).delete()
            likers.extend(liked)
            liked.clear()
        liker = likers.pop(0)
        Like.objects.create(user_id=liker, tweet_id=newest)
        liked.append(liker)

    followed = Follow.objects.filter(follower=viewer).values_list("followee", flat=True)[0]
    posted = [0]

    def new_tweet() -> None:
        posted[0] += 1
        Tweet.objects.create(author_id=followed, text=f"render cost {posted[0]}")

    def nothing() -> None:
        pass

    result: dict = {"requests": requests}
    output.parent.mkdir(parents=True, exist_ok=True)
    plan = (
        (CASES[0], nothing, 60),
        (CASES[1], new_like, 60),
        (CASES[2], new_tweet, 60),
        (CASES[3], new_tweet, 0),
    )
    # Timed in turns, one request of each case per round, so that whatever else the machine
    # does weighs on every case alike; a page served whole is first rebuilt (not timed) after
    # the other cases' changes.
    timings: dict[str, list[tuple[float, int, int]]] = {case: [] for case, *_ in plan}
    for _ in range(requests):
        for case, before, card_seconds in plan:
            with override_settings(TIMELINE_CACHE_SECONDS=60, CARD_CACHE_SECONDS=card_seconds):
                _get(client)
                timings[case].append(_timed_once(client, before))
            if not card_seconds:
                # Its page was built without caching the new card: the next case starts from a
                # page built with every card cached, as a busy site's pages are.
                caches[CACHE_ALIAS].clear()
    profiles = io.StringIO()
    for case, before, card_seconds in plan:
        with override_settings(TIMELINE_CACHE_SECONDS=60, CARD_CACHE_SECONDS=card_seconds):
            _get(client)
            profile = cProfile.Profile()
            for _ in range(requests):
                _timed_once(client, before, profile)
        stats = pstats.Stats(profile)
        times, queries, cards = zip(*timings[case], strict=True)
        result[case] = {
            "ms_per_request": round(statistics.median(times) * 1000, 2),
            "queries": sorted(set(queries)),
            "cards_rendered_per_request": round(sum(cards) / requests, 1),
            "areas": shares_by_area(stats),
            "hot": hot_functions(stats),
        }
        if case in CHANGED:
            profiles.write(f"=== {case} ===\n")
            pstats.Stats(profile, stream=profiles).sort_stats("tottime").print_stats(40)
    output.write_text(profiles.getvalue())
    result["profile"] = str(output)
    return result


def _get(client):
    response = client.get("/")
    if response.status_code != 200:
        raise SystemExit(f"GET / answered {response.status_code}")
    return response


def _timed_once(
    client, before: Callable[[], None], profile: cProfile.Profile | None = None
) -> tuple[float, int, int]:
    """One request after `before()`: its seconds, SQL queries and cards rendered. The change
    is made by another thread, so through another database connection, as another user's
    request in another worker would make it."""
    other_client.submit(before).result()
    started = time.perf_counter()
    if profile is not None:
        profile.enable()
    response = _get(client)
    if profile is not None:
        profile.disable()
    elapsed = time.perf_counter() - started
    return elapsed, int(response[QUERY_COUNT_HEADER]), response.wsgi_request.cards_rendered


def _where(key: tuple[str, int, str]) -> str:
    file_name, _line, function = key
    return f"{file_name}:{function}"


def _area_of(key: tuple[str, int, str]) -> str:
    where = _where(key)
    for area, markers in AREAS:
        if any(marker in where for marker in markers):
            return area
    return OTHER


def shares_by_area(stats: pstats.Stats) -> dict[str, float]:
    """Self time (cProfile's tottime) summed by part of the stack, as percentages."""
    totals: dict[str, float] = defaultdict(float)
    # typeshed's Stats leaves out ``stats``, the table pstats itself fills in load_stats and
    # reads in print_stats (Lib/pstats.py): (file, line, function) -> (calls, primitive calls,
    # tottime, cumtime, callers).
    table = stats.stats  # type: ignore[attr-defined]
    for key, (_calls, _primitive, self_time, _cumulative, _callers) in table.items():
        totals[_area_of(key)] += self_time
    whole = sum(totals.values()) or 1.0
    ordered = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return {area: round(100 * seconds / whole, 1) for area, seconds in ordered}


def hot_functions(stats: pstats.Stats, count: int = 6) -> list[tuple[str, float]]:
    entries = [(key, values[2]) for key, values in stats.stats.items()]  # type: ignore[attr-defined]
    whole = sum(seconds for _, seconds in entries) or 1.0
    entries.sort(key=lambda item: item[1], reverse=True)
    return [
        (f"{function} ({Path(file_name).name}:{line})", round(100 * seconds / whole, 1))
        for (file_name, line, function), seconds in entries[:count]
    ]


if __name__ == "__main__":
    sys.exit(main())
