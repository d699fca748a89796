"""docker-compose.yml + docker-compose.production.yml: the Fargate task's three containers, with
the same health checks, start order, volumes, environment names and shared localhost."""

import re
from typing import Any

import pytest
import yaml

from tests.service.conftest import SERVICE_DIR

# The web container's environment contract (names only; values differ per place).
WEB_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "DJANGO_STATIC_ROOT",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_REGION_NAME",
    "AWS_S3_ENDPOINT_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "WEB_CONCURRENCY",
}
HEALTH_CHECKS = {
    "nginx": ["CMD-SHELL", "curl -fsS http://127.0.0.1:8080/healthz || exit 1"],
    "web": ["CMD-SHELL", "python /app/healthcheck.py || exit 1"],
    "db": [
        "CMD-SHELL",
        'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" || exit 1',
    ],
}


class _Tagged:
    def __init__(self, tag: str, value: Any):
        self.tag, self.value = tag, value


class ComposeLoader(yaml.SafeLoader):
    """Reads Compose's `!reset` and `!override` merge tags."""


def _tagged(loader: ComposeLoader, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)
    return _Tagged(node.tag, value)


ComposeLoader.add_constructor("!reset", _tagged)
ComposeLoader.add_constructor("!override", _tagged)


def _merge(base: Any, override: Any) -> Any:
    """Compose's merge rules, as far as these files use them."""
    if isinstance(override, _Tagged):
        return None if override.tag == "!reset" else override.value
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value)
        return {key: value for key, value in merged.items() if value is not None}
    if isinstance(base, list) and isinstance(override, list):
        return base + [item for item in override if item not in base]
    return override


def load(*names: str) -> dict:
    project: dict = {}
    for name in names:
        text = (SERVICE_DIR / name).read_text()
        # ComposeLoader is a SafeLoader with two extra tags.
        project = _merge(project, yaml.load(text, ComposeLoader))  # noqa: S506
    return project


@pytest.fixture(scope="module")
def production() -> dict:
    return load("docker-compose.yml", "docker-compose.production.yml")["services"]


@pytest.fixture(scope="module")
def development() -> dict:
    return load("docker-compose.yml")["services"]


def test_production_has_the_three_containers_from_their_dockerfiles(production):
    assert set(production) == {"nginx", "web", "db"}
    dockerfiles = {name: service["build"]["dockerfile"] for name, service in production.items()}
    assert dockerfiles == {"nginx": "Dockerfile.nginx", "web": "Dockerfile", "db": "Dockerfile.db"}


@pytest.mark.parametrize("name", ["nginx", "web", "db"])
def test_health_checks_are_the_task_definitions(production, name):
    test = [part.replace("$$", "$") for part in production[name]["healthcheck"]["test"]]
    assert test == HEALTH_CHECKS[name]


def test_start_order_waits_for_health(production):
    assert production["nginx"]["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert production["web"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "depends_on" not in production["db"]


def test_containers_share_localhost_like_a_fargate_task(production):
    assert production["web"]["network_mode"] == "service:db"
    assert production["nginx"]["network_mode"] == "service:db"
    assert "ports" not in production["web"]
    environment = production["web"]["environment"]
    assert re.match(
        r"postgres://django_tw:\$\{[^}]+\}@localhost:5432/django_tw$", environment["DATABASE_URL"]
    )
    assert production["nginx"]["environment"]["NGINX_UPSTREAM"] == "localhost:8000"


def test_volumes_match_the_task(production):
    assert production["nginx"]["volumes"] == ["static:/var/www/static:ro"]
    assert production["web"]["volumes"] == ["static:/var/www/static"]
    assert production["db"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert production["db"]["stop_grace_period"] == "120s"


def test_environment_names_follow_the_contracts(production):
    web = set(production["web"]["environment"])
    assert web - {"DJANGO_HTTPS"} == WEB_ENVIRONMENT
    assert production["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == (
        "config.settings.production"
    )
    assert production["web"]["environment"]["DJANGO_STATIC_ROOT"] == "/var/www/static"
    assert set(production["nginx"]["environment"]) == {
        "NGINX_LISTEN_PORT",
        "NGINX_UPSTREAM",
        "NGINX_STATIC_ROOT",
        "NGINX_REAL_IP_FROM",
    }
    db = production["db"]["environment"]
    assert set(db) == {"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD", "PGDATA"}
    assert db["PGDATA"] == "/var/lib/postgresql/data/pgdata"


def test_no_secret_value_is_written_in_either_file(production, development):
    for services in (production, development):
        for service in services.values():
            for name, value in service.get("environment", {}).items():
                if any(word in name for word in ("SECRET", "PASSWORD")) or name == "DATABASE_URL":
                    assert "${" in value, f"{name} must come from the environment, not the file"


def test_development_runs_the_auto_reloading_server_on_port_8000(development):
    assert set(development) == {"web", "db"}
    assert development["web"]["command"] == ["/app/start.sh"]
    assert development["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.local"
    assert development["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert development["web"]["depends_on"] == {"db": {"condition": "service_healthy"}}
