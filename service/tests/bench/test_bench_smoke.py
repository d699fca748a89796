"""`make bench` end to end on a tiny data set, so the script cannot rot.

This checks that every step runs and that the report holds a measured row for every endpoint at
every connection count with no errors. It asserts nothing about speed: the figures of a real run
are in docs/benchmarks.md, written by `make bench`.

Sized for a loaded two-core CI machine (about two minutes): each wrk run of the busy site lasts
several seconds at two connections, so even a page that takes a second to build under the
writers completes within it; 1-second runs at ten connections could end before any did.
"""

from __future__ import annotations

import re

import pytest

from service.bench import report
from service.bench.run import ENDPOINT_ORDER, parse_args, run

# Starts the whole local topology, as the end-to-end tests do; needs wrk (installed by .ci/run).
pytestmark = pytest.mark.e2e

CONNECTIONS = (1, 3)
MIX_ROUNDS = 2  # --rounds, shared with the table
MIX_ROUND_SECONDS = 3
TINY = [
    "--users=30",
    "--small-tweets=60",
    "--tweets=240",
    "--follows=8",
    "--seconds=2",
    f"--rounds={MIX_ROUNDS}",
    "--step-seconds=1",
    f"--connections={','.join(str(n) for n in CONNECTIONS)}",
    "--candidates=2x1",
    "--profile-requests=2",
    "--viewers=5",
    "--mix-connections=2",
    f"--mix-seconds={MIX_ROUNDS * MIX_ROUND_SECONDS}",
    "--post-rate=1",
    "--like-rate=1",
    "--render-requests=2",
]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    artifacts = tmp_path_factory.mktemp("bench-artifacts")
    args = parse_args([*TINY, f"--artifacts={artifacts}", f"--output={artifacts / 'b.md'}"])
    results = run(args)
    return results, report.render(results)


def test_every_endpoint_is_measured_at_every_connection_count(tiny_run):
    results, _ = tiny_run
    measured = {(m.endpoint, m.connections) for m in results.table}
    assert measured == {(key, n) for key in ENDPOINT_ORDER for n in CONNECTIONS}
    for m in results.table:
        assert m.requests > 0, m
        assert m.errors == 0, m


def test_queries_are_counted_by_the_server_for_django_endpoints_only(tiny_run):
    results, _ = tiny_run
    for m in results.table:
        if m.endpoint == "static":
            assert m.queries_counted == 0  # nginx answers without Django
        else:
            assert m.queries_counted == m.requests, m
    healthz = [m for m in results.table if m.endpoint == "healthz"]
    # The health check's SELECT 1, and once per worker process the type lookups that
    # django.contrib.postgres runs on its first connection (django/contrib/postgres/signals.py:
    # get_hstore_oids and get_citext_oids, lru_cache'd per database alias).
    for m in healthz:
        assert 1 <= m.queries_mean < 1.05, m
        assert m.queries_max <= 3, m


def test_the_data_set_has_the_requested_shape(tiny_run):
    results, _ = tiny_run
    assert results.dataset_small["tweets"] == 60
    assert results.dataset["tweets"] == 240
    assert results.dataset["users"] == 30
    assert results.dataset["typical_user_follows"] == 8
    assert results.dataset["tweets_with_images"] > 0
    assert results.dataset["likes"] > 0


def test_timeline_queries_are_reported_at_both_sizes(tiny_run):
    results, _ = tiny_run
    for section in (results.queries_small, results.queries):
        for path in ("/", "/explore/"):
            assert section[path]["rendered"]["queries"], section
            assert section[path]["cached"]["queries"], section


def test_the_report_states_the_figures_it_measured(tiny_run):
    results, text = tiny_run
    assert f"gunicorn {results.chosen}" in text
    assert "WEB_CONCURRENCY=2, GUNICORN_THREADS=1" in text
    # the connection sweep's table only: the busy-site table has rows named like its endpoints
    sweep = text.split("\n## Results", 1)[1].split("\n## ", 1)[0]
    for title in results.endpoints.values():
        rows = re.findall(rf"^\| {re.escape(title)} \| (\d+) \| ([\d,.]+) \|", sweep, re.M)
        assert [int(n) for n, _ in rows] == list(CONNECTIONS), title
    assert re.search(r"timeline throughput >= 0.5x .* \*\*[\d.]+x\*\* \| \*\*(met|missed)", text)
    assert f"| CPU cores | {results.machine['cores']} " in text
    assert len(results.steps) == 4  # three optimisation steps and the recycling comparison
    assert "## Query plans" in text
    assert results.slow_requests["/"][0] > 0  # gunicorn's access log was read
    for section in (results.queries_small, results.queries):
        assert section["plans"]["/"]["execution_ms"] is not None


def test_the_busy_site_is_measured_read_only_and_under_the_writers(tiny_run):
    results, text = tiny_run
    mix = results.mix
    assert set(mix.read_only) == set(mix.busy) == {"home", "explore", "healthz"}
    for measured in (*mix.read_only.values(), *mix.busy.values()):
        # Every endpoint had its turns, each as long as asked (wrk's own clock), and answered.
        assert measured.rounds == MIX_ROUNDS, measured
        assert measured.seconds >= 0.9 * MIX_ROUNDS * MIX_ROUND_SECONDS, measured
        assert measured.requests > 0, measured
        assert measured.errors == 0, measured
    # Timeline pages say how they were served; every viewer had its own session.
    assert mix.busy["home"].served_counted == mix.busy["home"].requests
    assert mix.busy["healthz"].served_counted == 0
    assert [check.action for check in mix.rates] == ["post", "like"]
    assert all(check.done > 0 and check.failed == 0 for check in mix.rates)
    assert mix.worker_rss_mib, "no gunicorn worker was sampled"
    assert "## A busy site: 5 viewers" in text
    assert re.search(r"home throughput busy >= 0.5x read-only .* \*\*(met|missed)", text)
    assert re.search(r"the writers held the asked rates .* \*\*(met|missed)", text)


def test_a_page_after_a_change_is_measured_against_one_from_the_cache(tiny_run):
    results, text = tiny_run
    cost = results.mix.render_cost
    assert cost["whole page from the cache"]["cards_rendered_per_request"] == 0
    assert cost["after a like"]["cards_rendered_per_request"] == 0
    assert cost["after a new tweet"]["cards_rendered_per_request"] == 1
    assert cost["after a new tweet, card cache off"]["cards_rendered_per_request"] > 1
    assert re.search(r"a page after a change <= 4x .* \*\*(met|missed)", text)
