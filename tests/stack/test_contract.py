"""stack/contract.py: the three containers' environment, declared once, and what holds to it."""

import re

import pytest

from stack.contract import CONTRACTS, DB, NGINX, NGINX_TEMPLATE, WEB
from stack.paths import DJANGO_FARGATE_SRC, REPO_ROOT

# The platform's settings, which an app's settings take from the Django library in one call.
PLATFORM_SETTINGS = DJANGO_FARGATE_SRC / "django_fargate" / "settings.py"
LIBRARY_SETTINGS = (PLATFORM_SETTINGS,)
# django-environ's reads: env("NAME"), env.str("NAME", ...), env.db_url("NAME"), ...
ENV_READ = re.compile(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")


def names_read_by(paths) -> set[str]:
    return {name for path in paths for name in ENV_READ.findall(path.read_text())}


def test_the_contract_covers_the_three_containers_of_the_task():
    assert set(CONTRACTS) == {"nginx", "web", "db"}
    assert CONTRACTS["web"] is WEB


def test_every_variable_says_what_it_means_and_what_reads_it():
    for contract in CONTRACTS.values():
        names = [v.name for v in contract.variables]
        assert len(names) == len(set(names)), contract.container
        for variable in contract.variables:
            assert variable.meaning.endswith("."), variable.name
            assert variable.read_by, variable.name
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*", variable.name), variable.name


def test_no_name_belongs_to_two_containers():
    # `make local` runs the three containers' processes with one environment.
    seen: dict[str, str] = {}
    for contract in CONTRACTS.values():
        for name in contract.names:
            assert name not in seen, f"{name}: {seen.get(name)} and {contract.container}"
            seen[name] = contract.container


def test_a_stand_in_endpoint_is_never_required_nor_secret():
    for contract in CONTRACTS.values():
        for variable in contract.variables:
            if variable.stand_in_only:
                assert not variable.required, variable.name
                assert not variable.secret, variable.name


def test_the_secrets_are_the_keys_and_passwords():
    assert WEB.secrets == {
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
    }
    assert DB.secrets == {"POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD"}
    assert not NGINX.secrets


# --- how a place is compared with it ------------------------------------------------------------
WEB_PLAIN = WEB.required - WEB.secrets
WEB_SECRETS = WEB.required & WEB.secrets


def test_a_place_that_gives_the_required_names_agrees():
    assert WEB.differences(WEB_PLAIN, WEB_SECRETS, in_aws=True) == []
    assert WEB.differences(WEB.required) == []  # one environment, as compose and make local
    assert WEB.differences(WEB.names) == []


def test_an_undeclared_name_is_named():
    assert WEB.differences({*WEB.required, "DJANGO_DEBUG"}) == [
        "web: DJANGO_DEBUG not in the contract (declare it in stack/contract.py, or stop "
        "setting it)"
    ]


def test_a_missing_required_name_is_named():
    assert WEB.differences(WEB.required - {"EMAIL_PORT"}) == [
        "web: EMAIL_PORT missing (the contract needs it)"
    ]


def test_an_optional_name_may_be_left_out():
    assert "DJANGO_HTTPS" not in WEB.required
    assert WEB.differences(WEB.required - {"DJANGO_HTTPS"}) == []


def test_a_stand_in_endpoint_is_refused_in_aws_only():
    given = {*WEB_PLAIN, "AWS_S3_ENDPOINT_URL"}
    assert WEB.differences(given, WEB_SECRETS) == []
    assert WEB.differences(given, WEB_SECRETS, in_aws=True) == [
        "web: AWS_S3_ENDPOINT_URL points at a local stand-in; leave it out in AWS"
    ]


def test_secrets_and_plain_values_each_go_where_they_belong():
    assert WEB.differences(
        WEB_PLAIN | {"DJANGO_SECRET_KEY"}, WEB_SECRETS - {"DJANGO_SECRET_KEY"}
    ) == ["web: DJANGO_SECRET_KEY is a secret; pass it in secrets"]
    assert WEB.differences(WEB_PLAIN - {"EMAIL_PORT"}, WEB_SECRETS | {"EMAIL_PORT"}) == [
        "web: EMAIL_PORT is plain; pass it in environment (or mark it secret in stack/contract.py)"
    ]


def test_checked_raises_with_the_place_and_every_difference():
    with pytest.raises(ValueError, match=r"make local: the nginx container's environment") as error:
        NGINX.checked("make local", {"NGINX_LISTEN_PORT": "8080", "NGINX_EXTRA": "1"})
    assert "NGINX_EXTRA not in the contract" in str(error.value)
    assert "NGINX_REAL_IP_FROM, NGINX_UPSTREAM missing" in str(error.value)
    NGINX.checked("make local", dict.fromkeys(NGINX.names, "x"))


# --- the readers hold to it ---------------------------------------------------------------------
def test_the_settings_reader_finds_every_form_of_env_call():
    text = 'A = env("ONE")\nB = env.list(\n    "TWO", default=[])\nC = env.db_url("THREE")\n'
    assert {name for name in ENV_READ.findall(text)} == {"ONE", "TWO", "THREE"}


def test_every_variable_the_platforms_settings_read_is_a_web_variable_for_django():
    """The library's settings (an app's own settings module may read more of the contract:
    the demo's test holds its settings to all of it, service/tests/stack/)."""
    read = names_read_by(LIBRARY_SETTINGS)
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "AWS_STORAGE_BUCKET_NAME"} <= read
    assert read - WEB.names == set()
    for name in read:
        assert WEB.variable(name).read_by.startswith("settings."), name


def test_the_settings_the_platforms_variables_name_exist():
    text = PLATFORM_SETTINGS.read_text()
    for name in names_read_by(LIBRARY_SETTINGS):
        for setting in re.findall(r"settings\.([A-Z_]+)", WEB.variable(name).read_by):
            assert re.search(rf'^{setting} = |^\s*"{setting}": ', text, re.MULTILINE), name


def test_the_nginx_template_reads_exactly_the_nginx_variables():
    template = (REPO_ROOT / NGINX_TEMPLATE).read_text()
    assert set(re.findall(r"\$\{(NGINX_[A-Z_]+)\}", template)) == NGINX.names
    assert all(v.read_by == NGINX_TEMPLATE for v in NGINX.variables)
