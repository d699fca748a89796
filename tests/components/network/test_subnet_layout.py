"""The subnet layout: every subnet index has a fixed slot of the VPC."""

import ipaddress
import itertools

import pytest

from components.network.subnet_layout import (
    MAX_AZS,
    SMALLEST_SUBNET_PREFIX,
    subnet_blocks,
    zone_slots,
)

VPC_CIDRS = [f"10.0.0.0/{prefix}" for prefix in range(16, 25)]


def layout(cidr: str, az_count: int) -> tuple[list[str], list[str]]:
    """As PrivateNetwork asks for it: public subnets span at least two zones."""
    return subnet_blocks(cidr, max(2, az_count), az_count)


@pytest.mark.parametrize("cidr", VPC_CIDRS)
def test_adding_a_zone_only_adds_subnets(cidr):
    grown = [layout(cidr, count) for count in range(1, min(MAX_AZS, zone_slots(cidr)) + 1)]
    assert len(grown) >= 2  # every accepted VPC grows from 1 to at least 2 zones
    for smaller, larger in itertools.pairwise(grown):
        for tier_before, tier_after in zip(smaller, larger, strict=True):
            assert tier_after[: len(tier_before)] == tier_before


def test_azcount_1_to_2_to_3_keeps_every_earlier_cidr_in_a_16():
    one, two, three = (layout("10.0.0.0/16", count) for count in (1, 2, 3))
    assert one == (["10.0.0.0/20", "10.0.16.0/20"], ["10.0.128.0/20"])
    assert two == (["10.0.0.0/20", "10.0.16.0/20"], ["10.0.128.0/20", "10.0.144.0/20"])
    assert three == (
        ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
        ["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"],
    )


@pytest.mark.parametrize("cidr", VPC_CIDRS)
def test_the_most_zones_a_vpc_holds_fit_inside_it_without_overlap_and_big_enough(cidr):
    zones = min(MAX_AZS, zone_slots(cidr))
    public, private = layout(cidr, zones)
    blocks = [ipaddress.ip_network(block) for block in public + private]
    vpc = ipaddress.ip_network(cidr)
    assert all(block.subnet_of(vpc) for block in blocks)
    assert all(not a.overlaps(b) for i, a in enumerate(blocks) for b in blocks[i + 1 :])
    assert all(block.prefixlen <= SMALLEST_SUBNET_PREFIX for block in blocks)


def test_a_16_to_22_holds_every_zone_a_region_has_and_a_24_two():
    assert all(zone_slots(f"10.0.0.0/{prefix}") >= MAX_AZS for prefix in range(16, 23))
    assert zone_slots("10.0.0.0/23") == 4
    assert zone_slots("10.0.0.0/24") == 2


@pytest.mark.parametrize(
    ("cidr", "zones", "message"),
    [
        (
            "10.0.0.0/24",
            3,
            r"VPC 10.0.0.0/24 holds subnets of at least /26 for 2 .* not 3; "
            r"use a larger VPC CIDR \(/23 or larger\)",
        ),
        ("10.0.0.0/23", 5, r"for 4 .* not 5; use a larger VPC CIDR \(/22 or larger\)"),
        ("10.0.0.0/26", 2, r"for 0 .* not 2; use a larger VPC CIDR \(/24 or larger\)"),
    ],
)
def test_a_vpc_too_small_for_the_zones_is_refused_with_the_size_that_fits(cidr, zones, message):
    with pytest.raises(ValueError, match=message):
        layout(cidr, zones)
