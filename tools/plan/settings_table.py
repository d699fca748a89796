"""docs/deploying.md's settings table, generated from the settings (``SETTINGS``): each
setting, its default as a stack file would write it, and what it means."""

from __future__ import annotations

import json
from typing import Any

import yaml

from stack.settings import SETTINGS


def as_text(value: Any) -> str:
    """A YAML value as text, structured values as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def default_in_yaml(default: str | None) -> str:
    """The default as a stack file must write it: quoted where YAML would read the bare text as
    something else ("" as null, 17:00 as 1020)."""
    if default is None:
        return "(required)"
    reads_as = as_text(yaml.safe_load(default)) if default else None
    return f"`{default}`" if reads_as == default else f'`"{default}"`'


def settings_table() -> str:
    """docs/deploying.md's table of every setting, its default and what it means, from SETTINGS."""
    rows = [f"| `{s.name}` | {default_in_yaml(s.default)} | {s.doc} |" for s in SETTINGS]
    return "\n".join(["| setting | default | meaning |", "|---|---|---|", *rows]) + "\n"
