"""The prod stack's network, run from __main__.py with Pulumi.prod.yaml's settings: subnets,
VPC endpoints, security groups and egress, and the other egress choices."""

from __future__ import annotations

import json

import pytest

from policy.aws_types import SUBNET
from tests.stack_runs import (
    BUCKET,
    EGRESS_RULE,
    INGRESS_RULE,
    SECURITY_GROUP,
    SERVICE,
    VPC_ENDPOINT,
    group_by_id,
    prod_config,
    rules_of,
    run_main,
)
from tools.offline import StackRecording


def subnets(recording: StackRecording, tier: str) -> list:
    """The subnets PrivateNetwork tagged with ``tier`` (public or private)."""
    return [s for s in recording.of_type(SUBNET) if s.inputs["tags"]["tier"] == tier]


def test_tasks_run_in_private_subnets_over_two_azs_without_public_ip(prod):
    network = prod.one(SERVICE).inputs["networkConfiguration"]
    private = subnets(prod, "private")
    assert network["assignPublicIp"] is False
    assert sorted(network["subnets"]) == sorted(s.id for s in private)
    assert len({s.inputs["availabilityZone"] for s in private}) >= 2
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in prod.of_type(SUBNET))


def test_load_balancer_sits_in_public_subnets_over_two_azs(prod):
    balancer = prod.one("aws:lb/loadBalancer:LoadBalancer")
    public = subnets(prod, "public")
    assert balancer.inputs["internal"] is False
    assert sorted(balancer.inputs["subnets"]) == sorted(s.id for s in public)
    assert len({s.inputs["availabilityZone"] for s in public}) >= 2


def test_private_subnets_reach_aws_through_the_derived_endpoint_set(prod):
    services = {e.inputs["serviceName"].rsplit(".", 1)[-1] for e in prod.of_type(VPC_ENDPOINT)}
    names = {e.inputs["serviceName"] for e in prod.of_type(VPC_ENDPOINT)}
    expected = {"ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager", "ssmmessages", "email-smtp"}
    assert names == {f"com.amazonaws.ap-northeast-1.{s}" for s in expected}
    assert "ec2messages" not in services
    assert "elasticfilesystem" not in services
    assert not prod.of_type("aws:ec2/natGateway:NatGateway")
    assert prod.outputs["vpc_endpoints"] == sorted(expected)


def test_endpoints_are_gateway_for_s3_and_private_dns_interfaces_for_the_rest(prod):
    private_ids = sorted(s.id for s in subnets(prod, "private"))
    for endpoint in prod.of_type(VPC_ENDPOINT):
        if endpoint.inputs["serviceName"].endswith(".s3"):
            assert endpoint.inputs["vpcEndpointType"] == "Gateway"
            assert len(endpoint.inputs["routeTableIds"]) == len(private_ids)
        else:
            assert endpoint.inputs["vpcEndpointType"] == "Interface"
            assert endpoint.inputs["privateDnsEnabled"] is True
            assert sorted(endpoint.inputs["subnetIds"]) == private_ids


def test_efs_has_a_mount_target_in_every_task_subnet(prod):
    task_subnets = set(prod.one(SERVICE).inputs["networkConfiguration"]["subnets"])
    mounts = prod.of_type("aws:efs/mountTarget:MountTarget")
    assert [m.inputs["subnetId"] for m in mounts].count(next(iter(task_subnets))) == 1
    assert {m.inputs["subnetId"] for m in mounts} == task_subnets
    assert len(mounts) == len(task_subnets)


def test_no_ingress_from_anywhere_except_the_load_balancer_on_80_and_443(prod):
    groups = group_by_id(prod)
    balancer_group = prod.one("aws:lb/loadBalancer:LoadBalancer").inputs["securityGroups"][0]
    open_rules = []
    for rule in prod.of_type(INGRESS_RULE):
        if rule.inputs.get("cidrIpv4") == "0.0.0.0/0" or rule.inputs.get("cidrIpv6") == "::/0":
            open_rules.append((rule.inputs["securityGroupId"], rule.inputs["fromPort"]))
            assert rule.inputs["fromPort"] == rule.inputs["toPort"]
    assert sorted(open_rules) == [(balancer_group, 80), (balancer_group, 443)]
    for group in groups.values():  # no inline rules that would escape the check above
        assert not group.inputs.get("ingress"), group.name


def test_task_accepts_traffic_from_the_load_balancer_only(prod):
    task_group = prod.one(SERVICE).inputs["networkConfiguration"]["securityGroups"][0]
    balancer_group = prod.one("aws:lb/loadBalancer:LoadBalancer").inputs["securityGroups"][0]
    rules = rules_of(prod, INGRESS_RULE, group_by_id(prod)[task_group])
    assert rules == [
        {
            "securityGroupId": task_group,
            "ipProtocol": "tcp",
            "fromPort": 8080,
            "toPort": 8080,
            "referencedSecurityGroupId": balancer_group,
            "description": "from the load balancer",
        }
    ]


def test_smtp_port_587_leads_to_the_email_smtp_endpoint_only(prod):
    endpoint = next(
        e for e in prod.of_type(VPC_ENDPOINT) if e.inputs["serviceName"].endswith("email-smtp")
    )
    endpoint_group = group_by_id(prod)[endpoint.inputs["securityGroupIds"][0]]
    ingress = rules_of(prod, INGRESS_RULE, endpoint_group)
    assert {(r["fromPort"], r["cidrIpv4"]) for r in ingress} == {
        (443, "10.0.0.0/16"),
        (587, "10.0.0.0/16"),
    }
    task_group = group_by_id(prod)[
        prod.one(SERVICE).inputs["networkConfiguration"]["securityGroups"][0]
    ]
    smtp_egress = [r for r in rules_of(prod, EGRESS_RULE, task_group) if r["fromPort"] == 587]
    assert smtp_egress == [
        {
            "securityGroupId": task_group.id,
            "ipProtocol": "tcp",
            "fromPort": 587,
            "toPort": 587,
            "referencedSecurityGroupId": endpoint_group.id,
            "description": "SMTP to email-smtp",
        }
    ]


def test_security_groups_are_all_in_the_stacks_vpc(prod):
    vpc = prod.one("aws:ec2/vpc:Vpc")
    assert all(group.inputs["vpcId"] == vpc.id for group in prod.of_type(SECURITY_GROUP))


def test_the_vpc_logs_rejected_flows_and_exec_sessions_are_logged(prod):
    assert prod.one("aws:ec2/flowLog:FlowLog").inputs["trafficType"] == "REJECT"
    assert prod.outputs["audit_log_groups"] == ["/vpc/tw-prod/flow-logs", "/ecs-exec/tw-prod"]


def test_the_s3_endpoint_reaches_the_media_and_backup_buckets_for_this_account(prod):
    endpoint = next(
        e for e in prod.of_type(VPC_ENDPOINT) if e.inputs["vpcEndpointType"] == "Gateway"
    )
    stack_buckets = next(
        s for s in json.loads(endpoint.inputs["policy"])["Statement"] if s["Sid"] == "StackBuckets"
    )
    arns = {
        prod.one(BUCKET, name=name).outputs["arn"]
        for name in ("tw-prod-media-bucket", "tw-prod-db-backups-bucket")
    }
    assert set(stack_buckets["Resource"]) == arns | {f"{arn}/*" for arn in arns}
    assert stack_buckets["Condition"] == {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}


@pytest.fixture(scope="module")
def nat_stack() -> StackRecording:
    return run_main(prod_config(egress="nat"))


def test_egress_nat_gives_a_nat_gateway_and_no_interface_endpoints(nat_stack):
    assert len(nat_stack.of_type("aws:ec2/natGateway:NatGateway")) == 1
    endpoints = nat_stack.of_type(VPC_ENDPOINT)
    assert [e.inputs["vpcEndpointType"] for e in endpoints] == ["Gateway"]
    for table in nat_stack.of_type("aws:ec2/routeTable:RouteTable"):
        if "private" in table.name:
            assert table.inputs["routes"][0]["cidrBlock"] == "0.0.0.0/0"
            assert table.inputs["routes"][0]["natGatewayId"]


def test_egress_nat_per_az_gives_one_gateway_per_az():
    recording = run_main(prod_config(egress="nat", natGateways="per-az"))
    assert len(recording.of_type("aws:ec2/natGateway:NatGateway")) == 2


def test_interface_endpoints_can_be_limited_to_one_az():
    recording = run_main(prod_config(endpointAzCount=1))
    for endpoint in recording.of_type(VPC_ENDPOINT):
        if endpoint.inputs["vpcEndpointType"] == "Interface":
            assert len(endpoint.inputs["subnetIds"]) == 1
