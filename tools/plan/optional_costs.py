"""The cost lines of a stack's optional parts: audit logs and keys, a WAF web ACL, RDS.

Each function returns no line when the shape has none of its part; :func:`tools.plan.cost.estimate`
appends them to the lines every stack has.
"""

from __future__ import annotations

from tools.plan.cost_lines import CostLine, priced, shown_number
from tools.plan.prices import Prices, rds_hour_price
from tools.plan.shape import RdsInstance, StackShape, Usage


def audit_lines(shape: StackShape, prices: Prices, usage: Usage) -> list[CostLine]:
    """Flow logs (vended logs: their own ingestion price), access logs in S3 (ELB charges
    nothing to deliver them, S3 storage only), and the customer managed keys."""
    lines = []
    if shape.flow_logs:
        lines.append(
            priced(
                "VPC flow logs ingestion, vended logs (stated volume)",
                (usage.flow_log_gb, "GB"),
                price=prices.cloudwatch_logs_vended_ingest_gb,
            )
        )
        lines.append(
            priced(
                "CloudWatch Logs storage, VPC flow logs (stated size)",
                (usage.flow_log_stored_gb, "GB"),
                price=prices.cloudwatch_logs_storage_gb_month,
            )
        )
    if shape.access_log_buckets:
        lines.append(
            priced(
                "S3 Standard storage, ALB access logs (stated size)",
                (usage.access_log_gb, "GB"),
                price=prices.s3_standard_gb_month,
            )
        )
    if shape.kms_keys:
        lines.append(
            priced("KMS customer managed keys", (shape.kms_keys, ""), price=prices.kms_key_month)
        )
    return lines


def waf_lines(shape: StackShape, prices: Prices, usage: Usage) -> list[CostLine]:
    """Each web ACL: its monthly fee, one fee per rule, and the requests it inspects.
    https://aws.amazon.com/waf/pricing/"""
    lines = []
    for rules in shape.waf_web_acl_rules:
        lines.append(priced("AWS WAF web ACL", (1, ""), price=prices.waf_web_acl_month))
        lines.append(priced("AWS WAF rules", (rules, ""), price=prices.waf_rule_month))
        lines.append(
            priced(
                "AWS WAF requests (stated volume)",
                (usage.waf_million_requests, "M requests"),
                price=prices.waf_million_requests,
            )
        )
    return lines


def rds_lines(instance: RdsInstance, prices: Prices, usage: Usage) -> list[CostLine]:
    """Instance hours and gp3 storage (twice with Multi-AZ), backups beyond the free allowance.
    https://aws.amazon.com/rds/postgresql/pricing/"""
    deployment = "Multi-AZ" if instance.multi_az else "Single-AZ"
    label = f"RDS PostgreSQL {instance.instance_class} {deployment}"
    extra_backup = max(0.0, usage.rds_backup_gb - instance.storage_gb)
    return [
        priced(
            f"{label} instance hours",
            (instance.copies, "instance"),
            (prices.hours_per_month, "h"),
            price=rds_hour_price(prices, instance.instance_class),
        ),
        priced(
            f"{label} gp3 storage",
            (instance.copies, "copy"),
            (instance.storage_gb, "GB"),
            price=prices.rds_gp3_gb_month,
        ),
        priced(
            f"RDS backup storage beyond the free {instance.storage_gb} GB (stated "
            f"{shown_number(usage.rds_backup_gb)} GB)",
            (extra_backup, "GB"),
            price=prices.rds_backup_gb_month,
        ),
    ]
