"""Readings from gunicorn's log: slow requests per page, and workers recycled."""

from __future__ import annotations

from service.bench import web_log


def access_line(path: str, seconds: float) -> str:
    # The access log format of django_fargate.gunicorn_conf.
    return f'127.0.0.1 - - [01/Dec/2026:10:00:00] "GET {path} HTTP/1.1" 200 58386 {seconds}s\n'


def test_slow_requests_counts_only_what_was_logged_after_the_offset(tmp_path):
    log = tmp_path / "web.log"
    log.write_text(access_line("/", 0.9))
    offset = web_log.size(log)
    with log.open("a") as handle:
        handle.write(access_line("/", 0.25) + access_line("/", 0.01))
        handle.write(access_line("/explore/", 0.5))
        handle.write(access_line("/healthz", 2.0))  # not a page the report follows
    assert web_log.slow_requests(log, offset) == {"/": (2, 1), "/explore/": (1, 1)}


def test_a_missing_log_has_size_zero_and_no_recycled_workers(tmp_path):
    assert web_log.size(tmp_path / "web.log") == 0
    assert web_log.worker_recycles(tmp_path / "web.log") == 0


def test_worker_recycles_counts_gunicorns_autorestart_lines(tmp_path):
    log = tmp_path / "web.log"
    log.write_text("[INFO] Autorestarting worker after current request.\nok\n" * 3)
    assert web_log.worker_recycles(log) == 3
