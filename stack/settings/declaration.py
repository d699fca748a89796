"""How a stack setting is declared: once, on the :class:`~stack.settings.StackSettings` field
that holds it (:func:`setting`), and read back from the fields (:func:`declared_settings`);
what the stack file calls it (:func:`config_key`) and the error that names it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pulumi

import stack.config as stack_config
from stack.parsers import Parser

PROJECT = "django-tw"


def config_key(name: str) -> str:
    """The key in ``Pulumi.<stack>.yaml``: ``vpcCidr`` -> ``django-tw:vpcCidr``."""
    return name if ":" in name else f"{PROJECT}:{name}"


class SettingsError(pulumi.RunError, ValueError):
    """A stack setting is missing or has a value the stack cannot use.

    A :class:`pulumi.RunError`: under ``pulumi up``/``preview`` the Python language host logs
    a RunError's message as the error and no traceback (``pulumi-language-python-exec``:
    ``except pulumi.RunError as e: pulumi.log.error(str(e))``), so the operator reads one line.
    Still a :class:`ValueError` for callers outside Pulumi (``make plan``).
    """

    def __init__(self, setting: str, value: object, allowed: str) -> None:
        key = config_key(setting)
        self.setting = key
        self.value = value
        self.allowed = allowed
        super().__init__(f"setting `{key}` has the invalid value {value!r}; allowed: {allowed}")


@dataclass(frozen=True)
class Setting:
    """One stack setting: its name in the stack file, its default, how it is read, what it
    means, and the :class:`StackSettings` field it is declared on."""

    name: str
    """As in ``Pulumi.<stack>.yaml`` without the ``django-tw:`` prefix: ``vpcCidr``."""
    default: str | None
    """The text used when the stack file leaves the setting out; ``None``: required."""
    parse: Parser
    """Text (and the settings before this one) -> typed value, or :class:`NotAllowed`."""
    doc: str
    """What it means, one line of Markdown (docs/deploying.md's settings table)."""
    items: str | None = None
    """A list's item type (``Pulumi.yaml`` declares it ``type: array``); None: one value."""
    field: str = ""
    """The :class:`StackSettings` field that holds the parsed value (``vpc_cidr``): the one
    the setting is declared on, filled in by :func:`declared_settings`."""

    @property
    def config_type(self) -> stack_config.ConfigType:
        """What ``Pulumi.yaml`` declares and the Pulumi CLI checks (``stack.config``)."""
        return stack_config.declared_type(self.default, self.items)


_SETTING = "setting"
"""The key of a field's ``metadata`` that holds its :class:`Setting`."""


def setting(
    name: str, default: str | None, parse: Parser, doc: str, *, items: str | None = None
) -> Any:
    """Declare a :class:`StackSettings` field's setting, on the field: ``vpc_cidr: str =
    setting("vpcCidr", "10.0.0.0/16", parser, "what it means")``. The field stays required
    in the constructor; the default is the setting's, applied by :func:`load_settings`."""
    return dataclasses.field(metadata={_SETTING: Setting(name, default, parse, doc, items)})


class SettingDeclarationError(TypeError):
    """A settings class whose fields do not declare each setting exactly once."""


def declared_settings(settings_class: type) -> tuple[Setting, ...]:
    """The settings the fields of ``settings_class`` (a dataclass) declare, in field order:
    the order they are read in, so a parser may look at the settings above its own.

    Raises :class:`SettingDeclarationError` for a field without a :func:`setting` and for
    a setting name declared on two fields.
    """
    found: dict[str, Setting] = {}
    for field in dataclasses.fields(settings_class):
        declared = field.metadata.get(_SETTING)
        if not isinstance(declared, Setting):
            raise SettingDeclarationError(
                f"{settings_class.__name__}.{field.name} declares no setting: write "
                f'`{field.name}: <type> = setting("<name>", <default>, <parser>, "<meaning>")`'
            )
        if declared.name in found:
            raise SettingDeclarationError(
                f"setting `{declared.name}` is declared twice, on {settings_class.__name__}."
                f"{found[declared.name].field} and {settings_class.__name__}.{field.name}: "
                "keep one"
            )
        found[declared.name] = dataclasses.replace(declared, field=field.name)
    return tuple(found.values())
