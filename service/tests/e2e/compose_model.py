"""What `docker compose -f docker-compose.yml -f docker-compose.production.yml` runs, read the
way compose reads it: the two files merged by compose's rules, then each service's Dockerfile,
environment names, health check, dependencies, ports and named volumes."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from typing import Any

import yaml

from stack.paths import REPO_ROOT, SERVICE_DIR

# Base file first, then the production override, as `docker compose -f ... -f ...` reads them.
COMPOSE_FILES = (SERVICE_DIR / "docker-compose.yml", SERVICE_DIR / "docker-compose.production.yml")

# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html
# https://docs.docker.com/reference/compose-file/services/#depends_on
COMPOSE_CONDITION_TO_ECS = {
    "service_started": "START",
    "service_healthy": "HEALTHY",
    "service_completed_successfully": "SUCCESS",
}
# Variables the contract lets a place leave out (stack/contract.py: not required): compose may


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
    """The services compose runs a container for, from the merged compose files.

    A service with ``scale: 0`` starts no container ("scale: the default number of containers
    to deploy for this service", https://docs.docker.com/reference/compose-file/services/#scale):
    the library's wheelhouse is such a service, built only as another image's build context, as
    the stack builds it as an image no task runs.
    """
    present = [path for path in COMPOSE_FILES if path.exists()]
    assert COMPOSE_FILES[-1] in present, f"{COMPOSE_FILES[-1]} is missing"
    model: Any = {}
    for path in present:
        loaded = yaml.load(path.read_text(), Loader=ComposeLoader)  # noqa: S506 - a SafeLoader
        model = merge_compose(model, loaded or {})
    services = model.get("services", {})
    return {name: service for name, service in services.items() if service.get("scale") != 0}


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
