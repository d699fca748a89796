"""The generic app image's command (`python -m django_fargate.start`): apply the migrations
under the advisory lock (`manage.py migrate_locked`), then become gunicorn serving
DJANGO_APP_MODULE (`config.wsgi:application`, or an ASGI application with an ASGI worker class).

Run from the project's directory, where manage.py is. A failed migration ends the container with
its status, so ECS starts another instead of serving code the schema does not match.
"""

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence

GUNICORN_CONFIG = "python:django_fargate.gunicorn_conf"


def migrate_command() -> list[str]:
    return [sys.executable, "manage.py", "migrate_locked", "--noinput"]


def gunicorn_command(environ: Mapping[str, str]) -> list[str]:
    app_module = environ.get("DJANGO_APP_MODULE", "")
    if ":" not in app_module:
        raise SystemExit(
            f"DJANGO_APP_MODULE is {app_module!r}: set it to the application's module and name, "
            "e.g. config.wsgi:application"
        )
    return ["gunicorn", "-c", GUNICORN_CONFIG, app_module]


def main(environ: Mapping[str, str] | None = None, argv: Sequence[str] = ()) -> int:
    environ = os.environ if environ is None else environ
    serve = gunicorn_command(environ)
    migrated = subprocess.run(migrate_command(), check=False)  # noqa: S603 (fixed command)
    if migrated.returncode != 0:
        return migrated.returncode
    os.execvp(serve[0], [*serve, *argv])  # noqa: S606 (gunicorn takes this process's place)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(argv=sys.argv[1:]))
