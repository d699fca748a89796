#!/usr/bin/env bash
# Entry point of the web container (and of the local production-like runner).
# Several tasks may start at once: migrations run under a PostgreSQL advisory lock, so
# exactly one applies them while the others wait and then find nothing left to do.
# The static files are already in the image (collect-static.sh ran when it was built), so the
# start writes none: the image's copy is read-only to the app user.
set -euo pipefail
cd "$(dirname "$0")"

python manage.py migrate_locked --noinput
exec gunicorn -c gunicorn.conf.py config.wsgi:application
