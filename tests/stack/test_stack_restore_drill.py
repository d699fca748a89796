"""The restore drill in the stack: with ``database: efs`` a daily EventBridge rule runs the db
image's drill as a Fargate task of its own in the service's cluster and private subnets, its
role may read the archive (the backup bucket names it), and its alarms go to the stack's topic;
with ``database: rds`` RDS restores its own backups and no drill is declared."""

from __future__ import annotations

import json

from tests.stack.test_stack_network import subnets
from tests.stack_runs import SERVICE, bucket_of, containers, prod_config, run_main
from tools.offline import StackRecording

DRILL = "django-tw:postgres:RestoreDrill"
RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
BACKUP_BUCKET_COMPONENT = "django-tw:postgres:PostgresBackupBucket"


def drill_children(recording: StackRecording, type_: str) -> list:
    [drill] = recording.of_type(DRILL)
    return [r for r in recording.children_of(drill) if r.type == type_]


def test_prod_runs_the_drill_daily_in_the_private_subnets_of_the_service_cluster(prod):
    [rule] = drill_children(prod, RULE)
    assert rule.inputs["scheduleExpression"] == "cron(30 3 * * ? *)"
    [target] = drill_children(prod, TARGET)
    service = prod.one(SERVICE).inputs
    assert target.inputs["arn"] == service["cluster"]
    network = target.inputs["ecsTarget"]["networkConfiguration"]
    assert network["assignPublicIp"] is False
    assert sorted(network["subnets"]) == sorted(service["networkConfiguration"]["subnets"])
    assert network["securityGroups"] == service["networkConfiguration"]["securityGroups"][:1]
    assert sorted(network["subnets"]) == sorted(s.outputs["id"] for s in subnets(prod, "private"))


def test_the_drill_runs_the_db_image_the_service_runs(prod):
    [definition] = drill_children(prod, TASK_DEFINITION)
    [container] = json.loads(definition.inputs["containerDefinitions"])
    assert container["image"] == containers(prod)["db"]["image"]
    assert container["command"] == ["postgres-restore-drill"]
    assert definition.inputs["runtimePlatform"]["cpuArchitecture"] == "ARM64"


def test_the_backup_bucket_lets_the_drill_role_read_the_archive(prod):
    bucket = bucket_of(prod, BACKUP_BUCKET_COMPONENT)
    policy = next(
        p
        for p in prod.of_type("aws:s3/bucketPolicy:BucketPolicy")
        if p.inputs["bucket"] == bucket.outputs["id"]
    )
    deny = next(
        s
        for s in json.loads(policy.inputs["policy"])["Statement"]
        if s["Sid"] == "DenyObjectReadsToOthers"
    )
    readers = deny["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    assert "arn:aws:iam::123456789012:role/tw-prod-restore-drill-role-*" in readers


def test_the_drill_alarms_notify_the_stack_topic(prod):
    alarms = drill_children(prod, ALARM)
    assert sorted(a.inputs["name"] for a in alarms) == [
        "tw-prod-restore-drill-db-restore-drill-failed",
        "tw-prod-restore-drill-db-restore-drill-not-run",
    ]
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == [prod.outputs["alarm_topic_arn"]]


def test_the_schedule_follows_the_setting():
    recording = run_main(prod_config(restoreDrillSchedule="rate(12 hours)"))
    [rule] = drill_children(recording, RULE)
    assert rule.inputs["scheduleExpression"] == "rate(12 hours)"


def test_with_rds_no_drill_is_declared(scale):
    assert scale.of_type(DRILL) == []
