"""Development settings (`manage.py runserver`, docker-compose.yml). Never deployed."""

from .base import *  # noqa: F403
from .base import SERVICE_DIR, content_security_policy, env, s3_media_storage

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="development-only-secret-key-never-used-in-production"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# Media on local disk unless a bucket is configured (e.g. a local S3-compatible server).
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    _media = s3_media_storage()
else:
    _media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(SERVICE_DIR / "media"))
STORAGES = {
    "default": _media,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CONTENT_SECURITY_POLICY = content_security_policy(STORAGES["default"])

# Password reset mails are printed to the console.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
