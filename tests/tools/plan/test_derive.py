"""What the plan counts comes from the recorded resources, not from a hand-kept list."""

from __future__ import annotations

import pytest

from tools.offline import RecordedResource
from tools.plan.derive import rule_resources, runs_per_day, spot_tasks, stack_shape
from tools.plan.shape import FargateService, InterfaceEndpoint

from .recorded import small_stack


def shape_of(recorded):
    return stack_shape(rule_resources(recorded), "ap-northeast-1")


def test_rule_resources_leave_components_out_but_keep_awsx_remote_components():
    types = {r.type for r in rule_resources(small_stack())}
    assert "django-tw:network:PrivateNetwork" not in types
    assert "awsx:ecr:Image" in types


def test_rule_resources_carry_inputs_and_the_ids_aws_assigns():
    [service] = [r for r in rule_resources(small_stack()) if r.type == "aws:ecs/service:Service"]
    assert service.props["desiredCount"] == 1
    assert service.props["id"] == "app-service-id"


def test_endpoint_shape_counts_endpoint_azs():
    shape = shape_of(small_stack(endpoint_azs=1))
    assert shape.interface_endpoints == tuple(
        InterfaceEndpoint(s, 1) for s in ("ecr.api", "ecr.dkr", "logs", "secretsmanager")
    )
    assert shape.gateway_endpoints == ("s3",)
    assert (shape.nat_gateways, shape.elastic_ips) == (0, 0)


def test_nat_shape_counts_gateways_and_their_addresses():
    shape = shape_of(small_stack(egress="nat"))
    assert shape.interface_endpoints == ()
    assert (shape.nat_gateways, shape.elastic_ips) == (1, 1)


def test_task_size_and_architecture_come_from_the_task_definition():
    shape = shape_of(small_stack())
    assert shape.fargate_services == (FargateService("app-service", 1, 0.5, 1.0, "ARM64"),)


MIXED = [
    {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
    {"capacityProvider": "FARGATE_SPOT", "weight": 1},
]


def test_spot_tasks_are_the_spot_share_of_the_tasks_beyond_the_base():
    assert spot_tasks(1, MIXED) == 0  # the base task is on-demand
    assert spot_tasks(2, MIXED) == 0.5  # one task beyond it, evenly weighted: half expected
    assert spot_tasks(6, MIXED) == 2.5
    assert spot_tasks(4, []) == 0  # the FARGATE launch type: all on-demand
    all_spot = [{"capacityProvider": "FARGATE_SPOT", "base": 2, "weight": 1}]
    assert spot_tasks(3, all_spot) == 3


def test_counts_of_priced_things():
    shape = shape_of(small_stack())
    assert shape.load_balancer_azs == (2,)
    assert shape.secrets == 2
    assert shape.log_groups == 1
    assert shape.hosted_zones == 1, "two records in one zone are one zone"
    assert shape.efs_file_systems == 0


def test_elastic_file_systems_and_backup_buckets_are_counted_by_what_they_are():
    from tools.offline import RecordedResource

    def resource(type_: str, urn_type: str, name: str, **inputs) -> RecordedResource:
        urn = f"urn:pulumi:prod::django-tw::{urn_type}::{name}"
        return RecordedResource(type_, name, inputs, {"id": name}, None, urn)

    efs, bucket = "aws:efs/fileSystem:FileSystem", "aws:s3/bucket:Bucket"
    recorded = [
        *small_stack(),
        resource(efs, efs, "data", throughputMode="elastic"),
        resource(efs, efs, "old", throughputMode="bursting"),
        resource(
            bucket,
            f"django-tw:postgres:PostgresBackupBucket${bucket}",
            "db-backups-bucket",
        ),
        resource(bucket, f"django-tw:storage:MediaBucket${bucket}", "media-bucket"),
    ]
    shape = shape_of(recorded)
    assert (shape.efs_file_systems, shape.efs_elastic_file_systems) == (2, 1)
    assert shape.backup_buckets == 1


def test_flow_logs_access_log_buckets_and_keys_are_counted_by_what_they_are():
    from tools.offline import RecordedResource

    def resource(type_: str, urn_type: str, name: str, **inputs) -> RecordedResource:
        urn = f"urn:pulumi:prod::django-tw::{urn_type}::{name}"
        return RecordedResource(type_, name, inputs, {"id": name}, None, urn)

    flow, bucket, key = "aws:ec2/flowLog:FlowLog", "aws:s3/bucket:Bucket", "aws:kms/key:Key"
    recorded = [
        *small_stack(),
        resource(flow, flow, "to-logs", logDestinationType="cloud-watch-logs"),
        resource(flow, flow, "to-s3", logDestinationType="s3"),
        resource(
            bucket,
            f"django-tw:entrance:AccessLogBucket${bucket}",
            "access-logs-bucket",
        ),
        resource(bucket, f"django-tw:storage:MediaBucket${bucket}", "media-bucket"),
        resource(key, key, "exec-key"),
    ]
    shape = shape_of(recorded)
    assert (shape.flow_logs, shape.access_log_buckets, shape.kms_keys) == (1, 1, 1)


def test_each_web_acl_is_counted_with_its_rules():
    acl = RecordedResource(
        type="aws:wafv2/webAcl:WebAcl",
        name="waf-acl",
        inputs={"scope": "REGIONAL", "rules": [{"name": "a"}, {"name": "b"}, {"name": "c"}]},
        outputs={},
        parent=None,
        urn="urn:pulumi:prod::django-tw::aws:wafv2/webAcl:WebAcl::waf-acl",
    )
    assert stack_shape(rule_resources([acl]), "ap-northeast-1").waf_web_acl_rules == (3,)


@pytest.mark.parametrize(
    ("expression", "runs"),
    [
        ("cron(30 3 * * ? *)", 1.0),
        ("cron(0 3,15 * * ? *)", 2.0),
        ("cron(0 */6 * * ? *)", 4.0),
        ("cron(0 3 ? * MON *)", 1 / 7),
        ("cron(0 3 ? * MON-FRI *)", 5 / 7),
        ("rate(1 day)", 1.0),
        ("rate(12 hours)", 2.0),
        ("rate(30 minutes)", 48.0),
    ],
)
def test_runs_per_day_of_a_schedule_expression(expression, runs):
    assert runs_per_day(expression) == pytest.approx(runs)
