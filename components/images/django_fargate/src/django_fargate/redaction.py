"""Secrets kept out of the logs: what a log line may hold is redacted before it is written.

Three kinds of secret can reach a log line. A password-reset link (Django's
`/accounts/reset/<uidb64>/<token>/`, with or without the final slash) signs its holder in as the
account's owner until it is used or PASSWORD_RESET_TIMEOUT passes. Credentials written into a
URL (`postgres://user:password@host/db`, the shape of DATABASE_URL). And the value of any secret
the container was given in its environment (DJANGO_SECRET_KEY, DATABASE_URL,
EMAIL_HOST_PASSWORD, ...), wherever an exception message or a debug line repeats it.

`RedactSecretsFilter` does it for Python's logging (LOGGING's handlers, django_fargate.settings);
`django_fargate.gunicorn.RedactingLogger` for gunicorn's access log. nginx's log has the same
rule for reset links (its template's `$loggable_request_uri`).
https://docs.python.org/3/library/logging.html#filter-objects
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote, urlsplit

# Two path segments after /accounts/reset/: the uid and the token (or Django's "set-password"
# stand-in for it), the final slash optional; `/accounts/reset/done/` has one and stays readable.
RESET_LINK = re.compile(r"/+accounts/+reset/+[^/?#\s\"]+/+[^/?#\s\"]+/?")
REDACTED_RESET_LINK = "/accounts/reset/[redacted]/"
# scheme://user:password@ : the password, up to the last @ before the host.
URL_PASSWORD = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)[^/\s]*@")
REDACTED = "[redacted]"

# Environment names whose values are secrets: the same rule the platform's container specs apply
# before they let a value into a task definition in plain text (components/fargate/types.py,
# _SECRET_LOOKING_NAME), plus the contract's secrets it does not catch by name.
SECRET_NAME = re.compile(
    r"(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|ACCESS_KEY|^DATABASE_URL$)", re.IGNORECASE
)
SECRET_NAMES = frozenset({"EMAIL_HOST_USER"})
# Shorter values are left alone: "true" or a port number would redact every line they appear in.
MIN_SECRET_LENGTH = 8


def secret_values(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The values of the environment's secret variables (and a URL's password on its own),
    longest first so that a secret containing another is redacted whole."""
    environ = os.environ if environ is None else environ
    found: set[str] = set()
    for name, value in environ.items():
        if not (SECRET_NAME.search(name) or name in SECRET_NAMES):
            continue
        found.add(value)
        if "://" in value:
            password = urlsplit(value).password
            if password:
                found.update((password, unquote(password)))
    return tuple(
        sorted((value for value in found if len(value) >= MIN_SECRET_LENGTH), key=len, reverse=True)
    )


def redacted(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without reset links, URL passwords or any of `secrets`."""
    text = RESET_LINK.sub(REDACTED_RESET_LINK, text)
    text = URL_PASSWORD.sub(rf"\1{REDACTED}@", text)
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


class RedactSecretsFilter(logging.Filter):
    """A logging filter (on a handler: it then sees every record the handler writes, however it
    propagated) that rewrites each record's message, traceback and stack without secrets. The
    secret values are read from the environment once, when logging is configured."""

    def __init__(self, name: str = "", environ: Mapping[str, str] | None = None) -> None:
        super().__init__(name)
        self.secrets = secret_values(environ)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redacted(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            # What Formatter.format would write; it reuses exc_text once it is set.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redacted(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redacted(record.stack_info, self.secrets)
        return True
