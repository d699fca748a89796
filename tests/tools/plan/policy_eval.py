"""A small evaluator of identity-policy statements: enough of IAM's rules for the deploy role's
policies (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
an explicit Deny wins, else some Allow must match action, resource and every condition."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def iam_match(pattern: str, text: str) -> bool:
    """IAM's wildcards: ``*`` any run of characters (``/`` too), ``?`` one; no brackets
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text) is not None


def _condition_holds(operator: str, key: str, wanted: Any, context: dict[str, Any]) -> bool:
    """Condition operators, including a missing key's result (negated operators and
    ``ForAllValues`` hold on a missing key; the others do not):
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"""
    values = listed(wanted)
    present = key in context
    given = listed(context[key]) if present else []
    if operator == "Null":
        return (not present) == (str(values[0]).lower() == "true")
    if operator == "ForAllValues:StringEquals":
        return all(v in values for v in given)
    like = operator.startswith("StringLike") or operator.startswith("StringNotLike")
    matches = any((iam_match(v, g) if like else v == g) for v in values for g in given)
    if operator in ("StringNotEquals", "StringNotLike"):
        return not matches
    if operator in ("StringEquals", "StringLike", "ArnLike", "ArnEquals"):
        return matches
    raise ValueError(f"the evaluator does not know {operator}")


def _matches(statement: dict, action: str, resource: str, context: dict[str, Any]) -> bool:
    if not any(iam_match(a, action) for a in listed(statement["Action"])):
        return False
    if not any(iam_match(r, resource) for r in listed(statement["Resource"])):
        return False
    conditions = statement.get("Condition") or {}
    return all(
        _condition_holds(op, key, wanted, context)
        for op, pairs in conditions.items()
        for key, wanted in pairs.items()
    )


def allows(
    statements: Iterable[dict], action: str, resource: str, context: dict[str, Any] | None = None
) -> bool:
    """Whether the statements together allow ``action`` on ``resource`` with ``context``
    (condition keys and their values)."""
    statements = list(statements)
    context = context or {}
    if any(s["Effect"] == "Deny" and _matches(s, action, resource, context) for s in statements):
        return False
    return any(
        s["Effect"] == "Allow" and _matches(s, action, resource, context) for s in statements
    )
