"""The optional parts' lines (audit logs and keys, a WAF web ACL, RDS), priced through
:func:`tools.plan.cost.estimate` against figures computed by hand (Tokyo, 730 h/month, each line
rounded half-up to cents)."""

from __future__ import annotations

from decimal import Decimal

from tools.plan.cost import estimate
from tools.plan.prices import load_prices
from tools.plan.shape import RdsInstance, StackShape, Usage


def amounts(result) -> dict[str, str]:
    return {line.item: str(line.monthly_usd) for line in result.lines}


def test_audit_logs_are_priced_from_stated_volumes_and_keys_per_month():
    """Tokyo, one flow log, one access log bucket, one key; usage: 0.5 GB of flow logs a month
    and 0.5 GB kept, 1 GB of access logs kept.

        flow log ingestion (vended)  0.5 x 0.76  = 0.38
        flow log storage             0.5 x 0.033 = 0.02 (0.0165, half up)
        access logs in S3            1   x 0.025 = 0.03 (0.025, half up)
        KMS key                      1   x 1.00  = 1.00
                                           total = 1.43
    """
    shape = StackShape(region="ap-northeast-1", flow_logs=1, access_log_buckets=1, kms_keys=1)
    result = estimate(shape, load_prices("ap-northeast-1"))
    assert amounts(result) == {
        "VPC flow logs ingestion, vended logs (stated volume)": "0.38",
        "CloudWatch Logs storage, VPC flow logs (stated size)": "0.02",
        "S3 Standard storage, ALB access logs (stated size)": "0.03",
        "KMS customer managed keys": "1.00",
    }
    assert result.total == Decimal("1.43")


def test_a_web_acl_costs_5_a_month_plus_1_per_rule_plus_0_60_per_million_requests():
    shape = StackShape(region="ap-northeast-1", waf_web_acl_rules=(3,))
    result = estimate(shape, load_prices("ap-northeast-1"), Usage(waf_million_requests=2.0))
    assert amounts(result) == {
        "AWS WAF web ACL": "5.00",
        "AWS WAF rules": "3.00",
        "AWS WAF requests (stated volume)": "1.20",
    }
    assert load_prices("us-east-1").waf_million_requests == 0.60
    assert "aws.amazon.com/waf/pricing" in load_prices("us-east-1").sources["waf_rule_month"]


def test_no_web_acl_no_waf_lines():
    result = estimate(StackShape(region="ap-northeast-1"), load_prices("ap-northeast-1"))
    assert not [line for line in result.lines if "WAF" in line.item]


# --- RDS -------------------------------------------------------------------------------------


def rds_shape(instance_class: str = "db.t4g.micro", multi_az: bool = False, storage: int = 20):
    return StackShape(
        region="ap-northeast-1",
        rds_instances=(RdsInstance("db", instance_class, storage, multi_az),),
    )


def rds_line(estimate_, words: str):
    return next(line for line in estimate_.lines if words in line.item)


def test_rds_prices_instance_hours_storage_and_backups_beyond_the_free_allowance():
    prices = load_prices("ap-northeast-1")
    single = estimate(rds_shape(), prices, Usage(rds_backup_gb=35))
    assert rds_line(single, "instance hours").monthly_usd == Decimal("18.25")  # 730 x 0.025
    assert rds_line(single, "gp3 storage").monthly_usd == Decimal("2.76")  # 20 x 0.138
    backups = rds_line(single, "backup storage")
    assert backups.quantity.startswith("15 GB")  # 35 stated - 20 free
    assert backups.monthly_usd == Decimal("1.43")  # 15 x 0.095, half up


def test_multi_az_doubles_the_instance_and_its_storage():
    prices = load_prices("ap-northeast-1")
    single = estimate(rds_shape(multi_az=False), prices)
    double = estimate(rds_shape(multi_az=True), prices)
    for words in ("instance hours", "gp3 storage"):
        assert rds_line(double, words).monthly_usd == 2 * rds_line(single, words).monthly_usd
    assert "Multi-AZ" in rds_line(double, "instance hours").item
