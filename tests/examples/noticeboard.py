"""What the noticeboard's tests share: where it is, and the environment a task gives it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT

NOTICEBOARD = REPO_ROOT / "examples" / "noticeboard"
# The platform's Django library, from the checkout (the images install it from its wheelhouse).
LIBRARY_SRC = DJANGO_FARGATE_SRC


def task_environment(static_root: Path, database_url: str) -> dict[str, str]:
    """The web container's variables (stack/contract.py's WEB), with made-up values."""
    return {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(LIBRARY_SRC),
        "DJANGO_SETTINGS_MODULE": "noticeboard.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(static_root),
        "AWS_STORAGE_BUCKET_NAME": "noticeboard-media",
        "AWS_S3_REGION_NAME": "eu-west-1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "2525",
        "EMAIL_USE_TLS": "false",
        "DEFAULT_FROM_EMAIL": "Noticeboard <noreply@localhost>",
    }
