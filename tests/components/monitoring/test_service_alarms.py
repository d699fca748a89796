"""ServiceAlarms on its own: an encrypted topic, the alarms and rules that publish to it."""

import json

import pytest

from components.monitoring.db_signal_alarms import DbSignals
from components.monitoring.rds_alarms import DbInstance
from components.monitoring.service_alarms import ServiceAlarms, ServiceAlarmsArgs
from tests.stack_runs import run_component

ACCOUNT = "123456789012"
CLUSTER_ARN = f"arn:aws:ecs:ap-northeast-1:{ACCOUNT}:cluster/tw-cluster"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
RULE = "aws:cloudwatch/eventRule:EventRule"


def args(**overrides) -> ServiceAlarmsArgs:
    values = {
        "region": "ap-northeast-1",
        "load_balancer_arn": f"arn:aws:elasticloadbalancing:ap-northeast-1:{ACCOUNT}:"
        "loadbalancer/app/web/4567",
        "target_group_arn": f"arn:aws:elasticloadbalancing:ap-northeast-1:{ACCOUNT}:"
        "targetgroup/web/0123",
        "cluster_arn": CLUSTER_ARN,
        "cluster_name": "tw-cluster",
        "service_name": "tw-service",
        "file_system_id": "fs-1",
        "backup_vault_name": "tw-vault",
        "backup_failure_metric": ("django-tw", "PostgresBackupFailures"),
        **overrides,
    }
    return ServiceAlarmsArgs(**values)


def build(**overrides):
    return run_component(lambda: ServiceAlarms("tw-alarms", args(**overrides)))


@pytest.fixture(scope="module")
def recording():
    return build(alarm_email="ops@example.org")


def test_the_topic_is_encrypted_with_its_own_rotating_key(recording):
    key = recording.one("aws:kms/key:Key")
    topic = recording.one("aws:sns/topic:Topic")
    assert topic.inputs["kmsMasterKeyId"] == key.outputs["arn"]
    assert key.inputs["enableKeyRotation"] is True
    principals = [s["Principal"] for s in json.loads(key.inputs["policy"])["Statement"]]
    assert {"Service": "cloudwatch.amazonaws.com"} in principals
    assert {"Service": "events.amazonaws.com"} in principals
    assert {"AWS": f"arn:aws:iam::{ACCOUNT}:root"} in principals


def test_every_alarm_pages_the_topic_under_a_name_derived_from_the_component(recording):
    topic_arn = recording.one("aws:sns/topic:Topic").outputs["arn"]
    alarms = recording.of_type(ALARM)
    assert len(alarms) == 9
    for alarm in alarms:
        assert alarm.inputs["name"] == alarm.name
        assert alarm.name.startswith("tw-alarms-")
        assert alarm.inputs["alarmActions"] == [topic_arn]
        assert alarm.inputs["alarmDescription"]


def test_events_go_to_the_topic_and_only_its_own_alarms_and_rules_may_publish(recording):
    topic_arn = recording.one("aws:sns/topic:Topic").outputs["arn"]
    rules = recording.of_type(RULE)
    assert sorted(r.inputs["name"] for r in rules) == [
        "tw-alarms-aws-backup-failed",
        "tw-alarms-task-stopped",
    ]
    stopped = next(r for r in rules if r.name.endswith("task-stopped"))
    assert json.loads(stopped.inputs["eventPattern"])["detail"]["clusterArn"] == [CLUSTER_ARN]
    targets = recording.of_type("aws:cloudwatch/eventTarget:EventTarget")
    assert {t.inputs["arn"] for t in targets} == {topic_arn}
    policy = json.loads(recording.one("aws:sns/topicPolicy:TopicPolicy").inputs["policy"])
    alarms, events = policy["Statement"]
    assert alarms["Condition"]["ArnLike"]["aws:SourceArn"] == [
        f"arn:aws:cloudwatch:ap-northeast-1:{ACCOUNT}:alarm:tw-alarms-*"
    ]
    assert sorted(events["Condition"]["ArnEquals"]["aws:SourceArn"]) == sorted(
        r.outputs["arn"] for r in rules
    )


def test_the_email_subscription_exists_only_when_an_address_is_given(recording):
    subscription = recording.one("aws:sns/topicSubscription:TopicSubscription")
    assert (subscription.inputs["protocol"], subscription.inputs["endpoint"]) == (
        "email",
        "ops@example.org",
    )
    assert build().of_type("aws:sns/topicSubscription:TopicSubscription") == []


def test_a_bursting_file_system_also_alarms_on_its_credits():
    names = {a.name for a in build(efs_bursting=True).of_type(ALARM)}
    assert "tw-alarms-efs-burst-credits" in names


def test_an_rds_instance_replaces_the_file_system_and_backup_alarms_with_its_own():
    managed = build(
        file_system_id=None,
        backup_vault_name=None,
        backup_failure_metric=None,
        db_instance=DbInstance("tw-rds", "db.t4g.small", 20),
    )
    names = sorted(a.name.removeprefix("tw-alarms-") for a in managed.of_type(ALARM))
    assert names == [
        "alb-5xx",
        "db-connections",
        "db-cpu",
        "db-free-storage",
        "db-transaction-ids",
        "response-time-p99",
        "service-cpu",
        "service-memory",
        "target-5xx",
        "unhealthy-hosts",
    ]
    rules = {r.inputs["name"]: r for r in managed.of_type(RULE)}
    assert sorted(rules) == ["tw-alarms-db-instance-events", "tw-alarms-task-stopped"]
    policy = json.loads(managed.one("aws:sns/topicPolicy:TopicPolicy").inputs["policy"])
    assert sorted(policy["Statement"][1]["Condition"]["ArnEquals"]["aws:SourceArn"]) == sorted(
        r.outputs["arn"] for r in rules.values()
    )
    body = json.loads(managed.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    titles = [w["properties"]["title"] for w in body["widgets"]]
    assert titles[-4:] == ["db-free-storage", "db-cpu", "db-connections", "db-transaction-ids"]


def test_the_db_containers_own_signals_page_the_topic_when_given():
    watched = build(db_signals=DbSignals("django-tw/database", "postgres", 60))
    alarms = {a.name.removeprefix("tw-alarms-"): a for a in watched.of_type(ALARM)}
    signal_keys = [
        "db-archive-lag",
        "db-archive-failures",
        "db-connections-percent",
        "db-size-budget",
        "db-oldest-transaction",
    ]
    assert set(signal_keys) <= set(alarms)
    topic = watched.one("aws:sns/topic:Topic").outputs["arn"]
    for key in signal_keys:
        assert alarms[key].inputs["namespace"] == "django-tw/database"
        assert alarms[key].inputs["dimensions"] == {"Server": "postgres"}
        assert alarms[key].inputs["alarmActions"] == [topic]
    assert not set(signal_keys) & {
        a.name.removeprefix("tw-alarms-") for a in build().of_type(ALARM)
    }


def test_the_dashboard_graphs_each_alarm_and_its_url_is_known(recording):
    dashboard = recording.one("aws:cloudwatch/dashboard:Dashboard")
    body = json.loads(dashboard.inputs["dashboardBody"])
    assert len(body["widgets"]) == len(recording.of_type(ALARM))
    assert dashboard.inputs["dashboardName"] == "tw-alarms"


def test_everything_is_a_child_of_the_component(recording):
    component = recording.one("django-tw:monitoring:ServiceAlarms")
    children = [r for r in recording.resources if r.custom]
    assert children
    assert all(r.parent == component.urn for r in children)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"alarm_email": "not-an-address"}, "alarm_email 'not-an-address'"),
        ({"backup_failure_metric": ("django-tw", "")}, "give \\(namespace, metric name\\)"),
    ],
)
def test_bad_args_say_what_to_change(overrides, message):
    with pytest.raises(ValueError, match=message):
        args(**overrides)
