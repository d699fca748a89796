"""The Mermaid diagram: components as subgraphs, resources grouped by type, traffic edges."""

from __future__ import annotations

from plan.derive import rule_resources
from plan.diagram import mermaid
from policy.reach import services_reached

from .recorded import small_stack


def diagram(recorded) -> str:
    return mermaid(recorded, services_reached(rule_resources(recorded)))


def test_components_nest_and_resources_are_grouped_by_type():
    text = diagram(small_stack())
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == "flowchart TB"
    assert 'subgraph component__net["PrivateNetwork: net"]' in lines
    assert 'r_net__Subnet["Subnet x4"]' in lines
    # the endpoint set is drawn inside the network component that parents it
    network = lines.index('subgraph component__net["PrivateNetwork: net"]')
    endpoint_set = lines.index('subgraph component__net_endpoints["EndpointSet: net-endpoints"]')
    assert network < endpoint_set < lines.index("end", endpoint_set)


def test_traffic_edges_follow_the_reached_services():
    text = diagram(small_stack())
    assert 'internet -->|"HTTPS 443"| r_stack__LoadBalancer' in text
    assert "r_stack__LoadBalancer --> r_app__Service" in text
    carried = "ecr.api, ecr.dkr, logs, s3, secretsmanager"
    assert f'r_app__Service -->|"{carried}"| r_net_endpoints__VpcEndpoint' in text


def test_nat_egress_is_drawn_through_the_nat_gateway():
    text = diagram(small_stack(egress="nat"))
    assert 'r_app__Service -->|"ecr.api, ecr.dkr, logs, secretsmanager"| r_net__NatGateway' in text


def test_a_service_without_a_route_is_drawn_as_such():
    recorded = [
        r
        for r in small_stack()
        if not r.name.endswith("-logs") or r.type != "aws:ec2/vpcEndpoint:VpcEndpoint"
    ]
    recorded = [r for r in recorded if r.name != "net-endpoints-logs"]
    text = diagram(recorded)
    assert 'unreachable["NO ROUTE: logs"]' in text


def test_the_same_stack_always_gives_the_same_text():
    assert diagram(small_stack()) == diagram(list(reversed(small_stack())))
