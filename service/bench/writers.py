"""Writers for the busy-site measurement: random users post and like at fixed rates while the
viewers read (service/bench/mix.py), through nginx like any browser.

Each action has its own schedule, one request every 1/rate seconds from the start, handed to a
pool of threads so a slow answer does not delay the next one. Whether the asked rate was held is
checked afterwards from what was answered (RateCheck): a server too slow to keep up shows as an
achieved rate below the asked one, not as a silently lighter load.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

HELD_SHARE = 0.95  # the rate counts as held when at least this share of the asked one was done
LIKED_WINDOW = 500  # likes go to the newest this many tweets: what timelines show
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class WriterSession:
    """A signed-in user the writers can act as (service/bench/sessions.py)."""

    username: str
    cookie: str
    csrf: str


@dataclass(frozen=True)
class RateCheck:
    """How one action's asked rate was held over the time the writers ran."""

    action: str
    asked_per_second: float
    seconds: float
    done: int  # answered as expected: the change was made
    failed: int  # answered otherwise, or not at all

    @property
    def achieved_per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    @property
    def share(self) -> float:
        asked = self.asked_per_second
        return self.achieved_per_second / asked if asked else 1.0

    @property
    def held(self) -> bool:
        return self.share >= HELD_SHARE


def due_times(rate: float, elapsed: float) -> int:
    """How many requests of an action at `rate` per second are due `elapsed` seconds after the
    start (the first one at once)."""
    if rate <= 0 or elapsed < 0:
        return 0
    return int(elapsed * rate) + 1


class Writers:
    """Post and like at fixed rates until stop(); then say how well the rates were held."""

    def __init__(
        self,
        base_url: str,
        sessions: Sequence[WriterSession],
        *,
        newest_tweet: int,
        post_rate: float,
        like_rate: float,
        threads: int | None = None,
        seed: int = 2026,
    ) -> None:
        if not sessions:
            raise ValueError("Writers need at least one session to act as")
        self.base_url = base_url.rstrip("/")
        self.origin = self.base_url
        self.sessions = list(sessions)
        self.newest_tweet = newest_tweet
        self.rates = {"post": post_rate, "like": like_rate}
        self.rng = random.Random(seed)
        # Enough threads for every request due within one timeout: a slow answer then costs the
        # rate only when the server really is too slow, not because the writers ran out.
        threads = threads or max(16, math.ceil((post_rate + like_rate) * TIMEOUT_SECONDS))
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="writer")
        self.local = threading.local()
        self.lock = threading.Lock()
        self.done = {action: 0 for action in self.rates}
        self.failed = {action: 0 for action in self.rates}
        self.stopping = threading.Event()
        self.dispatcher = threading.Thread(target=self._dispatch, name="writers", daemon=True)
        self.started = 0.0
        self.stopped = 0.0

    def start(self) -> Writers:
        self.started = time.monotonic()
        self.dispatcher.start()
        return self

    def stop(self) -> list[RateCheck]:
        self.stopping.set()
        self.dispatcher.join()
        # Requests still queued behind a slow server are dropped (they were not sent in time);
        # those in flight count once answered, over the time until the last answer.
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.stopped = time.monotonic()
        seconds = self.stopped - self.started
        return [
            RateCheck(action, rate, seconds, self.done[action], self.failed[action])
            for action, rate in self.rates.items()
        ]

    # --- the schedule -------------------------------------------------------------------------

    def _dispatch(self) -> None:
        sent = {action: 0 for action in self.rates}
        while not self.stopping.is_set():
            elapsed = time.monotonic() - self.started
            for action, rate in self.rates.items():
                while sent[action] < due_times(rate, elapsed):
                    sent[action] += 1
                    self.pool.submit(self._act, action, sent[action])
            self.stopping.wait(0.005)

    def _act(self, action: str, number: int) -> None:
        with self.lock:
            session = self.rng.choice(self.sessions)
            tweet = self.rng.randint(max(1, self.newest_tweet - LIKED_WINDOW), self.newest_tweet)
        try:
            if action == "post":
                ok = self._post(session, "/tweets/", text=f"busy site post {number}")
            else:
                # A like of a tweet this user already likes is refused (409): then it is undone.
                ok = self._post(session, f"/tweets/{tweet}/like/", allow=(409,))
                if ok == 409:
                    ok = self._post(session, f"/tweets/{tweet}/unlike/")
        except requests.RequestException:
            ok = False
        with self.lock:
            if ok is True:
                self.done[action] += 1
            else:
                self.failed[action] += 1

    def _post(self, session: WriterSession, path: str, allow=(), **fields: str) -> bool | int:
        http = getattr(self.local, "http", None)
        if http is None:
            http = self.local.http = requests.Session()
        # The session's cookies are the writer's own, in the header: none kept from answers.
        http.cookies.clear()
        response = http.post(
            self.base_url + path,
            data={"csrfmiddlewaretoken": session.csrf, "next": "/", **fields},
            headers={"Cookie": session.cookie, "Origin": self.origin},
            allow_redirects=False,
            timeout=TIMEOUT_SECONDS,
        )
        if response.status_code in allow:
            return response.status_code
        return response.status_code == 302
