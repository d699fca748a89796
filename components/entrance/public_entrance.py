"""PublicEntrance: the internet-facing load balancer, its TLS certificate and DNS name.

What is declared comes from the pure functions of :mod:`components.entrance.load_balancer`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components._shared.dns import within_zone
from components.entrance.load_balancer import (
    DEREGISTRATION_DELAY,
    HTTP_PORT,
    HTTPS_PORT,
    MAX_DEREGISTRATION_DELAY,
    TLS_POLICY,
    AccessLogTarget,
    access_log_settings,
    alias_to,
    balancer_settings,
    egress_rule,
    forward_site_hosts,
    forward_to,
    http_url,
    https_url,
    ingress_rules,
    not_found,
    option_for,
    plain_http_warning,
    redirect_to_https,
    site_host_names,
    target_group_settings,
    validated_names,
    validation_record_resource_name,
    validation_record_settings,
)
from components.network.security_groups import allow_tcp_in, allow_tcp_out, security_group

COMPONENT_TYPE = "django-tw:entrance:PublicEntrance"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = (
    "django-tw:web:PublicEntrance",
    "django-tw:public_entrance:PublicEntrance",
)


@dataclass(frozen=True)
class PublicEntranceArgs:
    """An internet-facing ALB in front of one target port of a Fargate task."""

    vpc_id: pulumi.Input[str]
    """The VPC of the targets and of the load balancer's security group."""
    vpc_cidr: str
    """The ALB may only open connections into this CIDR (the targets)."""
    public_subnet_ids: Sequence[pulumi.Input[str]]
    """At least two, in different AZs (an ALB requires it)."""
    target_port: int = 8080
    """Container port the ALB forwards to (nginx in the task)."""
    health_check_path: str = "/healthz"
    """Path the ALB probes over plain HTTP with the task IP as Host; must answer 200."""
    domain: str = ""
    """Host name to serve over HTTPS; "" serves plain HTTP on the ALB's own DNS name."""
    hosted_zone: str = ""
    """Route53 public zone holding ``domain`` (certificate validation and alias record)."""
    alternative_names: Sequence[str] = ()
    """More names the certificate covers (its subject alternative names), each in
    ``hosted_zone``, e.g. ``www.example.com`` or ``*.example.com``; each is DNS-validated.
    Only ``domain`` gets an alias record to the load balancer."""
    deletion_protection: bool = True
    """Refuse to delete the load balancer (production); off for throwaway stacks."""
    idle_timeout: int = 60
    """Seconds an idle connection stays open."""
    deregistration_delay: int = DEREGISTRATION_DELAY
    """Seconds a target leaving the group (a task being stopped) keeps its requests in flight
    before ECS stops it: at least as long as the server lets a request run."""
    access_logs: AccessLogTarget | None = None
    """Where the load balancer writes its access logs (e.g. ``AccessLogBucket.target``);
    None: no access logs."""

    def __post_init__(self) -> None:
        if len(self.public_subnet_ids) < 2:
            raise ValueError(
                f"PublicEntranceArgs.public_subnet_ids has {len(self.public_subnet_ids)} "
                "subnet(s); an Application Load Balancer needs two or more AZs"
            )
        if self.domain and not self.hosted_zone:
            raise ValueError(
                f"PublicEntranceArgs.domain is {self.domain!r} but hosted_zone is empty; give "
                "the Route53 zone that holds it"
            )
        if self.domain and not within_zone(self.domain, self.hosted_zone):
            raise ValueError(
                f"PublicEntranceArgs.domain {self.domain!r} is not in hosted_zone "
                f"{self.hosted_zone!r}"
            )
        if self.alternative_names and not self.domain:
            raise ValueError(
                "PublicEntranceArgs.alternative_names needs a domain: they are more names of "
                "its certificate"
            )
        outside = [n for n in self.alternative_names if not within_zone(n, self.hosted_zone)]
        if outside:
            raise ValueError(
                f"PublicEntranceArgs.alternative_names {', '.join(map(repr, outside))} not in "
                f"hosted_zone {self.hosted_zone!r}; the zone must hold their validation records"
            )
        if self.domain:
            try:
                site_host_names(self.domain, self.alternative_names)
            except ValueError as refused:
                raise ValueError(f"PublicEntranceArgs.alternative_names: {refused}") from None
        if not self.health_check_path.startswith("/"):
            raise ValueError("PublicEntranceArgs.health_check_path must start with '/'")
        if not 0 <= self.deregistration_delay <= MAX_DEREGISTRATION_DELAY:
            raise ValueError(
                f"PublicEntranceArgs.deregistration_delay is {self.deregistration_delay}; a "
                f"target group accepts 0 to {MAX_DEREGISTRATION_DELAY} seconds"
            )


class PublicEntrance(pulumi.ComponentResource):
    """ALB (80/443 from anywhere, nothing else), HTTPS with a DNS-validated ACM certificate
    that forwards only the site's own host names (anything else: 404 from the ALB), 80 -> 301
    https, an ip target group with a health check, and the Route53 alias."""

    url: pulumi.Output[str]
    dns_name: pulumi.Output[str]
    load_balancer_arn: pulumi.Output[str]
    target_group_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: PublicEntranceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        tls = bool(args.domain)

        group = security_group(
            f"{name}-sg",
            args.vpc_id,
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
        rule = egress_rule(args.target_port, args.vpc_cidr)
        allow_tcp_out(
            f"{name}-sg-{rule.suffix}",
            group.id,
            rule.port,
            rule.description,
            child,
            cidr_ipv4=rule.cidr_ipv4,
        )

        balancer = aws.lb.LoadBalancer(
            f"{name}-alb",
            subnets=list(args.public_subnet_ids),
            security_groups=[group.id],
            access_logs=access_log_settings(args.access_logs),
            **balancer_settings(
                deletion_protection=args.deletion_protection, idle_timeout=args.idle_timeout
            ),
            opts=child,
        )
        target_group = aws.lb.TargetGroup(
            f"{name}-tg",
            vpc_id=args.vpc_id,
            **target_group_settings(
                args.target_port, args.health_check_path, args.deregistration_delay
            ),
            opts=child,
        )

        if tls:
            zone = aws.route53.get_zone(
                name=args.hosted_zone, private_zone=False, opts=pulumi.InvokeOptions(parent=self)
            )
            certificate = aws.acm.Certificate(
                f"{name}-cert",
                domain_name=args.domain,
                subject_alternative_names=list(args.alternative_names) or None,
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
                for index, validated_name in enumerate(
                    validated_names(args.domain, args.alternative_names)
                )
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
                **forward_site_hosts(
                    site_host_names(args.domain, args.alternative_names), target_group.arn
                ),
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
                name=args.domain,
                type="A",
                aliases=[alias_to(balancer.dns_name, balancer.zone_id)],
                opts=child,
            )
            self.url = pulumi.Output.from_input(https_url(args.domain))
        else:
            pulumi.log.warn(plain_http_warning(name), resource=self)
            forwarding = [
                aws.lb.Listener(
                    f"{name}-http",
                    load_balancer_arn=balancer.arn,
                    port=HTTP_PORT,
                    protocol="HTTP",
                    default_actions=[forward_to(target_group.arn)],
                    opts=child,
                )
            ]
            self.url = balancer.dns_name.apply(http_url)

        self.dns_name = balancer.dns_name
        self.load_balancer_arn = balancer.arn
        # ECS refuses a target group that no listener uses yet: hand the ARN out only once
        # what forwards to it exists, so a service built from it waits for the listener (and
        # its rule).
        self.target_group_arn = pulumi.Output.all(
            target_group.arn, *(resource.arn for resource in forwarding)
        ).apply(lambda arns: arns[0])
        self.security_group_id = group.id
        self.register_outputs(
            {
                "url": self.url,
                "dns_name": self.dns_name,
                "target_group_arn": self.target_group_arn,
                "security_group_id": self.security_group_id,
            }
        )


def _validation_option(certificate: aws.acm.Certificate, domain_name: str) -> pulumi.Output[Any]:
    """The certificate's validation option for ``domain_name``, once the certificate exists."""
    return certificate.domain_validation_options.apply(
        lambda options: option_for(domain_name, options)
    )
