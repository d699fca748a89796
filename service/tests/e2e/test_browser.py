"""A person in a real browser (Debian's chromium, driven by Playwright: the `page` fixture of
conftest.py) uses the site. Screenshots of every step are kept under
artifacts/e2e/<time>/browser/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from service.tests.e2e.users import new_user, png_image, signed_in
from tools.local.harness import RunningTopology

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(180)]


def test_a_new_user_posts_follows_reads_and_likes(
    page: Page, topology: RunningTopology, artifacts_dir: Path
):
    shots = artifacts_dir / "browser"
    shots.mkdir(exist_ok=True)

    def snap(step: str) -> None:
        page.screenshot(path=str(shots / f"{step}.png"), full_page=True)

    # The pages run under a Content-Security-Policy; chromium reports what it blocks on the
    # console ("Refused to load ... because it violates the following Content Security Policy").
    console = []
    page.on("console", lambda message: console.append(message.text))

    # Someone to follow, who has already tweeted.
    author, author_client = signed_in(topology.base_url, "author")
    author_text = f"Hello from {author.username}"
    assert author_client.post_tweet(author_text).status_code in (302, 303)

    # Sign up.
    reader = new_user("reader")
    page.goto("/accounts/signup/")
    page.fill("input[name=username]", reader.username)
    page.fill("input[name=email]", reader.email)
    page.fill("input[name=password1]", reader.password)
    page.fill("input[name=password2]", reader.password)
    snap("01-signup")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        page.fill("input[name=username]", reader.username)
        page.fill("input[name=password]", reader.password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    expect(page.locator("header.topbar")).to_contain_text(f"@{reader.username}")
    snap("02-signed-in")

    # Post a tweet with an image.
    page.goto("/")
    own_text = f"My first picture, {reader.username}"
    page.fill("form.compose textarea[name=text]", own_text)
    page.set_input_files(
        "form.compose input[name=image]",
        files=[{"name": "first.png", "mimeType": "image/png", "buffer": png_image(120, 90)}],
    )
    page.click("form.compose button[type=submit]")
    page.wait_for_load_state()
    own_tweet = page.locator("article.tweet", has_text=own_text)
    expect(own_tweet).to_be_visible()
    image = own_tweet.locator("img.attachment")
    expect(image).to_be_visible()
    # The image came from the S3 server and the browser could decode it.
    assert f":{topology.ports.s3}/" in (image.get_attribute("src") or "")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 120", arg=image.element_handle()
    )
    snap("03-tweeted-with-image")

    # Follow the author.
    page.goto(f"/u/{author.username}/")
    page.click(f"form[action='/u/{author.username}/follow/'] button")
    page.wait_for_load_state()
    expect(page.locator(f"form[action='/u/{author.username}/unfollow/']")).to_be_visible()
    snap("04-following")

    # The author's tweet is on the home timeline; like it.
    page.goto("/")
    their_tweet = page.locator("article.tweet", has_text=author_text)
    expect(their_tweet).to_be_visible()
    snap("05-home-timeline")
    # The heart is all the button shows; its accessible name says what it does and the count.
    their_tweet.get_by_role("button", name="Like, 0 likes", exact=True).click()
    page.wait_for_load_state()
    their_tweet = page.locator("article.tweet", has_text=author_text)
    liked = their_tweet.locator("form[action$='/unlike/'] button")
    expect(liked).to_be_visible()
    expect(liked).to_have_text(re.compile(r"\b1\b"))
    expect(liked).to_have_accessible_name("Unlike, 1 like")
    snap("06-liked")

    # Nothing on the way was blocked by the policy, and the policy was there to block it.
    assert "default-src 'self'" in page.goto("/").headers["content-security-policy"]
    violations = [text for text in console if "Content Security Policy" in text]
    assert not violations, violations
