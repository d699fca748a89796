"""`egress` is one setting whose value is the network's NAT choice; the 0.1 pair (`egress: nat`
with `natGateways`) still deploys the same network, with a warning naming the line to write."""

import pulumi
import pytest

from tests.stack_runs import prod_config, run_main

NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"


def deployed(monkeypatch: pytest.MonkeyPatch, **settings: str) -> tuple[int, int, list[str]]:
    warned: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *_, **__: warned.append(message))
    recording = run_main(prod_config(**settings))
    nats = len(recording.of_type(NAT_GATEWAY))
    endpoints = len(recording.of_type(VPC_ENDPOINT))
    return nats, endpoints, [line for line in warned if "egress" in line or "natGateways" in line]


@pytest.mark.parametrize(
    ("former", "current"),
    [
        ({"egress": "nat", "natGateways": "per-az"}, {"egress": "nat-per-az"}),
        ({"egress": "nat"}, {"egress": "nat-single"}),
    ],
)
def test_the_former_pair_deploys_what_its_new_value_deploys_and_warns(monkeypatch, former, current):
    *old_network, warnings = deployed(monkeypatch, **former)
    *new_network, no_warnings = deployed(monkeypatch, **current)
    assert old_network == new_network
    assert old_network[0] >= 1  # NAT gateways, so the comparison is not of two empty networks
    assert warnings
    assert any(f"`{current['egress']}`" in line for line in warnings)
    assert no_warnings == []


def test_nat_per_az_puts_a_gateway_in_every_zone_and_single_one(monkeypatch):
    per_az, _, _ = deployed(monkeypatch, egress="nat-per-az", azCount="3")
    single, _, _ = deployed(monkeypatch, egress="nat-single", azCount="3")
    endpoints_only, _, _ = deployed(monkeypatch, egress="endpoints", azCount="3")
    assert (per_az, single, endpoints_only) == (3, 1, 0)
