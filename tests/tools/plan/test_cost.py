"""The cost model against figures computed by hand (730 h/month, each line rounded to cents).

Configuration A, ap-northeast-1, the shape of prod: six interface endpoints in two AZs, an S3
gateway endpoint, one ALB in two AZs, one ARM task of 0.5 vCPU / 1 GB, four secrets, one zone,
three log groups; default usage (EFS 2 GB, logs 2 GB, AWS traffic 5 GB, 1 LCU).

    interface endpoints   12 endpoint-AZs x 730 x 0.014   = 122.64
    endpoint data         5 GB x 0.01                     =   0.05
    ALB                   730 x 0.0243 = 17.739           =  17.74
    ALB LCU               1 x 730 x 0.008                 =   5.84
    ALB public IPv4       2 x 730 x 0.005                 =   7.30
    Fargate ARM vCPU      0.5 x 730 x 0.04045 = 14.764..  =  14.76
    Fargate ARM memory    1 x 730 x 0.00442 = 3.2266      =   3.23
    EFS                   2 x 0.36                        =   0.72
    Secrets Manager       4 x 0.40                        =   1.60
    Route 53              1 x 0.50                        =   0.50
    CloudWatch Logs       2 x 0.76                        =   1.52
                                                    total = 175.90

Configuration B, us-east-1: one NAT gateway with its EIP, an ALB in three AZs, one x86 task of
1 vCPU / 2 GB, two secrets, no zone, one log group; usage EFS 10 GB, logs 5 GB, traffic 20 GB,
0.5 LCU.

    NAT gateway           730 x 0.045                     =  32.85
    NAT public IPv4       730 x 0.005                     =   3.65
    NAT data              20 x 0.045                      =   0.90
    ALB                   730 x 0.0225 = 16.425           =  16.43  (half-up)
    ALB LCU               0.5 x 730 x 0.008               =   2.92
    ALB public IPv4       3 x 730 x 0.005                 =  10.95
    Fargate x86 vCPU      1 x 730 x 0.04048 = 29.5504     =  29.55
    Fargate x86 memory    2 x 730 x 0.004445 = 6.4897     =   6.49
    EFS                   10 x 0.30                       =   3.00
    Secrets Manager       2 x 0.40                        =   0.80
    CloudWatch Logs       5 x 0.50                        =   2.50
                                                    total = 110.04
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from tools.plan.cost import estimate, fargate_lines
from tools.plan.cost_lines import total_line
from tools.plan.prices import load_prices
from tools.plan.shape import (
    FargateService,
    InterfaceEndpoint,
    ScheduledTask,
    StackShape,
    Usage,
    with_architecture,
)

PROD_LIKE = StackShape(
    region="ap-northeast-1",
    interface_endpoints=tuple(
        InterfaceEndpoint(service, 2)
        for service in ("ecr.api", "ecr.dkr", "email-smtp", "logs", "secretsmanager", "ssmmessages")
    ),
    gateway_endpoints=("s3",),
    load_balancer_azs=(2,),
    fargate_services=(FargateService("app", 1, 0.5, 1.0, "ARM64"),),
    efs_file_systems=1,
    secrets=4,
    hosted_zones=1,
    log_groups=3,
)

NAT_X86 = StackShape(
    region="us-east-1",
    gateway_endpoints=("s3",),
    nat_gateways=1,
    elastic_ips=1,
    load_balancer_azs=(3,),
    fargate_services=(FargateService("app", 1, 1.0, 2.0, "X86_64"),),
    efs_file_systems=1,
    secrets=2,
    log_groups=1,
)
NAT_X86_USAGE = Usage(efs_gb=10, log_gb=5, aws_traffic_gb=20, alb_lcu=0.5)


def amounts(result) -> dict[str, str]:
    return {line.item: str(line.monthly_usd) for line in result.lines}


def test_configuration_a_tokyo_endpoints_arm():
    result = estimate(PROD_LIKE, load_prices("ap-northeast-1"))
    assert list(amounts(result).values()) == [
        "122.64", "0.00", "0.05", "17.74", "5.84", "7.30", "14.76", "3.23", "0.72", "1.60",
        "0.50", "1.52",
    ]  # fmt: skip
    assert result.total == Decimal("175.90")
    assert total_line(result) == "Estimated monthly cost: $175.90"


def test_spot_tasks_are_priced_at_the_spot_discount_beside_the_on_demand_ones():
    prices = load_prices("ap-northeast-1")
    mixed = replace(PROD_LIKE, fargate_services=(FargateService("app", 2, 0.5, 1.0, "ARM64", 0.5),))
    lines = {line.item: line for line in estimate(mixed, prices).lines}
    on_demand, spot = lines["Fargate ARM64 app vCPU"], lines["Fargate ARM64 app vCPU on Spot"]
    assert on_demand.quantity == "1.5 task x 0.5 vCPU x 730 h x $0.04045"
    assert spot.quantity.startswith("0.5 task x 0.5 vCPU x 730 h x $")
    assert prices.fargate_spot_discount == 0.5
    assert spot.monthly_usd == Decimal("3.69")  # 0.5 x 0.5 x 730 x 0.020225
    assert "Fargate ARM64 app memory on Spot" in lines
    assert "fargate/pricing" in prices.sources["fargate_spot_discount"]
    without_spot = estimate(PROD_LIKE, prices)
    assert not any("Spot" in line.item for line in without_spot.lines)


def test_configuration_b_virginia_nat_x86():
    result = estimate(NAT_X86, load_prices("us-east-1"), NAT_X86_USAGE)
    assert amounts(result) == {
        "Gateway VPC endpoints (s3)": "0.00",
        "NAT gateways": "32.85",
        "NAT gateway public IPv4 addresses": "3.65",
        "NAT gateway data processing": "0.90",
        "Application Load Balancer": "16.43",
        "ALB capacity units": "2.92",
        "ALB public IPv4 addresses (one per AZ)": "10.95",
        "Fargate X86_64 app vCPU": "29.55",
        "Fargate X86_64 app memory": "6.49",
        "EFS Standard storage (stated size)": "3.00",
        "Secrets Manager secrets": "0.80",
        "CloudWatch Logs ingestion (1 log groups, stated volume)": "2.50",
    }
    assert total_line(result) == "Estimated monthly cost: $110.04"


def test_elastic_efs_is_billed_per_gb_read_and_written_and_backups_per_gb_stored():
    """Tokyo, one elastic file system and one backup bucket, usage: reads 100 GB, writes 30 GB,
    backups 20 GB.

        EFS storage        2 x 0.36      = 0.72
        EFS reads        100 x 0.03      = 3.00
        EFS writes        30 x 0.06      = 1.80
        S3 backups        20 x 0.025     = 0.50
                                   total = 6.02
    """
    shape = StackShape(
        region="ap-northeast-1", efs_file_systems=1, efs_elastic_file_systems=1, backup_buckets=1
    )
    result = estimate(shape, load_prices("ap-northeast-1"))
    assert amounts(result) == {
        "EFS Standard storage (stated size)": "0.72",
        "EFS Elastic throughput reads (stated volume)": "3.00",
        "EFS Elastic throughput writes (stated volume)": "1.80",
        "S3 Standard storage, database backups (stated size)": "0.50",
    }
    assert result.total == Decimal("6.02")
    quantities = {line.item: line.quantity for line in result.lines}
    assert quantities["EFS Elastic throughput writes (stated volume)"] == "30 GB x $0.06"


def test_bursting_efs_has_no_transfer_charge():
    shape = StackShape(region="ap-northeast-1", efs_file_systems=1)
    result = estimate(shape, load_prices("ap-northeast-1"), Usage(efs_read_gb=1e6))
    assert list(amounts(result)) == ["EFS Standard storage (stated size)"]


def test_each_line_says_how_it_was_counted():
    result = estimate(PROD_LIKE, load_prices("ap-northeast-1"))
    quantities = {line.item.split(" (")[0]: line.quantity for line in result.lines}
    assert quantities["Interface VPC endpoints"] == "12 endpoint-AZs x 730 h x $0.014"
    assert quantities["Fargate ARM64 app vCPU"] == "1 task x 0.5 vCPU x 730 h x $0.04045"


def test_total_line_has_exactly_two_decimals():
    assert total_line(estimate(StackShape(region="us-east-1"), load_prices("us-east-1"))) == (
        "Estimated monthly cost: $0.00"
    )


def test_arm_is_cheaper_than_x86_for_the_same_task():
    prices = load_prices("ap-northeast-1")
    arm = estimate(PROD_LIKE, prices).total
    x86 = estimate(with_architecture(PROD_LIKE, "X86_64"), prices).total
    # 0.5 x 730 x (0.05056 - 0.04045) + 1 x 730 x (0.00553 - 0.00442), per line rounded
    assert x86 - arm == Decimal("18.45") - Decimal("14.76") + Decimal("4.04") - Decimal("3.23")


def test_endpoints_cost_scales_with_endpoint_azs():
    prices = load_prices("ap-northeast-1")
    one_az = StackShape(
        region="ap-northeast-1",
        interface_endpoints=tuple(
            InterfaceEndpoint(e.service, 1) for e in PROD_LIKE.interface_endpoints
        ),
    )
    [endpoints, _data] = estimate(one_az, prices).lines
    assert endpoints.monthly_usd == Decimal("61.32")  # 6 x 730 x 0.014


def test_shape_and_prices_must_be_for_the_same_region():
    with pytest.raises(ValueError, match="us-east-1"):
        estimate(PROD_LIKE, load_prices("us-east-1"))


def test_alarms_dashboards_and_the_topic_key_are_billed_per_month_without_free_tier():
    """Tokyo, ten alarms, one dashboard, one customer managed key.

    alarms       10 x 0.10 = 1.00
    dashboard     1 x 3.00 = 3.00
    KMS key       1 x 1.00 = 1.00
                     total = 5.00
    """
    shape = StackShape(region="ap-northeast-1", alarms=10, dashboards=1, kms_keys=1)
    result = estimate(shape, load_prices("ap-northeast-1"))
    assert amounts(result) == {
        "CloudWatch alarms (standard resolution)": "1.00",
        "CloudWatch dashboards": "3.00",
        "KMS customer managed keys": "1.00",
    }
    assert result.total == Decimal("5.00")


def test_a_scheduled_task_is_billed_for_its_runs_only():
    prices = load_prices("ap-northeast-1")
    drill = ScheduledTask("drill", runs_per_day=1.0, vcpu=1.0, memory_gb=2.0, architecture="ARM64")
    usage = Usage(scheduled_task_minutes=12)
    lines = {
        line.item: line
        for line in estimate(replace(PROD_LIKE, scheduled_tasks=(drill,)), prices, usage).lines
    }
    vcpu = lines["Fargate ARM64 drill, scheduled vCPU"]
    # 730 h / 24 = 30.42 runs a month x 12 minutes = 6.08 h
    assert vcpu.quantity == "1 vCPU x 6.08 h x $0.04045"
    assert vcpu.monthly_usd == Decimal("0.25")
    assert lines["Fargate ARM64 drill, scheduled memory"].monthly_usd == Decimal("0.05")
    weekly = replace(drill, runs_per_day=1 / 7)
    cheaper = estimate(replace(PROD_LIKE, scheduled_tasks=(weekly,)), prices, usage)
    assert {line.item: line for line in cheaper.lines}[
        "Fargate ARM64 drill, scheduled vCPU"
    ].monthly_usd == Decimal("0.04")


def test_a_service_and_a_scheduled_task_of_one_size_are_priced_by_the_same_fargate_lines():
    """One pricing of a task size: the service's lines count its tasks, the scheduled task's
    its run hours; both take the architecture's rates, Spot a fraction of them."""
    prices = load_prices("ap-northeast-1")
    arm = fargate_lines("A", "ARM64", 0.5, 1.0, prices, 730, tasks=3)
    assert [(line.item, line.quantity) for line in arm] == [
        ("A vCPU", f"3 task x 0.5 vCPU x 730 h x ${prices.fargate_arm_vcpu_hour:g}"),
        ("A memory", f"3 task x 1 GB x 730 h x ${prices.fargate_arm_gb_hour:g}"),
    ]
    x86 = fargate_lines("X", "X86_64", 1.0, 2.0, prices, 6.08)
    assert [(line.item, line.quantity) for line in x86] == [
        ("X vCPU", f"1 vCPU x 6.08 h x ${prices.fargate_x86_vcpu_hour:g}"),
        ("X memory", f"2 GB x 6.08 h x ${prices.fargate_x86_gb_hour:g}"),
    ]
    spot = fargate_lines("S", "ARM64", 0.5, 1.0, prices, 730, tasks=1, spot=0.3)
    assert [line.item for line in spot] == ["S vCPU on Spot", "S memory on Spot"]
    assert spot[0].quantity.endswith(f"${round(prices.fargate_arm_vcpu_hour * 0.3, 6):g}")
