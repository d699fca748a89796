"""The task definition's side of the parity check, and the comparison with compose's: every
way the two differ, one line each that names what differs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from policy.aws_types import AWSX_ECR_IMAGE
from service.tests.e2e.compose_model import (
    compose_depends_on,
    compose_dockerfile,
    compose_health_command,
    compose_named_volumes,
    compose_ports,
    compose_value,
    environment_of,
    image_environment_names,
    network_namespace,
    port_in,
)
from stack.contract import CONTRACTS
from stack.paths import REPO_ROOT
from tests.stack_runs import service_task_definition
from tools.offline import StackRecording

IMAGE = AWSX_ECR_IMAGE

# set one the task does not, such as a local S3 stand-in's endpoint or DJANGO_HTTPS for plain
# http://localhost. Every other difference is a drift.
OPTIONAL_VARIABLES = frozenset(
    v.name for contract in CONTRACTS.values() for v in contract.variables if not v.required
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
