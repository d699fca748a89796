"""`make screens`: screenshots of the main pages, on a laptop (1280x800) and a phone (390x844),
into docs/screens/, with the manifest of what they were taken from (tools.local.screens_manifest).

It runs its own copy of the local topology (nginx, gunicorn, Postgres, S3 and SMTP stand-ins;
tools.local.harness) on a seeded site (tools.local.demo_data), and Debian's chromium through
Playwright.
Besides the pages named here it takes every page the signed-in header links to, so a page
added to the header appears without a change here.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, ViewportSize, sync_playwright

from stack.paths import ARTIFACTS_DIR
from tools.local.client import random_client_address
from tools.local.demo_data import DemoSite, seed
from tools.local.harness import RunningTopology
from tools.local.screens_manifest import SCREENS_DIR, write_manifest

CHROMIUM = "/usr/bin/chromium"
# As tests/e2e/conftest.py: root in CI cannot use chromium's sandbox.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
SIZES: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
SIGNED_OUT = {"sign-in": "/accounts/login/", "sign-up": "/accounts/signup/"}


def signed_in_pages(site: DemoSite) -> dict[str, str]:
    writer = site.writer
    return {
        "home": "/",
        "explore": "/explore/",
        "profile": f"/u/{writer.username}/",
        "thread": f"/tweets/{writer.tweet_ids[1]}/",
        "reply": f"/tweets/{site.reply_id}/",
        "edit-profile": "/accounts/profile/",
        "password-change": "/accounts/password_change/",
        "search": "/search/?q=garden",
        "hashtag": "/tags/garden/",
        "followers": f"/u/{writer.username}/followers/",
    }


def new_context(browser: Browser, base_url: str, size: ViewportSize) -> BrowserContext:
    return browser.new_context(
        base_url=base_url,
        viewport=size,
        extra_http_headers={
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": random_client_address(),
        },
    )


def sign_in(context: BrowserContext, username: str, password: str) -> None:
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        raise RuntimeError(f"{username} could not sign in")
    page.close()


def header_pages(context: BrowserContext, known: dict[str, str]) -> dict[str, str]:
    """The header's links not named yet, each named after its path."""
    page = context.new_page()
    page.goto("/")
    paths = page.eval_on_selector_all(
        "header.topbar a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
    )
    page.close()
    taken = {urlsplit(path).path for path in known.values()}
    return {
        re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root": path
        for path in paths
        if path not in taken and not path.startswith("/u/")
    }


def take(context: BrowserContext, pages: dict[str, str], size: str, out: Path) -> list[str]:
    names = []
    page = context.new_page()
    for name, path in pages.items():
        response = page.goto(path)
        if response is None or response.status >= 400:
            raise SystemExit(f"{path} answered {response.status if response else 'nothing'}")
        page.wait_for_load_state("networkidle")
        file = f"{name}-{size}.png"
        page.screenshot(path=str(out / file), full_page=True)
        names.append(file)
    page.close()
    return names


def main() -> int:
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    topology = RunningTopology(log_dir=ARTIFACTS_DIR / "screens" / "logs")
    try:
        topology.start_all(timeout=180)
        site = seed(topology.base_url)
        shutil.rmtree(SCREENS_DIR, ignore_errors=True)
        SCREENS_DIR.mkdir(parents=True)
        taken: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            for size, viewport in SIZES.items():
                signed_out = new_context(browser, topology.base_url, viewport)
                taken += take(signed_out, SIGNED_OUT, size, SCREENS_DIR)
                signed_out.close()
                reader = new_context(browser, topology.base_url, viewport)
                sign_in(reader, site.reader.username, site.reader.password)
                pages = signed_in_pages(site)
                pages |= header_pages(reader, pages)
                taken += take(reader, pages, size, SCREENS_DIR)
                reader.close()
            browser.close()
        write_manifest(taken)
        print(f"{len(taken)} screenshots in {SCREENS_DIR}")
    finally:
        topology.stop_all()
        shutil.rmtree(topology.data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
