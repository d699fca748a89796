"""The Fargate task definition and the production compose file describe the same three containers
(and, with `database: rds`, the same nginx and web beside a Postgres outside the task).

The reference setup learnt it the hard way: whatever docker-compose sets must be set again, by
hand, in the ECS task definition. Here the prod stack runs under Pulumi's mocks, its task
definition is compared with what `docker compose -f docker-compose.yml -f
docker-compose.production.yml` runs, and any drift (Dockerfile, environment variable names,
health check command, dependency condition, port, volume) fails with a line that names it.
A variable the image sets itself (`ENV` in the Dockerfile both build) is there either way.
"""

from __future__ import annotations

import json
import os
import runpy
from collections.abc import Mapping
from typing import Any

import pytest

from service.tests.e2e.compose_model import (
    COMPOSE_CONDITION_TO_ECS,
    compose_services,
    image_environment_names,
)
from service.tests.e2e.parity import (
    differences,
    ecs_containers,
    ecs_dockerfiles,
    ecs_named_volumes,
    ecs_variable_names,
    serving_containers,
)
from stack.paths import REPO_ROOT, SERVICE_DIR
from stack.settings import read_stack_file
from tools.offline import StackRecording, run_program

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def prod_stack() -> StackRecording:
    return run_program(
        lambda: runpy.run_path(str(REPO_ROOT / "__main__.py"), run_name="__main__"),
        config=read_stack_file("prod"),
    )


@pytest.fixture(scope="module")
def scale_stack() -> StackRecording:
    """The `database: rds` stack: its task holds nginx and web; Postgres is RDS."""
    return run_program(
        lambda: runpy.run_path(str(REPO_ROOT / "__main__.py"), run_name="__main__"),
        config=read_stack_file("scale"),
    )


def test_the_task_definition_and_the_production_compose_file_agree(prod_stack: StackRecording):
    containers = serving_containers(ecs_containers(prod_stack))
    assert set(containers) == {"nginx", "web", "db"}
    drift = differences(containers, ecs_dockerfiles(prod_stack), compose_services())
    assert not drift, "task definition and compose differ:\n  " + "\n  ".join(drift)


def compose_without_the_database(services: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """What compose runs beside its Postgres container, as a task in front of RDS runs it:
    nginx and web, with web waiting for no database container (RDS is outside the task)."""
    beside = {name: dict(service) for name, service in services.items() if name != "db"}
    depends_on = beside["web"].get("depends_on") or {}
    beside["web"]["depends_on"] = {name: spec for name, spec in depends_on.items() if name != "db"}
    return beside


def test_the_rds_task_definition_and_the_compose_file_agree_on_nginx_and_web(
    scale_stack: StackRecording,
):
    containers = serving_containers(ecs_containers(scale_stack))
    # db-init makes the application role on RDS and exits; locally the db container makes it.
    assert set(containers) == {"db-init", "nginx", "web"}
    init = containers.pop("db-init")
    assert init["essential"] is False
    web = dict(containers["web"])
    waits = web.get("dependsOn") or []
    assert {"containerName": "db-init", "condition": "SUCCESS"} in waits
    web["dependsOn"] = [d for d in waits if d["containerName"] != "db-init"]
    containers["web"] = web
    services = compose_without_the_database(compose_services())
    drift = differences(containers, ecs_dockerfiles(scale_stack), services)
    assert not drift, "rds task definition and compose differ:\n  " + "\n  ".join(drift)


def test_a_drift_is_reported_with_the_name_of_what_differs(prod_stack: StackRecording):
    """The comparison itself: change one thing at a time and it must be named."""
    containers = serving_containers(ecs_containers(prod_stack))
    dockerfiles = ecs_dockerfiles(prod_stack)
    # A compose model that mirrors the task exactly, built from the task definition...
    mirror: dict[str, dict[str, Any]] = {}
    for name, container in containers.items():
        built = REPO_ROOT / dockerfiles[container["image"]]
        context = os.path.relpath(built.parent, SERVICE_DIR)
        mirror[name] = {
            "build": {"context": context, "dockerfile": built.name},
            "environment": {variable: "x" for variable in ecs_variable_names(container)}
            | {e["name"]: e["value"] for e in container.get("environment") or []},
            "healthcheck": {"test": container["healthCheck"]["command"]},
            "depends_on": {
                d["containerName"]: {
                    "condition": {v: k for k, v in COMPOSE_CONDITION_TO_ECS.items()}[d["condition"]]
                }
                for d in container.get("dependsOn") or []
            },
            "network_mode": "service:db",
            "volumes": [
                f"{v}:{p}:ro" if ro else f"{v}:{p}" for v, p, ro in ecs_named_volumes(container)
            ],
        }
    mirror["db"].pop("network_mode")
    mirror["db"]["ports"] = ["127.0.0.1:8080:8080"]
    mirror["web"]["environment"]["DATABASE_URL"] = "postgres://u:p@localhost:5432/d"
    assert differences(containers, dockerfiles, mirror) == []
    # What the db image sets itself (`ENV PGDATA=...`) need not be repeated in compose.
    assert "PGDATA" in image_environment_names("components/images/db/Dockerfile")
    # Only the image's own stage counts, not the stages that build its static files.
    nginx_image = image_environment_names("components/images/nginx/Dockerfile")
    assert "NGINX_STATIC_ROOT" in nginx_image
    assert "DJANGO_STATIC_ROOT" not in nginx_image
    without_image_variable = json.loads(json.dumps(mirror))
    del without_image_variable["db"]["environment"]["PGDATA"]
    assert differences(containers, dockerfiles, without_image_variable) == []

    # ...then one drift at a time.
    cases = {
        "web: environment only in ECS": lambda m: m["web"]["environment"].pop("EMAIL_PORT"),
        "nginx: environment only in compose": lambda m: m["nginx"]["environment"].update(
            {"NGINX_EXTRA": "1"}
        ),
        "db: health check": lambda m: m["db"]["healthcheck"].update(
            {"test": ["CMD-SHELL", "psql -c 'select 1'"]}
        ),
        "web: depends on": lambda m: m["web"]["depends_on"]["db"].update(
            {"condition": "service_started"}
        ),
        "nginx: port": lambda m: m["nginx"]["environment"].update({"NGINX_LISTEN_PORT": "80"}),
        "db: port": lambda m: m["web"]["environment"].update(
            {"DATABASE_URL": "postgres://u:p@localhost:6432/d"}
        ),
        "ports: compose publishes [9000]": lambda m: m["db"].update({"expose": [9000]}),
        "network: ": lambda m: m["web"].pop("network_mode"),
        "nginx: volumes": lambda m: m["nginx"].update({"volumes": ["static:/var/www/static"]}),
        "db: Dockerfile": lambda m: m["db"]["build"].update({"context": "."}),
    }
    for expected, change in cases.items():
        drifted = json.loads(json.dumps(mirror))
        change(drifted)
        reported = differences(containers, dockerfiles, drifted)
        assert len(reported) == 1, (expected, reported)
        assert reported[0].startswith(expected), (expected, reported)
