"""The price file: every region has every price, each with a source and a date."""

from __future__ import annotations

import tomllib

import pytest

from components.postgres.rds_parameters import INSTANCE_CLASSES
from tools.plan.prices import (
    PRICE_FILE,
    PRICE_KEYS,
    UnknownRegionError,
    known_regions,
    load_prices,
    rds_hour_price,
)

DOCUMENT = tomllib.loads(PRICE_FILE.read_text())


def test_tokyo_and_virginia_are_priced():
    assert {"ap-northeast-1", "us-east-1"} <= set(known_regions())


@pytest.mark.parametrize("region", sorted(DOCUMENT["regions"]))
def test_every_price_has_a_value_and_a_source(region):
    entry = DOCUMENT["regions"][region]
    assert entry["retrieved"]
    assert entry["source"]
    for key in PRICE_KEYS:
        assert entry["prices"][key] > 0, key
        assert "https://" in entry["sources"][key], key
    assert set(entry["prices"]) == set(PRICE_KEYS), "a price the model does not use, or a typo"


def test_tokyo_prices_are_the_design_figures():
    tokyo = load_prices("ap-northeast-1")
    assert (tokyo.interface_endpoint_az_hour, tokyo.nat_gateway_hour, tokyo.alb_hour) == (
        0.014,
        0.062,
        0.0243,
    )
    assert (tokyo.fargate_arm_vcpu_hour, tokyo.fargate_x86_vcpu_hour) == (0.04045, 0.05056)
    assert tokyo.hours_per_month == 730


def test_unknown_region_says_which_regions_exist():
    with pytest.raises(UnknownRegionError, match=r"eu-west-3.*ap-northeast-1, us-east-1"):
        load_prices("eu-west-3")


def test_every_class_a_stack_may_choose_has_a_price_in_every_region():

    for region in known_regions():
        prices = load_prices(region)
        hourly = [rds_hour_price(prices, c) for c in INSTANCE_CLASSES]
        assert hourly == sorted(hourly), region  # bigger classes cost more
        assert all(price > 0 for price in hourly)
    with pytest.raises(ValueError, match="no RDS price"):
        rds_hour_price(load_prices("ap-northeast-1"), "db.r6g.large")
