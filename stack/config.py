"""A stack file's ``config:`` as the Pulumi CLI reads and checks it, before any program runs.

``pulumi preview``/``up`` refuse a stack whose values do not match the types ``Pulumi.yaml``
declares, and they do it on the values as YAML gave them, not as text: a YAML list for a
``string`` key stops the run although its text would pass. Each rule below mirrors a function
of pulumi/pulumi (sdk v3, read from its source; the function named beside each rule):

- reading: ``gopkg.in/yaml.v3`` into ``any`` (``resolve`` in go-yaml's resolve.go: only
  ``true``/``false`` are booleans, no base-60 numbers, timestamps stay text), then
  ``object.UnmarshalYAML`` -> ``unmarshalObject`` -> ``object.MarshalString``
  (sdk/go/common/resource/config/object.go): a scalar becomes its text, a list or a mapping
  (and an empty value, ``null``) JSON text flagged *object*, ``{secure: ...}`` ciphertext
  flagged *secure*;
- keys: ``ParseKey`` (sdk/go/common/resource/config/key.go), ``<namespace>:<name>``;
- a required key left out: ``mergeConfig`` (pkg/workspace/config.go), "Stack ... is missing
  configuration value ...";
- the type: ``validateStackConfigValue`` (pkg/workspace/config.go) JSON-decodes an *object*
  value, then ``ValidateConfigValue`` (sdk/go/common/workspace/project.go) checks it;
- the text the program then receives: ``Map.Decrypt`` -> ``Plaintext.marshalText``
  (sdk/go/common/resource/config/map.go, plaintext.go): the value's text, JSON for an object.

YAML and JSON as the CLI's Go libraries read and write them are in ``stack.go_encoding``.
Nothing here knows this project's settings: the declarations come from the caller.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from stack.go_encoding import go_json, load_yaml

# --- the declarations (sdk/go/common/workspace/project.go, ProjectConfigType) -------------------

STRING, INTEGER, BOOLEAN, ARRAY, OBJECT = "string", "integer", "boolean", "array", "object"
TYPES = (STRING, INTEGER, BOOLEAN, ARRAY, OBJECT)
"""``simpleConfigType`` of Pulumi's project schema (sdk/go/common/workspace/project.json)."""


@dataclass(frozen=True)
class ConfigType:
    """One key's declaration in ``Pulumi.yaml``'s ``config:``: its type (``items`` for an
    array) and whether a stack must set it (no default)."""

    type: str
    items: ConfigType | None = None
    required: bool = False

    @property
    def name(self) -> str:
        """``InferFullTypeName``: ``array<string>`` for an array of strings."""
        return f"array<{self.items.name}>" if self.items is not None else self.type


# --- a config value: text, secure, object (sdk/go/common/resource/config/value.go) ---------------


@dataclass(frozen=True)
class ConfigValue:
    """A stack file's value as the CLI holds it: ``config.Value{value, secure, object}``. The
    program receives ``text`` (``Plaintext.marshalText``: a list or mapping as compact JSON)."""

    text: str
    secure: bool = False
    object: bool = False


def _is_secure(value: Any) -> bool:
    """``isSecureValue``: a mapping with the single key ``secure`` holding text."""
    return (
        isinstance(value, dict) and list(value) == ["secure"] and isinstance(value["secure"], str)
    )


def _has_secure(value: Any) -> bool:
    if _is_secure(value):
        return True
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return any(_has_secure(item) for item in items)


def config_value(raw: Any) -> ConfigValue:
    """``object.MarshalString`` of what ``unmarshalObject`` made of the YAML value."""
    if _is_secure(raw):
        return ConfigValue(raw["secure"], secure=True)
    if isinstance(raw, str):
        return ConfigValue(raw)
    if isinstance(raw, bool | int | float):
        return ConfigValue(go_json(raw))
    return ConfigValue(go_json(raw), secure=_has_secure(raw), object=True)  # list, map, null


class StackConfigError(ValueError):
    """The Pulumi CLI (or this project's own rule, where said) refuses a stack's config."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(message)


def parse_key(key: object) -> str:
    """``ParseKey``: ``<namespace>:<name>``, or the old ``<namespace>:config:<name>``."""
    text = str(key)
    parts = text.split(":")
    if len(parts) == 2 or (len(parts) == 3 and parts[1] == "config"):
        return f"{parts[0]}:{parts[-1]}"
    raise StackConfigError(
        text,
        f"could not parse {text} as a configuration key (configuration keys should be of the "
        "form `<namespace>:<name>`)",
    )


def read_config(text: str, source: str) -> dict[str, ConfigValue]:
    """The ``config:`` of a stack file's text, key -> value, as the CLI holds it."""
    document = load_yaml(text) or {}
    config = document.get("config") if isinstance(document, dict) else None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ValueError(f"{source}: `config:` must be a mapping of setting names to values")
    values: dict[str, ConfigValue] = {}
    for key, value in config.items():
        try:
            values[parse_key(key)] = config_value(value)
        except ValueError as error:  # a key ParseKey refuses, a number JSON cannot hold
            raise StackConfigError(str(key), f"{source}: {key}: {error}") from None
    return values


# --- checking: validateStackConfigValue / ValidateConfigValue -----------------------------------

_GO_ATOI = re.compile(r"^[+-]?[0-9]+$")


def validate_config_value(kind: ConfigType, value: Any) -> bool:
    """``ValidateConfigValue``: whether ``value`` (text, or an object's decoded JSON) is of
    ``kind``. Text passes as an integer when ``strconv.Atoi`` reads it, as a boolean only as
    ``true``/``false``; a list is an array only when each item is of ``kind.items``."""
    if kind.type == STRING:
        return isinstance(value, str)
    if kind.type == INTEGER:
        if isinstance(value, str):
            return bool(_GO_ATOI.match(value)) and -(2**63) <= int(value) < 2**63
        if isinstance(value, float):
            return value == math.trunc(value)
        return type(value) is int
    if kind.type == BOOLEAN:
        return value in ("true", "false") or isinstance(value, bool)
    if kind.type == OBJECT:
        return isinstance(value, dict)
    if not isinstance(value, list) or kind.items is None:
        return False
    return all(validate_config_value(kind.items, item) for item in value)


def _what_it_is(value: ConfigValue, kind: ConfigType) -> str:
    if value.secure:
        return "an encrypted (secure:) value"
    if not value.object:
        return f"the text {value.text!r}" if value.text else "empty text"
    decoded = json.loads(value.text)
    if decoded is None:
        return "empty (YAML reads a bare `key:` as null)"
    if isinstance(decoded, list) and kind.items is not None:
        return f"a YAML list with an item that is not of type '{kind.items.name}'"
    return "a YAML list" if isinstance(decoded, list) else "a YAML mapping"


_HOW_TO_WRITE = {
    STRING: 'text (quoted where YAML would read it as a list or null: "" for empty)',
    INTEGER: "a whole number, e.g. 2",
    BOOLEAN: "true or false",
    OBJECT: "a YAML mapping",
}


def _how_to_write(kind: ConfigType) -> str:
    if kind.type == ARRAY and kind.items is not None:
        return f"a YAML list of {kind.items.name} items, e.g. [] or [a, b]"
    return _HOW_TO_WRITE.get(kind.type, kind.name)


def check_against_project(
    stack: str, declared: Mapping[str, ConfigType], values: Mapping[str, ConfigValue]
) -> None:
    """What the CLI checks before the program runs (``ValidateStackConfigAndApplyProjectConfig``
    -> ``mergeConfig``): every required key is set, then each declared key's value (in key
    order) has its type. A secure value cannot be decrypted here: it fails only where the CLI
    fails it whatever the plaintext (a secret is text, never a list).

    Raises :class:`StackConfigError` with the CLI's words, then what to write instead.
    """
    file = f"Pulumi.{stack}.yaml"
    missing = sorted(key for key, kind in declared.items() if kind.required and key not in values)
    if missing:
        raise StackConfigError(
            missing[0],
            f"{file}: Stack '{stack}' is missing configuration value '{missing[0]}': set it "
            "(mergeConfig, pulumi/pulumi pkg/workspace/config.go)",
        )
    for key in sorted(declared):
        value, kind = values.get(key), declared[key]
        if value is None:
            continue
        content: Any = value.text
        if value.secure and (value.object or kind.type in (STRING, INTEGER, BOOLEAN)):
            continue  # depends on the plaintext, which only the CLI can decrypt
        if value.object:
            content = json.loads(value.text)
        if not validate_config_value(kind, content):
            found = _what_it_is(value, kind)
            raise StackConfigError(
                key,
                f"{file}: Stack '{stack}' with configuration key '{key}' must be of type "
                f"'{kind.name}' (the Pulumi CLI stops there, before the program runs): it is "
                f"{found}; write {_how_to_write(kind)}",
            )


# --- the declarations of a settings table, and this project's own rules -------------------------


def declared_type(default: str | None, items: str | None = None) -> ConfigType:
    """The Pulumi type of a setting, from its default's text (``2`` -> integer, ``true`` ->
    boolean, ``{...}`` -> object, else string) unless it is a list of ``items``; required when
    it has no default."""
    required = default is None
    if items is not None:
        return ConfigType(ARRAY, ConfigType(items), required)
    text = default or ""
    if text.startswith("{"):
        return ConfigType(OBJECT, required=required)
    if text.removeprefix("-").isdigit():
        return ConfigType(INTEGER, required=required)
    if text in ("true", "false"):
        return ConfigType(BOOLEAN, required=required)
    return ConfigType(STRING, required=required)


def typed_default(kind: ConfigType, text: str) -> object:
    """A default's text as ``Pulumi.yaml`` writes it for ``kind`` (``"2"`` -> ``2``)."""
    if kind.type == INTEGER:
        return int(text)
    if kind.type == BOOLEAN:
        return text == "true"
    if kind.type in (ARRAY, OBJECT):
        return json.loads(text)
    return text


def check_project_keys(
    stack: str, project: str, known: Mapping[str, ConfigType], values: Mapping[str, ConfigValue]
) -> None:
    """Rules of this project that the CLI does not have, on the keys of ``project``'s
    namespace (``known``: those ``Pulumi.yaml`` declares), in the file's order:

    - a key nothing declares is a typo (the CLI lets it pass and the program never reads it):
      refused with the declared names closest to it (``azcount`` -> ``azCount``);
    - an encrypted (``secure:``) value: no setting is a secret (the stack generates its
      secrets into AWS Secrets Manager) and a run without the stack's key cannot read it.
    """
    file = f"Pulumi.{stack}.yaml"
    by_lower = {key.partition(":")[2].lower(): key for key in known}
    for key, value in values.items():
        if key.partition(":")[0] != project:
            continue
        if key not in known:
            name = key.partition(":")[2]
            close = [by_lower[m] for m in get_close_matches(name.lower(), by_lower, n=3)]
            hint = (
                "did you mean " + " or ".join(f"`{match}`" for match in close) + "?"
                if close
                else "the settings are the keys of Pulumi.yaml's config: block."
            )
            raise StackConfigError(
                key,
                f"{file}: `{key}` is not a setting of {project}, so nothing would read it (the "
                f"Pulumi CLI lets it pass): {hint} Rename or remove it",
            )
        if value.secure:
            raise StackConfigError(
                key,
                f"{file}: `{key}` is encrypted (secure:), but no setting of {project} is a "
                "secret (the stack generates its secrets into AWS Secrets Manager) and the plan "
                f"cannot read it: set it in plain text (`pulumi config set {key} VALUE`)",
            )


def check(
    stack: str, project: str, declared: Mapping[str, ConfigType], values: Mapping[str, ConfigValue]
) -> None:
    """The CLI's checks (:func:`check_against_project`), then this project's
    (:func:`check_project_keys`): the first problem, as a :class:`StackConfigError`."""
    check_against_project(stack, declared, values)
    check_project_keys(stack, project, declared, values)
