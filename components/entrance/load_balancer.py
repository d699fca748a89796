"""What PublicEntrance declares, as pure values: security group rules, the load balancer's and
target group's settings, listener actions, the certificate's validation record, the alias.

:mod:`components.entrance.public_entrance` only declares resources from these; each is unit-tested
here
without Pulumi resources. ARNs and DNS names may be Outputs: the values pass them through.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

HTTP_PORT = 80
HTTPS_PORT = 443
ANYWHERE = "0.0.0.0/0"
# TLS 1.3 with 1.2 fallback, no older protocols.
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
# Seconds a deregistering target keeps its in-flight requests before it is dropped (ELB's
# default is 300): every deployment of the one task waits this long for the old one. A stack
# derives its own from how long its server finishes a request (PublicEntranceArgs).
DEREGISTRATION_DELAY = 30
# What a target group accepts (deregistration_delay.timeout_seconds).
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay
MAX_DEREGISTRATION_DELAY = 3600
VALIDATION_RECORD_TTL = 300
# An ALB rule takes at most five condition values: the host names one rule can forward.
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
MAX_HOSTS_PER_RULE = 5
# The only rule of the HTTPS listener; rules are evaluated from the lowest priority up.
SITE_RULE_PRIORITY = 1


@dataclass(frozen=True)
class AccessLogTarget:
    """Where the load balancer writes its access logs (FSBP ELB.5)."""

    bucket: pulumi.Input[str]
    """The bucket's name; its policy must already let ELB write (ELB checks on creation)."""
    prefix: str = ""
    """Key prefix; ELB adds ``AWSLogs/<account>/elasticloadbalancing/...`` after it."""


def access_log_settings(
    target: AccessLogTarget | None,
) -> aws.lb.LoadBalancerAccessLogsArgs | None:
    """The load balancer's ``access_logs``: on, to ``target``; None leaves logging off."""
    if target is None:
        return None
    return aws.lb.LoadBalancerAccessLogsArgs(
        bucket=target.bucket, prefix=target.prefix or None, enabled=True
    )


@dataclass(frozen=True)
class TcpRule:
    """One security group rule on one TCP port, to or from a CIDR."""

    suffix: str
    """Appended to the group's resource name: ``{group}-{suffix}``."""
    port: int
    cidr_ipv4: str
    description: str


def ingress_rules(tls: bool) -> list[TcpRule]:
    """From anywhere: 80, and 443 when the site has a certificate (80 then only redirects)."""
    ports = (HTTP_PORT, HTTPS_PORT) if tls else (HTTP_PORT,)
    return [TcpRule(f"in-{port}", port, ANYWHERE, "public web traffic") for port in ports]


def egress_rule(target_port: int, vpc_cidr: str) -> TcpRule:
    """To the target port inside the VPC only: the tasks and their health checks."""
    return TcpRule("out-targets", target_port, vpc_cidr, "to the tasks (and their health checks)")


def balancer_settings(*, deletion_protection: bool, idle_timeout: int) -> dict[str, Any]:
    """An internet-facing application load balancer that drops requests with invalid headers
    instead of passing them on to nginx."""
    return {
        "load_balancer_type": "application",
        "internal": False,
        "drop_invalid_header_fields": True,
        "enable_deletion_protection": deletion_protection,
        "idle_timeout": idle_timeout,
    }


def target_health_check(path: str) -> aws.lb.TargetGroupHealthCheckArgs:
    """Readiness over plain HTTP: 200 only. Two passes (30 s) bring a task in, three failures
    (45 s) take it out."""
    return aws.lb.TargetGroupHealthCheckArgs(
        path=path,
        protocol="HTTP",
        matcher="200",
        interval=15,
        timeout=5,
        healthy_threshold=2,
        unhealthy_threshold=3,
    )


def target_group_settings(
    target_port: int, health_check_path: str, deregistration_delay: int = DEREGISTRATION_DELAY
) -> dict[str, Any]:
    """Targets by IP (Fargate's awsvpc tasks), HTTP to ``target_port``."""
    return {
        "target_type": "ip",
        "protocol": "HTTP",
        "port": target_port,
        "deregistration_delay": deregistration_delay,
        "health_check": target_health_check(health_check_path),
    }


def forward_to(target_group_arn: pulumi.Input[str]) -> aws.lb.ListenerDefaultActionArgs:
    return aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group_arn)


def not_found() -> aws.lb.ListenerDefaultActionArgs:
    """What the HTTPS listener answers a request for any other host (a scanner trying IPs or
    stray names): a 404 from the load balancer itself, so it never reaches Django."""
    return aws.lb.ListenerDefaultActionArgs(
        type="fixed-response",
        fixed_response=aws.lb.ListenerDefaultActionFixedResponseArgs(
            content_type="text/plain", message_body="Not Found", status_code="404"
        ),
    )


def site_host_names(domain: str, alternative_names: Sequence[str]) -> list[str]:
    """The Host values the site answers: its domain and the certificate's other names, once
    each, in order. More than one rule's worth is refused."""
    names = list(dict.fromkeys([domain, *alternative_names]))
    if len(names) > MAX_HOSTS_PER_RULE:
        raise ValueError(
            f"{len(names)} host names ({', '.join(names)}); one load balancer rule takes at "
            f"most {MAX_HOSTS_PER_RULE}: give fewer alternative_names"
        )
    return names


def forward_site_hosts(
    host_names: Sequence[str], target_group_arn: pulumi.Input[str]
) -> dict[str, Any]:
    """The HTTPS listener's rule: a request whose Host is one of the site's names goes to the
    targets. The target group's health checks go to the targets directly, not through any
    listener, so they are unaffected (ELB: target group health checks)."""
    return {
        "priority": SITE_RULE_PRIORITY,
        "conditions": [
            aws.lb.ListenerRuleConditionArgs(
                host_header=aws.lb.ListenerRuleConditionHostHeaderArgs(values=list(host_names))
            )
        ],
        "actions": [
            aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=target_group_arn)
        ],
    }


def redirect_to_https() -> aws.lb.ListenerDefaultActionArgs:
    """Permanent redirect to the same host and path over HTTPS."""
    return aws.lb.ListenerDefaultActionArgs(
        type="redirect",
        redirect=aws.lb.ListenerDefaultActionRedirectArgs(
            protocol="HTTPS", port=str(HTTPS_PORT), status_code="HTTP_301"
        ),
    )


def validated_names(domain: str, alternative_names: Sequence[str]) -> list[str]:
    """The certificate's names that each need a validation record of their own, in order.

    ACM asks for one CNAME per name (https://docs.aws.amazon.com/acm/latest/userguide/
    dns-validation.html), but a wildcard and the name it stands on (``*.example.com`` and
    ``example.com``) get the same record: two Route53 resources for one record would fight
    over it. So names that share a record count once."""
    names: list[str] = []
    bases: set[str] = set()
    for name in [domain, *alternative_names]:
        base = name.removeprefix("*.")
        if base not in bases:
            bases.add(base)
            names.append(name)
    return names


def validation_record_resource_name(entrance: str, index: int) -> str:
    """The first record keeps the name it had when there was only one."""
    return f"{entrance}-cert-validation" if index == 0 else f"{entrance}-cert-validation-{index}"


def option_for(domain_name: str, options: Sequence[Any]) -> Any:
    """The certificate's ``domain_validation_options`` entry for one of its names."""
    for option in options:
        if option.domain_name == domain_name:
            return option
    raise LookupError(f"the certificate has no validation option for {domain_name!r}")


def validation_record_settings(option: Any) -> dict[str, Any]:
    """The DNS record ACM asks for, from one of the certificate's ``domain_validation_options``
    (or its Output). ``allow_overwrite``: a record left by an earlier certificate for the same
    name holds the same value."""
    return {
        "name": option.resource_record_name,
        "type": option.resource_record_type,
        "records": [option.resource_record_value],
        "ttl": VALIDATION_RECORD_TTL,
        "allow_overwrite": True,
    }


def alias_to(
    dns_name: pulumi.Input[str], zone_id: pulumi.Input[str]
) -> aws.route53.RecordAliasArgs:
    """An A alias to the load balancer's name: it follows the balancer's changing addresses,
    and Route53 charges nothing for alias queries to it."""
    return aws.route53.RecordAliasArgs(name=dns_name, zone_id=zone_id, evaluate_target_health=True)


def https_url(domain: str) -> str:
    return f"https://{domain}/"


def http_url(dns_name: str) -> str:
    return f"http://{dns_name}/"


def plain_http_warning(name: str) -> str:
    return (
        f"{name}: no domain set, so the site is served over plain HTTP on the load "
        "balancer's DNS name. Set `domain` and `hostedZone` for HTTPS."
    )
