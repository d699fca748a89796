"""A passing and a failing stack for each CloudWatch Logs rule (rule id -> (passing, failing))."""

from __future__ import annotations

from policy.aws_types import LOG_GROUP
from policy.model import Resource

from ..builders import res

FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "DJTW.LOG-RETENTION": (
        [res(LOG_GROUP, "web-logs", retentionInDays=30)],
        [res(LOG_GROUP, "web-logs")],
    ),
}
