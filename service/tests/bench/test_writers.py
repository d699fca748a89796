"""The busy site's writers (service.bench.writers): a fixed schedule, and a check that says whether
the
asked rate was held, from what the server answered."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from service.bench.mix import gunicorn_workers, resident_mib
from service.bench.writers import RateCheck, Writers, WriterSession, due_times


def test_a_schedule_sends_the_first_request_at_once_then_one_every_period():
    assert due_times(10.0, 0.0) == 1
    assert due_times(10.0, 0.099) == 1
    assert due_times(10.0, 0.1) == 2
    assert due_times(5.0, 2.0) == 11
    assert due_times(0.0, 5.0) == 0  # an action not asked for is never sent


def test_a_rate_is_held_when_nearly_all_asked_requests_were_done():
    assert RateCheck("post", 5.0, 10.0, done=50, failed=0).held
    assert RateCheck("post", 5.0, 10.0, done=48, failed=2).held  # 96%
    slow = RateCheck("like", 10.0, 10.0, done=60, failed=0)
    assert slow.achieved_per_second == pytest.approx(6.0)
    assert not slow.held


class _Site(BaseHTTPRequestHandler):
    """Answers like the service: a post or a new like redirects; a second like of the same tweet
    by the same user is refused (409), its unlike redirects; `slow` delays every answer."""

    liked: ClassVar[set[tuple[str, str]]] = set()
    requests: ClassVar[list[tuple[str, str]]] = []
    slow = 0.0

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        cookie = self.headers["Cookie"]
        type(self).requests.append((self.path, cookie))
        time.sleep(self.slow)
        status = 302
        if self.path.endswith("/like/"):
            key = (cookie, self.path.split("/")[2])
            status = 409 if key in self.liked else 302
            self.liked.add(key)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    _Site.liked, _Site.requests, _Site.slow = set(), [], 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


SESSIONS = [WriterSession(f"user{n}", f"sessionid=s{n}; csrftoken=c{n}", f"c{n}") for n in range(3)]


def test_writers_have_a_thread_for_every_request_due_within_a_timeout(site):
    writers = Writers(site, SESSIONS, newest_tweet=3, post_rate=5.0, like_rate=10.0)
    assert writers.pool._max_workers == 150  # 15 per second x 10 s
    writers.start().stop()


def run_writers(base_url: str, seconds: float, **rates: float) -> list[RateCheck]:
    writers = Writers(base_url, SESSIONS, newest_tweet=3, **rates).start()
    time.sleep(seconds)
    return writers.stop()


def test_writers_hold_their_rates_against_a_server_that_keeps_up(site):
    post, like = run_writers(site, 1.5, post_rate=4.0, like_rate=8.0)

    assert (post.action, like.action) == ("post", "like")
    assert post.failed == 0
    assert like.failed == 0
    assert post.held
    assert like.held
    assert post.done == pytest.approx(4.0 * 1.5, abs=2)
    # Liking a tweet twice undoes the like instead: every like is a change.
    assert any(path.endswith("/unlike/") for path, _ in _Site.requests)
    assert {cookie for _, cookie in _Site.requests} <= {s.cookie for s in SESSIONS}


def test_a_server_too_slow_for_the_rate_shows_as_a_rate_not_held(site):
    _Site.slow = 0.5  # more than 16 threads can hide at 60 requests per second
    writers = Writers(site, SESSIONS, newest_tweet=3, post_rate=60.0, like_rate=0.0, threads=16)
    writers.start()
    time.sleep(1.0)
    post, _like = writers.stop()
    assert not post.held
    assert post.achieved_per_second < 0.95 * 60.0


def test_gunicorn_workers_are_the_gunicorn_children_of_the_master(tmp_path):
    def process(pid: int, parent: int, group: int, command: bytes, rss_kb: int = 1000) -> None:
        folder = tmp_path / str(pid)
        folder.mkdir()
        (folder / "stat").write_text(f"{pid} (a name) S {parent} {group} {group} 0 -1")
        (folder / "cmdline").write_bytes(command)
        (folder / "status").write_text(f"Name:\tx\nVmRSS:\t{rss_kb} kB\n")

    process(100, 1, 100, b"bash\0local/bin/web")
    process(101, 100, 100, b"gunicorn: master [config.wsgi:application]")
    process(102, 101, 100, b"gunicorn: worker [config.wsgi:application]", rss_kb=2048)
    process(103, 101, 100, b"gunicorn: worker [config.wsgi:application]")
    process(200, 1, 200, b"gunicorn: worker [elsewhere]")  # another process group
    (tmp_path / "self").mkdir()

    assert gunicorn_workers(100, proc=tmp_path) == [102, 103]
    assert resident_mib(102, proc=tmp_path) == 2.0
    assert resident_mib(999, proc=tmp_path) is None
