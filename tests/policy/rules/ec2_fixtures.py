"""A passing and a failing stack for each EC2 / VPC rule (rule id -> (passing, failing))."""

from __future__ import annotations

from policy.aws_types import (
    DEFAULT_SECURITY_GROUP,
    FLOW_LOG,
    INGRESS_RULE,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    VPC,
)
from policy.model import Resource

from ..builders import PRIVATE_SUBNET, PUBLIC_SUBNET, endpoint, policy_document, res

THE_VPC = res(VPC, "vpc", id="vpc-1", cidrBlock="10.0.0.0/16")
ACCOUNT = "123456789012"


def flow_log(traffic_type: str) -> Resource:
    return res(FLOW_LOG, "flow-log", vpcId="vpc-1", trafficType=traffic_type)


def endpoint_with(service_name: str, **statement: object) -> Resource:
    base = endpoint(service_name)
    document = policy_document({"Effect": "Allow", "Principal": "*", **statement})
    return res(base.type, base.name, **(dict(base.props) | {"policy": document}))


THIS_ACCOUNT_ONLY = {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}
ALB_INGRESS_443 = {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}

FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "EC2.2": (
        [THE_VPC, res(DEFAULT_SECURITY_GROUP, "default-sg", vpcId="vpc-1")],
        [
            THE_VPC,
            res(
                DEFAULT_SECURITY_GROUP,
                "default-sg",
                vpcId="vpc-1",
                ingress=[{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}],
            ),
        ],
    ),
    "EC2.6": ([THE_VPC, flow_log("REJECT")], [THE_VPC, flow_log("ACCEPT")]),
    "EC2.15": ([PRIVATE_SUBNET], [PUBLIC_SUBNET]),
    "EC2.18": (
        [res(SECURITY_GROUP, "alb-sg", ingress=[ALB_INGRESS_443])],
        [
            res(
                INGRESS_RULE,
                "alb-8443",
                ipProtocol="tcp",
                fromPort=8443,
                toPort=8443,
                cidrIpv4="0.0.0.0/0",
            )
        ],
    ),
    "EC2.19": (
        [
            res(
                SECURITY_GROUP_RULE,
                "task-from-alb",
                type="ingress",
                protocol="tcp",
                fromPort=8080,
                toPort=8080,
                sourceSecurityGroupId="sg-alb",
            )
        ],
        [
            res(
                SECURITY_GROUP_RULE,
                "task-world",
                type="ingress",
                protocol="tcp",
                fromPort=8080,
                toPort=8080,
                cidrBlocks=["0.0.0.0/0"],
            )
        ],
    ),
    "DJTW.ENDPOINT-POLICY": (
        [endpoint_with("logs", Action="*", Resource="*", Condition=THIS_ACCOUNT_ONLY)],
        [endpoint_with("logs", Action="*", Resource="*")],
    ),
}
