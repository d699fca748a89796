"""Production settings: every deployed or production-like run (ECS, docker-compose.production.yml,
the local production topology). Everything comes from the environment contract; a missing
required variable stops the process at start with ImproperlyConfigured naming it.
"""

from .base import *  # noqa: F403
from .base import HASHED_STATIC_FILES, content_security_policy, env, s3_media_storage

DEBUG = False

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env.db_url("DATABASE_URL")}
# Keep connections open between requests (one Postgres in the same task, few workers), and
# check them before reuse so a restarted database does not fail the first request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- static files (collected at image build, served by nginx) and media (S3) ---------------
# The web image collects them into DJANGO_STATIC_ROOT when it is built (collect-static.sh);
# Django reads the manifest there to write the hashed URLs.
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT")
STORAGES = {"default": s3_media_storage(), "staticfiles": HASHED_STATIC_FILES}
CONTENT_SECURITY_POLICY = content_security_policy(STORAGES["default"])

# --- mail through SES SMTP ------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
# A password reset sends its mail inside the request: a slow SMTP server holds one of the few
# gunicorn workers for at most this long (SES answers in well under a second), and nginx limits
# how often one address may ask (etc/nginx/templates/default.conf.template).
EMAIL_TIMEOUT = 5
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- behind the load balancer, which terminates TLS -----------------------------------------
# The ALB tells nginx the original scheme and nginx passes it on unchanged.
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# DJANGO_HTTPS=false is only for a production-like run on plain http://localhost; a deployed
# site always has it true (`manage.py check --deploy` warns otherwise).
SERVED_OVER_HTTPS = env.bool("DJANGO_HTTPS", default=True)
SECURE_SSL_REDIRECT = SERVED_OVER_HTTPS
# The ALB's health check arrives over plain HTTP with the task's IP as Host, the container health
# check over plain HTTP on 127.0.0.1. HealthCheckMiddleware answers both before host validation;
# this keeps the redirect away from them should the order change.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = env.int(
    "DJANGO_SECURE_HSTS_SECONDS", default=31_536_000 if SERVED_OVER_HTTPS else 0
)
# includeSubDomains and preload reach past this site: the domain may be the zone's apex, and
# once a name is on the browsers' preload list it stays there for months after the header goes.
# Both are opt-in; `check --deploy` is told that leaving them off is deliberate.
# https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SESSION_COOKIE_SECURE = SERVED_OVER_HTTPS
CSRF_COOKIE_SECURE = SERVED_OVER_HTTPS
