"""`make local`'s runner: it says once, in one line, when the site answers through nginx."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.local.ports import Ports
from tools.local.run import exit_status, healthz_status, ready_line, wait_until_ready
from tools.local.topology import LocalTopology


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_ready_line_gives_the_sign_up_url_and_where_mail_goes():
    topology = LocalTopology(data_dir=Path("/data/tw"), ports=Ports(http=18080))
    line = ready_line(topology)
    assert "\n" not in line
    assert "http://localhost:18080/accounts/signup/" in line
    assert "/data/tw/mail/new/" in line
    assert "Ctrl-C" in line


def test_waiting_ends_at_the_first_200():
    answers = iter([None, None, 503, 200, 200])
    asked: list[str] = []

    def probe(url: str) -> int | None:
        asked.append(url)
        return next(answers)

    clock = FakeClock()
    ready = wait_until_ready(
        "http://x/healthz", lambda: True, probe, timeout=60, clock=clock, sleep=clock.sleep
    )
    assert ready
    assert asked == ["http://x/healthz"] * 4


def test_waiting_stops_when_the_processes_stop():
    running = iter([True, True, False])
    clock = FakeClock()
    assert not wait_until_ready(
        "u", lambda: next(running), lambda url: 503, clock=clock, sleep=clock.sleep
    )


def test_waiting_gives_up_after_the_timeout():
    clock = FakeClock()
    assert not wait_until_ready(
        "u", lambda: True, lambda url: None, timeout=5, clock=clock, sleep=clock.sleep
    )
    assert 5 <= clock.now <= 6


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/healthz" else 503)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_probe_reads_the_status_or_none_when_nothing_listens(server):
    assert healthz_status(f"{server}/healthz") == 200
    assert healthz_status(f"{server}/other") == 503
    assert healthz_status("http://127.0.0.1:9/healthz") is None


@pytest.mark.parametrize(("returncode", "status"), [(0, 0), (1, 1), (-2, 130), (-15, 143)])
def test_honcho_s_status_is_passed_on_as_a_shell_would(returncode, status):
    assert exit_status(returncode) == status
