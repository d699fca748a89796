"""A passing and a failing stack for each CloudWatch rule (rule id -> (passing, failing))."""

from __future__ import annotations

from policy.aws_types import LOAD_BALANCERS, METRIC_ALARM, SNS_TOPIC
from policy.model import Resource

from ..builders import res, service

TOPIC_ARN = "arn:aws:sns:ap-northeast-1:123456789012:tw-alarms-topic"
TOPIC = res(SNS_TOPIC, "tw-alarms-topic", arn=TOPIC_ARN)
PRODUCTION_ALB = res(LOAD_BALANCERS[0], "alb", enableDeletionProtection=True)
TEST_ALB = res(LOAD_BALANCERS[0], "alb", enableDeletionProtection=False)


def alarm(name: str, namespace: str, metric: str, dimensions: dict, actions=(TOPIC_ARN,)):
    return res(
        METRIC_ALARM,
        name,
        name=name,
        namespace=namespace,
        metricName=metric,
        dimensions=dimensions,
        alarmActions=list(actions),
    )


ALB_5XX = alarm("alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": "a"})
SERVICE_CPU = alarm("cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": "c", "ServiceName": "s"})

FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "DJTW.ALARMS": (
        [PRODUCTION_ALB, service(), TOPIC, ALB_5XX, SERVICE_CPU],
        [PRODUCTION_ALB, service(), TOPIC, SERVICE_CPU],
    ),
}
