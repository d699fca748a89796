#!/usr/bin/env bash
# Development entry point (docker-compose.yml): the platform's start (django_fargate.start:
# migrations under the lock, then gunicorn with the platform's configuration) with the
# development settings, and gunicorn reloading the code whenever a file changes. Static files
# come straight from the apps (DEBUG), so nothing is collected.
set -euo pipefail
cd "$(dirname "$0")"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
export DJANGO_APP_MODULE=config.wsgi:application

exec python -m django_fargate.start --reload
