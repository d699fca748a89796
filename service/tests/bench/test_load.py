"""Merging the rounds of one endpoint's measurement (service.bench.load.merge)."""

import json
import os
import re

import pytest

from service.bench.load import RESULT_PREFIX, Endpoint, LoadError, Measurement, merge, run


def measurement(requests: int, seconds: float, latencies_ms: list[float], **fields) -> Measurement:
    # 1,000 quantiles, as wrk.lua prints them: here an even spread over the given latencies.
    quantiles = tuple(latencies_ms[i * len(latencies_ms) // 1000] for i in range(1000))
    defaults = {
        "endpoint": "timeline",
        "connections": 10,
        "p50_ms": 0.0,
        "p99_ms": 0.0,
        "socket_errors": 0,
        "unexpected_status": 0,
        "first_unexpected_status": 0,
        "queries_counted": requests,
        "queries_total": 2 * requests,
        "queries_max": 2,
    }
    return Measurement(
        requests=requests,
        seconds=seconds,
        quantiles_ms=quantiles,
        **(defaults | fields),
    )


def test_throughput_is_all_requests_over_all_time():
    merged = merge([measurement(300, 2.0, [1.0]), measurement(100, 2.0, [1.0])])
    assert merged.requests == 400
    assert merged.rps == pytest.approx(100.0)
    assert merged.rounds == 2


def test_percentiles_weigh_each_round_by_its_requests():
    fast = measurement(900, 1.0, [1.0])  # every request took 1 ms
    slow = measurement(100, 1.0, [50.0])  # every request took 50 ms
    merged = merge([fast, slow])
    # 90% of all requests were fast: the median is fast, the 99th percentile slow.
    assert merged.p50_ms == 1.0
    assert merged.p99_ms == 50.0


def test_errors_and_queries_add_up():
    merged = merge(
        [
            measurement(10, 1.0, [1.0], socket_errors=1, queries_max=2),
            measurement(
                10, 1.0, [1.0], unexpected_status=2, first_unexpected_status=403, queries_max=4
            ),
        ]
    )
    assert merged.errors == 3
    assert merged.first_unexpected_status == 403
    assert merged.queries_mean == 2.0
    assert merged.queries_max == 4


def test_a_single_round_is_returned_as_it_is():
    only = measurement(10, 1.0, [3.0], p50_ms=3.0, p99_ms=3.0)
    assert merge([only]) is only


def test_a_run_that_completes_no_request_is_an_error(tmp_path, monkeypatch):
    # A stand-in wrk that reports what wrk.lua prints when nothing answered.
    result = {
        "requests": 0,
        "duration_us": 8_000_000,
        "connect_errors": 50,
        "read_errors": 0,
        "write_errors": 0,
        "timeouts": 0,
    }
    fake = tmp_path / "wrk"
    fake.write_text(f"#!/bin/sh\necho '{RESULT_PREFIX}{json.dumps(result)}'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    endpoint = Endpoint(key="timeline", title="home timeline", path="/")

    with pytest.raises(LoadError, match=re.escape("completed no request in 8 s (50 socket errors")):
        run("http://localhost:1", endpoint, connections=50, seconds=8)
