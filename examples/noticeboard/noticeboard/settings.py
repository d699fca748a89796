"""The noticeboard's settings: its own (apps, templates, languages), then the platform's.

Everything that depends on where it runs (secret key, database, media bucket, mail, host names,
HTTPS behind the load balancer, logging) comes from the task's environment through
django_fargate, in one call at the end.
"""

import os
from pathlib import Path

from django_fargate.settings import platform_settings

BASE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_fargate",
    "notices",
]

MIDDLEWARE = [
    # First: the load balancer's and the container's probes, before host checks and redirects.
    "django_fargate.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "noticeboard.urls"
WSGI_APPLICATION = "noticeboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notices.context.site",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The app's own variables: the stack file's `environment` and `secrets` (Pulumi.noticeboard.yaml).
NOTICEBOARD_NAME = os.environ.get("NOTICEBOARD_NAME", "Noticeboard")
# Where the moderators' admin lives; in a task a secret, so the path is not guessed.
ADMIN_PATH = os.environ.get("NOTICEBOARD_ADMIN_PATH", "admin/")

# A photo of a notice: at most this many bytes (nginx lets 10 MB through).
NOTICE_PHOTO_MAX_BYTES = 5 * 1024 * 1024

globals().update(platform_settings())
