"""What each stack setting accepts: one parser per kind of value, by what the setting is about.

A parser takes a setting's text and the values of the settings before it (by setting name,
in the order of ``stack.settings.StackSettings``' fields), and returns the typed value or
raises :class:`NotAllowed` saying what would be accepted; ``stack.settings.load_settings``
names the setting. A check between two settings is written once, in the parser of the
setting it blames.

This module holds how a parser refuses and the building blocks the others are made of;
``choices`` the enumerations and AWS's limits; ``network``, ``site``, ``tasks``,
``postgres`` and ``iam`` the parsers of the settings about each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Earlier = Mapping[str, Any]
"""The values of the settings parsed so far, by setting name (``"taskCpu"``)."""
Parser = Callable[[str, Earlier], Any]


class NotAllowed(ValueError):
    """A refused value: the value as read, what is allowed, and the setting to blame when it is
    not the one being parsed (``domain`` without ``hostedZone`` blames ``hostedZone``)."""

    def __init__(self, value: object, allowed: str, setting: str | None = None) -> None:
        super().__init__(allowed)
        self.value = value
        self.allowed = allowed
        self.setting = setting


def integer(text: str, allowed: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise NotAllowed(text, allowed) from None


def one_of(choices: tuple[str, ...]) -> Parser:
    allowed = " | ".join(choices)

    def parse(text: str, earlier: Earlier) -> str:
        if text not in choices:
            raise NotAllowed(text, allowed)
        return text

    return parse


def integer_in(choices: tuple[int, ...], separator: str, introduction: str = "") -> Parser:
    allowed = introduction + separator.join(str(choice) for choice in choices)

    def parse(text: str, earlier: Earlier) -> int:
        value = integer(text, allowed)
        if value not in choices:
            raise NotAllowed(value, allowed)
        return value

    return parse


def integer_between(low: int, high: int, unit: str = "") -> Parser:
    allowed = f"{low} to {high}" + (f" ({unit})" if unit else "")

    def parse(text: str, earlier: Earlier) -> int:
        value = integer(text, allowed)
        if not low <= value <= high:
            raise NotAllowed(value, allowed)
        return value

    return parse


_BOOLEANS = {"true": True, "false": False}


def boolean(text: str, earlier: Earlier) -> bool:
    """``true`` or ``false`` (YAML's unquoted booleans reach here as that text)."""
    value = _BOOLEANS.get(text.strip().lower())
    if value is None:
        raise NotAllowed(text, "true | false")
    return value
