"""Fixtures for the service's tests: a real PostgreSQL server and a real S3 API (moto's server)
per test session, and the users and images the specifications talk about."""

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import boto3
import pytest
from django.test.utils import override_settings
from moto.server import ThreadedMotoServer
from PIL import Image
from pytest_postgresql.executors import PostgreSQLExecutor

from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT, SERVICE_DIR
from tests.postgres_servers import free_port, running_server

# The demo's settings for its tests. Set here, not in pyproject.toml: the platform's tests run
# without the demo, whose settings module would then not import.
SETTINGS_MODULE = "config.settings.test"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.conf import settings

    # Read now, so that pytest-django, whose pytest_configure runs after every other, finds the
    # settings configured and sets Django up (django.setup()) before the tests are collected.
    assert settings.INSTALLED_APPS


MEDIA_BUCKET = "django-tw-test-media"
MEDIA_REGION = "ap-northeast-1"


# --- PostgreSQL -----------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def every_cache_empty():
    """Each test starts and ends with empty caches: the test database starts over for every
    test, so its timeline versions repeat, and an entry kept under one test's version must not
    be served in the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgreSQLExecutor]:
    """One PostgreSQL server for the session, trusted on 127.0.0.1, tuned for speed not safety."""
    options = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    with running_server("django-tw-test-pg-", "django_tw", options) as executor:
        yield executor


@pytest.fixture(scope="session")
def django_db_modify_db_settings(postgresql_server: PostgreSQLExecutor) -> None:
    """Point Django at the session's server before pytest-django creates the test database."""
    from django.conf import settings

    settings.DATABASES["default"].update(
        HOST=postgresql_server.host,
        PORT=str(postgresql_server.port),
        USER=postgresql_server.user,
        PASSWORD="",
        NAME="django_tw",
    )


# --- S3 (moto's server: the real django-storages backend, the real boto3, over HTTP) ---------
@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # Credentials for the fake server only; production uses the task role.
    fake_credentials = {
        "AWS_ACCESS_KEY_ID": "moto-test-key",
        "AWS_SECRET_ACCESS_KEY": "moto-test-secret",
        "AWS_DEFAULT_REGION": MEDIA_REGION,
    }
    saved = {name: os.environ.get(name) for name in fake_credentials}
    os.environ.update(fake_credentials)
    try:
        yield endpoint
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def s3_client(s3_endpoint: str):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=MEDIA_REGION)
    client.create_bucket(
        Bucket=MEDIA_BUCKET, CreateBucketConfiguration={"LocationConstraint": MEDIA_REGION}
    )
    return client


@pytest.fixture(scope="session", autouse=True)
def media_in_s3(s3_endpoint: str, s3_client) -> Iterator[None]:
    """Every test stores media through the settings' S3 backend into the moto bucket."""
    from django.conf import settings

    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": settings.STORAGES["default"]["BACKEND"],
        "OPTIONS": {
            **settings.STORAGES["default"]["OPTIONS"],
            "bucket_name": MEDIA_BUCKET,
            "region_name": MEDIA_REGION,
            "endpoint_url": s3_endpoint,
        },
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture
def bucket_keys(s3_client):
    """The keys in the media bucket right now."""

    def keys() -> set[str]:
        listing = s3_client.list_objects_v2(Bucket=MEDIA_BUCKET)
        return {item["Key"] for item in listing.get("Contents", [])}

    return keys


# --- people ---------------------------------------------------------------------------------
PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    def make(username: str, **fields):
        fields.setdefault("email", f"{username}@example.com")
        return get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


# --- a second worker ------------------------------------------------------------------------
@pytest.fixture
def other_worker(transactional_db, postgresql_server, s3_endpoint):
    """Another process on the test's database, with its own in-memory caches, as a second
    gunicorn worker (service.tests.other_worker): `other_worker(username, path)` is the page
    that process serves that user."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    process = subprocess.Popen(
        [sys.executable, "-m", "service.tests.other_worker"],
        cwd=REPO_ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(REPO_ROOT), str(SERVICE_DIR), str(DJANGO_FARGATE_SRC)]
            ),
            "DATABASE_URL": url,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def page(username: str, path: str = "/") -> str:
        process.stdin.write(f"{username} {path}\n")
        process.stdin.flush()
        answer = json.loads(process.stdout.readline())
        assert answer["status"] == 200
        return answer["page"]

    yield page
    process.stdin.close()
    process.wait(timeout=30)


# --- images ---------------------------------------------------------------------------------
def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (29, 155, 240)).save(buffer, format=image_format)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
