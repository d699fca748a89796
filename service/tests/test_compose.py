"""docker-compose.yml + docker-compose.production.yml: the Fargate task's three containers, with
the same health checks, start order, volumes, environment names and shared localhost."""

import re
from typing import Any

import pytest
import yaml

from stack.app import DEMO_APP
from stack.contract import CONTRACTS
from stack.paths import SERVICE_DIR

# Container health checks test liveness (nginx answers /livez itself, web's probe asks
# gunicorn's /livez); readiness with the database is the load balancer's /healthz.
HEALTH_CHECKS = {
    "nginx": ["CMD-SHELL", "curl -fsS http://127.0.0.1:8080/livez || exit 1"],
    "web": ["CMD-SHELL", DEMO_APP.liveness_command],
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
    running = {name for name, service in production.items() if service.get("scale") != 0}
    assert running == {"nginx", "web", "db"}
    dockerfiles = {name: service["build"]["dockerfile"] for name, service in production.items()}
    assert set(dockerfiles.values()) == {"Dockerfile"}
    contexts = {name: service["build"]["context"] for name, service in production.items()}
    # The demo's web image from here, the platform's from the component package: nginx, db,
    # and the Django library's wheelhouse, which is built and never run.
    assert contexts == {
        "nginx": "../components/images/nginx",
        "web": ".",
        "db": "../components/images/db",
        "django-fargate": "../components/images/django_fargate",
    }
    assert production["nginx"]["build"]["additional_contexts"] == {"web-image": "service:web"}
    # web installs the library from the wheelhouse, named as the stack names it.
    web = production["web"]["build"]
    (context,) = web["additional_contexts"]
    assert web["additional_contexts"][context] == "service:django-fargate"
    assert web["args"] == {"DJANGO_FARGATE_IMAGE": context}


@pytest.mark.parametrize("name", ["nginx", "web", "db"])
def test_health_checks_are_the_task_definitions(production, name):
    test = [part.replace("$$", "$") for part in production[name]["healthcheck"]["test"]]
    assert test == HEALTH_CHECKS[name]


def test_start_order_waits_for_health(production):
    assert production["nginx"]["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert production["web"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "depends_on" not in production["db"]
    # web runs the image's own command (django_fargate.start), as the task does.
    assert "command" not in production["web"]


# The application's role and its own password, by address: "localhost" may resolve to ::1 first.
APP_DATABASE_URL = re.compile(
    r"postgres://django_tw:\$\{POSTGRES_APP_PASSWORD:\?[^}]+\}@127\.0\.0\.1:5432/django_tw$"
)


def test_containers_share_one_loopback_like_a_fargate_task(production):
    assert production["web"]["network_mode"] == "service:db"
    assert production["nginx"]["network_mode"] == "service:db"
    assert "ports" not in production["web"]
    # Only nginx is reachable from outside the namespace, as only nginx is behind the ALB.
    assert production["db"]["ports"] == ["127.0.0.1:8080:8080"]
    environment = production["web"]["environment"]
    assert APP_DATABASE_URL.match(environment["DATABASE_URL"]), environment["DATABASE_URL"]
    assert environment["GUNICORN_BIND"] == "127.0.0.1:8000"
    assert production["nginx"]["environment"]["NGINX_UPSTREAM"] == "127.0.0.1:8000"


def test_volumes_match_the_task(production):
    # Static files are in the web and nginx images, collected when they are built: neither
    # container mounts anything, and no volume is shared between them.
    assert "volumes" not in production["nginx"]
    assert "volumes" not in production["web"]
    assert production["db"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert production["db"]["stop_grace_period"] == "120s"


def test_environment_names_follow_the_contracts(production):
    for name, contract in CONTRACTS.items():
        assert contract.differences(production[name]["environment"]) == [], name
    web = production["web"]["environment"]
    # The endpoint of an S3-compatible server, and plain http on localhost: compose may run
    # without AWS in front.
    assert {"AWS_S3_ENDPOINT_URL", "DJANGO_HTTPS"} <= set(web)
    assert web["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    # Where the files are is the images' own (ENV), not something compose may move.
    assert "DJANGO_STATIC_ROOT" not in web
    assert "NGINX_STATIC_ROOT" not in production["nginx"]["environment"]
    assert production["db"]["environment"]["PGDATA"] == "/var/lib/postgresql/data/pgdata"


@pytest.mark.parametrize("file", ["production", "development"])
def test_the_db_has_a_superuser_and_the_application_its_own_role(production, development, file):
    services = {"production": production, "development": development}[file]
    db = services["db"]["environment"]
    assert db["POSTGRES_USER"] == "postgres"
    assert db["POSTGRES_DB"] == "django_tw"
    assert db["POSTGRES_APP_USER"] == "django_tw"
    # Both passwords are required: compose refuses to start without them.
    assert db["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert db["POSTGRES_APP_PASSWORD"].startswith("${POSTGRES_APP_PASSWORD:?")
    # scram for every connection is the image's own POSTGRES_INITDB_ARGS, not repeated here.
    assert "POSTGRES_INITDB_ARGS" not in db
    # Django signs in as the application's role (never the superuser), over the shared loopback
    # (Postgres listens on 127.0.0.1 only).
    database_url = services["web"]["environment"]["DATABASE_URL"]
    assert APP_DATABASE_URL.match(database_url), database_url
    assert services["web"]["network_mode"] == "service:db"


def test_backups_are_off_until_pointed_at_a_bucket(production):
    db = production["db"]["environment"]
    assert db["BACKUP_DESTINATION_URL"] == "${BACKUP_DESTINATION_URL:-}"
    # Empty settings fall back to the image's defaults; none of them may be required.
    for name in ("BACKUP_SERVER_NAME", "BACKUP_RETENTION_DAYS", "BASE_BACKUP_TIME"):
        assert db[name] == "${" + name + ":-}", name
    assert db["ARCHIVE_TIMEOUT_SECONDS"] == "${ARCHIVE_TIMEOUT_SECONDS:-}"


def test_no_secret_value_is_written_in_either_file(production, development):
    for services in (production, development):
        for service in services.values():
            for name, value in service.get("environment", {}).items():
                if any(word in name for word in ("SECRET", "PASSWORD")) or name == "DATABASE_URL":
                    assert "${" in value, f"{name} must come from the environment, not the file"


def test_development_runs_the_auto_reloading_server_on_port_8000(development):
    running = {name for name, service in development.items() if service.get("scale") != 0}
    assert running == {"web", "db"}
    assert development["web"]["command"] == ["/app/start.sh"]
    assert development["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.local"
    # web lives in the db container's namespace, so gunicorn's port is published from there, and
    # gunicorn listens beyond the loopback, where published ports arrive.
    assert development["db"]["ports"] == ["127.0.0.1:8000:8000"]
    assert development["web"]["environment"]["GUNICORN_BIND"] == "0.0.0.0:8000"
    assert development["web"]["depends_on"] == {"db": {"condition": "service_healthy"}}
