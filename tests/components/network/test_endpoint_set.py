"""EndpointSet and its catalog on their own."""

from __future__ import annotations

import pulumi
import pytest

from components.fargate.types import EgressRule
from components.network.endpoint_set import (
    CLIENT_PORTS,
    ENDPOINT_CATALOG,
    NOT_NEEDED,
    EndpointSet,
    EndpointSetArgs,
    client_egress_rules,
    required_endpoints_of,
)
from tests.stack_runs import INGRESS_RULE, VPC_ENDPOINT, run_component

SUBNETS = ["subnet-a", "subnet-c"]
ROUTE_TABLES = ["rtb-a", "rtb-c"]


def build(services, **kwargs):
    def program() -> None:
        endpoints = EndpointSet(
            "ep",
            EndpointSetArgs(
                vpc_id="vpc-1",
                vpc_cidr="10.0.0.0/16",
                region="ap-northeast-1",
                subnet_ids=SUBNETS,
                route_table_ids=ROUTE_TABLES,
                services=frozenset(services),
                **kwargs,
            ),
        )
        pulumi.export("endpoint_ids", endpoints.endpoint_ids)
        pulumi.export("prefix_list_ids", endpoints.prefix_list_ids)
        pulumi.export(
            "client_egress",
            [(rule.port, rule.description, rule.cidr) for rule in endpoints.client_egress],
        )

    return run_component(program)


def test_catalog_says_why_and_where_it_is_documented():
    for service, info in ENDPOINT_CATALOG.items():
        assert info.service == service
        assert info.reason
        assert info.needed_for
        assert info.source.startswith("https://docs.aws.amazon.com/"), service
        assert (info.kind == "Gateway") == (info.port is None)
    assert ENDPOINT_CATALOG["s3"].kind == "Gateway"
    assert ENDPOINT_CATALOG["email-smtp"].port == 587


def test_endpoints_this_stack_leaves_out_are_documented_with_a_source():
    assert "ec2messages" in NOT_NEEDED
    assert "elasticfilesystem" in NOT_NEEDED
    assert (
        "https://docs.aws.amazon.com/efs/latest/ug/efs-vpc-endpoints.html"
        in NOT_NEEDED["elasticfilesystem"]
    )
    assert not set(NOT_NEEDED) & set(ENDPOINT_CATALOG)


def test_s3_is_a_gateway_on_the_private_route_tables():
    recording = build({"s3"})
    endpoint = recording.one(VPC_ENDPOINT)
    assert endpoint.inputs["serviceName"] == "com.amazonaws.ap-northeast-1.s3"
    assert endpoint.inputs["vpcEndpointType"] == "Gateway"
    assert endpoint.inputs["routeTableIds"] == ROUTE_TABLES
    assert not recording.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert recording.outputs["prefix_list_ids"]["s3"].startswith("pl-")


def test_interface_endpoints_use_private_dns_in_every_subnet_behind_one_group():
    recording = build({"ecr.api", "ecr.dkr", "logs"})
    group = recording.one("aws:ec2/securityGroup:SecurityGroup")
    for endpoint in recording.of_type(VPC_ENDPOINT):
        assert endpoint.inputs["vpcEndpointType"] == "Interface"
        assert endpoint.inputs["privateDnsEnabled"] is True
        assert endpoint.inputs["subnetIds"] == SUBNETS
        assert endpoint.inputs["securityGroupIds"] == [group.id]
    (rule,) = recording.of_type(INGRESS_RULE)
    assert (rule.inputs["fromPort"], rule.inputs["cidrIpv4"]) == (443, "10.0.0.0/16")


def test_email_smtp_opens_587_not_only_443():
    recording = build({"logs", "email-smtp"})
    ports = sorted(r.inputs["fromPort"] for r in recording.of_type(INGRESS_RULE))
    assert ports == [443, 587]
    assert all(r.inputs["cidrIpv4"] == "10.0.0.0/16" for r in recording.of_type(INGRESS_RULE))


def test_interface_endpoints_can_be_limited_to_some_azs():
    recording = build({"logs"}, interface_az_count=1)
    assert recording.one(VPC_ENDPOINT).inputs["subnetIds"] == SUBNETS[:1]


def test_gateway_only_skips_interface_endpoints():
    recording = build({"s3", "logs", "ecr.api"}, gateway_only=True)
    assert [e.inputs["vpcEndpointType"] for e in recording.of_type(VPC_ENDPOINT)] == ["Gateway"]


def test_unknown_service_is_refused_with_the_known_ones_listed():
    with pytest.raises(ValueError, match=r"ec2messages, which the catalog does not know; known:"):
        build({"ec2messages"})


def test_required_endpoints_of_is_the_union_of_the_parts():
    class Part:
        def __init__(self, *services: str) -> None:
            self.required_endpoints = frozenset(services)

    assert required_endpoints_of(Part("s3", "logs"), Part("s3"), Part()) == {"s3", "logs"}


def test_a_part_the_stack_leaves_out_needs_no_endpoint():
    class Part:
        required_endpoints = frozenset({"email-smtp"})

    assert required_endpoints_of(Part(), None) == {"email-smtp"}
    assert required_endpoints_of(None) == frozenset()


# --- what a client of the endpoints may open ------------------------------------------------
PRIVATE_TASK = {"ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager", "ssmmessages"}


def egress(services, through_nat=False):
    return client_egress_rules(
        services,
        through_nat=through_nat,
        endpoint_group_id="sg-endpoints",
        prefix_list_ids={"s3": "pl-s3"},
    )


def test_a_client_opens_https_to_the_endpoints_group_and_to_the_s3_prefix_list():
    assert egress(PRIVATE_TASK) == [
        EgressRule(443, "HTTPS to the VPC endpoints", security_group_id="sg-endpoints"),
        EgressRule(443, "HTTPS to S3", prefix_list_id="pl-s3"),
    ]


def test_a_client_that_sends_mail_also_opens_smtp_to_the_email_smtp_endpoint():
    assert egress(PRIVATE_TASK | {"email-smtp"})[-1] == EgressRule(
        587, "SMTP to email-smtp", security_group_id="sg-endpoints"
    )
    assert [rule.port for rule in egress(PRIVATE_TASK | {"email-smtp"})] == [443, 443, 587]


def test_a_client_of_gateway_endpoints_only_opens_no_security_group():
    assert egress({"s3"}) == [EgressRule(443, "HTTPS to S3", prefix_list_id="pl-s3")]


def test_through_nat_a_client_opens_the_same_ports_to_anywhere():
    assert egress(PRIVATE_TASK | {"email-smtp"}, through_nat=True) == [
        EgressRule(443, "HTTPS to AWS through NAT", cidr="0.0.0.0/0"),
        EgressRule(587, "SMTP to SES through NAT", cidr="0.0.0.0/0"),
    ]
    assert egress(PRIVATE_TASK, through_nat=True) == [
        EgressRule(443, "HTTPS to AWS through NAT", cidr="0.0.0.0/0")
    ]


def test_interface_services_without_the_endpoints_group_are_refused():
    with pytest.raises(ValueError, match="logs need the interface endpoints' security group"):
        client_egress_rules({"logs"}, through_nat=False, endpoint_group_id=None, prefix_list_ids={})


def test_every_port_of_the_catalog_has_a_client_protocol():
    assert {info.port or 443 for info in ENDPOINT_CATALOG.values()} <= set(CLIENT_PORTS)


def test_the_endpoint_set_gives_its_clients_the_rules_of_its_services():
    recording = build({"s3", "logs", "email-smtp"})
    assert recording.outputs["client_egress"] == [
        (443, "HTTPS to logs", None),
        (443, "HTTPS to S3", None),
        (587, "SMTP to email-smtp", None),
    ]
    nat = build({"s3", "logs"}, gateway_only=True)
    assert nat.outputs["client_egress"] == [(443, "HTTPS to AWS through NAT", "0.0.0.0/0")]
