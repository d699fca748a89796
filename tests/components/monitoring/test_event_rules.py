"""alarm_topic_specs: the events that page as they happen, and who may publish to the topic."""

from components.monitoring.event_rules import (
    DEPLOYMENT_STOP_REASON_PREFIX,
    event_specs,
    topic_key_policy_statements,
    topic_policy_statements,
)


def test_a_task_stopped_by_a_deployment_does_not_page_any_other_stop_does():
    stopped, backup = event_specs("arn:cluster", "tw-vault")
    detail = stopped.pattern["detail"]
    assert stopped.pattern["detail-type"] == ["ECS Task State Change"]
    assert detail["clusterArn"] == ["arn:cluster"]
    assert detail["lastStatus"] == ["STOPPED"]
    assert detail["stoppedReason"] == [{"anything-but": {"prefix": DEPLOYMENT_STOP_REASON_PREFIX}}]
    assert backup.pattern["source"] == ["aws.backup"]
    assert backup.pattern["detail"]["backupVaultName"] == ["tw-vault"]
    assert "FAILED" in backup.pattern["detail"]["state"]


def test_only_this_accounts_alarms_and_these_rules_may_publish():
    alarms, rules = topic_policy_statements(
        "arn:topic", "123456789012", ["arn:alarm:tw-*"], ["arn:rule/a"]
    )
    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert alarms["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    assert alarms["Condition"]["ArnLike"] == {"aws:SourceArn": ["arn:alarm:tw-*"]}
    assert rules["Principal"] == {"Service": "events.amazonaws.com"}
    assert rules["Condition"] == {"ArnEquals": {"aws:SourceArn": ["arn:rule/a"]}}
    assert alarms["Action"] == rules["Action"] == "sns:Publish"


def test_the_topic_key_lets_both_publishers_encrypt_and_eventbridge_without_conditions():
    admin, cloudwatch, events = topic_key_policy_statements("123456789012")
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert events["Principal"] == {"Service": "events.amazonaws.com"}
    for statement in (cloudwatch, events):
        assert statement["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert "Condition" not in events  # EventBridge's KMS requests carry no source keys
    assert admin["Action"] == "kms:*"


def test_the_rds_instance_pages_on_failover_failure_and_low_storage_only_when_there_is_one():
    without_rds = [event.key for event in event_specs("arn:cluster", "tw-vault")]
    assert without_rds == ["task-stopped", "aws-backup-failed"]
    managed = {event.key: event for event in event_specs("arn:cluster", None, "tw-rds")}
    assert list(managed) == ["task-stopped", "db-instance-events"]
    pattern = managed["db-instance-events"].pattern
    assert pattern["source"] == ["aws.rds"]
    assert pattern["detail-type"] == ["RDS DB Instance Event"]
    assert pattern["detail"]["SourceIdentifier"] == ["tw-rds"]
    assert sorted(pattern["detail"]["EventCategories"]) == ["failover", "failure", "low storage"]
