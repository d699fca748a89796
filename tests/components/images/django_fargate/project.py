"""Runs the tiny project (this folder's settings.py) in a fresh interpreter, as a task would:
its settings come from the environment, which the tests write."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT

LIBRARY_SRC = DJANGO_FARGATE_SRC


def task_environment(tmp_path: Path, database_url: str, **overrides: str | None) -> dict[str, str]:
    """A web container's environment (the platform's contract), with made-up values."""
    environment = {
        "PATH": os.environ["PATH"],
        # The repository (for tests.django_fargate) and the library, installed or not.
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(LIBRARY_SRC)]),
        "DJANGO_SETTINGS_MODULE": "tests.components.images.django_fargate.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "app.example.com",
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "AWS_STORAGE_BUCKET_NAME": "app-media-example",
        "AWS_S3_REGION_NAME": "eu-west-1",
        "EMAIL_HOST": "email-smtp.eu-west-1.amazonaws.com",
        "EMAIL_HOST_USER": "AKIAEXAMPLEEXAMPLE00",
        "EMAIL_HOST_PASSWORD": secrets.token_urlsafe(32),
        "DEFAULT_FROM_EMAIL": "app <no-reply@app.example.com>",
    }
    environment.update(overrides)
    return {name: value for name, value in environment.items() if value is not None}


def django(environment: dict[str, str], *arguments: str, **kwargs) -> subprocess.CompletedProcess:
    """`django-admin ARGUMENTS` for the tiny project."""
    return subprocess.run(
        [sys.executable, "-m", "django", *arguments],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


_GET = """
import json, sys, django
django.setup()
from django.test import Client
answers = []
for host, path in json.loads(sys.argv[1]):
    response = Client().get(path, HTTP_HOST=host)
    answers.append([response.status_code, response.content.decode(), response.get("Location")])
print(json.dumps(answers))
"""


def get(environment: dict[str, str], *requests: tuple[str, str]) -> list[list]:
    """[status, body, Location] for each (Host, path), through the whole middleware chain."""
    result = subprocess.run(
        [sys.executable, "-c", _GET, json.dumps(requests)],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])
