"""PublicEntrance: the internet-facing load balancer, its TLS certificate and DNS name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.security_groups import allow_tcp_in, allow_tcp_out, security_group

# TLS 1.3 with 1.2 fallback, no older protocols.
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"


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
    deletion_protection: bool = True
    """Refuse to delete the load balancer (production); off for throwaway stacks."""
    idle_timeout: int = 60
    """Seconds an idle connection stays open."""

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
        if self.domain and not (
            self.domain == self.hosted_zone or self.domain.endswith("." + self.hosted_zone)
        ):
            raise ValueError(
                f"PublicEntranceArgs.domain {self.domain!r} is not in hosted_zone "
                f"{self.hosted_zone!r}"
            )
        if not self.health_check_path.startswith("/"):
            raise ValueError("PublicEntranceArgs.health_check_path must start with '/'")


class PublicEntrance(pulumi.ComponentResource):
    """ALB (80/443 from anywhere, nothing else), HTTPS with a DNS-validated ACM certificate,
    80 -> 301 https, an ip target group with a health check, and the Route53 alias."""

    url: pulumi.Output[str]
    dns_name: pulumi.Output[str]
    load_balancer_arn: pulumi.Output[str]
    target_group_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: PublicEntranceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("django-tw:web:PublicEntrance", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tls = bool(args.domain)

        group = security_group(
            f"{name}-sg",
            args.vpc_id,
            "Load balancer: HTTP/HTTPS from the internet, to the targets only",
            child,
        )
        for port in (80, 443) if tls else (80,):
            allow_tcp_in(
                f"{name}-sg-in-{port}",
                group.id,
                port,
                "public web traffic",
                child,
                cidr_ipv4="0.0.0.0/0",
            )
        allow_tcp_out(
            f"{name}-sg-out-targets",
            group.id,
            args.target_port,
            "to the tasks (and their health checks)",
            child,
            cidr_ipv4=args.vpc_cidr,
        )

        balancer = aws.lb.LoadBalancer(
            f"{name}-alb",
            load_balancer_type="application",
            internal=False,
            subnets=list(args.public_subnet_ids),
            security_groups=[group.id],
            drop_invalid_header_fields=True,
            enable_deletion_protection=args.deletion_protection,
            idle_timeout=args.idle_timeout,
            opts=child,
        )
        target_group = aws.lb.TargetGroup(
            f"{name}-tg",
            vpc_id=args.vpc_id,
            target_type="ip",
            protocol="HTTP",
            port=args.target_port,
            deregistration_delay=30,
            health_check=aws.lb.TargetGroupHealthCheckArgs(
                path=args.health_check_path,
                protocol="HTTP",
                matcher="200",
                interval=15,
                timeout=5,
                healthy_threshold=2,
                unhealthy_threshold=3,
            ),
            opts=child,
        )
        forward = aws.lb.ListenerDefaultActionArgs(
            type="forward", target_group_arn=target_group.arn
        )

        if tls:
            zone = aws.route53.get_zone(
                name=args.hosted_zone,
                private_zone=False,
                opts=pulumi.InvokeOptions(parent=self),
            )
            certificate = aws.acm.Certificate(
                f"{name}-cert",
                domain_name=args.domain,
                validation_method="DNS",
                opts=child,
            )
            validation = certificate.domain_validation_options[0]
            record = aws.route53.Record(
                f"{name}-cert-validation",
                zone_id=zone.zone_id,
                name=validation.resource_record_name,
                type=validation.resource_record_type,
                records=[validation.resource_record_value],
                ttl=300,
                allow_overwrite=True,
                opts=child,
            )
            validated = aws.acm.CertificateValidation(
                f"{name}-cert-validated",
                certificate_arn=certificate.arn,
                validation_record_fqdns=[record.fqdn],
                opts=child,
            )
            forwarding = aws.lb.Listener(
                f"{name}-https",
                load_balancer_arn=balancer.arn,
                port=443,
                protocol="HTTPS",
                ssl_policy=TLS_POLICY,
                certificate_arn=validated.certificate_arn,
                default_actions=[forward],
                opts=child,
            )
            aws.lb.Listener(
                f"{name}-http",
                load_balancer_arn=balancer.arn,
                port=80,
                protocol="HTTP",
                default_actions=[
                    aws.lb.ListenerDefaultActionArgs(
                        type="redirect",
                        redirect=aws.lb.ListenerDefaultActionRedirectArgs(
                            protocol="HTTPS", port="443", status_code="HTTP_301"
                        ),
                    )
                ],
                opts=child,
            )
            aws.route53.Record(
                f"{name}-alias",
                zone_id=zone.zone_id,
                name=args.domain,
                type="A",
                aliases=[
                    aws.route53.RecordAliasArgs(
                        name=balancer.dns_name,
                        zone_id=balancer.zone_id,
                        evaluate_target_health=True,
                    )
                ],
                opts=child,
            )
            self.url = pulumi.Output.from_input(f"https://{args.domain}/")
        else:
            pulumi.log.warn(
                f"{name}: no domain set, so the site is served over plain HTTP on the load "
                "balancer's DNS name. Set `domain` and `hostedZone` for HTTPS.",
                resource=self,
            )
            forwarding = aws.lb.Listener(
                f"{name}-http",
                load_balancer_arn=balancer.arn,
                port=80,
                protocol="HTTP",
                default_actions=[forward],
                opts=child,
            )
            self.url = balancer.dns_name.apply(lambda dns: f"http://{dns}/")

        self.dns_name = balancer.dns_name
        self.load_balancer_arn = balancer.arn
        # ECS refuses a target group that no listener uses yet: hand the ARN out only once
        # the forwarding listener exists, so a service built from it waits for the listener.
        self.target_group_arn = pulumi.Output.all(target_group.arn, forwarding.arn).apply(
            lambda arns: arns[0]
        )
        self.security_group_id = group.id
        self.register_outputs(
            {
                "url": self.url,
                "dns_name": self.dns_name,
                "target_group_arn": self.target_group_arn,
                "security_group_id": self.security_group_id,
            }
        )
