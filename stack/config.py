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

Nothing here knows this project's settings: the declarations come from the caller.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from difflib import get_close_matches
from typing import Any

import yaml

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


# --- reading: YAML as go-yaml v3 decodes it into `any` ------------------------------------------

_GO_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_SPECIAL = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
_PLAIN = "tag:github.com/go-yaml,plain"


def _go_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``, then ``ParseUint``: a sign, then decimal digits, or
    ``0x``/``0o``/``0b`` and their digits, or a leading-0 octal (``0777``)."""
    body = text[1:] if text[:1] in "+-" else text
    base = {"0x": 16, "0o": 8, "0b": 2}.get(body[:2].lower())
    if base is not None:
        body = body[2:]
    else:
        base = 8 if len(body) > 1 and body.startswith("0") else 10
    if not body.isascii() or not body.isalnum():
        return None
    try:
        value = int(body, base)
    except ValueError:
        return None
    value = -value if text.startswith("-") else value
    return value if -(2**63) <= value < 2**64 else None


def go_yaml_scalar(text: str) -> Any:
    """A plain (unquoted) scalar as go-yaml v3's ``resolve`` reads it into ``any``."""
    if text in _GO_SPECIAL:
        return _GO_SPECIAL[text]
    if text[:1] == "." or text[:1].isdigit() or text[:1] in "+-":
        plain = text.replace("_", "") if text[:1] != "." else text
        if (number := _go_int(plain)) is not None:
            return number
        if _GO_FLOAT.match(plain):
            return float(plain)
    return text  # a timestamp (2026-01-02) also stays text: decoded into `any`, go-yaml keeps it


class GoYamlLoader(yaml.SafeLoader):
    """PyYAML with go-yaml v3's implicit types instead of YAML 1.1's: ``off``, ``yes`` and
    ``17:00`` stay text, as the Pulumi CLI reads them."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 (PyYAML's class-level table, replaced)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """go-yaml v3 refuses a key written twice in one mapping (``decoder.mapping`` with
        ``uniqueKeys``, decode.go), where YAML 1.1 readers keep the last."""
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = key.start_mark.line + 1
                if key.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f'line {line}: mapping key "{key.value}" already defined at line '
                        f"{seen[key.value]}",
                    )
                seen[key.value] = line
        return super().construct_mapping(node, deep)


GoYamlLoader.add_implicit_resolver(_PLAIN, re.compile(r"^(?!<<$).*$", re.DOTALL), None)
GoYamlLoader.add_implicit_resolver(_PLAIN, re.compile(r"^$"), [""])
GoYamlLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^<<$"), ["<"])


def _construct_plain(loader: GoYamlLoader, node: yaml.ScalarNode) -> Any:
    """A plain scalar (the only nodes ``_PLAIN`` resolves to) as go-yaml decodes it."""
    return go_yaml_scalar(loader.construct_scalar(node))


GoYamlLoader.add_constructor(_PLAIN, _construct_plain)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=GoYamlLoader)  # noqa: S506 (a SafeLoader subclass)


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


def _go_json_number(number: float) -> str:
    """``encoding/json``'s float: the shortest text, exponent only outside [1e-6, 1e21)."""
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"json: unsupported value: {number}")
    if number == 0 or 1e-6 <= abs(number) < 1e21:
        text = format(Decimal(repr(number)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return re.sub(r"e-0(\d)$", r"e-\1", repr(number))


def go_json(value: Any) -> str:
    """``json.Marshal`` of the decoded value: compact, map keys sorted, ``<>&`` escaped."""
    if isinstance(value, float):
        return _go_json_number(value)
    if isinstance(value, list):
        return "[" + ",".join(go_json(item) for item in value) + "]"
    if isinstance(value, dict):
        members = (
            f"{go_json(str(k))}:{go_json(v)}"
            for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))
        )
        return "{" + ",".join(members) + "}"
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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
