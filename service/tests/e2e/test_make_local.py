"""`make local` itself: it serves plain http://localhost:<port>, Ctrl-C stops every process
cleanly, and the next `make local` finds the users, tweets and images of the last one."""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from service.tests.e2e.users import new_user, png_image
from tests.e2e.processes import command_line, descendants, exposed_sockets, uids
from tools.local.client import SiteClient
from tools.local.harness import port_open
from tools.local.measure_startup import make_local
from tools.local.ports import Ports
from tools.local.topology import new_data_dir

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


@pytest.fixture
def data_dir() -> Iterator[Path]:
    path = new_data_dir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def processes_using(path: Path) -> list[str]:
    """Command lines of live processes that name `path` (what a clean stop leaves: none)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(path) in command:
            found.append(command.strip())
    return found


def image_sources(page_html: str, s3_port: int) -> list[str]:
    return [
        html.unescape(src)
        for src in re.findall(r'<img[^>]+src="([^"]+)"', page_html)
        if f":{s3_port}/" in src
    ]


def test_ctrl_c_stops_everything_and_data_survives_a_restart(data_dir: Path, artifacts_dir):
    ports = Ports.free()
    log = artifacts_dir / "logs" / "make-local.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    user = new_user("local")
    text = f"kept across restarts by {user.username}"

    with make_local(data_dir, ports, log) as first:
        first.wait_healthy(timeout=180)
        # Under honcho as under the harness: loopback only, and Django never as root (the
        # runners above it, make, tools.local.run and honcho, hold no socket and serve nothing).
        processes = descendants(first.process.pid)
        assert not exposed_sockets(processes), exposed_sockets(processes)
        gunicorn = [pid for pid in processes if "gunicorn" in command_line(pid)]
        assert gunicorn, [command_line(pid)[:60] for pid in processes]
        if os.geteuid() == 0:
            assert all(0 not in uids(pid) for pid in gunicorn), {p: uids(p) for p in gunicorn}
        # Plain http, no load balancer in front: pages answer without an HTTPS redirect.
        client = SiteClient(first.url, https=False)
        assert client.get("/accounts/login/").status_code == 200
        client.sign_up(user.username, user.email, user.password)
        client.log_in(user.username, user.password)
        posted = client.post_tweet(text, ("kept.png", png_image(30, 20), "image/png"))
        assert posted.status_code in (302, 303), posted.text[:2000]
        status = first.interrupt()

    # make passes Ctrl-C on by dying of SIGINT itself once honcho has stopped everything.
    assert status in (0, 130, -signal.SIGINT), f"make local exited {status} on Ctrl-C; see {log}"
    still_open = [name for name, port in ports.as_dict().items() if port_open(port)]
    assert not still_open, f"still listening after Ctrl-C: {still_open}"
    assert not processes_using(data_dir), processes_using(data_dir)
    # Postgres removes its pid file only on a clean shutdown.
    assert not (data_dir / "postgres" / "pgdata" / "postmaster.pid").exists()

    with make_local(data_dir, ports, log) as second:
        second.wait_healthy(timeout=180)
        client = SiteClient(second.url, https=False)
        client.log_in(user.username, user.password)
        profile = client.get(f"/u/{user.username}/")
        assert text in html.unescape(profile.text)
        sources = image_sources(profile.text, ports.s3)
        assert sources, "the tweet's image is gone from the page"
        assert requests.get(sources[0], timeout=10).status_code == 200
