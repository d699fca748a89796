"""YAML as the Pulumi CLI's Go libraries read it, and JSON as they write it.

The CLI reads a stack file with ``gopkg.in/yaml.v3`` into ``any`` (``resolve`` in go-yaml's
resolve.go: only ``true``/``false`` are booleans, no base-60 numbers, timestamps stay text,
a key written twice is refused), and hands a list or a mapping to the program as
``encoding/json``'s text (``json.Marshal``: compact, map keys sorted, ``<>&`` escaped).
``stack.config`` reads and checks a stack file with these.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

import yaml

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


# --- writing: JSON as encoding/json marshals it --------------------------------------------------


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
