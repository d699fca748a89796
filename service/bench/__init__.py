"""`make bench`: the service under load through nginx, on this machine's loopback.

`python -m service.bench` starts the local production topology (tests/e2e's harness) with
service.bench.settings,
loads a generated data set straight into Postgres, drives each endpoint with wrk and writes
docs/benchmarks.md from what it measured. See service/bench/run.py for the order of the steps.
"""
