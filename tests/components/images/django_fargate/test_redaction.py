"""django_fargate.redaction: reset links, URL passwords and the environment's secrets never
reach a log line, in the message, the traceback or the stack."""

import logging

from django_fargate.redaction import RedactSecretsFilter, redacted, secret_values

PASSWORD = "hunter2-but-longer"
ENVIRONMENT = {
    "DATABASE_URL": f"postgres://app:{PASSWORD}@127.0.0.1:5432/app",
    "DJANGO_SECRET_KEY": "django-insecure-signing-key-0123456789",
    "EMAIL_HOST_USER": "AKIAEXAMPLEEXAMPLE00",
    "SENTRY_AUTH_TOKEN": "sntrys_abcdefghijkl",
    "DJANGO_ALLOWED_HOSTS": "app.example.com",
    "DJANGO_HTTPS": "true",
    "SHORT_SECRET": "abc",
}


def test_the_secrets_are_the_values_of_secret_looking_names_and_a_urls_password():
    secrets = secret_values(ENVIRONMENT)
    assert set(secrets) == {
        ENVIRONMENT["DATABASE_URL"],
        PASSWORD,
        ENVIRONMENT["DJANGO_SECRET_KEY"],
        ENVIRONMENT["EMAIL_HOST_USER"],
        ENVIRONMENT["SENTRY_AUTH_TOKEN"],
    }
    # Longest first: the whole URL is replaced before the password inside it.
    assert list(secrets) == sorted(secrets, key=len, reverse=True)


def test_a_url_password_is_redacted_even_when_it_is_no_secret_of_ours():
    line = "connecting to redis://default:p4ssw0rd@cache.internal:6379/0"
    assert redacted(line) == "connecting to redis://default:[redacted]@cache.internal:6379/0"
    assert redacted("https://app.example.com:8443/page/") == "https://app.example.com:8443/page/"


def test_a_reset_link_is_redacted_and_the_done_page_is_not():
    assert redacted("GET /accounts/reset/MTI/abc-123/ 302") == "GET /accounts/reset/[redacted]/ 302"
    assert redacted("/accounts/reset/done/") == "/accounts/reset/done/"


def record(message: str, *args, exc_info=None, stack_info=None) -> logging.LogRecord:
    made = logging.LogRecord("app", logging.ERROR, __file__, 1, message, args, exc_info)
    made.stack_info = stack_info
    return made


def test_the_filter_rewrites_the_message_with_its_arguments():
    log_filter = RedactSecretsFilter(environ=ENVIRONMENT)
    line = record("signing with %s for %s", ENVIRONMENT["DJANGO_SECRET_KEY"], "alice")
    assert log_filter.filter(line) is True  # redacts, never drops
    assert line.getMessage() == "signing with [redacted] for alice"


def test_the_filter_leaves_a_clean_record_as_it_was():
    log_filter = RedactSecretsFilter(environ=ENVIRONMENT)
    line = record("user %s signed in", "alice")
    log_filter.filter(line)
    assert (line.msg, line.args) == ("user %s signed in", ("alice",))


def test_the_filter_redacts_the_traceback_and_the_stack():
    log_filter = RedactSecretsFilter(environ=ENVIRONMENT)
    try:
        raise ConnectionError(f"could not log in as app with {PASSWORD}")
    except ConnectionError as error:
        line = record("failed", exc_info=(type(error), error, error.__traceback__))
    line.stack_info = f"Stack (most recent call last):\n  token={PASSWORD}"
    log_filter.filter(line)
    text = logging.Formatter().format(line)
    assert "ConnectionError: could not log in as app with [redacted]" in text
    assert "token=[redacted]" in text
    assert PASSWORD not in text
