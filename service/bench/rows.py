"""One value read back from PostgreSQL, for the benchmarks' counters and positions."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql


def one_value(connection: psycopg.Connection[Any], query: str | sql.Composed) -> Any:
    """The first column of the first row ``query`` returns; a query that returns no row is a
    broken benchmark (every one here selects an aggregate, a setting or a position), so it
    stops with the query named rather than a ``None`` subscript further on."""
    row = connection.execute(query).fetchone()
    if row is None:
        raise RuntimeError(f"no row from {query!r}")
    return row[0]
