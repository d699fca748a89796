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

PRICE_FILE = Path(__file__).with_name("prices.toml")

ARCHITECTURES = ("X86_64", "ARM64")


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
    secrets_manager_secret_month: float
    route53_zone_month: float
    cloudwatch_logs_ingest_gb: float
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
    secrets: int = 0
    hosted_zones: int = 0
    log_groups: int = 0


@dataclass(frozen=True)
class Usage:
    """Stated usage the resources alone do not tell; shown in every report."""

    efs_gb: float = 2.0
    """Average Postgres data on EFS, GB."""
    log_gb: float = 2.0
    """Container log volume ingested per month, GB (all log groups together)."""
    aws_traffic_gb: float = 5.0
    """Traffic from the task to AWS APIs (ECR, logs, Secrets Manager, SES...) per month, GB:
    processed by the interface endpoints or the NAT gateway (S3 gateway traffic is free)."""
    alb_lcu: float = 1.0
    """Average load balancer capacity units (one LCU: 25 new connections/s or 1 GB/h)."""


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
    return f"{number:g}"


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
            CostLine(
                f"Interface VPC endpoints ({names})",
                f"{endpoint_azs} endpoint-AZs x {_fmt(hours)} h"
                f" x ${_fmt(prices.interface_endpoint_az_hour)}",
                _money(endpoint_azs, hours, prices.interface_endpoint_az_hour),
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
            CostLine(
                "NAT gateways",
                f"{shape.nat_gateways} x {_fmt(hours)} h x ${_fmt(prices.nat_gateway_hour)}",
                _money(shape.nat_gateways, hours, prices.nat_gateway_hour),
            )
        )
    if shape.elastic_ips:
        lines.append(
            CostLine(
                "NAT gateway public IPv4 addresses",
                f"{shape.elastic_ips} x {_fmt(hours)} h x ${_fmt(prices.public_ipv4_hour)}",
                _money(shape.elastic_ips, hours, prices.public_ipv4_hour),
            )
        )
    # Traffic to AWS APIs goes through the NAT gateway when there is one; otherwise the
    # interface endpoints process it.
    if shape.nat_gateways:
        lines.append(
            CostLine(
                "NAT gateway data processing",
                f"{_fmt(usage.aws_traffic_gb)} GB x ${_fmt(prices.nat_gateway_gb)}",
                _money(usage.aws_traffic_gb, prices.nat_gateway_gb),
            )
        )
    elif shape.interface_endpoints:
        lines.append(
            CostLine(
                "Interface endpoint data processing",
                f"{_fmt(usage.aws_traffic_gb)} GB x ${_fmt(prices.interface_endpoint_gb)}",
                _money(usage.aws_traffic_gb, prices.interface_endpoint_gb),
            )
        )

    for azs in shape.load_balancer_azs:
        lines.append(
            CostLine(
                "Application Load Balancer",
                f"{_fmt(hours)} h x ${_fmt(prices.alb_hour)}",
                _money(hours, prices.alb_hour),
            )
        )
        lines.append(
            CostLine(
                "ALB capacity units",
                f"{_fmt(usage.alb_lcu)} LCU x {_fmt(hours)} h x ${_fmt(prices.alb_lcu_hour)}",
                _money(usage.alb_lcu, hours, prices.alb_lcu_hour),
            )
        )
        lines.append(
            CostLine(
                "ALB public IPv4 addresses (one per AZ)",
                f"{azs} x {_fmt(hours)} h x ${_fmt(prices.public_ipv4_hour)}",
                _money(azs, hours, prices.public_ipv4_hour),
            )
        )

    for service in shape.fargate_services:
        arm = service.architecture == "ARM64"
        vcpu_price = prices.fargate_arm_vcpu_hour if arm else prices.fargate_x86_vcpu_hour
        gb_price = prices.fargate_arm_gb_hour if arm else prices.fargate_x86_gb_hour
        label = f"Fargate {service.architecture} {service.name}"
        lines.append(
            CostLine(
                f"{label} vCPU",
                f"{service.tasks} task x {_fmt(service.vcpu)} vCPU x {_fmt(hours)} h"
                f" x ${_fmt(vcpu_price)}",
                _money(service.tasks, service.vcpu, hours, vcpu_price),
            )
        )
        lines.append(
            CostLine(
                f"{label} memory",
                f"{service.tasks} task x {_fmt(service.memory_gb)} GB x {_fmt(hours)} h"
                f" x ${_fmt(gb_price)}",
                _money(service.tasks, service.memory_gb, hours, gb_price),
            )
        )

    if shape.efs_file_systems:
        lines.append(
            CostLine(
                "EFS Standard storage (stated size)",
                f"{_fmt(usage.efs_gb)} GB x ${_fmt(prices.efs_standard_gb_month)}",
                _money(usage.efs_gb, prices.efs_standard_gb_month),
            )
        )
    if shape.secrets:
        lines.append(
            CostLine(
                "Secrets Manager secrets",
                f"{shape.secrets} x ${_fmt(prices.secrets_manager_secret_month)}",
                _money(shape.secrets, prices.secrets_manager_secret_month),
            )
        )
    if shape.hosted_zones:
        lines.append(
            CostLine(
                "Route 53 hosted zones",
                f"{shape.hosted_zones} x ${_fmt(prices.route53_zone_month)}",
                _money(shape.hosted_zones, prices.route53_zone_month),
            )
        )
    if shape.log_groups:
        lines.append(
            CostLine(
                f"CloudWatch Logs ingestion ({shape.log_groups} log groups, stated volume)",
                f"{_fmt(usage.log_gb)} GB x ${_fmt(prices.cloudwatch_logs_ingest_gb)}",
                _money(usage.log_gb, prices.cloudwatch_logs_ingest_gb),
            )
        )
    return CostEstimate(region=shape.region, lines=tuple(lines))


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
