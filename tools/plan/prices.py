"""The price file, ``prices.toml``: on-demand list prices by region, each with its source.

:func:`load_prices` reads one region's table into :class:`Prices`; the cost model
(:mod:`tools.plan.cost`) prices a stack with it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from components.postgres.rds_parameters import INSTANCE_CLASSES as RDS_INSTANCE_CLASSES

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
    fargate_spot_discount: float  # Fargate Spot's price below Fargate's, a share (0.5 = half)
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
    rds_postgres_t4g_micro_hour: float
    rds_postgres_t4g_small_hour: float
    rds_postgres_t4g_medium_hour: float
    rds_postgres_m7g_large_hour: float
    rds_gp3_gb_month: float
    rds_backup_gb_month: float
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


def rds_hour_price(prices: Prices, instance_class: str) -> float:
    """The Single-AZ PostgreSQL hourly price of ``instance_class`` (one of the classes a stack
    may choose: ``managed_postgres_specs.INSTANCE_CLASSES``)."""
    if instance_class not in RDS_INSTANCE_CLASSES:
        raise ValueError(
            f"no RDS price for {instance_class!r}; priced: {', '.join(RDS_INSTANCE_CLASSES)}"
        )
    key = "rds_postgres_" + instance_class.removeprefix("db.").replace(".", "_") + "_hour"
    return float(getattr(prices, key))
