"""docs/screens/ shows the pages as the checkout renders them: its manifest
(tools.local.screens_manifest)
records the hash of every template and stylesheet the screenshots were taken with, and a change
to one of them without `make screens` fails here."""

from __future__ import annotations

import json
import struct

from tools.local.screens import SIGNED_OUT, SIZES
from tools.local.screens_manifest import MANIFEST, SCREENS_DIR, look_sources, stale_sources

MAIN_PAGES = {*SIGNED_OUT, "home", "explore", "profile", "thread", "password-change"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def recorded() -> dict:
    assert MANIFEST.exists(), f"{MANIFEST} is missing: run `make screens`"
    return json.loads(MANIFEST.read_text())


def test_the_screenshots_were_taken_with_the_current_templates_and_stylesheets():
    stale = stale_sources(recorded()["sources"], look_sources())
    assert not stale, (
        "docs/screens/ is older than these templates or stylesheets: run `make screens` and "
        "commit docs/screens/\n  " + "\n  ".join(stale)
    )


def test_every_main_page_has_a_screenshot_at_both_sizes_and_each_is_a_png():
    screens = recorded()["screens"]
    assert {f"{page}-{size}.png" for page in MAIN_PAGES for size in SIZES} <= set(screens)
    for name in screens:
        data = (SCREENS_DIR / name).read_bytes()
        assert data[:8] == PNG_SIGNATURE, name
        width = struct.unpack(">I", data[16:20])[0]  # the IHDR chunk's width
        assert width == SIZES[name.removesuffix(".png").rsplit("-", 1)[1]]["width"], name


def test_the_readme_shows_the_screenshots():
    readme = (SCREENS_DIR.parent.parent / "README.md").read_text()
    assert "docs/screens/home-desktop.png" in readme
    assert "docs/screens/home-phone.png" in readme


def test_a_changed_added_or_removed_template_or_stylesheet_makes_them_stale(tmp_path):
    service = tmp_path / "service"
    (service / "templates" / "tweets").mkdir(parents=True)
    (service / "static" / "css").mkdir(parents=True)
    (service / "templates" / "base.html").write_text("<main></main>")
    (service / "static" / "css" / "site.css").write_text("a { color: #0f6cbd; }")
    (service / "static" / "notes.txt").write_text("not part of the look")
    before = look_sources(service)
    assert set(before) == {"service/templates/base.html", "service/static/css/site.css"}
    assert stale_sources(before, look_sources(service)) == []

    (service / "static" / "css" / "site.css").write_text("a { color: #1d9bf0; }")
    (service / "templates" / "tweets" / "new.html").write_text("<p></p>")
    (service / "templates" / "base.html").unlink()
    assert stale_sources(before, look_sources(service)) == [
        "service/static/css/site.css",
        "service/templates/base.html",
        "service/templates/tweets/new.html",
    ]
