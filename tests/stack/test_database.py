"""The prod stack's database: roles and passwords, EFS, the WAL archive bucket, failure metric.

Run from __main__.py with Pulumi.prod.yaml's settings, like tests/stack/test_stack_task.py.
"""

from __future__ import annotations

import fnmatch
import json
from urllib.parse import urlsplit

from tests.stack_runs import (
    BACKUP_BUCKET_COMPONENT,
    as_list,
    bucket_of,
    containers,
    environment,
    policy_statements,
    prod_config,
    run_main,
    secret_value,
    secrets,
)
from tools.offline import RecordedResource, StackRecording


def children(recording: StackRecording, parent: RecordedResource, type_: str) -> list:
    return [r for r in recording.children_of(parent) if r.type == type_]


def test_only_the_db_container_gets_the_superuser_password(prod):
    by_name = containers(prod)
    db = secrets(by_name["db"])
    superuser, app = db["POSTGRES_PASSWORD"], db["POSTGRES_APP_PASSWORD"]
    assert superuser != app
    for name in ("web", "nginx"):
        assert superuser not in secrets(by_name[name]).values(), name
        assert app not in secrets(by_name[name]).values(), name
    superuser_password = secret_value(prod, superuser)
    url = urlsplit(secret_value(prod, secrets(by_name["web"])["DATABASE_URL"]))
    assert url.password == secret_value(prod, app)
    assert superuser_password not in secret_value(prod, secrets(by_name["web"])["DATABASE_URL"])
    assert url.username != "postgres"


def test_efs_runs_in_elastic_throughput_mode(prod):
    assert prod.one("aws:efs/fileSystem:FileSystem").inputs["throughputMode"] == "elastic"
    bursting = run_main(prod_config(efsThroughputMode="bursting"))
    assert bursting.one("aws:efs/fileSystem:FileSystem").inputs["throughputMode"] == "bursting"


def test_backup_bucket_is_versioned_encrypted_tls_only_and_expires_deleted_backups(prod):
    bucket = bucket_of(prod, BACKUP_BUCKET_COMPONENT)
    component = next(r for r in prod.resources if r.type == BACKUP_BUCKET_COMPONENT)
    assert prod.outputs["backup_bucket_name"] == bucket.outputs["bucket"]
    assert prod.outputs["backup_destination_url"] == f"s3://{bucket.outputs['bucket']}/postgres"
    (versioning,) = children(prod, component, "aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.inputs["versioningConfiguration"]["status"] == "Enabled"
    (encryption,) = children(
        prod,
        component,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )
    assert encryption.inputs["rules"][0]["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "AES256"
    }
    (policy,) = children(prod, component, "aws:s3/bucketPolicy:BucketPolicy")
    statements = json.loads(policy.inputs["policy"])["Statement"]
    deny = next(s for s in statements if s["Sid"] == "DenyInsecureTransport")
    assert (deny["Effect"], deny["Condition"]) == (
        "Deny",
        {"Bool": {"aws:SecureTransport": "false"}},
    )
    (block,) = children(prod, component, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert block.inputs["blockPublicPolicy"] is block.inputs["restrictPublicBuckets"] is True
    (lifecycle,) = children(
        prod, component, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    )
    (rule,) = lifecycle.inputs["rules"]
    assert rule["filter"] == {"prefix": "postgres/"}
    # The retention plus a margin, for current objects and for what an overwrite left behind.
    assert rule["expiration"]["days"] == 14 + 7
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 14 + 7
    assert bucket.protect
    assert bucket.retain_on_delete


def test_task_role_reaches_only_the_backup_prefix_of_the_backup_bucket(prod):
    arn = bucket_of(prod, BACKUP_BUCKET_COMPONENT).outputs["arn"]
    statements = policy_statements(prod, "task-policy")
    on_backups = [
        s
        for s in statements
        if any(
            str(r).startswith(arn)
            for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
        )
    ]
    assert {s["Sid"] for s in on_backups} == {"PostgresBackupList", "PostgresBackupObjects"}
    listing = next(s for s in on_backups if s["Sid"] == "PostgresBackupList")
    assert listing["Action"] == ["s3:ListBucket"]
    assert listing["Resource"] == arn
    assert listing["Condition"] == {"StringLikeIfExists": {"s3:prefix": ["postgres", "postgres/*"]}}
    objects = next(s for s in on_backups if s["Sid"] == "PostgresBackupObjects")
    assert objects["Resource"] == f"{arn}/postgres/*"
    assert sorted(objects["Action"]) == ["s3:GetObject", "s3:PutObject"]
    actions = [a for s in statements for a in as_list(s["Action"])]
    assert "s3:ListBucket" in actions
    assert not any("Version" in action for action in actions)  # old versions stay out of reach
    on_backups_actions = [a for s in on_backups for a in as_list(s["Action"])]
    assert not any("Delete" in a for a in on_backups_actions)  # the lifecycle expires backups


def backup_bucket_policy(recording: StackRecording) -> dict[str, dict]:
    component = next(r for r in recording.resources if r.type == BACKUP_BUCKET_COMPONENT)
    (policy,) = children(recording, component, "aws:s3/bucketPolicy:BucketPolicy")
    return {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}


def role_names(arn_patterns: list[str]) -> list[str]:
    """``arn:aws:iam::<account>:role/<name>`` -> ``<name>``, for this account only."""
    assert all(p.startswith("arn:aws:iam::123456789012:role/") for p in arn_patterns)
    return [p.rpartition(":role/")[2] for p in arn_patterns]


def test_only_the_task_the_break_glass_and_the_drill_roles_may_read_the_backups(prod):
    task_role = prod.one("aws:iam/role:Role", name="tw-prod-task-role")
    deny = backup_bucket_policy(prod)["DenyObjectReadsToOthers"]
    assert {"s3:GetObject", "s3:GetObjectVersion"} <= set(deny["Action"])
    readers = role_names(deny["Condition"]["ArnNotLike"]["aws:PrincipalArn"])
    assert len(readers) == 3
    # Pulumi names the role from its logical name, a hyphen and a random suffix.
    assert fnmatch.fnmatchcase(f"{task_role.name}-1a2b3c4", readers[0])
    assert not fnmatch.fnmatchcase("tw-prod-execution-role-1a2b3c4", readers[0])
    assert readers[1] == "tw-prod-break-glass"  # breakGlassRoleName's default
    drill_role = prod.one("aws:iam/role:Role", name="tw-prod-restore-drill-role")
    assert fnmatch.fnmatchcase(f"{drill_role.name}-1a2b3c4", readers[2])


def test_the_task_role_may_not_delete_backups_or_change_their_lifecycle(prod):
    task_role = prod.one("aws:iam/role:Role", name="tw-prod-task-role")
    deny = backup_bucket_policy(prod)["DenyDestructionToTheWriter"]
    (writer,) = role_names(deny["Condition"]["ArnLike"]["aws:PrincipalArn"])
    assert fnmatch.fnmatchcase(f"{task_role.name}-1a2b3c4", writer)
    for action in ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"):
        assert action in deny["Action"], action


def test_the_break_glass_role_is_a_setting():
    recording = run_main(prod_config(breakGlassRoleName="ops-incident-reader"))
    deny = backup_bucket_policy(recording)["DenyObjectReadsToOthers"]
    readers = role_names(deny["Condition"]["ArnNotLike"]["aws:PrincipalArn"])
    assert readers[1] == "ops-incident-reader"


def test_failed_backups_are_counted_from_the_db_log(prod):
    metric_filter = prod.one("aws:cloudwatch/logMetricFilter:LogMetricFilter")
    assert metric_filter.inputs["logGroupName"] == prod.outputs["log_group_names"]["db"]
    assert metric_filter.inputs["pattern"] == '"postgres-backup: FAILED"'
    transformation = metric_filter.inputs["metricTransformation"]
    assert (transformation["namespace"], transformation["name"], transformation["value"]) == (
        "django-tw",
        "PostgresBackupFailures",
        "1",
    )
    assert prod.outputs["backup_failure_metric"] == "django-tw/PostgresBackupFailures"


def test_the_db_containers_own_metrics_are_on_and_their_alarms_read_them(prod):
    db = environment(containers(prod)["db"])
    namespace, server = db["DB_SIGNALS_NAMESPACE"], db["BACKUP_SERVER_NAME"]
    assert int(db["DB_SIZE_BUDGET_BYTES"]) > 0
    read = {
        a.inputs["metricName"]
        for a in prod.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if a.inputs["namespace"] == namespace and a.inputs["dimensions"] == {"Server": server}
    }
    assert read == {
        "ArchiveLagSeconds",
        "ArchiveFailures",
        "ConnectionsPercent",
        "DatabaseBudgetPercent",
        "OldestTransactionSeconds",
    }
    lag = next(
        a
        for a in prod.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if a.inputs["metricName"] == "ArchiveLagSeconds"
    )
    assert lag.inputs["threshold"] == 3 * int(db["ARCHIVE_TIMEOUT_SECONDS"])


def test_the_efs_database_exports_its_file_system_bucket_and_failure_metric(prod):
    assert set(prod.outputs) >= {
        "efs_file_system_id",
        "backup_vault_name",
        "backup_bucket_name",
        "backup_destination_url",
        "backup_failure_metric",
    }
    assert prod.outputs["backup_failure_metric"] == "django-tw/PostgresBackupFailures"
    assert "database_address" not in prod.outputs
