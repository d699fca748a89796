"""gunicorn's access log without secrets (django_fargate.redaction).

Every value the access log format can show (the request line, the path, the Referer, any
header) goes through `redacted` first: a reset link typed into the address bar, or credentials
in a Referer, never reach the log. gunicorn_conf.py names this class as `logger_class`.
https://docs.gunicorn.org/en/stable/settings.html#logger-class
"""

from gunicorn.glogging import Logger

from django_fargate.redaction import redacted, secret_values


class RedactingLogger(Logger):
    """gunicorn's Logger whose access-log atoms carry no reset link, URL password or secret."""

    def __init__(self, cfg) -> None:
        super().__init__(cfg)
        self.secrets = secret_values()

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redacted(value, self.secrets) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
