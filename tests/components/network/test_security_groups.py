"""A security group rule opens one TCP port to exactly one peer, ingress and egress alike."""

from __future__ import annotations

import pulumi
import pytest

from components.network.security_groups import allow_tcp_in, allow_tcp_out, one_tcp_port
from tests.stack_runs import EGRESS_RULE, INGRESS_RULE, run_component

PEERS = {
    "cidr_ipv4": "10.0.0.0/16",
    "referenced_security_group_id": "sg-0123456789abcdef0",
    "prefix_list_id": "pl-61a54008",
}


@pytest.mark.parametrize("peer", sorted(PEERS))
def test_a_rule_is_one_tcp_port_open_to_the_one_peer_it_names(peer):
    assert one_tcp_port(5432, "Postgres from its clients", **{peer: PEERS[peer]}) == {
        "ip_protocol": "tcp",
        "from_port": 5432,
        "to_port": 5432,
        "description": "Postgres from its clients",
        peer: PEERS[peer],
    }


def test_a_rule_without_a_peer_is_refused_with_its_port_and_description():
    with pytest.raises(ValueError, match=r"TCP 2049 \(NFS to the file system\).*none"):
        one_tcp_port(2049, "NFS to the file system")


def test_a_rule_with_two_peers_is_refused_naming_both():
    with pytest.raises(ValueError, match="cidr_ipv4, prefix_list_id"):
        one_tcp_port(443, "HTTPS", cidr_ipv4=PEERS["cidr_ipv4"], prefix_list_id="pl-61a54008")


def test_ingress_and_egress_rules_declare_the_same_port_shape_on_their_group():
    def program() -> None:
        opts = pulumi.ResourceOptions()
        allow_tcp_in("in", "sg-in", 8000, "from the load balancer", opts, cidr_ipv4="10.0.0.0/16")
        allow_tcp_out("out", "sg-out", 443, "AWS APIs", opts, prefix_list_id="pl-61a54008")

    recording = run_component(program)
    (ingress,) = recording.of_type(INGRESS_RULE)
    (egress,) = recording.of_type(EGRESS_RULE)
    assert {key: ingress.inputs.get(key) for key in ("securityGroupId", "fromPort", "toPort")} == {
        "securityGroupId": "sg-in",
        "fromPort": 8000,
        "toPort": 8000,
    }
    assert ingress.inputs["ipProtocol"] == egress.inputs["ipProtocol"] == "tcp"
    assert ingress.inputs["cidrIpv4"] == "10.0.0.0/16"
    assert "referencedSecurityGroupId" not in ingress.inputs
    assert egress.inputs["prefixListId"] == "pl-61a54008"
    assert {"cidrIpv4", "referencedSecurityGroupId"}.isdisjoint(egress.inputs)
    assert (egress.inputs["fromPort"], egress.inputs["toPort"]) == (443, 443)
