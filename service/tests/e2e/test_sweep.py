"""Every page, as a person sees it: signed out and signed in, on a laptop and on a phone, each
page found by following the links and forms the pages offer (sweep.py). A page fails
on template syntax in its text, a broken link or form, a page wider than the screen, a console
error or a blocked resource under the site's CSP, or a serious or critical WCAG 2.1 A/AA
violation found by axe-core.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Error as PlaywrightError

from service.tests.e2e.sweep import (
    RECORD_CSP,
    Finding,
    check_links_not_visited,
    check_post_targets,
    crawl,
    page_problems,
)
from tests.e2e.accessibility import axe_source_present, axe_violations
from tools.local.client import random_client_address
from tools.local.demo_data import DemoSite, seed
from tools.local.harness import RunningTopology
from tools.local.screens import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(600)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SIGNED_OUT_START = [
    "/",
    "/explore/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/accounts/reset/",  # the reset code's form, reached from the mail only
]
SIGNED_IN_START = ["/", "/explore/", "/accounts/profile/", "/accounts/password_change/"]


@pytest.fixture(scope="module")
def site(running_topology: RunningTopology) -> DemoSite:
    return seed(running_topology.base_url)


def new_context(browser: Browser, base_url: str, viewport: dict, **options) -> BrowserContext:
    context = browser.new_context(
        base_url=base_url,
        # As the ALB would report it: HTTPS, and a client address of this sweep's own, so its
        # sign-ins count apart from other tests' (see tools.local.client).
        extra_http_headers={
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": random_client_address(),
        },
        viewport=viewport,
        **options,
    )
    context.set_default_timeout(15_000)
    return context


def failed_reply_findings(
    checked: BrowserContext, audited: BrowserContext, thread: str
) -> list[Finding]:
    """The page a failed reply answers with (a page no link leads to), checked like the others."""
    findings = []
    for context in (checked, audited):
        page = context.new_page()
        page.add_init_script(RECORD_CSP)
        page.goto(thread)
        page.fill("form.compose textarea[name=text]", "   ")  # passes `required`, not the form
        with page.expect_navigation() as navigation:
            page.click("form.compose button[type=submit]")
        status = navigation.value.status if navigation.value else 0
        text = page.inner_text("main")
        where = f"{thread} (a failed reply)"
        if status != 400 or "Write something first." not in text:
            findings.append(Finding(where, f"answered {status} without the form's error"))
        # It stays on the thread: the tweet answered above its replies, the form still answering it
        # (Home shows that tweet too, to a follower, so its card alone proves nothing).
        answered = thread.strip("/").rsplit("/", 1)[-1]
        reply_to = page.locator("form.compose input[name=reply_to]")
        on_thread = page.locator(f".focus:has(#tweet-{answered}) + section.replies").count() == 1
        if not on_thread or reply_to.get_attribute("value") != answered:
            findings.append(Finding(where, f"left the thread for {page.title()!r}"))
        if context is checked:
            findings += [Finding(where, problem) for problem in page_problems(page)]
        else:
            findings += [
                Finding(where, f"axe {v['impact']} {v['id']}") for v in axe_violations(page)
            ]
        page.close()
    return findings


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_every_page_offered_is_whole_readable_and_accessible(
    browser: Browser,
    topology: RunningTopology,
    site: DemoSite,
    artifacts_dir: Path,
    signed_in: bool,
    viewport: str,
):
    axe_source_present()
    base = topology.base_url
    checked = new_context(browser, base, VIEWPORTS[viewport])
    start = SIGNED_OUT_START
    if signed_in:
        sign_in(checked, site.reader.username, site.reader.password)
        start = SIGNED_IN_START
    writer = site.writer
    start = [
        *start,
        f"/u/{writer.username}/",
        *(f"/tweets/{tweet_id}/" for tweet_id in (site.reply_id, writer.tweet_ids[1])),
    ]
    audited = new_context(
        browser, base, VIEWPORTS[viewport], bypass_csp=True, storage_state=checked.storage_state()
    )
    try:
        sweep = crawl(checked, audited, base.rstrip("/"), start)
        check_post_targets(checked, sweep)
        check_links_not_visited(checked, sweep)
        if signed_in:
            sweep.findings += failed_reply_findings(checked, audited, start[-1])
    finally:
        audited.close()
        checked.close()

    name = f"sweep-{'signed-in' if signed_in else 'signed-out'}-{viewport}.json"
    (artifacts_dir / name).write_text(
        json.dumps(
            {
                "visited": sweep.visited,
                "links": sorted(sweep.links),
                "post_targets": sorted(sweep.post_targets),
                "axe": {rule: sorted(urls) for rule, urls in sweep.axe_violations.items()},
                "findings": [f"{f.url}: {f.what}" for f in sweep.findings],
            },
            indent=2,
        )
    )
    # It really went round the site: every start page, and pages found only by following links.
    assert {base.rstrip("/") + path for path in start} <= set(sweep.visited), sweep.visited
    assert not sweep.findings, sweep.report()


# Two more header items of the length a search and a notifications link would have.
ADD_TWO_ITEMS = """
() => {
  const nav = document.querySelector('header.topbar nav');
  for (const text of ['Search', 'Notifications 99']) {
    const link = document.createElement('a');
    link.href = '/'; link.textContent = text;
    nav.insertBefore(link, nav.querySelector('form'));
  }
}
"""
OFF_SCREEN_ITEMS = """
() => [...document.querySelectorAll('header.topbar a, header.topbar button')]
  .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
  .filter(([, box]) => box.left < 0 || box.right > window.innerWidth || box.width === 0)
  .map(([text, box]) => `${text}: ${Math.round(box.left)}..${Math.round(box.right)} px`)
"""


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_header_shows_every_item_on_screen_with_room_for_two_more(
    browser: Browser, topology: RunningTopology, site: DemoSite, width: int
):
    context = new_context(browser, topology.base_url, {"width": width, "height": 700})
    try:
        sign_in(context, site.reader.username, site.reader.password)
        page = context.new_page()
        writer = site.writer
        for path in (
            f"/u/{writer.username}/",
            f"/tweets/{writer.tweet_ids[1]}/",
            "/explore/",
            "/accounts/profile/",
            "/accounts/password_change/",
            "/",
        ):
            page.goto(path)
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path} is {scroll_width} px wide"
        for step in ("as served", "with two more items"):
            assert page.evaluate(OFF_SCREEN_ITEMS) == [], step
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{step}: the page is {scroll_width} px wide"
            page.evaluate(ADD_TWO_ITEMS)
    finally:
        context.close()


def test_the_site_policy_refuses_an_injected_script_so_axe_runs_where_it_is_bypassed(
    browser: Browser, topology: RunningTopology
):
    """Why the sweep audits in a second context: under the site's policy axe-core cannot be
    injected at all, and lifting the policy for the checks too would hide the app's own
    violations."""
    enforced = new_context(browser, topology.base_url, VIEWPORTS["desktop"])
    bypassed = new_context(browser, topology.base_url, VIEWPORTS["desktop"], bypass_csp=True)
    try:
        page = enforced.new_page()
        page.goto("/accounts/login/")
        with pytest.raises(PlaywrightError):
            page.add_script_tag(path=str(axe_source_present()))
        assert page.evaluate("() => typeof window.axe") == "undefined"
        audit = bypassed.new_page()
        audit.goto("/accounts/login/")
        assert axe_violations(audit) == []
    finally:
        enforced.close()
        bypassed.close()
