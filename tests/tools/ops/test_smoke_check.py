"""tools.ops.smoke_check against a local HTTP server: it passes a site that answers, fails one that
does not, and gives up when its time runs out."""

import http.server
import threading
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest

from tools.ops.smoke_check import Attempt, fetch, main, smoke_check, wait_for


class Site(http.server.BaseHTTPRequestHandler):
    """Answers each path with the status the test sets in ``statuses``."""

    statuses: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        status = self.statuses.get(self.path, 404)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site() -> Iterator[tuple[str, dict[str, int]]]:
    statuses: dict[str, int] = {}
    handler = type("TestSite", (Site,), {"statuses": statuses})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", statuses
    finally:
        server.shutdown()
        server.server_close()


def test_a_site_whose_health_and_login_page_answer_passes(site):
    url, statuses = site
    statuses.update({"/healthz": 200, "/accounts/login/": 200})
    assert main([url, "--deadline", "2", "--interval", "0.1"]) == 0


def test_a_site_whose_login_page_fails_fails_the_check(site, capsys):
    url, statuses = site
    statuses.update({"/healthz": 200, "/accounts/login/": 500})
    assert main([url + "/", "--deadline", "0.5", "--interval", "0.1"]) == 1
    output = capsys.readouterr()
    assert "/accounts/login/ -> 500" in output.out
    assert "deploy_events_command" in output.err


def test_the_check_gives_up_when_its_time_is_spent():
    started = time.monotonic()
    assert not smoke_check("http://127.0.0.1:9", deadline_seconds=0.5, interval_seconds=0.1)
    assert time.monotonic() - started < 5


def test_nothing_listening_is_no_answer_not_a_crash():
    attempt = fetch("http://127.0.0.1:9/healthz", timeout=1)
    assert attempt.status is None


def test_a_site_that_comes_up_late_passes_on_a_later_attempt():
    answers = iter([Attempt("u", 503, "x"), Attempt("u", None, "refused"), Attempt("u", 200, "ok")])
    now = [0.0]
    slept = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    ok = wait_for(
        "u", 100.0, 10.0, clock=lambda: now[0], sleep=sleep, get=lambda _: next(answers), log=str
    )
    assert ok
    assert slept == [10.0, 10.0]


def test_retries_stop_at_the_deadline_without_sleeping_past_it():
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    ok = wait_for(
        "u",
        25.0,
        10.0,
        clock=lambda: now[0],
        sleep=sleep,
        get=lambda _: Attempt("u", 503, "x"),
        log=str,
    )
    assert not ok
    assert now[0] == 20.0


def test_only_web_urls_are_asked():
    with pytest.raises(ValueError, match="http:// or https://"):
        fetch("file:///etc/passwd")
