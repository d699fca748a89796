#!/usr/bin/env bash
# The site's static files, hashed, with the manifest (staticfiles.json) Django reads to write
# their URLs, into DJANGO_STATIC_ROOT. Run once per image build (service/Dockerfile: the
# manifest and the files, which the nginx image copies out of it) and by `make local` before the
# web process starts; never at container start, where the directory is read-only.
set -euo pipefail
cd "$(dirname "$0")"
: "${DJANGO_STATIC_ROOT:?set DJANGO_STATIC_ROOT to the directory to collect into}"
DJANGO_SETTINGS_MODULE=config.settings.build exec python manage.py collectstatic --noinput --verbosity 0
