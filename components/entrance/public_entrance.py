"""PublicEntrance: the internet-facing load balancer, its TLS certificate and DNS name.

What is declared comes from the pure functions of :mod:`components.entrance.load_balancer`;
the groups of resources around the load balancer are declared by
:mod:`components.entrance.entrance_parts`.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components._shared.dns import within_zone
from components.entrance.entrance_parts import (
    declare_balancer_group,
    declare_https,
    declare_plain_http,
)
from components.entrance.load_balancer import (
    DEREGISTRATION_DELAY,
    MAX_DEREGISTRATION_DELAY,
    AccessLogTarget,
    access_log_settings,
    balancer_settings,
    http_url,
    https_url,
    plain_http_warning,
    site_host_names,
    target_group_settings,
)

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

        group = declare_balancer_group(
            name, args.vpc_id, args.target_port, args.vpc_cidr, tls, child
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

        forwarding: list[aws.lb.Listener | aws.lb.ListenerRule]
        if tls:
            forwarding = declare_https(
                name,
                self,
                balancer,
                target_group,
                hosted_zone=args.hosted_zone,
                domain=args.domain,
                alternative_names=args.alternative_names,
            )
            self.url = pulumi.Output.from_input(https_url(args.domain))
        else:
            pulumi.log.warn(plain_http_warning(name), resource=self)
            forwarding = [declare_plain_http(name, balancer, target_group, child)]
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
