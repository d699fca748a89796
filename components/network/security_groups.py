"""Security groups as every component declares them: one group with no inline rules, then one
resource per rule, always one TCP port.

The provider's docs call separate `aws.vpc.SecurityGroupIngressRule` / `SecurityGroupEgressRule`
resources the current practice and warn that mixing them with inline rules overwrites rules; each
also keeps its own description.
https://www.pulumi.com/registry/packages/aws/api-docs/vpc/securitygroupingressrule/
"""

import pulumi
import pulumi_aws as aws


def security_group(
    name: str, vpc_id: pulumi.Input[str], description: str, opts: pulumi.ResourceOptions
) -> aws.ec2.SecurityGroup:
    """A rule-less group named and tagged ``name`` (the console shows the tag, not the name)."""
    return aws.ec2.SecurityGroup(
        name, vpc_id=vpc_id, description=description, tags={"Name": name}, opts=opts
    )


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
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        cidr_ipv4=cidr_ipv4,
        referenced_security_group_id=referenced_security_group_id,
        description=description,
        opts=opts,
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
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        cidr_ipv4=cidr_ipv4,
        referenced_security_group_id=referenced_security_group_id,
        prefix_list_id=prefix_list_id,
        description=description,
        opts=opts,
    )
