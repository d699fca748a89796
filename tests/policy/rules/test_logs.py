"""CloudWatch Logs rules: every log group expires its logs."""

from __future__ import annotations

import pytest

from policy.aws_types import LOG_GROUP

from ..builders import res
from .expect import result_of


@pytest.mark.parametrize(("days", "passes"), [("30", True), (0, False), ("forever", False)])
def test_retention_may_arrive_as_a_string_and_must_be_positive(days, passes):
    assert (
        result_of("DJTW.LOG-RETENTION", [res(LOG_GROUP, "g", retentionInDays=days)]).passed
        is passes
    )
