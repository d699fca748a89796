"""``Pulumi.yaml``'s ``config:`` block, generated from the settings (``SETTINGS``).

Pulumi's project-level config (since v3.44,
https://www.pulumi.com/docs/iac/concepts/projects/project-file/) declares each key's ``type``,
``description`` and ``default``: ``pulumi config`` and Pulumi Cloud show them, Pulumi applies
a default when a stack file leaves the key out, and it refuses a stack value of the wrong type
before the program runs (``stack.config`` mirrors that check). The block is written from the
settings' declarations so the two cannot disagree; the parsers in ``stack/parsers/`` still
decide what each setting allows.

Everything from :data:`MARKER` to the end of ``Pulumi.yaml`` is generated; the lines above it
(name, runtime) are kept as written.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from stack.config import ConfigType, typed_default
from stack.paths import REPO_ROOT
from stack.settings import SETTINGS, Setting, config_key

PROJECT_FILE = REPO_ROOT / "Pulumi.yaml"
COMMAND = "python -m tools.plan --write-project-config"
MARKER = f"# --- generated from stack.settings.SETTINGS by `{COMMAND}`; do not edit below"
PREAMBLE = """\
# Every setting of a stack: type, meaning, default. A stack file may leave any of them out.
# aws:region has no entry: Pulumi allows a type or default only for the project's own keys.
"""


def in_project_namespace(setting: Setting) -> bool:
    """Pulumi lets ``Pulumi.yaml`` declare a type or a default only for the project's own
    keys; ``aws:region`` belongs to the aws provider ("Configuration key ... is not namespaced
    by the project and should not define a type": pulumi, sdk/go/common/workspace/project.go).
    """
    return ":" not in setting.name


def declaration(kind: ConfigType) -> dict[str, object]:
    """``type`` (and ``items`` for an array: ``Project.Validate`` refuses an array without)."""
    entry: dict[str, object] = {"type": kind.type}
    if kind.items is not None:
        entry["items"] = declaration(kind.items)
    return entry


def project_config() -> dict[str, dict[str, object]]:
    """The ``config:`` block: ``django-tw:<name>`` -> type (items), description, default (none
    for a required setting), in the settings' order."""
    block: dict[str, dict[str, object]] = {}
    for setting in SETTINGS:
        if not in_project_namespace(setting):
            continue
        kind = setting.config_type
        entry = {**declaration(kind), "description": setting.doc}
        if setting.default is not None:
            entry["default"] = typed_default(kind, setting.default)
        block[config_key(setting.name)] = entry
    return block


def render() -> str:
    """The generated tail of ``Pulumi.yaml``, from :data:`MARKER` on."""
    # One line per description (width): a changed setting shows up as one changed line.
    body = yaml.safe_dump(
        {"config": project_config()}, sort_keys=False, width=4096, allow_unicode=True
    )
    return f"{MARKER}\n{PREAMBLE}{body}"


def split(text: str) -> tuple[str, str | None]:
    """The hand-written head of ``Pulumi.yaml`` and its generated tail (None: no marker)."""
    head, marker, tail = text.partition(MARKER)
    return head, (marker + tail if marker else None)


def write(path: Path = PROJECT_FILE) -> None:
    head, _ = split(path.read_text(encoding="utf-8"))
    path.write_text(head.rstrip("\n") + "\n" + render(), encoding="utf-8")
