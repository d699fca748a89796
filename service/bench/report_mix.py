"""The busy-site sections of docs/benchmarks.md (service/bench/mix.py measured them). No figure is
typed
in here: every number comes from the run."""

from __future__ import annotations

from service.bench.mix import MixResults
from service.bench.render_cost import CASES, CHANGED
from service.bench.results import errors_of, ms, ratio, rps
from service.bench.writers import HELD_SHARE

BUSY_THROUGHPUT_TARGET = 0.5  # home and explore under the mix >= 0.5 x read-only
AFTER_CHANGE_TARGET = 4.0  # a page after a change <= 4 x a page served whole, in one process
BUSY_P99_TARGET = 3.0  # home p99 under the mix <= 3 x /healthz p99 under the mix
CARD_CACHE_MAX_ENTRIES = 5000  # config.settings.base CACHES["cards"]
PAGE_CACHE_MAX_ENTRIES = 500  # config.settings.base CACHES["timelines"]
SHARED_PAGE_MAX_ENTRIES = 50  # config.settings.base CACHES["shared_pages"]


def verdict(met: bool, how: str) -> str:
    return "**met**" if met else f"**missed** ({how})"


def render(mix: MixResults) -> str:
    return "\n\n".join(
        section.strip("\n")
        for section in (_table(mix), _targets(mix), _writers(mix), _render_cost(mix))
    )


def _built(m) -> str:
    share = m.built_share
    if share is None:
        return "-"
    per_page = f", {m.cards_rendered / m.built:.1f} cards rendered each" if m.built else ""
    return f"{100 * share:.1f}%{per_page}"


def _table(mix: MixResults) -> str:
    rows = [
        "| endpoint | read-only requests/s | read-only p99 ms | busy requests/s | busy p99 ms | busy / read-only | pages built, busy | errors, busy |",  # noqa: E501
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for key, busy in mix.busy.items():
        quiet = mix.read_only[key]
        rows.append(
            f"| {key} | {rps(quiet.rps)} | {ms(quiet.p99_ms)} | {rps(busy.rps)} | "
            f"{ms(busy.p99_ms)} | {ratio(busy.rps, quiet.rps):.2f}x | {_built(busy)} | "
            f"{errors_of(busy)} |"
        )
    return f"""
## A busy site: {mix.viewers} viewers while others post and like

The table above is one viewer reading a timeline nothing changes. Here {mix.viewers} viewers, each
with their own session (`service/bench/sessions.py`) and each following about a tenth of the
{mix.writers:,} users (popular ones more often, `service/bench/dataset.py`), read home and explore
at
{mix.connections} connections: every request carries the next viewer's cookies
(`service/bench/wrk_rotating.lua`). Home, explore and /healthz take turns, {mix.seconds:g} s each in
all, first read-only (after a warm-up that builds every viewer's pages once), then again while
random users post and like at fixed rates through nginx (`service/bench/writers.py`). Every post
changes the home timelines of the author's followers and explore; every like changes one count
on those timelines. "Pages built": the share of responses not served whole from the page cache
(assembled from cached cards, rendering only the cards of new tweets), from the
`X-Timeline-Served` and `X-Cards-Rendered` headers of `service/bench/settings.py`.

""" + "\n".join(rows)


def _targets(mix: MixResults) -> str:
    home, explore, healthz = mix.busy["home"], mix.busy["explore"], mix.busy["healthz"]
    home_share = ratio(home.rps, mix.read_only["home"].rps)
    explore_share = ratio(explore.rps, mix.read_only["explore"].rps)
    p99 = ratio(home.p99_ms, healthz.p99_ms)
    cost = mix.render_cost
    cached = cost.get(CASES[0], {}).get("ms_per_request", 0.0)
    case, changed = max(
        ((case, cost.get(case, {}).get("ms_per_request", 0.0)) for case in CHANGED),
        key=lambda item: item[1],
    )
    after = ratio(changed, cached)
    held = all(check.held for check in mix.rates)
    rates = "; ".join(
        f"{check.action} {check.achieved_per_second:.2f}/{check.asked_per_second:g} per s"
        for check in mix.rates
    )
    most = max(mix.worker_rss_mib, default=0.0)
    t = BUSY_THROUGHPUT_TARGET
    return f"""
### Targets on a busy site

| target | measured | verdict |
|---|---|---|
| home throughput busy >= {t}x read-only | {rps(home.rps)} / {rps(mix.read_only["home"].rps)} requests/s = **{home_share:.2f}x** | {verdict(home_share >= t, f"short by {t - home_share:.2f}x")} |
| explore throughput busy >= {t}x read-only | {rps(explore.rps)} / {rps(mix.read_only["explore"].rps)} requests/s = **{explore_share:.2f}x** | {verdict(explore_share >= t, f"short by {t - explore_share:.2f}x")} |
| a page after a change <= {AFTER_CHANGE_TARGET:g}x a page served whole (one process; the costlier of {" and ".join(f'"{c}"' for c in CHANGED)}: {case}) | {changed} / {cached} ms = **{after:.2f}x** | {verdict(0 < after <= AFTER_CHANGE_TARGET, f"over by {after - AFTER_CHANGE_TARGET:.2f}x")} |
| home p99 busy <= {BUSY_P99_TARGET:g}x /healthz p99 busy | {ms(home.p99_ms)} / {ms(healthz.p99_ms)} ms = **{p99:.2f}x** | {verdict(p99 <= BUSY_P99_TARGET, f"over by {p99 - BUSY_P99_TARGET:.2f}x")} |
| the writers held the asked rates (>= {100 * HELD_SHARE:.0f}%) | {rates} | {verdict(held, "the server did not keep up: the load was lighter than asked")} |
| memory per gunicorn worker bounded | at most {most:.0f} MiB resident under the mix (each worker: {", ".join(f"{v:.0f}" for v in mix.worker_rss_mib) or "-"} MiB) | caches bounded by entry count: {PAGE_CACHE_MAX_ENTRIES} pages (~60 kB) + {CARD_CACHE_MAX_ENTRIES:,} card parts (~2 kB) + {SHARED_PAGE_MAX_ENTRIES} shared explore pages (~15 kB) per worker, about 41 MB |
"""  # noqa: E501


def _writers(mix: MixResults) -> str:
    rows = [
        "| action | asked per s | achieved per s | done | failed | held |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for check in mix.rates:
        rows.append(
            f"| {check.action} | {check.asked_per_second:g} | {check.achieved_per_second:.2f} | "
            f"{check.done:,} | {check.failed:,} | {'yes' if check.held else 'no'} |"
        )
    seconds = mix.rates[0].seconds if mix.rates else 0.0
    return f"""
### The writers

Over {seconds:.0f} s of the busy phase: each action on its own fixed schedule (one request every
1/rate seconds), sent by a pool of threads so a slow answer does not delay the next; a like of a
tweet the user already likes is undone instead (one action). Likes go to the newest 500 tweets,
the ones timelines show.

""" + "\n".join(rows)


def _render_cost(mix: MixResults) -> str:
    cost = mix.render_cost
    rows = [
        "| home timeline page | ms per request (median) | SQL queries | cards rendered each |",
        "|---|---:|---|---:|",
    ]
    cases = [(case, data) for case, data in cost.items() if isinstance(data, dict)]
    for case, data in cases:
        queries = "/".join(str(n) for n in data["queries"])
        rows.append(
            f"| {case} | {data['ms_per_request']} | {queries} | "
            f"{data['cards_rendered_per_request']} |"
        )
    lines = ["", "", "Where the time goes (cProfile, self time by part of the stack):", ""]
    for case, data in cases:
        areas = "; ".join(f"{area} {share:.0f}%" for area, share in data["areas"].items())
        hot = ", ".join(f"`{name}` {share:.0f}%" for name, share in data["hot"])
        lines.append(f"- {case}: {areas}. Most self time: {hot}")
    return (
        f"""
### A page after a change, in one process

`service/bench/render_cost.py`: Django's test client in one process, the typical user's home
timeline,
{cost.get("requests", "?")} requests per case, the cases in turns (one request of each per
round, so the machine's other work weighs on all alike), the median reported. Before each
request of "after a like" one more user likes the newest tweet on the page, and before each
request of "after a new tweet" someone the user follows posts, each through its own database
connection as another worker would (neither timed): the page's version moves, so the page is
built again from the cached card bodies and each card's actions rendered for the viewer. A like
renders no body (the counts come from the page's query and go into the actions), a new tweet
renders one; with the card cache off, the page renders all of them.
Full profiles: `{cost.get("profile", "?")}` (git-ignored).

"""
        + "\n".join(rows)
        + "\n".join(lines)
    )
