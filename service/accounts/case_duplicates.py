"""Refusing a unique index on lower(column) while accounts already share a value in other cases.

Migrations 0002 (e-mail addresses) and 0004 (usernames) import this, so it must stay
importable and behave the same for as long as they do: it takes the historical model's
queryset from the migration and imports no model of its own.
"""

from collections.abc import Callable, Iterable

from django.db.models import Count, QuerySet
from django.db.models.functions import Lower


def refuse_case_duplicates(
    users: QuerySet,
    field: str,
    *,
    holders: Callable[[str], Iterable],
    describe: Callable[[object], str],
    what: str,
    remedy: str,
) -> None:
    """Raise, naming every account of each value of ``field`` that more than one of ``users``
    hold when case is ignored (``holders`` of the lower-cased value, each shown by
    ``describe``); do nothing when there are none. Which account keeps the value is a decision
    about people, not schema: ``remedy`` says what to do, and nothing is changed."""
    duplicated = (
        users.annotate(folded=Lower(field))
        .values("folded")
        .annotate(accounts=Count("id"))
        .filter(accounts__gt=1)
        .values_list("folded", flat=True)
    )
    if not duplicated:
        return
    lines = []
    for value in sorted(duplicated):
        named = ", ".join(describe(user) for user in holders(value))
        lines.append(f"  {value}: {named}")
    raise RuntimeError(
        f"These {what} belong to more than one account when case is ignored:\n"
        + "\n".join(lines)
        + f"\n{remedy} Nothing was changed."
    )
