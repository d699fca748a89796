"""Security groups as every component declares them: one group with no inline rules, then one
resource per rule, always one TCP port.

The provider's docs call separate `aws.vpc.SecurityGroupIngressRule` / `SecurityGroupEgressRule`
resources the current practice and warn that mixing them with inline rules overwrites rules; each
also keeps its own description.
https://www.pulumi.com/registry/packages/aws/api-docs/vpc/securitygroupingressrule/
"""

from typing import Any

import pulumi
import pulumi_aws as aws


def security_group(
    name: str, vpc_id: pulumi.Input[str], description: str, opts: pulumi.ResourceOptions
) -> aws.ec2.SecurityGroup:
    """A rule-less group named and tagged ``name`` (the console shows the tag, not the name)."""
    return aws.ec2.SecurityGroup(
        name, vpc_id=vpc_id, description=description, tags={"Name": name}, opts=opts
    )


def one_tcp_port(
    port: int,
    description: str,
    *,
    cidr_ipv4: pulumi.Input[str] | None = None,
    referenced_security_group_id: pulumi.Input[str] | None = None,
    prefix_list_id: pulumi.Input[str] | None = None,
) -> dict[str, Any]:
    """The arguments of a rule on one TCP port with exactly one peer, ingress or egress alike.

    The provider refuses a rule with no peer or with two (terraform-provider-aws
    internal/service/ec2/vpc_security_group_ingress_rule.go, ConfigValidators: ExactlyOneOf
    cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id); saying so here names
    the rule before a preview does."""
    peers = {
        key: value
        for key, value in (
            ("cidr_ipv4", cidr_ipv4),
            ("referenced_security_group_id", referenced_security_group_id),
            ("prefix_list_id", prefix_list_id),
        )
        if value is not None
    }
    if len(peers) != 1:
        raise ValueError(
            f"the rule on TCP {port} ({description}) needs exactly one peer, a CIDR, a security "
            f"group or a prefix list; it was given {', '.join(sorted(peers)) or 'none'}"
        )
    return {
        "ip_protocol": "tcp",
        "from_port": port,
        "to_port": port,
        "description": description,
        **peers,
    }


def allow_tcp_in(
    name: str,
    security_group_id: pulumi.Input[str],
    port: int,
    description: str,
    opts: pulumi.ResourceOptions,
    *,
    cidr_ipv4: pulumi.Input[str] | None = None,
    referenced_security_group_id: pulumi.Input[str] | None = None,
) -> aws.vpc.SecurityGroupIngressRule:
    """Ingress on one TCP port from a CIDR or from members of another group."""
    return aws.vpc.SecurityGroupIngressRule(
        name,
        security_group_id=security_group_id,
        opts=opts,
        **one_tcp_port(
            port,
            description,
            cidr_ipv4=cidr_ipv4,
            referenced_security_group_id=referenced_security_group_id,
        ),
    )


def allow_tcp_out(
    name: str,
    security_group_id: pulumi.Input[str],
    port: int,
    description: str,
    opts: pulumi.ResourceOptions,
    *,
    cidr_ipv4: pulumi.Input[str] | None = None,
    referenced_security_group_id: pulumi.Input[str] | None = None,
    prefix_list_id: pulumi.Input[str] | None = None,
) -> aws.vpc.SecurityGroupEgressRule:
    """Egress on one TCP port to a CIDR, the members of another group or an AWS prefix list."""
    return aws.vpc.SecurityGroupEgressRule(
        name,
        security_group_id=security_group_id,
        opts=opts,
        **one_tcp_port(
            port,
            description,
            cidr_ipv4=cidr_ipv4,
            referenced_security_group_id=referenced_security_group_id,
            prefix_list_id=prefix_list_id,
        ),
    )
