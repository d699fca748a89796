"""RestoreDrill on its own, under mocks: a rule that starts one Fargate task of the db image in
private subnets, roles scoped to that, and the two alarms to the given topic."""

from __future__ import annotations

import json

import pytest

from components.postgres.backup_bucket import backup_statements
from components.postgres.restore_drill import (
    RestoreDrill,
    RestoreDrillArgs,
    drill_role_name_pattern,
)
from tests.stack_runs import run_component

ARGS = {
    "cluster_arn": "arn:aws:ecs:eu-west-1:123456789012:cluster/tw-prod-cluster",
    "subnet_ids": ["subnet-a", "subnet-b"],
    "security_group_ids": ["sg-task"],
    "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/db@sha256:abc",
    "image_repository_arns": ["arn:aws:ecr:eu-west-1:123456789012:repository/db"],
    "region": "eu-west-1",
    "destination_url": "s3://backups/postgres",
    "backup_statements": backup_statements("arn:aws:s3:::backups", "postgres"),
    "alarm_topic_arn": "arn:aws:sns:eu-west-1:123456789012:alarms",
    "metrics_namespace": "tw-prod/restore-drill",
}


@pytest.fixture(scope="module")
def recording():
    return run_component(lambda: RestoreDrill("tw-prod-drill", RestoreDrillArgs(**ARGS)))


def test_a_daily_rule_starts_one_private_fargate_task_in_the_cluster(recording):
    rule = recording.one("aws:cloudwatch/eventRule:EventRule")
    assert rule.inputs["scheduleExpression"] == "cron(30 3 * * ? *)"
    target = recording.one("aws:cloudwatch/eventTarget:EventTarget")
    assert target.inputs["arn"] == ARGS["cluster_arn"]
    ecs = target.inputs["ecsTarget"]
    assert ecs["launchType"] == "FARGATE"
    assert ecs["taskCount"] == 1
    assert ecs["networkConfiguration"] == {
        "subnets": ["subnet-a", "subnet-b"],
        "securityGroups": ["sg-task"],
        "assignPublicIp": False,
    }


def test_the_task_runs_the_drill_with_scratch_space_and_its_own_log_group(recording):
    task = recording.one("aws:ecs/taskDefinition:TaskDefinition")
    assert task.inputs["ephemeralStorage"] == {"sizeInGib": 21}
    [container] = json.loads(task.inputs["containerDefinitions"])
    assert container["command"] == ["postgres-restore-drill"]
    assert container["image"] == ARGS["image"]
    group = recording.one("aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["name"] == "/ecs/tw-prod-drill/restore-drill"
    assert container["logConfiguration"]["options"]["awslogs-group"] == group.inputs["name"]


def test_the_drill_role_reads_the_archive_and_writes_nothing(recording):
    role = recording.one("aws:iam/role:Role", "tw-prod-drill-role")
    assert drill_role_name_pattern("tw-prod-drill") == "tw-prod-drill-role-*"
    policy = recording.one("aws:iam/rolePolicy:RolePolicy", "tw-prod-drill-policy")
    actions = {a for s in json.loads(policy.inputs["policy"])["Statement"] for a in s["Action"]}
    assert actions == {"s3:ListBucket", "s3:GetObject"}
    assert role.parent == recording.one("django-tw:postgres:RestoreDrill").urn


def test_both_alarms_notify_the_topic(recording):
    alarms = recording.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert sorted(alarm.inputs["name"] for alarm in alarms) == [
        "tw-prod-drill-db-restore-drill-failed",
        "tw-prod-drill-db-restore-drill-not-run",
    ]
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == [ARGS["alarm_topic_arn"]]
        assert alarm.inputs["namespace"] == "tw-prod/restore-drill"


@pytest.mark.parametrize(
    ("change", "message"),
    [({"schedule": "daily"}, "EventBridge expression"), ({"ephemeral_storage_gib": 10}, "21 to")],
)
def test_bad_args_say_what_to_change(change, message):
    with pytest.raises(ValueError, match=message):
        RestoreDrillArgs(**{**ARGS, **change})
