"""django_fargate.settings: every setting the platform decides, read from the environment a
task is given (the stack's container contract); a missing required name says which."""

import io
import logging
import logging.config

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from django_fargate.settings import (
    RDS_CA_BUNDLE_PATH,
    build_settings,
    database_settings,
    logging_settings,
    mail_settings,
    media_storage,
    platform_settings,
    proxy_settings,
)

TASK = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "app.example.com,www.app.example.com",
    "DATABASE_URL": "postgres://app:pw@127.0.0.1:5432/app",
    "DJANGO_STATIC_ROOT": "/var/www/static",
    "AWS_STORAGE_BUCKET_NAME": "app-media",
    "AWS_S3_REGION_NAME": "eu-west-1",
    "EMAIL_HOST": "email-smtp.eu-west-1.amazonaws.com",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "true",
    "DEFAULT_FROM_EMAIL": "app <no-reply@app.example.com>",
}


def env_of(**values: str) -> environ.Env:
    """django-environ reading `values` instead of the process's environment."""
    env = environ.Env()
    env.ENVIRON = values
    return env


# --- the database ---------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_the_database_in_the_task_is_reached_over_the_loopback_as_the_url_says(host):
    database = database_settings(env_of(DATABASE_URL=f"postgres://app:pw@{host}:5432/app"))
    default = database["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert (default["USER"], default["PASSWORD"], default["NAME"]) == ("app", "pw", "app")
    assert "sslmode" not in default.get("OPTIONS", {})


def test_the_managed_database_is_verified_against_the_rds_bundle_as_the_stack_writes_it():
    from components.postgres.rds_parameters import verified_url

    url = verified_url(
        user="app", password="p@ss/1", host="db.rds.example", port=5432, database="a"
    )
    default = database_settings(env_of(DATABASE_URL=url))["default"]
    assert default["HOST"] == "db.rds.example"
    assert default["PASSWORD"] == "p@ss/1"
    assert default["OPTIONS"] == {"sslmode": "verify-full", "sslrootcert": RDS_CA_BUNDLE_PATH}


def test_a_database_outside_the_task_without_a_tls_mode_is_verified_by_default():
    default = database_settings(env_of(DATABASE_URL="postgres://app:pw@10.0.3.4:5432/app"))
    assert default["default"]["OPTIONS"] == {
        "sslmode": "verify-full",
        "sslrootcert": RDS_CA_BUNDLE_PATH,
    }


@pytest.mark.parametrize("mode", ["disable", "prefer", "require", "verify-ca"])
def test_a_weaker_tls_mode_outside_the_task_is_refused_with_what_to_change(mode):
    url = f"postgres://app:pw@db.rds.example:5432/app?sslmode={mode}"
    with pytest.raises(ImproperlyConfigured, match=rf"sslmode={mode}: use sslmode=verify-full"):
        database_settings(env_of(DATABASE_URL=url))


def test_a_database_without_tls_options_is_left_without_them():
    default = database_settings(env_of(DATABASE_URL="sqlite:////tmp/app.sqlite3"))["default"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert "sslmode" not in default.get("OPTIONS", {})


def test_connections_are_kept_and_checked_before_reuse():
    default = database_settings(env_of(DATABASE_URL=TASK["DATABASE_URL"]))["default"]
    assert (default["CONN_MAX_AGE"], default["CONN_HEALTH_CHECKS"]) == (60, True)
    tuned = env_of(DATABASE_URL=TASK["DATABASE_URL"], DJANGO_CONN_MAX_AGE="0")
    assert database_settings(tuned)["default"]["CONN_MAX_AGE"] == 0


# --- media, mail, the proxy -------------------------------------------------------------------


def test_media_goes_to_the_private_bucket_with_stable_signed_urls():
    storage = media_storage(env_of(**TASK), signing_window=600, signing_margin=60)
    assert storage["BACKEND"] == "django_fargate.media_storage.StableUrlS3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["region_name"]) == ("app-media", "eu-west-1")
    assert options["querystring_auth"] is True
    assert (options["signing_window"], options["signing_margin"]) == (600, 60)
    assert options["signature_version"] == "s3v4"
    assert options["file_overwrite"] is False
    assert options["object_parameters"] == {"CacheControl": "private, max-age=660, immutable"}
    # No keys in settings: boto3 finds the task role.
    assert not {"access_key", "secret_key", "session_token", "endpoint_url"} & set(options)


def test_an_s3_compatible_stand_in_is_reached_by_path():
    options = media_storage(env_of(**TASK, AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000"))["OPTIONS"]
    assert (options["endpoint_url"], options["addressing_style"]) == (
        "http://127.0.0.1:9000",
        "path",
    )


def test_mail_goes_through_ses_smtp_with_starttls():
    mail = mail_settings(env_of(**TASK, EMAIL_HOST_USER="AKIAX", EMAIL_HOST_PASSWORD="pw"))
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (mail["EMAIL_HOST"], mail["EMAIL_PORT"], mail["EMAIL_USE_TLS"]) == (
        "email-smtp.eu-west-1.amazonaws.com",
        587,
        True,
    )
    assert (mail["EMAIL_HOST_USER"], mail["EMAIL_HOST_PASSWORD"]) == ("AKIAX", "pw")
    assert mail["SERVER_EMAIL"] == mail["DEFAULT_FROM_EMAIL"] == TASK["DEFAULT_FROM_EMAIL"]
    assert 0 < mail["EMAIL_TIMEOUT"] <= 10


def test_behind_the_load_balancer_https_is_trusted_from_nginx_and_required():
    proxy = proxy_settings(env_of(**TASK))
    assert proxy["ALLOWED_HOSTS"] == ["app.example.com", "www.app.example.com"]
    assert proxy["CSRF_TRUSTED_ORIGINS"] == []
    assert proxy["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert proxy["SECURE_SSL_REDIRECT"] is True
    assert proxy["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$", r"^livez$"]
    assert proxy["SESSION_COOKIE_SECURE"] is proxy["CSRF_COOKIE_SECURE"] is True
    assert proxy["SECURE_HSTS_SECONDS"] == 31_536_000
    assert proxy["SILENCED_SYSTEM_CHECKS"] == ["security.W005", "security.W021"]


def test_plain_http_only_when_told():
    proxy = proxy_settings(env_of(**TASK, DJANGO_HTTPS="false"))
    assert proxy["SECURE_SSL_REDIRECT"] is proxy["SESSION_COOKIE_SECURE"] is False
    assert proxy["SECURE_HSTS_SECONDS"] == 0


# --- all of it, and the image build ---------------------------------------------------------


@pytest.mark.parametrize(
    "missing",
    ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_STATIC_ROOT",
     "AWS_STORAGE_BUCKET_NAME", "EMAIL_HOST", "DEFAULT_FROM_EMAIL"],
)  # fmt: skip
def test_a_missing_required_variable_is_named(missing):
    task = {name: value for name, value in TASK.items() if name != missing}
    with pytest.raises(ImproperlyConfigured, match=f"Set the {missing} environment variable"):
        platform_settings(env_of(**task))


def test_the_platform_settings_are_one_dictionary_of_django_settings():
    values = platform_settings(env_of(**TASK))
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == TASK["DJANGO_SECRET_KEY"]
    assert str(values["STATIC_ROOT"]) == "/var/www/static"
    assert values["STORAGES"]["staticfiles"]["BACKEND"].endswith("ManifestStaticFilesStorage")
    assert values["STORAGES"]["default"]["OPTIONS"]["bucket_name"] == "app-media"
    assert values["DATABASES"]["default"]["HOST"] == "127.0.0.1"
    assert values["EMAIL_HOST"] == TASK["EMAIL_HOST"]
    assert values["ALLOWED_HOSTS"] == ["app.example.com", "www.app.example.com"]
    assert all(name.isupper() for name in values)


def test_while_the_image_is_built_only_the_static_root_is_needed():
    values = platform_settings(env_of(DJANGO_FARGATE_BUILD="1", DJANGO_STATIC_ROOT="/s"))
    assert values.keys() == build_settings(env_of(DJANGO_STATIC_ROOT="/s")).keys()
    assert "DATABASES" not in values
    assert values["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert values["STORAGES"]["staticfiles"]["BACKEND"].endswith("ManifestStaticFilesStorage")
    # A throwaway key per build: nothing is signed with it.
    assert (
        values["SECRET_KEY"]
        != platform_settings(env_of(DJANGO_FARGATE_BUILD="1", DJANGO_STATIC_ROOT="/s"))[
            "SECRET_KEY"
        ]
    )


def test_the_logs_go_to_stdout_with_secrets_redacted(monkeypatch):
    secret = "the-task-s-database-password"
    monkeypatch.setenv("DATABASE_URL", f"postgres://app:{secret}@127.0.0.1:5432/app")
    config = logging_settings("INFO")
    assert config["root"] == {"handlers": ["stdout"], "level": "INFO"}
    assert config["handlers"]["stdout"]["stream"] == "ext://sys.stdout"
    out = io.StringIO()
    config["handlers"]["stdout"]["stream"] = out
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        logging.config.dictConfig(config)
        logging.getLogger("app.payments").warning("could not connect with %s", secret)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    assert "could not connect with [redacted]" in out.getvalue()
    assert secret not in out.getvalue()
