"""db/restore_drill.py's judgements, as pure functions: where recovery stopped against what the
archive holds, the restored rows against the published figures, and the metrics it prints.
(The drill itself runs against a real archive in tests/e2e/test_restore_drill.py.)"""

from __future__ import annotations

import datetime as dt

import restore_drill

UTC = dt.UTC


def test_archived_names_read_as_timeline_and_segment_and_other_files_are_ignored():
    assert restore_drill.segment_number("000000010000000000000003.gz") == (1, 3)
    assert restore_drill.segment_number("000000020000000100000002") == (2, 256 + 2)
    assert restore_drill.segment_number("00000002.history") is None
    assert restore_drill.segment_number("000000010000000000000002.00000028.backup") is None


def test_an_lsn_names_its_16_mib_segment():
    assert restore_drill.lsn_segment("0/30007A8") == 3
    assert restore_drill.lsn_segment("1/2000028") == 256 + 2


def test_recovery_that_stopped_before_the_newest_segment_is_a_gap():
    archive = [f"0000000100000000000000{n:02X}.gz" for n in (2, 3, 5, 6)]  # 4 is gone
    gap = restore_drill.wal_gap("0/3FFFFF0", archive)
    assert gap is not None
    assert "segment 3" in gap
    assert "up to 6" in gap
    assert restore_drill.wal_gap("0/6000100", archive) is None


def test_only_the_newest_timeline_counts():
    """After a point-in-time restore the old timeline keeps segments past the branch point."""
    archive = ["000000010000000000000009.gz", "000000020000000000000005.gz", "00000002.history"]
    assert restore_drill.wal_gap("0/5000100", archive) is None


def test_too_few_rows_or_a_missing_table_fail_and_the_tolerance_is_the_setting():
    figures = {"tweets_tweet": 1000, "auth_user": 10}
    assert restore_drill.row_problems({"tweets_tweet": 900, "auth_user": 10}, figures, 10) == []
    short = restore_drill.row_problems({"tweets_tweet": 899, "auth_user": 10}, figures, 10)
    assert len(short) == 1
    assert "tweets_tweet restored 899" in short[0]
    assert "DRILL_ROW_TOLERANCE_PERCENT" in short[0]
    missing = restore_drill.row_problems({"tweets_tweet": 1000}, figures, 10)
    assert missing == ["table auth_user (10 rows published) was not restored"]
    assert restore_drill.row_problems({"tweets_tweet": 1000}, {}, 10) == []


def test_the_recovery_point_is_the_last_replayed_commit_or_the_backups_end():
    backup = {"end_time_iso": "2026-12-01T17:05:00+00:00"}
    assert restore_drill._recovery_point("2026-12-01 18:31:40.02+00", backup) == dt.datetime(
        2026, 12, 1, 18, 31, 40, 20000, tzinfo=UTC
    )
    assert restore_drill._recovery_point("", backup) == dt.datetime(2026, 12, 1, 17, 5, tzinfo=UTC)


def test_the_metrics_are_one_embedded_metric_document():
    now = dt.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    passed = restore_drill.DrillResult(
        restore_seconds=42.04, recovery_point=now - dt.timedelta(seconds=90)
    )
    document = restore_drill.metrics_line(passed, "tw-prod/restore-drill", "postgres", now)
    assert document["DrillSucceeded"] == 1
    assert document["RestoreSeconds"] == 42.0
    assert document["RecoveryPointAgeSeconds"] == 90.0
    assert document["_aws"]["Timestamp"] == int(now.timestamp() * 1000)
    declared = document["_aws"]["CloudWatchMetrics"][0]
    assert declared["Namespace"] == "tw-prod/restore-drill"
    assert {m["Name"]: m["Unit"] for m in declared["Metrics"]} == {
        "DrillSucceeded": "Count", "RestoreSeconds": "Seconds", "RecoveryPointAgeSeconds": "Seconds"
    }  # fmt: skip

    failed = restore_drill.DrillResult(problems=["the base backup is unreadable"])
    document = restore_drill.metrics_line(failed, "n", "postgres", now)
    assert document["DrillSucceeded"] == 0
    assert "RecoveryPointAgeSeconds" not in document
    assert document["problems"] == ["the base backup is unreadable"]
