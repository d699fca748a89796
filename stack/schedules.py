"""Management commands on a schedule: the expressions a stack may write, read once.

A schedule is written as EventBridge Scheduler writes it, so that with ``database: rds`` it is
handed to Scheduler as is (``scheduleExpression``), and with ``database: efs`` the in-task
runner (``stack/schedule_runner.py``) follows the same text. Only the subset both can follow:

- ``rate(N minutes|hours|days)`` (``minute``/``hour``/``day`` when N is 1);
- ``cron(M H * * ? *)``: daily at H:M UTC.

Scheduler's forms: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
("rate(value unit)", unit minute(s) | hour(s) | day(s); "cron(minutes hours day-of-month month
day-of-week year)"); its times are UTC unless the schedule names a time zone, which the stack
leaves unset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RATE = re.compile(r"^rate\((\d{1,4}) (minutes?|hours?|days?)\)$")
_DAILY = re.compile(r"^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
ALLOWED = 'rate(N minutes|hours|days) or a daily "cron(M H * * ? *)" (UTC)'


@dataclass(frozen=True)
class Schedule:
    """One management command and when it runs."""

    command: tuple[str, ...]
    """``manage.py``'s arguments: ``("clearsessions",)``."""
    expression: str
    """As EventBridge Scheduler takes it: ``rate(1 day)``, ``cron(30 3 * * ? *)``."""
    every_seconds: int = 0
    """A rate: the interval; 0 for a daily time."""
    daily_at: tuple[int, int] | None = None
    """A daily cron: (hour, minute) UTC."""

    @property
    def name(self) -> str:
        """A short, stable name for its resources: the command's first word, dashed."""
        return self.command[0].replace("_", "-").lower()


def parse_schedule(command: tuple[str, ...], expression: object) -> Schedule:
    """The schedule of ``command``; ValueError saying what is allowed otherwise."""
    text = expression.strip() if isinstance(expression, str) else ""
    if rate := _RATE.match(text):
        count, unit = int(rate.group(1)), rate.group(2)
        if count < 1 or (count == 1) != (not unit.endswith("s")):
            raise ValueError(f"{ALLOWED}; write rate(1 day) but rate(2 days)")
        seconds = count * _UNIT_SECONDS[unit.rstrip("s")]
        if seconds < 300:
            raise ValueError(f"{ALLOWED}, at most every 5 minutes")
        return Schedule(command, text, every_seconds=seconds)
    if daily := _DAILY.match(text):
        minute, hour = int(daily.group(1)), int(daily.group(2))
        if minute < 60 and hour < 24:
            return Schedule(command, text, daily_at=(hour, minute))
    raise ValueError(ALLOWED)
