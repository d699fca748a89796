"""CloudWatch alarm rules (this project's own).

- DJTW.ALARMS: a production stack pages someone. A stack is production when its load balancer
  has deletion protection on (the composition turns it on for production stacks only). Such a
  stack needs CloudWatch alarms that publish to an SNS topic of the stack and cover what a
  visitor notices first: the load balancer's (or its targets') 5xx, and the ECS service.
"""

from __future__ import annotations

from collections.abc import Sequence

from policy.aws_types import ECS_SERVICE, LOAD_BALANCERS, METRIC_ALARM, SNS_TOPIC
from policy.model import Enforcement, Resource, stack_rule
from policy.readers import as_list, of_type, refers_to

ALB_5XX_METRICS = {"HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"}


def _pages(alarm: Resource, topics: Sequence[Resource]) -> bool:
    actions = as_list(alarm.props.get("alarmActions"))
    return any(refers_to(action, topic) for action in actions for topic in topics)


def _covers_alb_5xx(alarm: Resource) -> bool:
    return (
        alarm.props.get("namespace") == "AWS/ApplicationELB"
        and alarm.props.get("metricName") in ALB_5XX_METRICS
    )


def _covers_the_service(alarm: Resource) -> bool:
    dimensions = alarm.props.get("dimensions") or {}
    return alarm.props.get("namespace") == "AWS/ECS" and "ServiceName" in dimensions


@stack_rule(
    "DJTW.ALARMS",
    "a production stack has alarms on ALB 5xx and the service that page through SNS",
    Enforcement.MANDATORY,
    reads=[*LOAD_BALANCERS, ECS_SERVICE, METRIC_ALARM, SNS_TOPIC],
)
def check_alarms(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    production = [
        lb
        for lb in of_type(resources, *LOAD_BALANCERS)
        if lb.props.get("enableDeletionProtection") is True
    ]
    if not production or not of_type(resources, ECS_SERVICE):
        return []
    topics = of_type(resources, SNS_TOPIC)
    paging = [a for a in of_type(resources, METRIC_ALARM) if _pages(a, topics)]
    findings: list[tuple[Resource | None, str]] = []
    if not any(_covers_alb_5xx(a) for a in paging):
        findings.append(
            (production[0], "no alarm on the load balancer's 5xx publishes to an SNS topic")
        )
    if not any(_covers_the_service(a) for a in paging):
        findings.append((None, "no alarm on the ECS service publishes to an SNS topic"))
    return findings
