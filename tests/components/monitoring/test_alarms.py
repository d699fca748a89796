"""service_alarm_specs: what each alarm reads, when it fires, and how the dashboard shows it."""

import pytest

from components.monitoring.alarms import (
    BURST_CREDIT_FLOOR_BYTES,
    AlarmSpec,
    alarm_specs,
    arn_account,
    dashboard_body,
    dashboard_url,
    load_balancer_dimension,
    target_group_dimension,
)

LB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/4567"
TG_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/0123"


def specs(efs_bursting: bool = False) -> dict[str, AlarmSpec]:
    found = alarm_specs(
        load_balancer="app/web/4567",
        target_group="targetgroup/web/0123",
        cluster_name="tw-cluster",
        service_name="tw-service",
        file_system_id="fs-1",
        efs_bursting=efs_bursting,
        backup_failure_metric=("django-tw", "PostgresBackupFailures"),
    )
    return {spec.key: spec for spec in found}


def test_cloudwatch_dimensions_are_the_resource_part_of_the_arns():
    assert load_balancer_dimension(LB_ARN) == "app/web/4567"
    assert target_group_dimension(TG_ARN) == "targetgroup/web/0123"
    assert arn_account(LB_ARN) == "123456789012"
    with pytest.raises(ValueError, match="is not an ARN"):
        load_balancer_dimension("app/web/4567")


def test_every_alarm_the_service_needs_is_there_and_burst_credits_only_when_bursting():
    assert list(specs()) == [
        "alb-5xx",
        "target-5xx",
        "unhealthy-hosts",
        "response-time-p99",
        "service-cpu",
        "service-memory",
        "efs-io-limit",
        "efs-client-connections",
        "db-backup-failures",
    ]
    bursting = specs(efs_bursting=True)["efs-burst-credits"]
    assert bursting.comparison == "LessThanThreshold"
    assert bursting.threshold == BURST_CREDIT_FLOOR_BYTES == 100 * 2**20 * 1800


def test_alarms_read_the_right_metric_of_the_right_resource():
    by_key = specs()
    assert by_key["alb-5xx"].dimensions == {"LoadBalancer": "app/web/4567"}
    assert by_key["unhealthy-hosts"].dimensions == {
        "LoadBalancer": "app/web/4567",
        "TargetGroup": "targetgroup/web/0123",
    }
    assert by_key["service-cpu"].dimensions == {
        "ClusterName": "tw-cluster",
        "ServiceName": "tw-service",
    }
    assert by_key["efs-io-limit"].dimensions == {"FileSystemId": "fs-1"}
    backup = by_key["db-backup-failures"]
    assert (backup.namespace, backup.metric_name, backup.threshold) == (
        "django-tw",
        "PostgresBackupFailures",
        1,
    )
    assert by_key["response-time-p99"].extended_statistic == "p99"


def test_a_stop_then_start_deployment_gap_does_not_page():
    # A deployment of the stateful task has no target for a minute or two: the ALB's own 5xx
    # must be sustained for 15 minutes before the alarm fires.
    alb = specs()["alb-5xx"]
    assert alb.period_seconds * alb.evaluation_periods >= 900


def test_every_alarm_says_what_it_means_and_quiet_metrics_are_not_alarms():
    for spec in specs(efs_bursting=True).values():
        assert len(spec.description) > 60, spec.key
        assert spec.treat_missing_data == "notBreaching"


def test_the_alarm_arguments_page_and_clear_through_the_given_topic():
    args = specs()["service-memory"].metric_alarm_args("tw-alarms-service-memory", ["arn:topic"])
    assert args["name"] == "tw-alarms-service-memory"
    assert args["alarm_actions"] == args["ok_actions"] == ["arn:topic"]
    assert args["datapoints_to_alarm"] == args["evaluation_periods"] == 3
    assert args["statistic"] == "Average"
    assert args["extended_statistic"] is None


def test_a_spec_takes_either_a_statistic_or_a_percentile():
    with pytest.raises(ValueError, match="either statistic or extended_statistic"):
        AlarmSpec("x", "N", "M", {}, "GreaterThanThreshold", 1, "d", extended_statistic="p99")


def test_the_dashboard_graphs_every_alarms_metric_with_its_threshold():
    all_specs = list(specs().values())
    widgets = dashboard_body(all_specs, "ap-northeast-1")["widgets"]
    assert [w["properties"]["title"] for w in widgets] == [s.key for s in all_specs]
    cpu = widgets[4]["properties"]
    assert cpu["metrics"] == [
        [
            "AWS/ECS",
            "CPUUtilization",
            "ClusterName",
            "tw-cluster",
            "ServiceName",
            "tw-service",
            {"stat": "Average", "period": 300},
        ]
    ]
    assert cpu["annotations"]["horizontal"][0]["value"] == 85
    assert dashboard_url("ap-northeast-1", "tw-alarms").endswith(
        "?region=ap-northeast-1#dashboards/dashboard/tw-alarms"
    )
