"""Monthly cost of a stack, as pure functions over a typed description of what it runs.

Nothing here knows Pulumi: :mod:`tools.plan.derive` turns a recorded program run into a
:class:`~tools.plan.shape.StackShape`; :func:`estimate` prices it with the figures of
``prices.toml``
(:mod:`tools.plan.prices`), the parts every stack has here, the optional parts in
:mod:`tools.plan.optional_costs`. Every line says what it counts, so a reader can redo the sum by
hand.
"""

from __future__ import annotations

from decimal import Decimal

from components.fargate.service import ARM64
from tools.plan.cost_lines import CostEstimate, CostLine, priced
from tools.plan.optional_costs import audit_lines, rds_lines, waf_lines
from tools.plan.prices import Prices
from tools.plan.shape import StackShape, Usage


def estimate(
    shape: StackShape,
    prices: Prices,
    usage: Usage = Usage(),  # noqa: B008 (frozen: the stated defaults)
) -> CostEstimate:
    """Price ``shape`` line by line. Each line is rounded to cents; the total sums the lines."""
    if shape.region != prices.region:
        raise ValueError(f"shape is in {shape.region} but the prices are for {prices.region}")
    hours = prices.hours_per_month
    lines: list[CostLine] = []

    endpoint_azs = sum(endpoint.az_count for endpoint in shape.interface_endpoints)
    if shape.interface_endpoints:
        names = ", ".join(e.service for e in shape.interface_endpoints)
        lines.append(
            priced(
                f"Interface VPC endpoints ({names})",
                (endpoint_azs, "endpoint-AZs"),
                (hours, "h"),
                price=prices.interface_endpoint_az_hour,
            )
        )
    if shape.gateway_endpoints:
        lines.append(
            CostLine(
                f"Gateway VPC endpoints ({', '.join(shape.gateway_endpoints)})",
                f"{len(shape.gateway_endpoints)} x free",
                Decimal("0.00"),
            )
        )
    if shape.nat_gateways:
        lines.append(
            priced(
                "NAT gateways",
                (shape.nat_gateways, ""),
                (hours, "h"),
                price=prices.nat_gateway_hour,
            )
        )
    if shape.elastic_ips:
        lines.append(
            priced(
                "NAT gateway public IPv4 addresses",
                (shape.elastic_ips, ""),
                (hours, "h"),
                price=prices.public_ipv4_hour,
            )
        )
    # Traffic to AWS APIs goes through the NAT gateway when there is one; otherwise the
    # interface endpoints process it.
    if shape.nat_gateways:
        lines.append(
            priced(
                "NAT gateway data processing",
                (usage.aws_traffic_gb, "GB"),
                price=prices.nat_gateway_gb,
            )
        )
    elif shape.interface_endpoints:
        lines.append(
            priced(
                "Interface endpoint data processing",
                (usage.aws_traffic_gb, "GB"),
                price=prices.interface_endpoint_gb,
            )
        )

    for azs in shape.load_balancer_azs:
        lines.append(priced("Application Load Balancer", (hours, "h"), price=prices.alb_hour))
        lines.append(
            priced(
                "ALB capacity units",
                (usage.alb_lcu, "LCU"),
                (hours, "h"),
                price=prices.alb_lcu_hour,
            )
        )
        lines.append(
            priced(
                "ALB public IPv4 addresses (one per AZ)",
                (azs, ""),
                (hours, "h"),
                price=prices.public_ipv4_hour,
            )
        )

    for service in shape.fargate_services:
        label = f"Fargate {service.architecture} {service.name}"
        on_demand = service.tasks - service.spot_tasks if service.spot_tasks else service.tasks
        size = (service.architecture, service.vcpu, service.memory_gb)
        lines += fargate_lines(label, *size, prices, hours, tasks=on_demand)
        if service.spot_tasks:
            spot = 1 - prices.fargate_spot_discount
            lines += fargate_lines(label, *size, prices, hours, tasks=service.spot_tasks, spot=spot)

    for scheduled in shape.scheduled_tasks:
        # Billed per second while it runs: the stated minutes of each run, every run a month.
        run_hours = round(
            scheduled.runs_per_day * hours / 24 * usage.scheduled_task_minutes / 60, 2
        )
        lines += fargate_lines(
            f"Fargate {scheduled.architecture} {scheduled.name}, scheduled",
            scheduled.architecture,
            scheduled.vcpu,
            scheduled.memory_gb,
            prices,
            run_hours,
        )

    if shape.efs_file_systems:
        lines.append(
            priced(
                "EFS Standard storage (stated size)",
                (usage.efs_gb, "GB"),
                price=prices.efs_standard_gb_month,
            )
        )
    if shape.efs_elastic_file_systems:
        lines.append(
            priced(
                "EFS Elastic throughput reads (stated volume)",
                (usage.efs_read_gb, "GB"),
                price=prices.efs_elastic_read_gb,
            )
        )
        lines.append(
            priced(
                "EFS Elastic throughput writes (stated volume)",
                (usage.efs_write_gb, "GB"),
                price=prices.efs_elastic_write_gb,
            )
        )
    if shape.backup_buckets:
        lines.append(
            priced(
                "S3 Standard storage, database backups (stated size)",
                (usage.backup_gb, "GB"),
                price=prices.s3_standard_gb_month,
            )
        )
    for instance in shape.rds_instances:
        lines.extend(rds_lines(instance, prices, usage))
    if shape.secrets:
        lines.append(
            priced(
                "Secrets Manager secrets",
                (shape.secrets, ""),
                price=prices.secrets_manager_secret_month,
            )
        )
    if shape.hosted_zones:
        lines.append(
            priced(
                "Route 53 hosted zones", (shape.hosted_zones, ""), price=prices.route53_zone_month
            )
        )
    if shape.log_groups:
        lines.append(
            priced(
                f"CloudWatch Logs ingestion ({shape.log_groups} log groups, stated volume)",
                (usage.log_gb, "GB"),
                price=prices.cloudwatch_logs_ingest_gb,
            )
        )
    # List prices without the free tier (10 alarms, 3 dashboards): an account's other stacks
    # may have spent it. SNS e-mail and AWS service events to EventBridge cost nothing here.
    for label, count, price in (
        ("CloudWatch alarms (standard resolution)", shape.alarms, prices.cloudwatch_alarm_month),
        ("CloudWatch dashboards", shape.dashboards, prices.cloudwatch_dashboard_month),
    ):
        if count:
            lines.append(priced(label, (count, ""), price=price))
    lines += audit_lines(shape, prices, usage)
    lines += waf_lines(shape, prices, usage)
    return CostEstimate(region=shape.region, lines=tuple(lines))


def fargate_lines(
    label: str,
    architecture: str,
    vcpu: float,
    memory_gb: float,
    prices: Prices,
    hours: float,
    *,
    tasks: float | None = None,
    spot: float | None = None,
) -> list[CostLine]:
    """The vCPU and the memory line of Fargate tasks of one size running ``hours`` (each of
    ``tasks`` tasks, when given), at the architecture's prices, or those times ``spot`` (the
    fraction of the price Fargate Spot charges). https://aws.amazon.com/fargate/pricing/"""
    arm = architecture == ARM64
    counted = [(tasks, "task")] if tasks is not None else []
    lines = []
    for item, size, unit, price in (
        (
            "vCPU",
            vcpu,
            "vCPU",
            prices.fargate_arm_vcpu_hour if arm else prices.fargate_x86_vcpu_hour,
        ),
        (
            "memory",
            memory_gb,
            "GB",
            prices.fargate_arm_gb_hour if arm else prices.fargate_x86_gb_hour,
        ),
    ):
        lines.append(
            priced(
                f"{label} {item} on Spot" if spot is not None else f"{label} {item}",
                *counted,
                (size, unit),
                (hours, "h"),
                price=round(price * spot, 6) if spot is not None else price,
            )
        )
    return lines
