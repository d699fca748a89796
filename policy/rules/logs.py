"""CloudWatch Logs rules (this project's own)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policy.aws_types import LOG_GROUP
from policy.model import Enforcement, resource_rule
from policy.readers import as_int


@resource_rule(
    "DJTW.LOG-RETENTION", "log groups set a retention period", Enforcement.MANDATORY, [LOG_GROUP]
)
def check_log_retention(_type: str, props: Mapping[str, Any]) -> list[str]:
    if as_int(props.get("retentionInDays"), 0) <= 0:
        return ["the log group keeps logs forever (set retentionInDays)"]
    return []
