"""The groups of resources PublicEntrance declares: the load balancer's security group, the
HTTPS side (certificate validated in DNS, listeners, the alias) and the plain HTTP one, each from
the pure functions of :mod:`components.entrance.load_balancer`."""

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from components.entrance.load_balancer import (
    HTTP_PORT,
    HTTPS_PORT,
    TLS_POLICY,
    alias_to,
    egress_rule,
    forward_site_hosts,
    forward_to,
    ingress_rules,
    not_found,
    option_for,
    redirect_to_https,
    site_host_names,
    validated_names,
    validation_record_resource_name,
    validation_record_settings,
)
from components.network.security_groups import allow_tcp_in, allow_tcp_out, security_group


def declare_balancer_group(
    name: str,
    vpc_id: pulumi.Input[str],
    target_port: int,
    vpc_cidr: str,
    tls: bool,
    child: pulumi.ResourceOptions,
) -> aws.ec2.SecurityGroup:
    """The load balancer's group: in from the internet on 80 (and 443 with TLS), out to the
    targets' port in the VPC only."""
    group = security_group(
        f"{name}-sg",
        vpc_id,
        "Load balancer: HTTP/HTTPS from the internet, to the targets only",
        child,
    )
    for rule in ingress_rules(tls):
        allow_tcp_in(
            f"{name}-sg-{rule.suffix}",
            group.id,
            rule.port,
            rule.description,
            child,
            cidr_ipv4=rule.cidr_ipv4,
        )
    rule = egress_rule(target_port, vpc_cidr)
    allow_tcp_out(
        f"{name}-sg-{rule.suffix}",
        group.id,
        rule.port,
        rule.description,
        child,
        cidr_ipv4=rule.cidr_ipv4,
    )
    return group


def declare_https(
    name: str,
    parent: pulumi.Resource,
    balancer: aws.lb.LoadBalancer,
    target_group: aws.lb.TargetGroup,
    *,
    hosted_zone: str,
    domain: str,
    alternative_names: Sequence[str],
) -> list[aws.lb.Listener | aws.lb.ListenerRule]:
    """HTTPS on ``domain`` (and ``alternative_names``): a certificate validated by records in
    ``hosted_zone``, a listener that forwards only the site's names (anything else: 404), 80
    redirected to 443, and the alias to the load balancer. Returns what forwards to the targets."""
    child = pulumi.ResourceOptions(parent=parent)
    zone = aws.route53.get_zone(
        name=hosted_zone, private_zone=False, opts=pulumi.InvokeOptions(parent=parent)
    )
    certificate = aws.acm.Certificate(
        f"{name}-cert",
        domain_name=domain,
        subject_alternative_names=list(alternative_names) or None,
        validation_method="DNS",
        opts=child,
    )
    records = [
        aws.route53.Record(
            validation_record_resource_name(name, index),
            zone_id=zone.zone_id,
            **validation_record_settings(_validation_option(certificate, validated_name)),
            opts=child,
        )
        for index, validated_name in enumerate(validated_names(domain, alternative_names))
    ]
    validated = aws.acm.CertificateValidation(
        f"{name}-cert-validated",
        certificate_arn=certificate.arn,
        validation_record_fqdns=[record.fqdn for record in records],
        opts=child,
    )
    https = aws.lb.Listener(
        f"{name}-https",
        load_balancer_arn=balancer.arn,
        port=HTTPS_PORT,
        protocol="HTTPS",
        ssl_policy=TLS_POLICY,
        certificate_arn=validated.certificate_arn,
        default_actions=[not_found()],
        opts=child,
    )
    # Only the site's names reach Django: any other Host (scanners, stray DNS names)
    # would become a DisallowedHost error there.
    site_rule = aws.lb.ListenerRule(
        f"{name}-https-site",
        listener_arn=https.arn,
        **forward_site_hosts(site_host_names(domain, alternative_names), target_group.arn),
        opts=child,
    )
    forwarding: list[aws.lb.Listener | aws.lb.ListenerRule] = [https, site_rule]
    aws.lb.Listener(
        f"{name}-http",
        load_balancer_arn=balancer.arn,
        port=HTTP_PORT,
        protocol="HTTP",
        default_actions=[redirect_to_https()],
        opts=child,
    )
    aws.route53.Record(
        f"{name}-alias",
        zone_id=zone.zone_id,
        name=domain,
        type="A",
        aliases=[alias_to(balancer.dns_name, balancer.zone_id)],
        opts=child,
    )
    return forwarding


def declare_plain_http(
    name: str,
    balancer: aws.lb.LoadBalancer,
    target_group: aws.lb.TargetGroup,
    child: pulumi.ResourceOptions,
) -> aws.lb.Listener:
    """Plain HTTP on 80, forwarding to the targets (a stack without a domain)."""
    return aws.lb.Listener(
        f"{name}-http",
        load_balancer_arn=balancer.arn,
        port=HTTP_PORT,
        protocol="HTTP",
        default_actions=[forward_to(target_group.arn)],
        opts=child,
    )


def _validation_option(certificate: aws.acm.Certificate, domain_name: str) -> pulumi.Output[Any]:
    """The certificate's validation option for ``domain_name``, once the certificate exists."""
    return certificate.domain_validation_options.apply(
        lambda options: option_for(domain_name, options)
    )
