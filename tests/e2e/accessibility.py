"""axe-core, the accessibility engine the browser tests inject into a page (tests/browser: its
npm lock file). Its script is added as a `<script>` element, which a site's Content-Security-
Policy without inline script rightly blocks: run it in a context with `bypass_csp=True`
(https://playwright.dev/python/docs/api/class-browser#browser-new-context-option-bypass-csp)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from stack.paths import REPO_ROOT

AXE_SCRIPT = REPO_ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: axe-core's tags for them
# (https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#axe-core-tags).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations of the page (context with
    bypass_csp)."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def axe_source_present() -> Path:
    assert AXE_SCRIPT.exists(), (
        f"{AXE_SCRIPT} is missing: `make browser-deps` (npm ci in tests/browser) installs it"
    )
    return AXE_SCRIPT
