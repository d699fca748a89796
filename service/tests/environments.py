"""The web container's environment for tests that start Django with production settings."""

import os
import secrets

from stack.paths import DJANGO_FARGATE_SRC


def production_environment(tmp_path, **overrides: str) -> dict[str, str]:
    """The web container's environment (names from the contract), with made-up values."""
    environment = {
        "PATH": os.environ["PATH"],
        # The platform's Django library, as the image has it installed.
        "PYTHONPATH": str(DJANGO_FARGATE_SRC),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        # Generated per run: no secret is written down anywhere.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "tw.example.com",
        "DATABASE_URL": f"postgres://django_tw:{secrets.token_urlsafe(16)}@localhost:5432/django_tw",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "AWS_STORAGE_BUCKET_NAME": "django-tw-media-example",
        "AWS_S3_REGION_NAME": "ap-northeast-1",
        "EMAIL_HOST": "email-smtp.ap-northeast-1.amazonaws.com",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "AKIAEXAMPLEEXAMPLE00",
        "EMAIL_HOST_PASSWORD": secrets.token_urlsafe(32),
        "DEFAULT_FROM_EMAIL": "django-tw <no-reply@tw.example.com>",
        "WEB_CONCURRENCY": "2",
    }
    environment.update(overrides)
    return {name: value for name, value in environment.items() if value is not None}
