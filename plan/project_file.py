"""``Pulumi.yaml``'s ``config:`` block, generated from the settings table (``SETTINGS``).

Pulumi's project-level config (since v3.44,
https://www.pulumi.com/docs/iac/concepts/projects/project-file/) declares each key's ``type``,
``description`` and ``default``: ``pulumi config`` and Pulumi Cloud show them, Pulumi applies
a default when a stack file leaves the key out, and it refuses a stack value of the wrong type
before the program runs. The block is written from the table so the two cannot disagree; the
parsers in ``settings_parsers.py`` still decide what each setting allows.

Everything from :data:`MARKER` to the end of ``Pulumi.yaml`` is generated; the lines above it
(name, runtime) are kept as written.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from paths import REPO_ROOT
from stack_settings import SETTINGS, Setting, config_key

PROJECT_FILE = REPO_ROOT / "Pulumi.yaml"
COMMAND = "python -m plan --write-project-config"
MARKER = f"# --- generated from stack_settings.SETTINGS by `{COMMAND}`; do not edit below"
PREAMBLE = """\
# Every setting of a stack: type, meaning, default. A stack file may leave any of them out.
# aws:region has no entry: Pulumi allows a type or default only for the project's own keys.
"""

PROJECT_CONFIG_TYPES = ("string", "integer", "boolean")
"""The types Pulumi's project config offers for one value (``array`` also needs ``items``)."""


def in_project_namespace(setting: Setting) -> bool:
    """Pulumi lets ``Pulumi.yaml`` declare a type or a default only for the project's own
    keys; ``aws:region`` belongs to the aws provider ("Configuration key ... is not namespaced
    by the project and should not define a type": pulumi, sdk/go/common/workspace/project.go).
    """
    return ":" not in setting.name


def config_type(setting: Setting) -> str:
    """The Pulumi type of a setting, read from its default: ``integer`` for a whole number,
    ``boolean`` for ``true``/``false``, else ``string``."""
    default = setting.default or ""
    if default.removeprefix("-").isdigit():
        return "integer"
    if default in ("true", "false"):
        return "boolean"
    return "string"


def typed_value(kind: str, text: str) -> object:
    """``text`` as the YAML value of Pulumi type ``kind`` (``"2"`` -> ``2`` for an integer)."""
    if kind == "integer":
        return int(text)
    if kind == "boolean":
        return text == "true"
    return text


def project_config() -> dict[str, dict[str, object]]:
    """The ``config:`` block: ``django-tw:<name>`` -> type, description, default (none for a
    required setting), in the table's order."""
    block: dict[str, dict[str, object]] = {}
    for setting in SETTINGS:
        if not in_project_namespace(setting):
            continue
        kind = config_type(setting)
        entry: dict[str, object] = {"type": kind, "description": setting.doc}
        if setting.default is not None:
            entry["default"] = typed_value(kind, setting.default)
        block[config_key(setting.name)] = entry
    return block


def accepts(kind: str, text: str) -> bool:
    """Whether Pulumi takes a stack's value (text, as the engine holds it) for type ``kind``:
    ``ValidateConfigValue`` in pulumi's sdk/go/common/workspace/project.go."""
    if kind == "integer":
        return text.removeprefix("-").isdigit()
    if kind == "boolean":
        return text in ("true", "false")
    return kind == "string"


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
