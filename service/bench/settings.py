"""Production settings plus what only a benchmark needs (never deployed).

- Every response carries the number of SQL queries the request ran (`X-Query-Count`), counted
  inside Django, so the load generator can report queries per request from the server's side.
- BENCH_TEMPLATE_LOADER=uncached swaps Django's cached template loader for the plain ones, and
  BENCH_TIMELINE_CACHE=off turns the timeline fragment cache off, so one run can show what each
  of them buys.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE, SILENCED_SYSTEM_CHECKS, TEMPLATES, env

# Outermost, so the health check's query and the session and user lookups are counted too.
MIDDLEWARE = ["service.bench.query_count.QueryCountMiddleware", *MIDDLEWARE]
# The platform's check wants the probes' middleware first (django_fargate.E001): here the
# counter wraps it on purpose, and it only counts, so the probes still answer before anything
# refuses them.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_fargate.E001"]

if env("BENCH_TEMPLATE_LOADER", default="cached") == "uncached":
    # Without an explicit `loaders`, Django (since 4.1) wraps these two in the cached loader.
    # https://docs.djangoproject.com/en/5.2/ref/templates/api/#django.template.loaders.cached.Loader
    TEMPLATES = [
        {
            **TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]

if env("BENCH_TIMELINE_CACHE", default="on") == "off":
    TIMELINE_CACHE_SECONDS = 0
