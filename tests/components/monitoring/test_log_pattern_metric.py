"""LogPatternMetric on its own: a metric filter that counts lines carrying a literal text."""

from __future__ import annotations

import pytest

from components.monitoring.log_pattern_metric import (
    LogPatternMetric,
    LogPatternMetricArgs,
    literal_pattern,
)
from tests.stack_runs import run_component

FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"


def test_a_phrase_with_punctuation_is_quoted_to_match_as_one_term():
    assert literal_pattern("postgres-backup: FAILED") == '"postgres-backup: FAILED"'


@pytest.mark.parametrize(("text", "message"), [("", "is empty"), ('say "hi"', "double quote")])
def test_a_pattern_that_cannot_be_literal_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        literal_pattern(text)


def test_the_filter_counts_one_per_matching_line_of_the_given_group():
    def program() -> None:
        LogPatternMetric(
            "backup-failures",
            LogPatternMetricArgs(
                log_group_name="/ecs/app/db", text="postgres-backup: FAILED", metric_name="Fails"
            ),
        )

    recording = run_component(program)
    metric_filter = recording.one(FILTER)
    assert metric_filter.inputs["logGroupName"] == "/ecs/app/db"
    assert metric_filter.inputs["pattern"] == '"postgres-backup: FAILED"'
    assert metric_filter.inputs["metricTransformation"] == {
        "name": "Fails",
        "namespace": "django-tw",
        "value": "1",
        "unit": "Count",
    }
    component = recording.one("django-tw:monitoring:LogPatternMetric")
    assert metric_filter.parent == component.urn


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metric_name": "has space"}, r"metric_name 'has space'"),
        ({"namespace": "AWS/Logs"}, r"namespace 'AWS/Logs': use your own namespace"),
        ({"text": ""}, r"is empty"),
    ],
)
def test_bad_args_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LogPatternMetricArgs(**{"log_group_name": "g", "text": "x", "metric_name": "M", **kwargs})
