"""Monthly cost of a stack, as pure functions over a typed description of what it runs.

Nothing here knows Pulumi: :mod:`plan.derive` turns a recorded program run into a
:class:`StackShape`; this module prices a shape with the figures of ``prices.toml``.
Every line says what it counts, so a reader can redo the sum by hand.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from components.sidecar_task import ARM64
from components.sidecar_task import CPU_ARCHITECTURES as ARCHITECTURES

PRICE_FILE = Path(__file__).with_name("prices.toml")


class UnknownRegionError(LookupError):
    """The price file has no prices for the stack's region."""

    def __init__(self, region: str, known: list[str], path: Path) -> None:
        self.region = region
        super().__init__(
            f"no prices for region {region!r} in {path}; known regions: {', '.join(known)}. "
            f"Add a [regions.{region}] table with its prices and sources to plan for it."
        )


@dataclass(frozen=True)
class Prices:
    """On-demand USD list prices of one region (the keys of ``prices.toml``)."""

    region: str
    retrieved: str
    source: str
    hours_per_month: float
    interface_endpoint_az_hour: float
    interface_endpoint_gb: float
    nat_gateway_hour: float
    nat_gateway_gb: float
    public_ipv4_hour: float
    alb_hour: float
    alb_lcu_hour: float
    fargate_x86_vcpu_hour: float
    fargate_x86_gb_hour: float
    fargate_arm_vcpu_hour: float
    fargate_arm_gb_hour: float
    efs_standard_gb_month: float
    efs_elastic_read_gb: float
    efs_elastic_write_gb: float
    s3_standard_gb_month: float
    secrets_manager_secret_month: float
    route53_zone_month: float
    cloudwatch_logs_ingest_gb: float
    cloudwatch_alarm_month: float
    cloudwatch_dashboard_month: float
    cloudwatch_logs_vended_ingest_gb: float
    cloudwatch_logs_storage_gb_month: float
    kms_key_month: float
    waf_web_acl_month: float
    waf_rule_month: float
    waf_million_requests: float
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)


PRICE_KEYS: tuple[str, ...] = tuple(
    f.name
    for f in fields(Prices)
    if f.name not in {"region", "retrieved", "source", "hours_per_month", "sources"}
)


def known_regions(path: Path = PRICE_FILE) -> list[str]:
    return sorted(tomllib.loads(path.read_text(encoding="utf-8"))["regions"])


def load_prices(region: str, path: Path = PRICE_FILE) -> Prices:
    """The prices of ``region``; :class:`UnknownRegionError` when the file has none."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    regions = document["regions"]
    if region not in regions:
        raise UnknownRegionError(region, sorted(regions), path)
    entry = regions[region]
    table = entry["prices"]
    missing = [key for key in PRICE_KEYS if key not in table]
    if missing:
        raise ValueError(f"{path}: [regions.{region}.prices] lacks {', '.join(missing)}")
    return Prices(
        region=region,
        retrieved=str(entry["retrieved"]),
        source=str(entry["source"]),
        hours_per_month=float(document["hours_per_month"]),
        sources=dict(entry.get("sources", {})),
        **{key: float(table[key]) for key in PRICE_KEYS},
    )


@dataclass(frozen=True)
class InterfaceEndpoint:
    """One interface VPC endpoint: the AWS service it serves and the AZs it has an ENI in."""

    service: str
    az_count: int


@dataclass(frozen=True)
class FargateService:
    """An ECS service on Fargate: tasks kept running and the size of each task."""

    name: str
    tasks: int
    vcpu: float
    memory_gb: float
    architecture: str  # X86_64 | ARM64

    def __post_init__(self) -> None:
        if self.architecture not in ARCHITECTURES:
            raise ValueError(
                f"Fargate service {self.name}: architecture {self.architecture!r} "
                f"is not one of {', '.join(ARCHITECTURES)}"
            )


@dataclass(frozen=True)
class StackShape:
    """What a stack runs, counted: the inputs of the cost model."""

    region: str
    interface_endpoints: tuple[InterfaceEndpoint, ...] = ()
    gateway_endpoints: tuple[str, ...] = ()
    nat_gateways: int = 0
    elastic_ips: int = 0
    load_balancer_azs: tuple[int, ...] = ()  # one entry per internet-facing ALB: its AZ count
    fargate_services: tuple[FargateService, ...] = ()
    efs_file_systems: int = 0
    efs_elastic_file_systems: int = 0  # of efs_file_systems, those billed per GB transferred
    backup_buckets: int = 0  # S3 buckets holding a database's WAL archive and base backups
    secrets: int = 0
    hosted_zones: int = 0
    log_groups: int = 0
    alarms: int = 0  # standard-resolution CloudWatch metric alarms
    dashboards: int = 0
    flow_logs: int = 0  # VPC flow logs delivered to CloudWatch Logs
    access_log_buckets: int = 0  # S3 buckets holding load balancer access logs
    kms_keys: int = 0  # customer managed KMS keys
    waf_web_acl_rules: tuple[int, ...] = ()  # one entry per AWS WAF web ACL: its rule count


@dataclass(frozen=True)
class Usage:
    """Stated usage the resources alone do not tell; shown in every report."""

    efs_gb: float = 2.0
    """Average Postgres data on EFS, GB."""
    efs_read_gb: float = 100.0
    """Data read from EFS per month, GB (elastic throughput bills it): the daily base backup
    reads the whole data directory (30 x 2 GB), the WAL archiver reads each 16 MB segment,
    queries the rest."""
    efs_write_gb: float = 30.0
    """Data written to EFS per month, GB: WAL, checkpoints, vacuum."""
    backup_gb: float = 20.0
    """WAL archive and base backups kept in S3 (compressed, the retention window plus the
    old versions the lifecycle keeps a few days), GB."""
    log_gb: float = 2.0
    """Container log volume ingested per month, GB (all log groups together)."""
    aws_traffic_gb: float = 5.0
    """Traffic from the task to AWS APIs (ECR, logs, Secrets Manager, SES...) per month, GB:
    processed by the interface endpoints or the NAT gateway (S3 gateway traffic is free)."""
    alb_lcu: float = 1.0
    """Average load balancer capacity units (one LCU: 25 new connections/s or 1 GB/h)."""
    flow_log_gb: float = 0.5
    """VPC flow log records delivered per month, GB: rejected traffic only (the default),
    aggregated over 10 minutes, mostly scans of the load balancer's public addresses; logging
    all traffic multiplies it with the traffic."""
    flow_log_stored_gb: float = 0.5
    """Flow logs kept in CloudWatch Logs, GB: about one month's volume at 30 days' retention
    (stored compressed, so this is an upper bound)."""
    access_log_gb: float = 1.0
    """ALB access logs kept in S3 (gzip), GB: the retention window of a small site's logs."""
    waf_million_requests: float = 1.0
    """Requests a web ACL inspects per month, millions (only with a WAF)."""


@dataclass(frozen=True)
class CostLine:
    item: str
    quantity: str
    monthly_usd: Decimal


@dataclass(frozen=True)
class CostEstimate:
    region: str
    lines: tuple[CostLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.monthly_usd for line in self.lines), Decimal("0.00"))


_CENT = Decimal("0.01")


def _money(*factors: float) -> Decimal:
    """The product of ``factors`` in exact decimal arithmetic, rounded half-up to cents
    (binary floats would round 730 x 0.0225 = 16.425 down)."""
    product = Decimal(1)
    for factor in factors:
        product *= Decimal(str(factor))
    return product.quantize(_CENT, rounding=ROUND_HALF_UP)


def _fmt(number: float) -> str:
    return str(number) if isinstance(number, int) else f"{number:g}"


def _priced(item: str, *quantities: tuple[float, str], price: float) -> CostLine:
    """``quantities`` (value, unit) times ``price``, shown as the product that gives the amount."""
    shown = [f"{_fmt(value)} {unit}".rstrip() for value, unit in quantities]
    return CostLine(
        item,
        " x ".join([*shown, f"${_fmt(price)}"]),
        _money(*(value for value, _ in quantities), price),
    )


def estimate(shape: StackShape, prices: Prices, usage: Usage = Usage()) -> CostEstimate:
    """Price ``shape`` line by line. Each line is rounded to cents; the total sums the lines."""
    if shape.region != prices.region:
        raise ValueError(f"shape is in {shape.region} but the prices are for {prices.region}")
    hours = prices.hours_per_month
    lines: list[CostLine] = []

    endpoint_azs = sum(endpoint.az_count for endpoint in shape.interface_endpoints)
    if shape.interface_endpoints:
        names = ", ".join(e.service for e in shape.interface_endpoints)
        lines.append(
            _priced(
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
            _priced(
                "NAT gateways",
                (shape.nat_gateways, ""),
                (hours, "h"),
                price=prices.nat_gateway_hour,
            )
        )
    if shape.elastic_ips:
        lines.append(
            _priced(
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
            _priced(
                "NAT gateway data processing",
                (usage.aws_traffic_gb, "GB"),
                price=prices.nat_gateway_gb,
            )
        )
    elif shape.interface_endpoints:
        lines.append(
            _priced(
                "Interface endpoint data processing",
                (usage.aws_traffic_gb, "GB"),
                price=prices.interface_endpoint_gb,
            )
        )

    for azs in shape.load_balancer_azs:
        lines.append(_priced("Application Load Balancer", (hours, "h"), price=prices.alb_hour))
        lines.append(
            _priced(
                "ALB capacity units",
                (usage.alb_lcu, "LCU"),
                (hours, "h"),
                price=prices.alb_lcu_hour,
            )
        )
        lines.append(
            _priced(
                "ALB public IPv4 addresses (one per AZ)",
                (azs, ""),
                (hours, "h"),
                price=prices.public_ipv4_hour,
            )
        )

    for service in shape.fargate_services:
        arm = service.architecture == ARM64
        vcpu_price = prices.fargate_arm_vcpu_hour if arm else prices.fargate_x86_vcpu_hour
        gb_price = prices.fargate_arm_gb_hour if arm else prices.fargate_x86_gb_hour
        label = f"Fargate {service.architecture} {service.name}"
        lines.append(
            _priced(
                f"{label} vCPU",
                (service.tasks, "task"),
                (service.vcpu, "vCPU"),
                (hours, "h"),
                price=vcpu_price,
            )
        )
        lines.append(
            _priced(
                f"{label} memory",
                (service.tasks, "task"),
                (service.memory_gb, "GB"),
                (hours, "h"),
                price=gb_price,
            )
        )

    if shape.efs_file_systems:
        lines.append(
            _priced(
                "EFS Standard storage (stated size)",
                (usage.efs_gb, "GB"),
                price=prices.efs_standard_gb_month,
            )
        )
    if shape.efs_elastic_file_systems:
        lines.append(
            _priced(
                "EFS Elastic throughput reads (stated volume)",
                (usage.efs_read_gb, "GB"),
                price=prices.efs_elastic_read_gb,
            )
        )
        lines.append(
            _priced(
                "EFS Elastic throughput writes (stated volume)",
                (usage.efs_write_gb, "GB"),
                price=prices.efs_elastic_write_gb,
            )
        )
    if shape.backup_buckets:
        lines.append(
            _priced(
                "S3 Standard storage, database backups (stated size)",
                (usage.backup_gb, "GB"),
                price=prices.s3_standard_gb_month,
            )
        )
    if shape.secrets:
        lines.append(
            _priced(
                "Secrets Manager secrets",
                (shape.secrets, ""),
                price=prices.secrets_manager_secret_month,
            )
        )
    if shape.hosted_zones:
        lines.append(
            _priced(
                "Route 53 hosted zones", (shape.hosted_zones, ""), price=prices.route53_zone_month
            )
        )
    if shape.log_groups:
        lines.append(
            _priced(
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
            lines.append(_priced(label, (count, ""), price=price))
    lines += _audit_lines(shape, prices, usage)
    for rules in shape.waf_web_acl_rules:
        lines.append(_priced("AWS WAF web ACL", (1, ""), price=prices.waf_web_acl_month))
        lines.append(_priced("AWS WAF rules", (rules, ""), price=prices.waf_rule_month))
        lines.append(
            _priced(
                "AWS WAF requests (stated volume)",
                (usage.waf_million_requests, "M requests"),
                price=prices.waf_million_requests,
            )
        )
    return CostEstimate(region=shape.region, lines=tuple(lines))


def _audit_lines(shape: StackShape, prices: Prices, usage: Usage) -> list[CostLine]:
    """Flow logs (vended logs: their own ingestion price), access logs in S3 (ELB charges
    nothing to deliver them, S3 storage only), and the customer managed keys."""
    lines = []
    if shape.flow_logs:
        lines.append(
            _priced(
                "VPC flow logs ingestion, vended logs (stated volume)",
                (usage.flow_log_gb, "GB"),
                price=prices.cloudwatch_logs_vended_ingest_gb,
            )
        )
        lines.append(
            _priced(
                "CloudWatch Logs storage, VPC flow logs (stated size)",
                (usage.flow_log_stored_gb, "GB"),
                price=prices.cloudwatch_logs_storage_gb_month,
            )
        )
    if shape.access_log_buckets:
        lines.append(
            _priced(
                "S3 Standard storage, ALB access logs (stated size)",
                (usage.access_log_gb, "GB"),
                price=prices.s3_standard_gb_month,
            )
        )
    if shape.kms_keys:
        lines.append(
            _priced("KMS customer managed keys", (shape.kms_keys, ""), price=prices.kms_key_month)
        )
    return lines


def total_line(estimate_: CostEstimate) -> str:
    """The closing line of every cost report."""
    return f"Estimated monthly cost: ${estimate_.total:.2f}"


def with_architecture(shape: StackShape, architecture: str) -> StackShape:
    """``shape`` with every Fargate service on ``architecture`` (for a what-if without a rerun)."""
    return replace(
        shape,
        fargate_services=tuple(
            replace(s, architecture=architecture) for s in shape.fargate_services
        ),
    )
