"""CloudWatch Logs rules: every log group expires its logs."""

from __future__ import annotations

import pytest

from policy.aws_types import LOG_GROUP
from policy.rules import logs

from ..builders import res
from .expect import assert_fails, assert_passes, result_of, rule_ids_of
from .logs_fixtures import FIXTURES


def test_every_logs_rule_has_a_passing_and_a_failing_fixture():
    assert sorted(FIXTURES) == rule_ids_of(logs)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_passing_fixture_passes(rule_id):
    assert_passes(rule_id, FIXTURES[rule_id][0])


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_failing_fixture_fails_with_a_message(rule_id):
    assert_fails(rule_id, FIXTURES[rule_id][1])


@pytest.mark.parametrize(("days", "passes"), [("30", True), (0, False), ("forever", False)])
def test_retention_may_arrive_as_a_string_and_must_be_positive(days, passes):
    assert (
        result_of("DJTW.LOG-RETENTION", [res(LOG_GROUP, "g", retentionInDays=days)]).passed
        is passes
    )
