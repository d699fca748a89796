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
import re
import runpy
import shlex
from collections.abc import Mapping
from typing import Any

import pytest
import yaml

from policy.aws_types import AWSX_ECR_IMAGE
from stack.contract import CONTRACTS
from stack.paths import REPO_ROOT, SERVICE_DIR
from stack.settings import read_stack_file
from tests.stack_runs import service_task_definition
from tools.offline import StackRecording, run_program

# Base file first, then the production override, as `docker compose -f ... -f ...` reads them.
COMPOSE_FILES = (SERVICE_DIR / "docker-compose.yml", SERVICE_DIR / "docker-compose.production.yml")
IMAGE = AWSX_ECR_IMAGE

# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html
# https://docs.docker.com/reference/compose-file/services/#depends_on
COMPOSE_CONDITION_TO_ECS = {
    "service_started": "START",
    "service_healthy": "HEALTHY",
    "service_completed_successfully": "SUCCESS",
}
# Variables the contract lets a place leave out (stack/contract.py: not required): compose may
# set one the task does not, such as a local S3 stand-in's endpoint or DJANGO_HTTPS for plain
# http://localhost. Every other difference is a drift.
OPTIONAL_VARIABLES = frozenset(
    v.name for contract in CONTRACTS.values() for v in contract.variables if not v.required
)

pytestmark = pytest.mark.timeout(300)


# --- the compose side ----------------------------------------------------------------------------
class Replace:
    """A value tagged `!override` in an override file: it replaces instead of merging."""

    def __init__(self, value: Any) -> None:
        self.value = value


RESET = object()  # a value tagged `!reset`: the attribute is removed


class ComposeLoader(yaml.SafeLoader):
    """YAML with compose's merge tags (`!override`, `!reset`; Compose 2.24.4+).
    https://docs.docker.com/reference/compose-file/merge/#reset-value"""


def _construct_override(loader: yaml.SafeLoader, node: yaml.Node) -> Replace:
    if isinstance(node, yaml.MappingNode):
        return Replace(loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return Replace(loader.construct_sequence(node, deep=True))
    return Replace(loader.construct_scalar(node))  # type: ignore[arg-type]


ComposeLoader.add_constructor("!override", _construct_override)
ComposeLoader.add_constructor("!reset", lambda loader, node: RESET)


def plain(value: Any) -> Any:
    """A loaded value without merge tags (for the first file, or a new key)."""
    if isinstance(value, Replace):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items() if item is not RESET}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def merge_compose(base: Any, override: Any, key: str = "") -> Any:
    """Compose's merge rules: mappings merge key by key, sequences append, except that
    `command`, `entrypoint` and `healthcheck.test` are replaced, environment lists merge by
    variable name, and `!override` / `!reset` replace or remove.
    https://docs.docker.com/reference/compose-file/merge/"""
    if isinstance(override, Replace):
        return plain(override)
    if key in ("command", "entrypoint", "test"):
        return plain(override)
    if key == "environment":
        return {**environment_of(base), **environment_of(override)}
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        merged = dict(base)
        for name, value in override.items():
            if value is RESET:
                merged.pop(name, None)
            else:
                merged[name] = (
                    merge_compose(base[name], value, name) if name in base else plain(value)
                )
        return merged
    if isinstance(base, list) and isinstance(override, list):
        return base + [item for item in plain(override) if item not in base]
    return plain(override)


def environment_of(environment: Any) -> dict[str, Any]:
    """`environment` as a mapping, from either of compose's two forms."""
    if environment is None:
        return {}
    if isinstance(environment, Mapping):
        return dict(environment)
    pairs = (entry.split("=", 1) for entry in environment)
    return {pair[0]: pair[1] if len(pair) > 1 else None for pair in pairs}


def compose_services() -> dict[str, dict[str, Any]]:
    present = [path for path in COMPOSE_FILES if path.exists()]
    assert COMPOSE_FILES[-1] in present, f"{COMPOSE_FILES[-1]} is missing"
    model: Any = {}
    for path in present:
        loaded = yaml.load(path.read_text(), Loader=ComposeLoader)  # noqa: S506 - a SafeLoader
        model = merge_compose(model, loaded or {})
    return model.get("services", {})


def compose_dockerfile(service: Mapping[str, Any]) -> str:
    build = service.get("build")
    assert build, "has no `build:` (the compose file must build the same Dockerfile)"
    if isinstance(build, str):
        build = {"context": build}
    # Paths are relative to the first compose file's directory.
    context = (SERVICE_DIR / build.get("context", ".")).resolve()
    return (
        (context / build.get("dockerfile", "Dockerfile"))
        .resolve()
        .relative_to(REPO_ROOT)
        .as_posix()
    )


def image_environment_names(dockerfile: str) -> set[str]:
    """Variables the image itself sets with `ENV` (path relative to the repository): every
    container built from it has them, so neither compose nor the task needs to repeat them.
    Only the last stage's count: the image is that stage (its base is never another stage here)."""
    path = REPO_ROOT / dockerfile
    if not path.is_file():
        return set()
    names: set[str] = set()
    lines = path.read_text().replace("\\\n", " ").splitlines()
    last_stage = max(
        (i for i, line in enumerate(lines) if line.split(None, 1)[:1] == ["FROM"]), default=0
    )
    for line in lines[last_stage:]:
        words = line.split(None, 1)
        if len(words) == 2 and words[0].upper() == "ENV":
            tokens = shlex.split(words[1])
            if "=" in tokens[0]:  # ENV A=1 B="2 3"
                names.update(token.split("=", 1)[0] for token in tokens)
            else:  # the legacy form, ENV A 1
                names.add(tokens[0])
    return names


def compose_health_command(service: Mapping[str, Any]) -> list[str] | None:
    test = (service.get("healthcheck") or {}).get("test")
    if test is None:
        return None
    if isinstance(test, str):
        test = ["CMD-SHELL", test]
    # `$$` is compose's escape for a literal `$` (left for the container's shell to expand).
    # https://docs.docker.com/reference/compose-file/interpolation/
    return [part.replace("$$", "$") for part in test]


def compose_depends_on(service: Mapping[str, Any]) -> dict[str, str]:
    depends_on = service.get("depends_on") or {}
    if isinstance(depends_on, list):  # short form: started
        return {name: "START" for name in depends_on}
    return {
        name: COMPOSE_CONDITION_TO_ECS[(spec or {}).get("condition", "service_started")]
        for name, spec in depends_on.items()
    }


def compose_ports(service: Mapping[str, Any]) -> set[int]:
    """Container-side ports the service declares (`ports` targets and `expose`)."""
    ports: set[int] = set()
    for entry in service.get("ports") or []:
        if isinstance(entry, Mapping):
            ports.add(int(entry["target"]))
        else:
            ports.add(int(str(entry).split("/")[0].rsplit(":", 1)[-1]))
    ports.update(int(str(entry).split("/")[0]) for entry in service.get("expose") or [])
    return ports


def network_namespace(services: Mapping[str, Mapping[str, Any]], name: str) -> str:
    """The service whose network namespace `name` runs in (`network_mode: service:X`)."""
    seen = {name}
    while str(services[name].get("network_mode", "")).startswith("service:"):
        name = str(services[name]["network_mode"]).removeprefix("service:")
        if name in seen or name not in services:
            break
        seen.add(name)
    return name


INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?::?-(?P<default>[^}]*))?[^}]*\}")


def compose_value(service: Mapping[str, Any], variable: str) -> str | None:
    """A variable's value in compose, `${NAME:-default}` read as its default."""
    value = environment_of(service.get("environment")).get(variable)
    if value is None:
        return None
    return INTERPOLATION.sub(lambda match: match.group("default") or "", str(value))


def port_in(value: str | None, pattern: str) -> int | None:
    match = re.search(pattern, value or "")
    return int(match.group(1)) if match else None


def compose_named_volumes(service: Mapping[str, Any]) -> set[tuple[str, str, bool]]:
    """(volume, container path, read-only) for named volumes; bind mounts have no ECS twin."""
    mounts = set()
    for entry in service.get("volumes") or []:
        if isinstance(entry, Mapping):
            if entry.get("type", "volume") == "volume":
                mounts.add((entry["source"], entry["target"], bool(entry.get("read_only"))))
            continue
        parts = str(entry).split(":")
        if len(parts) >= 2 and not parts[0].startswith((".", "/", "~")):
            mounts.add((parts[0], parts[1], len(parts) > 2 and "ro" in parts[2].split(",")))
    return mounts


# --- the ECS side ----------------------------------------------------------------------------
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


def ecs_containers(recording: StackRecording) -> dict[str, dict[str, Any]]:
    task_definition = service_task_definition(recording)  # not the restore drill's
    return {c["name"]: c for c in json.loads(task_definition.inputs["containerDefinitions"])}


def ecs_dockerfiles(recording: StackRecording) -> dict[str, str]:
    """Image URI -> the Dockerfile it is built from (awsx:ecr:Image's inputs)."""
    by_uri = {}
    for image in recording.of_type(IMAGE):
        context = (REPO_ROOT / image.inputs.get("context", ".")).resolve()
        dockerfile = image.inputs.get("dockerfile") or str(context / "Dockerfile")
        path = (REPO_ROOT / dockerfile).resolve().relative_to(REPO_ROOT).as_posix()
        by_uri[image.outputs["imageUri"]] = path
    return by_uri


def ecs_variable_names(container: Mapping[str, Any]) -> set[str]:
    return {e["name"] for e in container.get("environment") or []} | {
        s["name"] for s in container.get("secrets") or []
    }


def ecs_named_volumes(container: Mapping[str, Any]) -> set[tuple[str, str, bool]]:
    return {
        (m["sourceVolume"], m["containerPath"], bool(m.get("readOnly")))
        for m in container.get("mountPoints") or []
    }


# --- the comparison --------------------------------------------------------------------------
def differences(
    containers: Mapping[str, Mapping[str, Any]],
    dockerfiles: Mapping[str, str],
    services: Mapping[str, Mapping[str, Any]],
) -> list[str]:
    """Every way the compose services and the task's containers differ, one line each."""
    found = []
    if set(containers) != set(services):
        found.append(
            f"containers: task definition has {sorted(containers)}, compose has {sorted(services)}"
        )
    for name in sorted(set(containers) & set(services)):
        ecs, compose = containers[name], services[name]

        ecs_file = dockerfiles.get(ecs["image"], f"<no awsx image for {ecs['image']}>")
        try:
            compose_file: str | None = compose_dockerfile(compose)
        except AssertionError as missing:
            compose_file = None
            found.append(f"{name}: compose {missing}")
        if compose_file is not None and compose_file != ecs_file:
            found.append(
                f"{name}: Dockerfile: ECS builds {ecs_file}, compose builds {compose_file}"
            )

        from_image = image_environment_names(ecs_file)
        ecs_names = ecs_variable_names(ecs) - from_image
        left_out_by_the_task = OPTIONAL_VARIABLES - ecs_names
        compose_names = (
            set(environment_of(compose.get("environment"))) - left_out_by_the_task - from_image
        )
        if missing_in_ecs := sorted(compose_names - ecs_names):
            found.append(f"{name}: environment only in compose (add to the task): {missing_in_ecs}")
        if missing_in_compose := sorted(ecs_names - compose_names):
            found.append(f"{name}: environment only in ECS (add to compose): {missing_in_compose}")

        ecs_health = (ecs.get("healthCheck") or {}).get("command")
        compose_health = compose_health_command(compose)
        if ecs_health != compose_health:
            found.append(f"{name}: health check: ECS {ecs_health!r}, compose {compose_health!r}")

        ecs_depends = {d["containerName"]: d["condition"] for d in ecs.get("dependsOn") or []}
        if ecs_depends != compose_depends_on(compose):
            found.append(
                f"{name}: depends on: ECS {ecs_depends}, compose {compose_depends_on(compose)}"
            )

        if ecs_named_volumes(ecs) != compose_named_volumes(compose):
            found.append(
                f"{name}: volumes (name, path, read-only): ECS {sorted(ecs_named_volumes(ecs))}, "
                f"compose {sorted(compose_named_volumes(compose))}"
            )
    found.extend(port_differences(containers, services))
    return found


def port_differences(
    containers: Mapping[str, Mapping[str, Any]], services: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """The task's containers share one network namespace (awsvpc) and reach each other on
    localhost; compose must share one too (`network_mode: service:<one of them>`), publish only
    ports the task maps, and point nginx, gunicorn and Django at the ports the task maps."""
    found = []
    ecs_port = {
        name: {int(p["containerPort"]) for p in c.get("portMappings") or []}
        for name, c in containers.items()
    }
    shared = set(containers) & set(services)
    namespaces = {network_namespace(services, name) for name in shared}
    if len(namespaces) > 1:
        found.append(
            "network: the task's containers share localhost; in compose they are in "
            f"{len(namespaces)} namespaces (use network_mode: service:<name>)"
        )
    declared = set().union(*(compose_ports(services[name]) for name in shared))
    if undeclared := sorted(declared - set().union(*ecs_port.values())):
        found.append(f"ports: compose publishes {undeclared}, which no container of the task maps")
    listening = {
        # (container whose port it is, value in compose, where compose says it)
        "nginx": (
            port_in(compose_value(services.get("nginx", {}), "NGINX_LISTEN_PORT"), r"^(\d+)$"),
            "NGINX_LISTEN_PORT",
        ),
        "web": (
            port_in(compose_value(services.get("nginx", {}), "NGINX_UPSTREAM"), r":(\d+)$"),
            "nginx's NGINX_UPSTREAM",
        ),
        "db": (
            port_in(compose_value(services.get("web", {}), "DATABASE_URL"), r"@[^/:]+:(\d+)/"),
            "web's DATABASE_URL",
        ),
    }
    for name, (port, source) in listening.items():
        if name in ecs_port and port is not None and port not in ecs_port[name]:
            found.append(
                f"{name}: port: compose uses {port} ({source}), "
                f"the task maps {sorted(ecs_port[name])}"
            )
        if name in services and port is None:
            found.append(f"{name}: port: compose does not say it ({source} has no port)")
    return found


COMMAND_CONTAINERS = ("release", "scheduler", "worker")


def serving_containers(containers: dict[str, Any]) -> dict[str, Any]:
    """The task's serving containers, as compose runs them: without the app's command containers
    (the release step, the scheduler), web waiting for what the release step waited for. Compose
    has one web service whose start script migrates (under the same lock) before gunicorn."""
    release = containers.get("release") or {}
    kept = {n: dict(c) for n, c in containers.items() if n not in COMMAND_CONTAINERS}
    waits = kept["web"].get("dependsOn") or []
    assert {"containerName": "release", "condition": "SUCCESS"} in waits
    kept["web"]["dependsOn"] = [
        *[d for d in waits if d["containerName"] != "release"],
        *(release.get("dependsOn") or []),
    ]
    return kept


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
