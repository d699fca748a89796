"""EC2 / VPC rules: the default security group, subnets and ingress from the internet (FSBP EC2.*).

Ingress comes in three resource shapes (a security group's inline rules, a SecurityGroupRule,
a VPC SecurityGroupIngressRule) that name the same fields differently; :func:`_ingresses`
reads all three into one :class:`_Ingress`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policy.aws_types import (
    DEFAULT_SECURITY_GROUP,
    FLOW_LOG,
    INGRESS_RULE,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    SUBNET,
    VPC,
    VPC_ENDPOINT,
)
from policy.model import Enforcement, Resource, resource_rule, stack_rule
from policy.readers import as_int, as_list, of_type, refers_to, statements

MANDATORY = Enforcement.MANDATORY
INGRESS_TYPES = (SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE)


@stack_rule(
    "EC2.2",
    "the VPC's default security group allows nothing",
    MANDATORY,
    reads=[VPC, DEFAULT_SECURITY_GROUP],
)
def check_ec2_2_default_sg_closed(
    resources: Sequence[Resource],
) -> list[tuple[Resource | None, str]]:
    defaults = of_type(resources, DEFAULT_SECURITY_GROUP)
    findings: list[tuple[Resource | None, str]] = []
    for vpc in of_type(resources, VPC):
        mine = [d for d in defaults if refers_to(d.props.get("vpcId"), vpc)]
        if not mine:
            findings.append(
                (vpc, "the VPC's default security group is not managed (adopt it with no rules)")
            )
        for group in mine:
            if as_list(group.props.get("ingress")) or as_list(group.props.get("egress")):
                findings.append((group, "the default security group has rules"))
    return findings


# FSBP EC2.6 asks for flow logs of rejected traffic at least; ALL includes them.
FLOW_LOG_TRAFFIC = frozenset({"REJECT", "ALL"})


@stack_rule("EC2.6", "every VPC has flow logs", MANDATORY, reads=[VPC, FLOW_LOG])
def check_ec2_6_flow_logs(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    flow_logs = of_type(resources, FLOW_LOG)
    findings: list[tuple[Resource | None, str]] = []
    for vpc in of_type(resources, VPC):
        mine = [f for f in flow_logs if refers_to(f.props.get("vpcId"), vpc)]
        if not any(str(f.props.get("trafficType", "")).upper() in FLOW_LOG_TRAFFIC for f in mine):
            findings.append((vpc, "the VPC has no flow log of rejected (or all) traffic"))
    return findings


@resource_rule("EC2.15", "subnets do not assign public IPs on launch", MANDATORY, [SUBNET])
def check_ec2_15_no_auto_public_ip(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("mapPublicIpOnLaunch") is True:
        return ["the subnet assigns public IPv4 addresses on launch"]
    return []


_ANYWHERE = frozenset({"0.0.0.0/0", "::/0"})


@dataclass(frozen=True)
class _Ingress:
    protocol: str
    from_port: int
    to_port: int
    sources: frozenset[str]

    @property
    def open_to_world(self) -> bool:
        return bool(self.sources & _ANYWHERE)

    @property
    def all_ports(self) -> bool:
        return self.protocol in ("-1", "all") or (self.from_port <= 0 and self.to_port >= 65535)

    def covers(self, port: int) -> bool:
        return self.all_ports or self.from_port <= port <= self.to_port

    def describe(self) -> str:
        ports = "all ports" if self.all_ports else f"ports {self.from_port}-{self.to_port}"
        return f"{self.protocol} {ports} from {', '.join(sorted(self.sources & _ANYWHERE))}"


def _ingress(rule: Mapping[str, Any], protocol: str, ipv4: str, ipv6: str) -> _Ingress:
    """One ingress rule; the resource types name the protocol and CIDR fields differently."""
    return _Ingress(
        str(rule.get(protocol, "")).lower(),
        as_int(rule.get("fromPort"), 0),
        as_int(rule.get("toPort"), 65535),
        frozenset(as_list(rule.get(ipv4)) + as_list(rule.get(ipv6))),
    )


def _ingresses(resource_type: str, props: Mapping[str, Any]) -> list[_Ingress]:
    if resource_type == SECURITY_GROUP:
        return [
            _ingress(rule, "protocol", "cidrBlocks", "ipv6CidrBlocks")
            for rule in as_list(props.get("ingress"))
        ]
    if resource_type == SECURITY_GROUP_RULE and props.get("type") == "ingress":
        return [_ingress(props, "protocol", "cidrBlocks", "ipv6CidrBlocks")]
    if resource_type == INGRESS_RULE:
        return [_ingress(props, "ipProtocol", "cidrIpv4", "cidrIpv6")]
    return []


AUTHORIZED_PUBLIC_PORTS = frozenset({80, 443})


@resource_rule("EC2.18", "only TCP 80/443 are open to the internet", MANDATORY, INGRESS_TYPES)
def check_ec2_18_public_ports(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for ingress in _ingresses(resource_type, props):
        if not ingress.open_to_world:
            continue
        ports_ok = (
            not ingress.all_ports
            and ingress.protocol in ("tcp", "6")
            and all(
                p in AUTHORIZED_PUBLIC_PORTS for p in range(ingress.from_port, ingress.to_port + 1)
            )
        )
        if not ports_ok:
            messages.append(
                f"ingress {ingress.describe()}: only TCP 80/443 may be open to the world"
            )
    return messages


# FSBP EC2.19's high-risk ports.
# https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19
HIGH_RISK_PORTS = (
    *(20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000),
    *(3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300),
)


@resource_rule("EC2.19", "no high-risk port is open to the internet", MANDATORY, INGRESS_TYPES)
def check_ec2_19_high_risk_ports(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for ingress in _ingresses(resource_type, props):
        if ingress.open_to_world:
            exposed = [p for p in HIGH_RISK_PORTS if ingress.covers(p)]
            if exposed:
                messages.append(
                    f"ingress {ingress.describe()} opens high-risk ports "
                    + ", ".join(map(str, exposed))
                )
    return messages


# Endpoints whose service is not reached with AWS-signed requests, so an endpoint policy would
# see no principal to allow: Session Manager's channels (ECS Exec) and SES over SMTP.
ENDPOINTS_WITHOUT_POLICY = frozenset({"ssmmessages", "email-smtp"})


def _allows_anyone(statement: Mapping[str, Any]) -> bool:
    return (
        statement.get("Effect") == "Allow"
        and "*" in as_list(statement.get("Action"))
        and "*" in as_list(statement.get("Resource"))
        and not statement.get("Condition")
    )


@resource_rule(
    "DJTW.ENDPOINT-POLICY",
    "VPC endpoints have a policy narrower than full access",
    MANDATORY,
    [VPC_ENDPOINT],
)
def check_endpoint_policy(_type: str, props: Mapping[str, Any]) -> list[str]:
    service = ".".join(str(props.get("serviceName", "")).split(".")[3:])
    if service in ENDPOINTS_WITHOUT_POLICY:
        return []
    found = statements(props.get("policy"))
    if not found:
        return [f"the {service or 'VPC'} endpoint has no policy (the default allows everything)"]
    if any(_allows_anyone(s) for s in found):
        return [f"the {service} endpoint's policy allows any action on anything, unconditioned"]
    return []
