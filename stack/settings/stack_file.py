"""A stack's settings read offline from ``Pulumi.<stack>.yaml``, checked first as the Pulumi
CLI checks them against ``Pulumi.yaml``'s declarations (``stack.config``)."""

from __future__ import annotations

from pathlib import Path

import stack.config as stack_config
from stack.names import check_stack_name
from stack.paths import REPO_ROOT
from stack.settings.declaration import PROJECT, config_key
from stack.settings.fields import SETTINGS


def declared_config() -> dict[str, stack_config.ConfigType]:
    """``Pulumi.yaml``'s declarations, key -> type: one per setting of the project's own
    namespace (``aws:region`` belongs to the provider, which Pulumi leaves undeclared)."""
    return {config_key(s.name): s.config_type for s in SETTINGS if ":" not in s.name}


def read_stack_file(
    stack: str, root: Path = REPO_ROOT, config_file: Path | None = None
) -> dict[str, str]:
    """The ``config:`` of ``Pulumi.<stack>.yaml``, checked as the Pulumi CLI checks it before
    a run (``stack.config``), as the text the program then receives.

    ``config_file``: read this file instead, as ``pulumi preview --config-file`` does ("Use the
    configuration values in the specified file rather than detecting the file name",
    pulumi/docs content/docs/iac/cli/commands/pulumi_preview.md).

    Keys of this project lose their ``django-tw:`` prefix; other namespaces (``aws:region``)
    keep theirs, and lose their encrypted values (``secure:``), which cannot be read offline.
    Raises :class:`stack.config.StackConfigError` (a ValueError) on the first refused value.
    """
    check_stack_name(stack)
    if config_file is not None:
        if not Path(config_file).is_file():
            raise FileNotFoundError(f"--config-file {config_file}: the file does not exist")
        path = Path(config_file)
    else:
        path = Path(root) / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        files = Path(root).glob("Pulumi.*.yaml")
        known = ", ".join(sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in files)) or "none"
        raise FileNotFoundError(
            f"unknown stack {stack!r}: {path} does not exist; known stacks: {known}"
        )
    values = stack_config.read_config(path.read_text(encoding="utf-8"), str(path))
    stack_config.check(stack, PROJECT, declared_config(), values)
    return {
        key.removeprefix(f"{PROJECT}:"): value.text
        for key, value in values.items()
        if not value.secure
    }
