"""What the browser sweep (test_sweep.py) checks on each page, and how it finds the
pages: by following what the pages themselves offer, so a page added later is swept without
being listed here.

- Links: every same-origin `<a href>`; forms: every `<form>`'s action. A GET form is a page to
  visit; a POST form's target must exist (405 for a GET is the answer of a view that takes POST
  only: anything else from 4xx or 5xx is a broken form).
- Checks on each page, in a context with the site's Content-Security-Policy in force: its status,
  template syntax in the visible text, horizontal overflow, console errors and the
  `securitypolicyviolation` events the page fires.
- axe-core runs in a second context with `bypass_csp=True`: its script is injected as a
  `<script>` element, which the site's policy (no inline script) rightly blocks. Playwright:
  "bypass_csp: Toggles bypassing page's Content-Security-Policy"
  (https://playwright.dev/python/docs/api/class-browser#browser-new-context-option-bypass-csp;
  playwright-python's own tests/async/test_browsercontext.py,
  test_page_event_should_bypass_csp_header, show add_script_tag refused under `default-src
  'self'` and working with it). test_sweep.py checks that the site's policy refuses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import BrowserContext, Page

from tests.e2e.accessibility import axe_violations

TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}", "{{")
# A page's URL with its numbers made generic: one tweet page or page 2 stands for all of them.
SAME_KIND = re.compile(r"\d+")
PAGES_OF_A_KIND = 2
MAX_PAGES = 60

# Collects the policy violations of each document from its first script on (Playwright runs
# init scripts before the page's own, outside its CSP).
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
});
"""

OFFERED = """
() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  forms: [...document.querySelectorAll('form')].map(f => ({
    action: f.action || location.href, method: (f.getAttribute('method') || 'get').toLowerCase(),
  })),
})
"""


@dataclass
class Finding:
    url: str
    what: str


@dataclass
class Sweep:
    """One crawl: the pages visited, what each offered, what was wrong."""

    origin: str
    visited: list[str] = field(default_factory=list)
    post_targets: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)  # every same-origin link and GET form offered
    findings: list[Finding] = field(default_factory=list)
    axe_violations: dict[str, set[str]] = field(default_factory=dict)  # rule -> urls

    def report(self) -> str:
        return "\n".join(f"{f.url}: {f.what}" for f in self.findings)


def same_origin(origin: str, url: str) -> bool:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin


def kind_of(url: str) -> str:
    parts = urlsplit(url)
    return SAME_KIND.sub("N", parts.path + ("?" + parts.query if parts.query else ""))


def page_problems(page: Page) -> list[str]:
    """What is wrong with the page on screen (the CSP-enforcing context)."""
    problems = []
    text = page.inner_text("body")
    problems += [
        f"template syntax {token!r} in the visible text"
        for token in TEMPLATE_SYNTAX
        if token in text
    ]
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        problems.append(f"horizontal overflow: {widths[0]} px wide in a {widths[1]} px viewport")
    problems += [f"CSP violation: {v}" for v in page.evaluate("() => window.__cspViolations")]
    return problems


def crawl(checked: BrowserContext, audited: BrowserContext, origin: str, start: list[str]) -> Sweep:
    """Visit `start` and every page they lead to, in `checked` (CSP in force) and again in
    `audited` (axe-core)."""
    sweep = Sweep(origin)
    page, audit = checked.new_page(), audited.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console.append(f"uncaught: {error}"))
    page.add_init_script(RECORD_CSP)
    queue = [urljoin(origin + "/", path) for path in start]
    kinds: dict[str, int] = {}
    seen: set[str] = set()
    while queue and len(sweep.visited) < MAX_PAGES:
        url = queue.pop(0).split("#")[0]
        kind = kind_of(url)
        if url in seen or kinds.get(kind, 0) >= PAGES_OF_A_KIND:
            continue
        seen.add(url)
        kinds[kind] = kinds.get(kind, 0) + 1
        console.clear()
        response = page.goto(url)
        sweep.visited.append(url)
        status = response.status if response else 0
        if status >= 400 or not response:
            sweep.findings.append(Finding(url, f"answered {status}"))
            continue
        page.wait_for_load_state("load")
        problems = page_problems(page)
        problems += [f"console error: {text}" for text in console]
        sweep.findings += [Finding(url, problem) for problem in problems]
        offered = page.evaluate(OFFERED)
        for link in offered["links"]:
            if same_origin(origin, link):
                queue.append(link)
                sweep.links.add(link.split("#")[0])
        for form in offered["forms"]:
            if not same_origin(origin, form["action"]):
                sweep.findings.append(Finding(url, f"form posts off-site: {form['action']}"))
            elif form["method"] == "get":
                queue.append(form["action"])
                sweep.links.add(form["action"].split("#")[0])
            else:
                sweep.post_targets.add(form["action"].split("?")[0])
        audit.goto(url)
        for violation in axe_violations(audit):
            where = ", ".join(node["target"][0] for node in violation["nodes"][:3])
            sweep.axe_violations.setdefault(violation["id"], set()).add(url)
            sweep.findings.append(
                Finding(url, f"axe {violation['impact']} {violation['id']}: {where}")
            )
    page.close()
    audit.close()
    return sweep


def check_links_not_visited(context: BrowserContext, sweep: Sweep) -> None:
    """Every link the pages offered that the crawl left out (past PAGES_OF_A_KIND) must
    answer too: a GET, redirects followed."""
    for link in sorted(sweep.links - set(sweep.visited)):
        status = context.request.get(link).status
        if status >= 400:
            sweep.findings.append(Finding(link, f"linked, answered {status}"))


def check_post_targets(context: BrowserContext, sweep: Sweep) -> None:
    """A GET on each POST form's target: 405 (takes POST only) or a page; never 404 or 5xx."""
    for target in sorted(sweep.post_targets):
        status = context.request.get(target, max_redirects=0).status
        if status >= 400 and status != 405:
            sweep.findings.append(Finding(target, f"form target answered {status} to GET"))
