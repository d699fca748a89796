"""`python -m tools.local.backup`: what it refuses before it touches the data directory."""

from __future__ import annotations

import pytest

from tools.local import backup


@pytest.mark.parametrize(
    "text",
    [
        '2026-12-01 10:00:00+00" ; touch /tmp/x ; echo "',
        "$(touch /tmp/x)",
        "yesterday",
        "2026-12-01 10:00:00",  # no time zone: which ten o'clock?
    ],
)
def test_a_target_time_that_is_no_timestamp_with_a_zone_is_refused_first(text, capsys):
    assert backup.main(["restore", "--target-time", text]) == 64
    assert "--target-time" in capsys.readouterr().err


def test_a_timestamp_with_a_zone_is_taken_as_written():
    assert backup.target_time(" 2026-12-01 10:00:00+00 ") == "2026-12-01 10:00:00+00"


def test_a_backup_takes_no_target_time_and_is_not_refused_for_it(monkeypatch):
    monkeypatch.setattr(backup, "take", lambda topology: 0)
    assert backup.main(["take"]) == 0
