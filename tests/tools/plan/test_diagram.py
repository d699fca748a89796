"""The Mermaid diagram: components as subgraphs, resources grouped by type, traffic edges."""

from __future__ import annotations

from collections import Counter

from policy.reach import services_reached
from tools.plan import generated_docs
from tools.plan.derive import rule_resources
from tools.plan.diagram import declared_ids, mermaid, unique_ids, urn_path

from .recorded import component, resource, small_stack


def diagram(recorded) -> str:
    return mermaid(recorded, services_reached(rule_resources(recorded)))


def test_components_nest_and_resources_are_grouped_by_type():
    text = diagram(small_stack())
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == "flowchart TB"
    assert 'subgraph c_PrivateNetwork__net["PrivateNetwork: net"]' in lines
    assert 'r_PrivateNetwork__net__Subnet["Subnet x4"]' in lines
    # the endpoint set is drawn inside the network component that parents it
    network = lines.index('subgraph c_PrivateNetwork__net["PrivateNetwork: net"]')
    endpoint_set = lines.index(
        'subgraph c_EndpointSet__net_endpoints["EndpointSet: net-endpoints"]'
    )
    assert network < endpoint_set < lines.index("end", endpoint_set)


def test_traffic_edges_follow_the_reached_services():
    text = diagram(small_stack())
    assert 'internet -->|"HTTPS 443"| r_stack__LoadBalancer' in text
    assert "r_stack__LoadBalancer --> r_FargateService__app__Service" in text
    carried = "ecr.api, ecr.dkr, logs, s3, secretsmanager"
    assert (
        f'r_FargateService__app__Service -->|"{carried}"| r_EndpointSet__net_endpoints__VpcEndpoint'
        in text
    )


def test_nat_egress_is_drawn_through_the_nat_gateway():
    text = diagram(small_stack(egress="nat"))
    carried = "ecr.api, ecr.dkr, logs, secretsmanager"
    service, nat = "r_FargateService__app__Service", "r_PrivateNetwork__net__NatGateway"
    assert f'{service} -->|"{carried}"| {nat}' in text


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


# --- ids: one per node and subgraph, from the URN -----------------------------------------------


def test_the_documented_diagram_declares_every_id_once():
    diagram_block = generated_docs.DIAGRAM
    block = generated_docs.read_block(diagram_block.read_document(), diagram_block)
    ids = declared_ids(block)
    assert len(ids) > 20  # the parser found the declarations
    assert [node for node, count in Counter(ids).items() if count > 1] == []


def test_components_that_share_a_name_are_separate_subgraphs():
    network = component("django-tw:network:PrivateNetwork", "tw-prod")
    task = component("django-tw:fargate:FargateService", "tw-prod")
    images = component("django-tw:fargate:ServiceImages", "tw-prod")
    recorded = [network, task, images]
    recorded += [resource("aws:ec2/subnet:Subnet", "tw-prod-a", network)]
    recorded += [resource("aws:ecr/repository:Repository", "tw-prod-web", images)]
    ids = declared_ids(diagram(recorded))
    assert len(ids) == len(set(ids))
    subgraphs = [line.split()[1] for line in diagram(recorded).splitlines() if "subgraph" in line]
    assert len(set(subgraphs)) == 3


def test_an_id_names_the_types_from_the_urn_without_the_stack():
    stack = "pulumi:pulumi:Stack"
    db = "django-tw:postgres:EfsPostgres"
    secret = "django-tw:storage:GeneratedSecret"
    urn = f"urn:pulumi:prod::django-tw::{stack}${db}${secret}::tw-prod-db-url"
    assert urn_path(urn) == "EfsPostgres_GeneratedSecret__tw-prod-db-url"


def test_texts_that_sanitize_alike_still_get_distinct_ids():
    ids = unique_ids({"a": "c_x__tw-prod", "b": "c_x__tw_prod", "c": "c_x__tw_prod_2"})
    assert ids == {"a": "c_x__tw_prod", "b": "c_x__tw_prod_2", "c": "c_x__tw_prod_2_2"}


def test_declared_ids_reads_nodes_and_subgraphs_not_edges():
    source = 'flowchart TB\n  subgraph s["S"]\n    n["N"]\n  end\n  i(("I"))\n  i -->|"x"| n\n'
    assert declared_ids(source) == ["s", "n", "i"]
