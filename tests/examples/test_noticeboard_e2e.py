"""examples/noticeboard through the local topology (`make local APP=examples/noticeboard`): real
nginx, gunicorn, PostgreSQL, the S3 and SMTP stand-ins, and Debian's chromium, on a laptop
(1280x800) and a phone (390x844), with axe-core on every page.

A visitor pins a notice with a photo; the board's moderator gets the mail, approves the notice
in the admin; the board then shows it with its photo, served from the media bucket.
Screenshots go to artifacts/examples/noticeboard/.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page

from stack.paths import ARTIFACTS_DIR
from tests.e2e.accessibility import axe_source_present, axe_violations
from tests.e2e.browser import chromium
from tests.e2e.mail import plain_text, png_image, wait_for_mail
from tests.e2e.topology_checks import (
    assert_every_socket_is_on_the_loopback_address,
    assert_no_process_runs_as_root,
)
from tests.examples.noticeboard import NOTICEBOARD
from tools.local.app import LocalApp
from tools.local.harness import RunningTopology
from tools.local.manage import manage_command
from tools.local.measure_startup import make_local
from tools.local.ports import Ports
from tools.local.topology import new_data_dir

pytestmark = pytest.mark.e2e

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
MODERATOR = "moderator@noticeboard.test"
ADMIN_PASSWORD = "a-long-admin-password-for-the-test"
SCREENS = ARTIFACTS_DIR / "examples" / "noticeboard"

SEED = f"""
from django.contrib.auth.models import User
from notices.models import Board
Board.objects.create(name="Allotments", slug="allotments", moderator_email="{MODERATOR}",
                     description="Seeds, tools and help on the plots behind the station.")
Board.objects.create(name="Lost and found", slug="lost-and-found", moderator_email="{MODERATOR}")
User.objects.create_superuser("moderator", "{MODERATOR}", "{ADMIN_PASSWORD}")
"""


@pytest.fixture(scope="module")
def noticeboard() -> Iterator[RunningTopology]:
    app = LocalApp.at(NOTICEBOARD.relative_to(NOTICEBOARD.parents[1]))
    run = ARTIFACTS_DIR / "examples" / time.strftime("%Y%m%d-%H%M%S")
    topology = RunningTopology(log_dir=run / "logs", app=app)
    try:
        topology.start_all(timeout=180)
        command, environment = manage_command(topology.topology, ["shell", "-c", SEED])
        seeded = subprocess.run(
            command, env=environment, cwd=app.directory, capture_output=True, text=True
        )
        assert seeded.returncode == 0, seeded.stderr
        yield topology
    finally:
        topology.stop_all()
        shutil.rmtree(topology.data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def new_page(browser: Browser, topology: RunningTopology, size: str) -> Page:
    # As if through the load balancer: Django runs with its deployed (HTTPS) settings.
    context = browser.new_context(
        base_url=topology.base_url,
        viewport=SIZES[size],
        extra_http_headers={"X-Forwarded-Proto": "https"},
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def checked(page: Page, path: str, name: str, size: str) -> None:
    """Visit ``path``: 200, no serious axe-core finding, no sideways scrolling; a screenshot."""
    response = page.goto(path)
    assert response is not None, path
    assert response.status == 200, (path, response.status)
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == [], path
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {size}"
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}-{size}.png"), full_page=True)


@pytest.mark.timeout(300)
def test_make_local_app_serves_it_through_nginx_with_its_migrations_applied(tmp_path):
    """`make local APP=examples/noticeboard` itself, as a developer types it."""
    data_dir, ports = new_data_dir("noticeboard-make-local-"), Ports.free()
    log = tmp_path / "make-local.log"
    try:
        with make_local(data_dir, ports, log, app=Path("examples/noticeboard")) as running:
            running.wait_healthy(timeout=180)
            # Its boards page reads the boards table: its migrations ran before web served.
            page = requests.get(f"{running.url}/", timeout=10)
            assert page.status_code == 200, log.read_text()[-3000:]
            assert "No boards yet" in page.text
            # The runner prints its ready line after its own probe, up to a poll later.
            deadline = time.monotonic() + 30
            while "noticeboard is ready" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert "noticeboard is ready" in log.read_text(), log.read_text()[-3000:]
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.mark.browser
def test_a_notice_is_pinned_mailed_approved_and_shown_with_its_photo(noticeboard, browser):
    axe_source_present()
    visitor = new_page(browser, noticeboard, "desktop")
    checked(visitor, "/", "boards", "desktop")
    visitor.click("text=Allotments")
    visitor.fill("input[name=title]", "Spare seedlings")
    visitor.fill("textarea[name=body]", "Tomatoes and courgettes, free to a good plot.")
    visitor.set_input_files(
        "input[name=photo]",
        {"name": "seedlings.png", "mimeType": "image/png", "buffer": png_image(320, 200)},
    )
    visitor.fill("input[name=poster_name]", "Ann")
    visitor.fill("input[name=poster_email]", "ann@example.test")
    visitor.click("button[type=submit]")
    assert "once a moderator approves it" in visitor.inner_text("[role=status]")
    assert "Spare seedlings" not in visitor.inner_text("main")

    mail = wait_for_mail(noticeboard.topology.mail_dir, MODERATOR)
    assert "Spare seedlings" in mail["Subject"]
    assert "/admin/notices/notice/" in plain_text(mail)

    moderator = new_page(browser, noticeboard, "desktop")
    moderator.goto("/admin/login/")
    moderator.fill("input[name=username]", "moderator")
    moderator.fill("input[name=password]", ADMIN_PASSWORD)
    moderator.click("input[type=submit]")
    moderator.goto("/admin/notices/notice/")
    moderator.check("input[name=_selected_action]")
    moderator.select_option("select[name=action]", "approve")
    moderator.click("button[name=index]")
    # The changelist again, its approved column now a tick (waits for the action's answer).
    moderator.wait_for_selector("img[alt=True]")

    for size in SIZES:
        page = visitor if size == "desktop" else new_page(browser, noticeboard, size)
        checked(page, "/b/allotments/", "board", size)
        photo = page.locator("article.notice img")
        # Loaded from the media bucket (the S3 stand-in) through the URL Django signed.
        assert photo.evaluate("img => img.complete && img.naturalWidth") == 320
        assert "X-Amz-Signature=" in (photo.get_attribute("src") or "")
        page.click("text=Spare seedlings")
        checked(page, page.url, "notice", size)
        if size == "phone":
            checked(page, "/", "boards", size)


def test_its_topology_listens_on_127_0_0_1_only(noticeboard):
    """Any app's topology keeps to this machine, as the demo's does (service/tests/e2e)."""
    assert_every_socket_is_on_the_loopback_address(noticeboard)


def test_none_of_its_processes_runs_as_root(noticeboard):
    assert_no_process_runs_as_root(noticeboard)
