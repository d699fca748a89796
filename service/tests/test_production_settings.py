"""config.settings.production: everything from the environment contract, and
`manage.py check --deploy` finds nothing to complain about."""

import json
import subprocess
import sys

import pytest

from service.tests.environments import production_environment
from stack.paths import SERVICE_DIR


def manage(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=SERVICE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# A stack that opts in to HSTS for subdomains and preload (hstsIncludeSubdomains, hstsPreload).
HSTS_OPTED_IN = {"DJANGO_HSTS_INCLUDE_SUBDOMAINS": "true", "DJANGO_HSTS_PRELOAD": "true"}


def test_check_deploy_reports_no_issues(tmp_path):
    # Only the two HSTS opt-ins are left off on purpose (they reach past this site).
    result = manage(production_environment(tmp_path), "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (2 silenced)." in result.stdout


def test_with_both_hsts_opt_ins_nothing_is_silenced(tmp_path):
    environment = production_environment(tmp_path, **HSTS_OPTED_IN)
    result = manage(environment, "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_does_catch_a_plain_http_configuration(tmp_path):
    # The same check run on a deliberately weakened configuration: proof that it can fail.
    result = manage(
        production_environment(tmp_path, DJANGO_HTTPS="false"),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST"]
)
def test_a_missing_required_variable_stops_the_start_with_its_name(tmp_path, missing):
    environment = production_environment(tmp_path)
    del environment[missing]
    result = manage(environment, "check")
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def production_settings(tmp_path, **overrides: str) -> dict:
    """The production settings module's values, loaded in a fresh interpreter."""
    script = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({k: getattr(settings, k) for k in ["
        "'DEBUG','STORAGES','SECURE_PROXY_SSL_HEADER','SECURE_SSL_REDIRECT',"
        "'SECURE_REDIRECT_EXEMPT','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE',"
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_HSTS_PRELOAD',"
        "'EMAIL_TIMEOUT','EMAIL_BACKEND','EMAIL_USE_TLS','EMAIL_PORT','STATIC_ROOT',"
        "'ALLOWED_HOSTS']} | {'DB': settings.DATABASES['default']}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=SERVICE_DIR,
        env=production_environment(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # The last line: apps may log to stdout while Django starts (django-axes does).
    return json.loads(result.stdout.splitlines()[-1])


def test_production_settings_follow_the_environment_contract(tmp_path):
    values = production_settings(tmp_path)
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["tw.example.com"]
    assert values["STATIC_ROOT"] == str(tmp_path / "static")
    media = values["STORAGES"]["default"]
    assert media["BACKEND"] == "django_fargate.media_storage.StableUrlS3Storage"
    assert media["OPTIONS"]["bucket_name"] == "django-tw-media-example"
    assert media["OPTIONS"]["region_name"] == "ap-northeast-1"
    # No keys in settings: boto3 finds the task role.
    assert not {"access_key", "secret_key", "session_token"} & set(media["OPTIONS"])
    assert "endpoint_url" not in media["OPTIONS"]
    assert values["STORAGES"]["staticfiles"]["BACKEND"].endswith("ManifestStaticFilesStorage")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_REDIRECT_EXEMPT"] == ["^healthz$", "^livez$"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["EMAIL_USE_TLS"] is True
    assert values["EMAIL_PORT"] == 587
    assert values["DB"]["HOST"] == "localhost"
    assert values["DB"]["CONN_MAX_AGE"] > 0
    assert values["DB"]["CONN_HEALTH_CHECKS"] is True


def test_an_s3_compatible_endpoint_is_optional(tmp_path):
    values = production_settings(tmp_path, AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000")
    assert values["STORAGES"]["default"]["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"


def test_hsts_covers_this_host_only_unless_told_otherwise(tmp_path):
    values = production_settings(tmp_path)
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False


@pytest.mark.parametrize(
    ("variable", "setting"),
    [
        ("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_INCLUDE_SUBDOMAINS"),
        ("DJANGO_HSTS_PRELOAD", "SECURE_HSTS_PRELOAD"),
    ],
)
def test_each_hsts_extension_is_an_opt_in(tmp_path, variable, setting):
    assert production_settings(tmp_path, **{variable: "true"})[setting] is True


def test_a_password_reset_waits_for_smtp_a_few_seconds_at_most(tmp_path):
    assert 0 < production_settings(tmp_path)["EMAIL_TIMEOUT"] <= 5
