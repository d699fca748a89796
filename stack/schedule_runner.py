"""The scheduler container's process (``database: efs``): management commands on a schedule.

Runs inside the app's image as ``python -c <this file> <schedules as JSON>``
(``stack.commands.runner_command``), from the image's working directory (the project, with
``manage.py``), with the web container's environment: the commands reach the task's own
Postgres on 127.0.0.1, which a task started elsewhere cannot. Standard library only, no file in
the image: any Python image runs it.

Each schedule is ``{"command": [...], "every": seconds}`` (a rate, counted from the start) or
``{"command": [...], "daily_at": [hour, minute]}`` (UTC). One command runs at a time; a failed
one is logged with its exit status and the runner goes on (it is the task's, not essential: web
keeps serving whatever it does). SIGTERM (the task stopping) ends it at once.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta


def next_due(schedule: dict, after: datetime, started: datetime) -> datetime:
    """The first time strictly after ``after`` that ``schedule`` is due."""
    if schedule.get("every"):
        step = timedelta(seconds=schedule["every"])
        periods = int((after - started) / step) + 1
        return started + periods * step
    hour, minute = schedule["daily_at"]
    today = after.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return today if today > after else today + timedelta(days=1)


def run(command: list[str]) -> int:
    """``python manage.py <command>``; its output goes to the container's log as it comes."""
    print(f"scheduler: running manage.py {' '.join(command)}", flush=True)
    status = subprocess.call([sys.executable, "manage.py", *command])  # noqa: S603 (stack's own)
    print(f"scheduler: manage.py {' '.join(command)} exited {status}", flush=True)
    return status


def loop(schedules: list[dict], now=lambda: datetime.now(UTC), sleep=time.sleep, runs=None) -> None:
    """Sleep until the next due command, run it, repeat; ``runs``: stop after that many (tests)."""
    started = now()
    due = [next_due(s, started, started) for s in schedules]
    done = 0
    while runs is None or done < runs:
        index = min(range(len(schedules)), key=lambda i: due[i])
        wait = (due[index] - now()).total_seconds()
        if wait > 0:
            sleep(wait)
        run(schedules[index]["command"])
        due[index] = next_due(schedules[index], max(now(), due[index]), started)
        done += 1


def main(argv: list[str]) -> int:
    schedules = json.loads(argv[1]) if len(argv) > 1 else []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if not schedules:
        print("scheduler: no schedules", flush=True)
        return 0
    loop(schedules)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
