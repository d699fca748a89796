"""gunicorn's access log without password-reset tokens.

A reset token signs its holder in as the account's owner until it is used or
PASSWORD_RESET_TIMEOUT passes, so whoever reads the logs must not find one there. The site never
puts one in a URL (accounts.password_reset), but a link of the older form
(`/accounts/reset/<uidb64>/<token>/`, with or without the final slash) may still be typed in.
Every value the access log format can show (the request line, the path, the Referer, any
header) goes through `redacted` first. nginx's log has the same rule
(etc/nginx/templates/default.conf.template, `$loggable_request_uri`).
https://docs.gunicorn.org/en/stable/settings.html#logger-class
"""

import re

from gunicorn.glogging import Logger

# Two path segments after /accounts/reset/: the uid and the token (or Django's "set-password"
# stand-in for it), the final slash optional; `/accounts/reset/done/` has one and stays readable.
RESET_LINK = re.compile(r"/+accounts/+reset/+[^/?#\s\"]+/+[^/?#\s\"]+/?")
REDACTED = "/accounts/reset/[redacted]/"


def redacted(text: str) -> str:
    return RESET_LINK.sub(REDACTED, text)


class RedactingLogger(Logger):
    """gunicorn's Logger whose access-log atoms carry no reset link."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redacted(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
