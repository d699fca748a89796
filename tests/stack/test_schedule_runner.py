"""stack/schedule_runner.py, the scheduler container's process: when each command is due, and
that it runs them in turn as `python manage.py ...` and keeps going when one fails."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import stack.schedule_runner as runner
from stack.commands import RUNNER, runner_command
from stack.schedules import parse_schedule

START = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def test_a_daily_time_is_due_today_if_still_ahead_else_tomorrow():
    daily = {"command": ["clearsessions"], "daily_at": [3, 30]}
    assert runner.next_due(daily, START, START) == START.replace(hour=3, minute=30)
    later = START.replace(hour=3, minute=30)
    assert runner.next_due(daily, later, START) == later + timedelta(days=1)


def test_a_rate_counts_from_the_start():
    hourly = {"command": ["x"], "every": 3600}
    assert runner.next_due(hourly, START, START) == START + timedelta(hours=1)
    assert runner.next_due(hourly, START + timedelta(minutes=90), START) == START + timedelta(
        hours=2
    )


class Clock:
    def __init__(self) -> None:
        self.now = START
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


def test_the_loop_runs_each_command_when_due_and_goes_on_after_a_failure(monkeypatch):
    clock, ran = Clock(), []

    def fake_run(command):
        ran.append((clock.now.strftime("%d %H:%M"), command))
        return 1  # a failing command: the loop goes on

    monkeypatch.setattr(runner, "run", fake_run)
    schedules = [
        {"command": ["clearsessions"], "daily_at": [3, 30]},
        {"command": ["axes_reset_logs"], "daily_at": [3, 45]},
    ]
    runner.loop(schedules, now=clock, sleep=clock.sleep, runs=3)
    assert ran == [
        ("01 03:30", ["clearsessions"]),
        ("01 03:45", ["axes_reset_logs"]),
        ("02 03:30", ["clearsessions"]),
    ]


def test_the_container_command_runs_the_runner_s_source_with_the_schedules(tmp_path):
    schedules = [parse_schedule(("clearsessions",), "cron(30 3 * * ? *)")]
    command = runner_command(schedules)
    assert command[:2] == ("python", "-c")
    assert command[2] == RUNNER.read_text()
    assert json.loads(command[3]) == [
        {"command": ["clearsessions"], "every": 0, "daily_at": [3, 30]}
    ]
    # The source runs as python -c does it, without the stack on the path: no schedules, exit 0.
    result = subprocess.run(
        [sys.executable, "-I", "-c", command[2], "[]"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "scheduler: no schedules\n")


def test_a_command_runs_as_manage_py_in_the_working_directory(tmp_path, capsys, monkeypatch):
    args = tmp_path / "args.json"
    (tmp_path / "manage.py").write_text(
        f"import json, sys; open({str(args)!r}, 'w').write(json.dumps(sys.argv[1:])); sys.exit(3)\n"
    )
    monkeypatch.chdir(tmp_path)
    status = runner.run(["clearsessions", "--verbosity", "0"])
    assert json.loads(args.read_text()) == ["clearsessions", "--verbosity", "0"]
    assert status == 3
    out = capsys.readouterr().out
    assert "scheduler: manage.py clearsessions --verbosity 0 exited 3" in out
