"""Settings for the test suite (pytest-django). The database and the S3 endpoint are filled in
by service/tests/conftest.py once it has started PostgreSQL and the S3 server."""

from .base import *  # noqa: F403
from .base import MEDIA_CACHE_CONTROL, MEDIA_SIGNING_MARGIN, MEDIA_SIGNING_WINDOW, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-a-secret-0123456789abcdefghijklmnop"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

STORAGES = {
    "default": {
        "BACKEND": "django_fargate.media_storage.StableUrlS3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", default="django-tw-test-media"),
            "region_name": "ap-northeast-1",
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="http://127.0.0.1:9"),
            "addressing_style": "path",
            "querystring_auth": True,
            "signature_version": "s3v4",
            "file_overwrite": False,
            "signing_window": MEDIA_SIGNING_WINDOW,
            "signing_margin": MEDIA_SIGNING_MARGIN,
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Hashing passwords slowly is the point in production and only slows tests down.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Most tests write rows directly (bulk_create, update) and read pages right after: they test what
# a page shows, not the cache. service/tests/test_timeline_cache.py turns it on.
TIMELINE_CACHE_SECONDS = 0

# Most tests sign in through django.contrib.auth.authenticate() without a request, which
# django-axes refuses. service/tests/test_lockout.py turns it on.
AXES_ENABLED = False
