"""What ServiceAlarms watches, as data: each alarm's metric, threshold and meaning, and the
dashboard of them (the event rules and the topic's policies are in ``alarm_topic_specs``).

Pure functions of names and dimension values; ``service_alarms.py`` declares resources from
their results. Every alarm's ``key`` is also its name's suffix (``<prefix>-<key>``) and the
heading of its section in docs/operations.md.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

ALB = "AWS/ApplicationELB"
ECS = "AWS/ECS"
EFS = "AWS/EFS"
# Half an hour of bursting at 100 MiB/s, the rate a small bursting file system bursts to
# (https://docs.aws.amazon.com/efs/latest/ug/performance.html#bursting): below it, the file
# system is about to fall back to its baseline, a few KiB/s per GiB stored.
BURST_CREDIT_FLOOR_BYTES = 100 * 2**20 * 1800


@dataclass(frozen=True)
class AlarmSpec:
    """One CloudWatch metric alarm: what it reads, when it fires, what it means."""

    key: str
    """Suffix of the alarm's name, ``<prefix>-<key>``; also its section in operations.md."""
    namespace: str
    metric_name: str
    dimensions: Mapping[str, pulumi.Input[str]]
    comparison: str
    threshold: float
    description: str
    """What fired and what to do first; CloudWatch shows it in the notification."""
    statistic: str | None = "Sum"
    extended_statistic: str | None = None
    """A percentile (``p99``) instead of ``statistic``."""
    period_seconds: int = 300
    evaluation_periods: int = 1
    datapoints_to_alarm: int | None = None
    """Of the evaluation periods, how many must breach (default: all of them)."""
    treat_missing_data: str = "notBreaching"
    """No data (no traffic, no failures) is not a problem for any alarm here."""

    def __post_init__(self) -> None:
        if (self.statistic is None) == (self.extended_statistic is None):
            raise ValueError(f"alarm {self.key}: give either statistic or extended_statistic")

    def metric_alarm_args(self, alarm_name: str, actions: Sequence[pulumi.Input[str]]) -> dict:
        """The keyword arguments of ``aws.cloudwatch.MetricAlarm`` for this alarm."""
        return {
            "name": alarm_name,
            "alarm_description": self.description,
            "namespace": self.namespace,
            "metric_name": self.metric_name,
            "dimensions": dict(self.dimensions),
            "statistic": self.statistic,
            "extended_statistic": self.extended_statistic,
            "comparison_operator": self.comparison,
            "threshold": self.threshold,
            "period": self.period_seconds,
            "evaluation_periods": self.evaluation_periods,
            "datapoints_to_alarm": self.datapoints_to_alarm or self.evaluation_periods,
            "treat_missing_data": self.treat_missing_data,
            "alarm_actions": list(actions),
            "ok_actions": list(actions),
        }


def arn_resource(arn: str) -> str:
    """The part of an ARN after the service's account field: ``loadbalancer/app/x/1``."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        raise ValueError(f"{arn!r} is not an ARN")
    return parts[5]


def arn_account(arn: str) -> str:
    """The account an ARN belongs to."""
    arn_resource(arn)
    return arn.split(":")[4]


def load_balancer_dimension(arn: str) -> str:
    """CloudWatch's ``LoadBalancer`` dimension of an ALB ARN: ``app/<name>/<id>``."""
    return arn_resource(arn).removeprefix("loadbalancer/")


def target_group_dimension(arn: str) -> str:
    """CloudWatch's ``TargetGroup`` dimension of a target group ARN: ``targetgroup/<n>/<id>``."""
    return arn_resource(arn)


def target_5xx(load_balancer: pulumi.Input[str], target_group: pulumi.Input[str]) -> AlarmSpec:
    """The application answered 5xx: a bad release or a broken dependency (the database)."""
    return AlarmSpec(
        key="target-5xx",
        namespace=ALB,
        metric_name="HTTPCode_Target_5XX_Count",
        dimensions={"LoadBalancer": load_balancer, "TargetGroup": target_group},
        comparison="GreaterThanOrEqualToThreshold",
        threshold=10,
        period_seconds=60,
        evaluation_periods=3,
        description=(
            "The site (nginx or Django) answered 10 or more 5xx a minute for 3 minutes. "
            "Read the web container's log group; during a deployment ECS rolls it back."
        ),
    )


def alarm_specs(
    *,
    load_balancer: pulumi.Input[str],
    target_group: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    service_name: pulumi.Input[str],
    file_system_id: pulumi.Input[str] | None,
    efs_bursting: bool,
    backup_failure_metric: tuple[str, str] | None,
) -> list[AlarmSpec]:
    """Every metric alarm of one service, in the order operations.md documents them. Without a
    file system (a managed database) no EFS alarm; without a backup metric no backup alarm."""
    balancer = {"LoadBalancer": load_balancer}
    targets = {"LoadBalancer": load_balancer, "TargetGroup": target_group}
    service = {"ClusterName": cluster_name, "ServiceName": service_name}
    # without a file system no EFS alarm is kept (below), so its dimensions stay empty
    file_system: dict[str, pulumi.Input[str]] = (
        {"FileSystemId": file_system_id} if file_system_id is not None else {}
    )
    namespace, metric_name = backup_failure_metric or ("", "")
    specs = [
        AlarmSpec(
            key="alb-5xx",
            namespace=ALB,
            metric_name="HTTPCode_ELB_5XX_Count",
            dimensions=balancer,
            comparison="GreaterThanOrEqualToThreshold",
            threshold=10,
            evaluation_periods=3,
            description=(
                "The load balancer answered 10 or more 5xx (502/503/504: no healthy task, "
                "or the task timed out) in each of 3 five-minute periods. A deployment's "
                "stop-then-start gap is shorter. Check the service's events and target health."
            ),
        ),
        target_5xx(load_balancer, target_group),
        AlarmSpec(
            key="unhealthy-hosts",
            namespace=ALB,
            metric_name="UnHealthyHostCount",
            dimensions=targets,
            comparison="GreaterThanOrEqualToThreshold",
            threshold=1,
            statistic="Maximum",
            period_seconds=60,
            evaluation_periods=5,
            description=(
                "A registered task failed /healthz for 5 minutes: the database does not "
                "answer, or the task is stuck. Check target health and the db container's log."
            ),
        ),
        AlarmSpec(
            key="response-time-p99",
            namespace=ALB,
            metric_name="TargetResponseTime",
            dimensions=targets,
            comparison="GreaterThanThreshold",
            threshold=2.0,
            statistic=None,
            extended_statistic="p99",
            evaluation_periods=3,
            description=(
                "The slowest 1% of requests took over 2 s for 15 minutes. Check the service's "
                "CPU and memory and the file system's I/O before anything else."
            ),
        ),
        AlarmSpec(
            key="service-cpu",
            namespace=ECS,
            metric_name="CPUUtilization",
            dimensions=service,
            comparison="GreaterThanOrEqualToThreshold",
            threshold=85,
            statistic="Average",
            evaluation_periods=3,
            description=(
                "The task used 85% or more of its CPU for 15 minutes. Raise taskCpu (and "
                "taskMemory to a valid pair) or find the busy container with ECS Exec."
            ),
        ),
        AlarmSpec(
            key="service-memory",
            namespace=ECS,
            metric_name="MemoryUtilization",
            dimensions=service,
            comparison="GreaterThanOrEqualToThreshold",
            threshold=85,
            statistic="Average",
            evaluation_periods=3,
            description=(
                "The task used 85% or more of its memory for 15 minutes; at 100% a container "
                "is killed. Raise taskMemory or lower webConcurrency."
            ),
        ),
        AlarmSpec(
            key="efs-io-limit",
            namespace=EFS,
            metric_name="PercentIOLimit",
            dimensions=file_system,
            comparison="GreaterThanOrEqualToThreshold",
            threshold=95,
            statistic="Maximum",
            evaluation_periods=3,
            description=(
                "The database's file system ran at 95% or more of its I/O limit for 15 "
                "minutes: queries wait on storage. Find the heavy queries or move the data."
            ),
        ),
    ]
    if efs_bursting:
        specs.append(
            AlarmSpec(
                key="efs-burst-credits",
                namespace=EFS,
                metric_name="BurstCreditBalance",
                dimensions=file_system,
                comparison="LessThanThreshold",
                threshold=BURST_CREDIT_FLOOR_BYTES,
                statistic="Minimum",
                description=(
                    "The database's file system has under half an hour of burst credits "
                    "left; then it runs at its baseline. Switch efsThroughputMode to elastic."
                ),
            )
        )
    specs += [
        AlarmSpec(
            key="efs-client-connections",
            namespace=EFS,
            metric_name="ClientConnections",
            dimensions=file_system,
            comparison="GreaterThanThreshold",
            threshold=1,
            statistic="Maximum",
            period_seconds=60,
            evaluation_periods=5,
            description=(
                "More than one client mounted the database's file system for 5 minutes: two "
                "tasks, or someone else. Only one Postgres may use the data directory."
            ),
        ),
        AlarmSpec(
            key="db-backup-failures",
            namespace=namespace,
            metric_name=metric_name,
            dimensions={},
            comparison="GreaterThanOrEqualToThreshold",
            threshold=1,
            description=(
                "postgres-backup printed FAILED: a WAL segment or a base backup did not reach "
                "the backup bucket. Read the db container's log; Postgres retries archiving."
            ),
        ),
    ]
    return [
        spec
        for spec in specs
        if (file_system_id is not None or spec.namespace != EFS)
        and (backup_failure_metric is not None or spec.key != "db-backup-failures")
    ]


def dashboard_body(specs: Sequence[AlarmSpec], region: str) -> dict[str, Any]:
    """One graph per alarm's metric, two to a row, each with its threshold drawn in."""
    widgets = []
    for index, spec in enumerate(specs):
        metric: list[pulumi.Input[str]] = [spec.namespace, spec.metric_name]
        for name, value in spec.dimensions.items():
            metric += [name, value]
        stat = spec.extended_statistic or spec.statistic
        widgets.append(
            {
                "type": "metric",
                "x": 12 * (index % 2),
                "y": 6 * (index // 2),
                "width": 12,
                "height": 6,
                "properties": {
                    "title": spec.key,
                    "region": region,
                    "metrics": [[*metric, {"stat": stat, "period": spec.period_seconds}]],
                    "annotations": {"horizontal": [{"label": "alarm", "value": spec.threshold}]},
                },
            }
        )
    return {"widgets": widgets}


def dashboard_url(region: str, dashboard_name: str) -> str:
    """The dashboard's page in the CloudWatch console."""
    return (
        f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
        f"#dashboards/dashboard/{dashboard_name}"
    )


def dashboard_json(specs: Sequence[AlarmSpec], region: str) -> pulumi.Output[str]:
    """The dashboard body as CloudWatch takes it; dimension values may be Outputs."""
    return pulumi.Output.json_dumps(dashboard_body(specs, region))
