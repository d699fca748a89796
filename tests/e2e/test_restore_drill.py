"""The restore drill (components/images/db/restore_drill.py, `make restore-drill`) against a
real archive:
the topology's Postgres and S3 stand-in, as in test_backup_restore.py. It restores into scratch
space while the live database keeps running, prints its result as CloudWatch embedded metrics,
and fails when the archive is broken: a WAL segment gone from the middle, or a damaged base
backup."""

from __future__ import annotations

import json
import subprocess
import sys

import boto3
import pytest

from stack.paths import DB_IMAGE_DIR
from tests.e2e.test_backup_restore import Database
from tools.local.topology import BACKUP_DESTINATION, BACKUP_SERVER_NAME

pytestmark = pytest.mark.e2e

SIGNALS = DB_IMAGE_DIR / "db_signals.py"


def publish_figures(database: Database) -> None:
    """What the db container's signals step does every few minutes: one report and the figures."""
    published = subprocess.run(
        [sys.executable, str(SIGNALS), "once"],
        env=database.environment, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert published.returncode == 0, published.stderr


def drill(database: Database) -> tuple[int, dict, str]:
    result = database.make("drill")
    documents = [json.loads(line) for line in result.stdout.splitlines() if '"_aws"' in line]
    assert len(documents) == 1, result.stdout + result.stderr
    return result.returncode, documents[0], result.stderr


def archive(database: Database):
    """The S3 stand-in's backup bucket, and the archive's folder in it."""
    bucket, _, prefix = BACKUP_DESTINATION.removeprefix("s3://").partition("/")
    client = boto3.client(
        "s3",
        endpoint_url=database.environment["BACKUP_ENDPOINT_URL"],
        region_name=database.environment["AWS_DEFAULT_REGION"],
        aws_access_key_id="local-moto",
        aws_secret_access_key="local-moto",
    )
    return client, bucket, f"{prefix}/{BACKUP_SERVER_NAME}"


def keys(client, bucket: str, prefix: str) -> list[str]:
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def several_segments(database: Database, count: int) -> None:
    for n in range(count):
        database.post([f"segment {n}"])
        database.query("SELECT pg_switch_wal()")
    database.wait_until_archived()


def test_a_new_local_cluster_has_data_checksums_on(database):
    """As the db image's POSTGRES_INITDB_ARGS: a damaged page is an error on read."""
    assert database.query("SHOW data_checksums")[0] == "on"


def test_the_drill_restores_the_archive_beside_the_live_database_and_reports_metrics(database):
    database.post([f"first batch {n}" for n in range(20)])
    assert database.make("take").returncode == 0
    database.post([f"second batch {n}" for n in range(30)])
    publish_figures(database)
    database.wait_until_archived()

    status, metrics, log = drill(database)

    assert status == 0, log
    assert metrics["DrillSucceeded"] == 1
    assert metrics["problems"] == []
    assert 0 < metrics["RestoreSeconds"] < 300
    # The figures were the last write: the recovery point is seconds old, not the backup's age.
    assert 0 <= metrics["RecoveryPointAgeSeconds"] < 120
    assert "probe_tweet=50" in log
    assert "pg_amcheck found every table and index sound" in log
    namespace = metrics["_aws"]["CloudWatchMetrics"][0]
    assert namespace["Dimensions"] == [["Server"]]
    assert {m["Name"] for m in namespace["Metrics"]} == {
        "DrillSucceeded", "RestoreSeconds", "RecoveryPointAgeSeconds"
    }  # fmt: skip
    assert database.tweets() == 50  # the live database served on throughout


def test_a_wal_segment_missing_from_the_middle_of_the_archive_fails_the_drill(database):
    database.post(["before the backup"])
    assert database.make("take").returncode == 0
    several_segments(database, 4)
    client, bucket, folder = archive(database)
    segments = [key for key in keys(client, bucket, f"{folder}/wals/") if "history" not in key]
    client.delete_object(Bucket=bucket, Key=segments[-2])

    status, metrics, log = drill(database)

    assert status == 1
    assert metrics["DrillSucceeded"] == 0
    assert "a segment in between is missing or unreadable" in metrics["problems"][0]
    assert "postgres-backup: FAILED restore drill:" in log


def test_a_damaged_base_backup_fails_the_drill(database):
    database.post(["before the backup"])
    assert database.make("take").returncode == 0
    client, bucket, folder = archive(database)
    data = [key for key in keys(client, bucket, f"{folder}/base/") if key.endswith("data.tar.gz")]
    assert data, keys(client, bucket, folder)
    client.put_object(Bucket=bucket, Key=data[-1], Body=b"\x1f\x8b not a tar any more")

    status, metrics, _ = drill(database)

    assert status == 1
    assert metrics["DrillSucceeded"] == 0
    assert "the base backup is unreadable" in metrics["problems"][0]
