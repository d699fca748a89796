"""The settings every Django project needs on the platform, from its container's environment.

A project's production settings module adds them with one call, after its own settings:

    from django_fargate.settings import platform_settings
    globals().update(platform_settings())

The names read are the platform's environment contract (README.md lists them). A required one
that is missing stops the process at start with django-environ's ImproperlyConfigured naming it.
While the image is built (DJANGO_FARGATE_BUILD=1: collectstatic, nothing else) no secret, database
or AWS service is there, and `platform_settings` returns `build_settings()` instead.
https://django-environ.readthedocs.io/en/latest/
"""

from __future__ import annotations

import ipaddress
from secrets import token_urlsafe
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

from django_fargate.health import HEALTH_PATH, LIVENESS_PATH

BUILD_VARIABLE = "DJANGO_FARGATE_BUILD"
# Where the platform's images keep the certificate bundle of every RDS region: with
# `database: rds` the stack's DATABASE_URL names it as sslrootcert (the stack's
# components/postgres/rds_parameters.py, RDS_CA_BUNDLE_PATH).
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
RDS_CA_BUNDLE_PATH = "/etc/ssl/certs/rds-global-bundle.pem"
# One signed media URL per object per day, valid an hour past it (media_storage).
DEFAULT_SIGNING_WINDOW = 24 * 3600
DEFAULT_SIGNING_MARGIN = 3600
# Hashed file names (site.3f2a9c.css) and the manifest (staticfiles.json) mapping each name to
# its hashed one: nginx lets browsers cache them forever.
HASHED_STATIC_FILES = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}


def _env(env: environ.Env | None) -> environ.Env:
    return environ.Env() if env is None else env


def is_loopback(host: str) -> bool:
    """True for a host inside the task's own network namespace (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def database_settings(env: environ.Env | None = None) -> dict[str, Any]:
    """DATABASES from DATABASE_URL, with the TLS mode the database's place calls for.

    `database: efs`: Postgres runs in the same task and the URL names 127.0.0.1; the connection
    never leaves the task, so the URL's options are taken as they are. `database: rds`: the URL
    names the instance, and the stack writes sslmode=verify-full with the RDS CA bundle as
    sslrootcert, which django-environ hands to psycopg as OPTIONS. For any host other than the
    loopback a URL without sslmode gets those two, and a weaker sslmode is refused: libpq's
    `require` encrypts without checking who answers.
    https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION
    """
    env = _env(env)
    database = env.db_url("DATABASE_URL")
    host = str(database.get("HOST") or "")
    postgres = "postgresql" in str(database.get("ENGINE", ""))
    if postgres and not is_loopback(host):
        options = database.setdefault("OPTIONS", {})
        mode = options.setdefault("sslmode", "verify-full")
        if mode != "verify-full":
            raise ImproperlyConfigured(
                f"DATABASE_URL names {host}, outside the task, with sslmode={mode}: use "
                "sslmode=verify-full (and sslrootcert=the CA bundle), or 127.0.0.1 for the "
                "database in the task"
            )
        options.setdefault("sslrootcert", RDS_CA_BUNDLE_PATH)
    # Keep connections open between requests (few workers, one database), and check them before
    # reuse so a restarted database does not fail the first request.
    database["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    return {"default": database}


def media_cache_control(signing_window: int, signing_margin: int) -> str:
    """Every object's name is new and its bytes never change: a browser may keep it as long as
    a URL to it works, without asking again."""
    return f"private, max-age={signing_window + signing_margin}, immutable"


def media_storage(
    env: environ.Env | None = None,
    *,
    signing_window: int = DEFAULT_SIGNING_WINDOW,
    signing_margin: int = DEFAULT_SIGNING_MARGIN,
) -> dict[str, Any]:
    """STORAGES["default"]: user uploads in the media bucket (AWS_STORAGE_BUCKET_NAME).

    No access keys here: boto3's credential chain finds the ECS task role (or, for local runs
    and tests, whatever the environment provides).
    https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
    """
    env = _env(env)
    endpoint_url = env("AWS_S3_ENDPOINT_URL", default=None) or None
    options = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "region_name": env("AWS_S3_REGION_NAME"),
        # The bucket stays private: pages link to signed URLs, the same one for a signing window
        # (django_fargate.media_storage) so browsers keep the file.
        "querystring_auth": True,
        "querystring_expire": 3600,
        "signing_window": signing_window,
        "signing_margin": signing_margin,
        # Signature V4: V2 signed URLs are deprecated and refused by regions opened since 2014.
        # https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
        "signature_version": "s3v4",
        # Uploads get generated names; never silently replace an existing object.
        "file_overwrite": False,
        "object_parameters": {"CacheControl": media_cache_control(signing_window, signing_margin)},
    }
    if endpoint_url:
        # A local S3-compatible server (moto in tests) answers on one host name only.
        options["endpoint_url"] = endpoint_url
        options["addressing_style"] = "path"
    return {"BACKEND": "django_fargate.media_storage.StableUrlS3Storage", "OPTIONS": options}


def mail_settings(env: environ.Env | None = None) -> dict[str, Any]:
    """Mail through SES's SMTP interface (STARTTLS on 587), with the stack's SMTP credentials.
    https://docs.aws.amazon.com/ses/latest/dg/send-email-smtp.html"""
    env = _env(env)
    sender = env("DEFAULT_FROM_EMAIL")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": env("EMAIL_HOST"),
        "EMAIL_PORT": env.int("EMAIL_PORT", default=587),
        "EMAIL_HOST_USER": env("EMAIL_HOST_USER", default=""),
        "EMAIL_HOST_PASSWORD": env("EMAIL_HOST_PASSWORD", default=""),
        "EMAIL_USE_TLS": env.bool("EMAIL_USE_TLS", default=True),
        # A mail sent inside a request holds one of the few gunicorn workers for at most this
        # long (SES answers in well under a second).
        "EMAIL_TIMEOUT": 5,
        "DEFAULT_FROM_EMAIL": sender,
        "SERVER_EMAIL": sender,
    }


def proxy_settings(env: environ.Env | None = None) -> dict[str, Any]:
    """Host names, TLS and cookies behind the load balancer (which terminates TLS) and nginx.

    The ALB tells nginx the original scheme and nginx passes X-Forwarded-Proto on unchanged.
    DJANGO_HTTPS=false is only for a production-like run on plain http://localhost.
    https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
    """
    env = _env(env)
    https = env.bool("DJANGO_HTTPS", default=True)
    include_subdomains = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
    preload = env.bool("DJANGO_HSTS_PRELOAD", default=False)
    return {
        "ALLOWED_HOSTS": env.list("DJANGO_ALLOWED_HOSTS"),
        "CSRF_TRUSTED_ORIGINS": env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[]),
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_SSL_REDIRECT": https,
        # The probes arrive over plain HTTP (HealthCheckMiddleware answers them first); this
        # keeps the redirect away from them should the middleware order change.
        "SECURE_REDIRECT_EXEMPT": [rf"^{HEALTH_PATH[1:]}$", rf"^{LIVENESS_PATH[1:]}$"],
        "SECURE_HSTS_SECONDS": env.int(
            "DJANGO_SECURE_HSTS_SECONDS", default=31_536_000 if https else 0
        ),
        # includeSubDomains and preload reach past this site (the domain may be the zone's apex;
        # the preload list keeps a name for months): opt-in, and `check --deploy` is told that
        # leaving them off is deliberate.
        # https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": include_subdomains,
        "SECURE_HSTS_PRELOAD": preload,
        "SILENCED_SYSTEM_CHECKS": [
            *([] if include_subdomains else ["security.W005"]),
            *([] if preload else ["security.W021"]),
        ],
        "SESSION_COOKIE_SECURE": https,
        "CSRF_COOKIE_SECURE": https,
    }


def logging_settings(level: str = "INFO") -> dict[str, Any]:
    """LOGGING: everything to stdout, where the container runtime (awslogs) collects it, with
    secrets redacted on the way out (django_fargate.redaction)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_secrets": {"()": "django_fargate.redaction.RedactSecretsFilter"}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "plain",
                "filters": ["redact_secrets"],
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # 4xx/5xx are already in gunicorn's access log; keep Django's request log for 5xx.
            "django.request": {"level": "ERROR", "propagate": True},
        },
    }


def build_settings(env: environ.Env | None = None) -> dict[str, Any]:
    """For the image build's one Django step, collectstatic into DJANGO_STATIC_ROOT: no database,
    no secret, no AWS service."""
    env = _env(env)
    return {
        "DEBUG": False,
        # Django wants one; collectstatic signs nothing, so a throwaway value per build.
        "SECRET_KEY": token_urlsafe(50),
        "STATIC_ROOT": env.path("DJANGO_STATIC_ROOT"),
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": HASHED_STATIC_FILES,
        },
        "LOGGING": logging_settings(env("DJANGO_LOG_LEVEL", default="INFO")),
    }


def platform_settings(
    env: environ.Env | None = None,
    *,
    signing_window: int = DEFAULT_SIGNING_WINDOW,
    signing_margin: int = DEFAULT_SIGNING_MARGIN,
) -> dict[str, Any]:
    """Every setting the platform decides, from the environment (build_settings() while the
    image is built). `signing_window`/`signing_margin`: seconds one signed media URL is handed
    out for, and how long it still works after (at least as long as the app caches pages)."""
    env = _env(env)
    if env.bool(BUILD_VARIABLE, default=False):
        return build_settings(env)
    return {
        "DEBUG": False,
        "SECRET_KEY": env("DJANGO_SECRET_KEY"),
        "DATABASES": database_settings(env),
        # Collected into the image when it is built; Django reads the manifest there.
        "STATIC_ROOT": env.path("DJANGO_STATIC_ROOT"),
        "STORAGES": {
            "default": media_storage(
                env, signing_window=signing_window, signing_margin=signing_margin
            ),
            "staticfiles": HASHED_STATIC_FILES,
        },
        **mail_settings(env),
        **proxy_settings(env),
        "LOGGING": logging_settings(env("DJANGO_LOG_LEVEL", default="INFO")),
    }
