"""CloudWatch alarms and dashboards, EventBridge rules, SNS topics and KMS keys: what alerts."""

from tools.offline._answers._common import Account, ResourceAnswer, named_arn, physical_name


def _key(account: Account, name: str, inputs: dict, short: str) -> dict:
    key_id = f"{short[:8]}-{short[8:12]}-{short[12:16]}-8000-{short[:12]}"  # a UUID's shape
    arn = f"arn:aws:kms:{account.region}:{account.account_id}:key/{key_id}"
    return {"id": key_id, "keyId": key_id, "arn": arn}


def _topic(account: Account, name: str, inputs: dict, short: str) -> dict:
    topic_name = physical_name(name, inputs, short)
    arn = f"arn:aws:sns:{account.region}:{account.account_id}:{topic_name}"
    return {"id": arn, "arn": arn, "name": topic_name}


def _dashboard(account: Account, name: str, inputs: dict, short: str) -> dict:
    dashboard = physical_name(name, inputs, short, "dashboardName")
    arn = f"arn:aws:cloudwatch::{account.account_id}:dashboard/{dashboard}"
    return {"id": dashboard, "dashboardArn": arn}


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:cloudwatch/metricAlarm:MetricAlarm": named_arn("cloudwatch", "alarm:"),
    "aws:cloudwatch/eventRule:EventRule": named_arn("events", "rule/"),
    "aws:cloudwatch/dashboard:Dashboard": _dashboard,
    "aws:sns/topic:Topic": _topic,
    "aws:kms/key:Key": _key,
}
