"""gunicorn's access log with the platform's configuration (django_fargate.gunicorn_conf) names
no password-reset token, URL password or secret of the environment: the request line, the path
and the Referer come out redacted."""

import datetime
import importlib
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from django_fargate.gunicorn import RedactingLogger
from django_fargate.redaction import redacted

TOKEN = "cz8lq4-0f3b2c9d1e8a7b6c5d4e3f2a1b0c9d8e"
RESET = f"/accounts/reset/MTI/{TOKEN}/"


def test_a_reset_link_is_redacted():
    assert redacted(f"GET {RESET} HTTP/1.1") == "GET /accounts/reset/[redacted]/ HTTP/1.1"
    assert TOKEN not in redacted(f"https://tw.example.com{RESET}?next=/")


@pytest.mark.parametrize(
    "path",
    [
        f"/accounts/reset/MTI/{TOKEN}",
        f"/accounts/reset/MTI/{TOKEN}?next=/",
        f"//accounts/reset/MTI/{TOKEN}/",
        f"/accounts//reset/MTI//{TOKEN}/",
    ],
)
def test_a_reset_link_without_its_final_slash_or_with_doubled_ones_is_redacted(path):
    assert TOKEN not in redacted(f"GET {path} HTTP/1.1")
    assert TOKEN not in access_line(path, referer=f"https://tw.example.com{path}")


def test_the_set_password_step_and_the_done_page_are_told_apart():
    assert redacted("/accounts/reset/MTI/set-password/") == "/accounts/reset/[redacted]/"
    assert redacted("/accounts/reset/done/") == "/accounts/reset/done/"
    assert redacted("/accounts/password_reset/") == "/accounts/password_reset/"
    assert redacted("/accounts/reset/") == "/accounts/reset/"


def access_line(path: str, referer: str = "-") -> str:
    """One access-log line as gunicorn writes it with the platform's configuration."""
    settings = vars(importlib.import_module("django_fargate.gunicorn_conf"))
    config = Config()
    config.set("logger_class", settings["logger_class"])
    config.set("access_log_format", settings["access_log_format"])
    config.set("accesslog", "-")
    logger_class = config.logger_class
    assert logger_class is RedactingLogger
    logger = logger_class(config)
    lines = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    logger.access_log.handlers = [Capture()]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "test",
    }
    request = SimpleNamespace(headers=[("X-REAL-IP", "203.0.113.9"), ("REFERER", referer)])
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=3))
    assert len(lines) == 1
    return lines[0]


def test_gunicorns_access_log_has_no_token():
    line = access_line(RESET, referer=f"https://tw.example.com{RESET}")
    assert TOKEN not in line
    assert '"GET /accounts/reset/[redacted]/ HTTP/1.1" 302' in line
    assert line.startswith("203.0.113.9 ")


def test_other_requests_are_logged_as_they_came():
    assert '"GET /explore/?page=2 HTTP/1.1"' in access_line("/explore/?page=2")


def test_a_secret_of_the_environment_is_redacted(monkeypatch):
    secret = "s3cr3t-value-the-task-was-given"
    monkeypatch.setenv("STRIPE_API_TOKEN", secret)
    line = access_line(f"/pay/?key={secret}", referer=f"https://app.example.com/?k={secret}")
    assert secret not in line
    assert '"GET /pay/?key=[redacted] HTTP/1.1"' in line
