#!/usr/bin/env bash
# Development entry point (docker-compose.yml): the same steps as start.production.sh with the
# development settings, and gunicorn reloading the code whenever a file changes. Static files
# come straight from the apps (DEBUG), so nothing is collected.
set -euo pipefail
cd "$(dirname "$0")"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"

python manage.py migrate_locked --noinput
exec gunicorn -c gunicorn.conf.py --reload config.wsgi:application
