#!/usr/bin/env bash
# Development entry point (docker-compose.yml): same migration step as production, then
# Django's auto-reloading development server, which serves static files itself.
set -euo pipefail
cd "$(dirname "$0")"

python manage.py migrate_locked --noinput
exec python manage.py runserver "${DJANGO_RUNSERVER_ADDR:-0.0.0.0:8000}"
