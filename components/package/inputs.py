"""Inputs that arrive as plain data, turned into the components' typed Args.

A program in another language (TypeScript, Go, C#, Java, YAML) reaches a component through
the package's provider, which hands the constructor a dict of Python-named values (nested
specs are dicts too). :func:`args_from_inputs` builds the frozen-dataclass Args from it, field
by field and following each field's annotation, so every ``__post_init__`` runs and a wrong
input fails with the same ``ValueError`` as it does from Python. On the way out,
:func:`plain_output` turns the dataclasses and sets a component exposes into what the
provider can send back: dicts under the schema's camelCase names, and lists.
"""

import dataclasses
import types
import typing
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

import pulumi

# What a sequence, a mapping and a union (Optional, pulumi.Input) are to `typing.get_origin`.
_SEQUENCES = (list, tuple, Sequence)
_MAPPINGS = (dict, Mapping)
_UNIONS = (typing.Union, types.UnionType)


def args_from_inputs(args_type: type, inputs: Mapping[str, Any]) -> Any:
    """The ``args_type`` dataclass built from ``inputs`` (Python field names; a missing or
    None value takes the field's default). An input that is no field of it is refused: it
    would otherwise be dropped without a word."""
    if not isinstance(inputs, Mapping):
        raise ValueError(f"{args_type.__name__} needs an object of its fields, got {inputs!r}")
    fields = {field.name: field for field in dataclasses.fields(args_type)}
    unknown = sorted(set(inputs) - set(fields))
    if unknown:
        raise ValueError(
            f"{args_type.__name__} has no field {', '.join(unknown)}; its fields are "
            f"{', '.join(fields)}"
        )
    # The annotations are evaluated (components never postpone them), so each field's type is
    # the annotation itself; get_type_hints would choke on pulumi.Input's "Output[T]".
    values = {
        name: value_of_type(fields[name].type, value)
        for name, value in inputs.items()
        if value is not None
    }
    return args_type(**values)


def value_of_type(annotation: Any, value: Any) -> Any:
    """``value`` as ``annotation`` wants it: a dataclass from a mapping, a tuple from a list,
    each item and entry converted by its own annotation. Outputs, awaitables and values the
    annotation says nothing about pass through unchanged."""
    if value is None or isinstance(value, pulumi.Output):
        return value
    origin = typing.get_origin(annotation)
    if origin in _UNIONS:
        # Optional[X] or pulumi.Input[X]: convert by the one member that is neither None nor
        # an awaitable or Output of X.
        members = [member for member in typing.get_args(annotation) if _is_plain(member)]
        return value_of_type(members[0], value) if len(members) == 1 else value
    if (
        isinstance(annotation, type)
        and dataclasses.is_dataclass(annotation)
        and isinstance(value, Mapping)
    ):
        return args_from_inputs(annotation, value)
    if origin in _SEQUENCES and isinstance(value, Sequence) and not isinstance(value, str):
        (item,) = typing.get_args(annotation)[:1] or (Any,)
        return tuple(value_of_type(item, entry) for entry in value)
    if origin in _MAPPINGS and isinstance(value, Mapping):
        entry = typing.get_args(annotation)[1] if typing.get_args(annotation) else Any
        return {key: value_of_type(entry, item) for key, item in value.items()}
    return value


def _is_plain(member: Any) -> bool:
    """Whether a union member is a value's own type (not None, an Awaitable or an Output)."""
    if member is type(None) or isinstance(member, typing.ForwardRef):
        return False
    origin = typing.get_origin(member) or member
    return origin not in (pulumi.Output, Awaitable)


def camel_case(name: str) -> str:
    """The schema's name for a Python field (``cidr_block`` -> ``cidrBlock``), as Pulumi's
    analyzer derives it."""
    first, *rest = name.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def plain_output(value: Any) -> Any:
    """A component's output as the provider can send it: a dataclass becomes a dict under
    camelCase names (None fields left out), a set a sorted list, a tuple a list."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            camel_case(field.name): plain_output(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if getattr(value, field.name) is not None
        }
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, list | tuple):
        return [plain_output(item) for item in value]
    if isinstance(value, Mapping):
        return {key: plain_output(item) for key, item in value.items()}
    return value
