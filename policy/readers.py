"""Small readers of engine-style properties, shared by the rules of several services.

The engine hands properties over loosely: a list may be absent or a single value, a JSON
document may be a string (engine) or already parsed (tests, awsx), a number may be a string.
These readers give every rule the same tolerant view.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from policy.model import Resource


def as_list(value: Any) -> list[Any]:
    """A property that may be absent, one value or a list, as a list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def as_int(value: Any, default: int) -> int:
    """A number that may arrive as a string or not at all (ports, counts, retention days)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def parse_json(value: Any) -> Any:
    """A JSON document that may arrive as a string (engine) or already parsed; None if invalid."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def statements(document: Any) -> list[dict[str, Any]]:
    """The statements of an IAM or resource policy document (string or parsed)."""
    parsed = parse_json(document) or {}
    return [s for s in as_list(parsed.get("Statement")) if isinstance(s, dict)]


def containers(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The container definitions of a task definition's props."""
    parsed = parse_json(props.get("containerDefinitions"))
    return [c for c in as_list(parsed) if isinstance(c, dict)]


def identifiers(resource: Resource) -> set[str]:
    """Every value another resource may use to point at ``resource`` (id, arn, name...)."""
    keys = ("id", "arn", "name", "bucket", "fileSystemId", "repositoryName")
    values = {str(resource.props[k]) for k in keys if resource.props.get(k)}
    values.add(resource.name)
    if resource.urn:
        values.add(resource.urn)
    return values


def refers_to(value: Any, target: Resource) -> bool:
    """Whether a property value (an id, ARN, name...) points at ``target``."""
    return value is not None and str(value) in identifiers(target)


def of_type(resources: Iterable[Resource], *types: str) -> list[Resource]:
    return [r for r in resources if r.type in types]
