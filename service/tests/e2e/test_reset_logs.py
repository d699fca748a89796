"""A password reset through nginx and gunicorn, as the load balancer delivers it, leaves its token
in no log: not nginx's access or error log, not gunicorn's access log, not Django's log (the
topology keeps each process's stdout and stderr in <log_dir>/<name>.log). The token never
travels in a request line (accounts.password_reset), which is also what keeps it out of the
load balancer's access logs: those record the request line of every request it forwards
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html,
field `request`), and nothing else of the request."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from service.tests.e2e.users import reset_link, signed_in, wait_for_mail
from tools.local.client import SiteClient
from tools.local.harness import RunningTopology

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

LOGS = ("nginx", "web")  # nginx: access log on stdout, error log on stderr; web: gunicorn + Django


def logs(topology: RunningTopology) -> dict[str, str]:
    return {name: (topology.log_dir / f"{name}.log").read_text(errors="replace") for name in LOGS}


def wait_for_logs(topology: RunningTopology, done: Callable[[dict[str, str]], bool]) -> dict:
    """The logs once `done` holds of them (each process writes after it has answered)."""
    deadline = time.monotonic() + 10
    while not done(current := logs(topology)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return current


def ask_for_a_reset(topology: RunningTopology, prefix: str):
    """A new user who asked for a reset: (user, the mailed link, uidb64, token)."""
    user, _ = signed_in(topology.base_url, prefix)
    response = SiteClient(topology.base_url).post(
        "/accounts/password_reset/", {"email": user.email}
    )
    assert response.status_code in (302, 303), response.text[:2000]
    link = reset_link(wait_for_mail(topology.data_dir / "mail", user.email))
    uidb64, _, token = urlsplit(link).fragment.partition(".")
    assert uidb64, link
    assert token, link
    return user, link, uidb64, token


def assert_nowhere(topology: RunningTopology, uidb64: str, token: str, seen: list[str]) -> None:
    """Neither the token nor the `<uid>/<token>` or `<uid>.<token>` it travels as is in any
    log, once every line in `seen` (proof that the requests were logged) is there."""
    found = wait_for_logs(
        topology, lambda now: all(any(s in log for log in now.values()) for s in seen)
    )
    for line in seen:
        assert any(line in log for log in found.values()), f"no log has {line!r}"
    for name, log in found.items():
        for secret in (token, f"{uidb64}/{token}", f"{uidb64}.{token}"):
            assert secret not in log, f"{name}.log has {secret!r}"


@pytest.mark.browser
def test_a_reset_in_a_browser_writes_its_token_in_no_log(page: Page, topology: RunningTopology):
    user, link, uidb64, token = ask_for_a_reset(topology, "browsing")
    # chromium reports on the console what the Content-Security-Policy blocks.
    console = []
    page.on("console", lambda message: console.append(message.text))
    # The browser follows the mailed link (its path and fragment, on this nginx: the link names
    # https, which only the load balancer speaks); the script posts the code from the fragment.
    parts = urlsplit(link)
    page.goto(f"{parts.path}#{parts.fragment}")
    page.wait_for_url("**/set-password/")
    assert "#" not in page.url
    assert token not in page.url
    new_password = user.password + "-new"
    page.fill("input[name=new_password1]", new_password)
    page.fill("input[name=new_password2]", new_password)
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Password changed")
    assert not [text for text in console if "Content Security Policy" in text], console
    SiteClient(topology.base_url).log_in(user.username, new_password)
    assert_nowhere(
        topology,
        uidb64,
        token,
        seen=['"GET /accounts/reset/ HTTP/1.1" 200', '"POST /accounts/reset/ HTTP/1.1" 302'],
    )


def test_a_reset_over_the_rate_limit_writes_its_token_in_no_log(topology: RunningTopology):
    """nginx's error log prints the request line and Referer of every request it refuses over
    a limit; what a refused reset sends is the code page's path and a form body."""
    _, _, uidb64, token = ask_for_a_reset(topology, "hurried")
    visitor = SiteClient(topology.base_url)
    csrf = visitor.csrf_token("/accounts/reset/")
    statuses = Counter(
        visitor.post(
            "/accounts/reset/",
            {"code": f"{uidb64}.{token}"},
            token=csrf,
        ).status_code
        for _ in range(15)
    )
    assert statuses[429] >= 3, statuses
    pages = Counter(visitor.get("/accounts/reset/").status_code for _ in range(40))
    assert pages[429] >= 5, pages
    assert_nowhere(
        topology,
        uidb64,
        token,
        seen=["limiting requests", '"POST /accounts/reset/ HTTP/1.1" 429'],
    )


@pytest.mark.parametrize("final", ["/", ""])
def test_a_typed_link_with_the_token_in_its_path_is_refused_and_not_logged(
    topology: RunningTopology, final: str
):
    """The site never mails one; someone may still type one in, with or without the slash."""
    _, _, uidb64, token = ask_for_a_reset(topology, "typist")
    visitor = SiteClient(topology.base_url)
    response = visitor.get(f"/accounts/reset/{uidb64}/{token}{final}", allow_redirects=True)
    assert response.status_code == 200
    assert "This link no longer works" in response.text
    assert_nowhere(
        topology,
        uidb64,
        token,
        seen=[f"{visitor.client_address} - - [", "/accounts/reset/[redacted]/"],
    )
