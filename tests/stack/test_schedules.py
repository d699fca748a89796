"""stack/schedules.py: the schedule expressions both EventBridge Scheduler and the in-task runner
follow."""

from __future__ import annotations

import pytest

from stack.schedules import parse_schedule


@pytest.mark.parametrize(
    ("expression", "every", "daily_at"),
    [
        ("rate(1 day)", 86400, None),
        ("rate(6 hours)", 21600, None),
        ("rate(15 minutes)", 900, None),
        ("cron(30 3 * * ? *)", 0, (3, 30)),
        ("cron(0 0 * * ? *)", 0, (0, 0)),
    ],
)
def test_rates_and_daily_times_are_read(expression, every, daily_at):
    schedule = parse_schedule(("clearsessions",), expression)
    assert (schedule.every_seconds, schedule.daily_at) == (every, daily_at)
    assert schedule.expression == expression  # handed to Scheduler as written
    assert schedule.name == "clearsessions"


@pytest.mark.parametrize(
    "expression",
    [
        "0 3 * * *",  # crontab, not Scheduler's six fields
        "cron(0 3 ? * MON *)",  # weekly: the runner follows daily times only
        "cron(60 3 * * ? *)",
        "cron(0 24 * * ? *)",
        "rate(1 days)",
        "rate(2 day)",
        "rate(1 minute)",  # more often than every 5 minutes
        "rate(0 hours)",
        3600,
    ],
)
def test_other_expressions_are_refused_with_the_forms_allowed(expression):
    with pytest.raises(ValueError, match=r"rate\(N minutes\|hours\|days\)"):
        parse_schedule(("clearsessions",), expression)


def test_a_schedule_is_named_after_its_command():
    assert parse_schedule(("axes_reset_logs", "--age", "30"), "rate(1 day)").name == (
        "axes-reset-logs"
    )
