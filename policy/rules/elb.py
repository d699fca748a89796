"""Load balancing rules: application load balancers and their listeners (FSBP ELB.*)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policy.aws_types import LISTENERS, LOAD_BALANCERS
from policy.model import Enforcement, resource_rule
from policy.readers import as_list

MANDATORY = Enforcement.MANDATORY


@resource_rule("ELB.1", "HTTP listeners redirect to HTTPS", MANDATORY, LISTENERS)
def check_elb_1_http_redirects(_type: str, props: Mapping[str, Any]) -> list[str]:
    if str(props.get("protocol", "")).upper() != "HTTP":
        return []
    actions = as_list(props.get("defaultActions"))
    redirects = [
        a
        for a in actions
        if a.get("type") == "redirect"
        and str((a.get("redirect") or {}).get("protocol", "")).upper() == "HTTPS"
    ]
    if not actions or len(redirects) != len(actions):
        return [f"HTTP listener on port {props.get('port')} does not redirect to HTTPS"]
    return []


def _is_application(props: Mapping[str, Any]) -> bool:
    return str(props.get("loadBalancerType") or "application") == "application"


@resource_rule("ELB.4", "ALBs drop invalid HTTP headers", MANDATORY, LOAD_BALANCERS)
def check_elb_4_drop_invalid_headers(_type: str, props: Mapping[str, Any]) -> list[str]:
    if _is_application(props) and props.get("dropInvalidHeaderFields") is not True:
        return ["the ALB does not drop invalid HTTP header fields"]
    return []


@resource_rule("ELB.5", "ALBs write access logs", MANDATORY, LOAD_BALANCERS)
def check_elb_5_access_logs(_type: str, props: Mapping[str, Any]) -> list[str]:
    if not _is_application(props):
        return []
    logs = props.get("accessLogs") or {}
    if logs.get("enabled") is not True or not logs.get("bucket"):
        return ["the ALB writes no access logs (set accessLogs with a bucket, enabled)"]
    return []


@resource_rule("ELB.6", "ALBs have deletion protection", MANDATORY, LOAD_BALANCERS)
def check_elb_6_deletion_protection(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("enableDeletionProtection") is not True:
        return ["deletion protection is off"]
    return []


@resource_rule("ELB.13", "load balancers span at least two AZs", MANDATORY, LOAD_BALANCERS)
def check_elb_13_multi_az(_type: str, props: Mapping[str, Any]) -> list[str]:
    zones = len(as_list(props.get("subnets"))) or len(as_list(props.get("subnetMappings")))
    if zones < 2:
        return [f"the load balancer spans {zones} AZ(s); it needs at least 2"]
    return []


# FSBP ELB.17's list of recommended policies, plus the post-quantum 2025-09 variants.
# https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-17
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
RECOMMENDED_SSL_POLICIES = frozenset(
    {
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    }
)


@resource_rule("ELB.17", "TLS listeners use a recommended security policy", MANDATORY, LISTENERS)
def check_elb_17_ssl_policy(_type: str, props: Mapping[str, Any]) -> list[str]:
    if str(props.get("protocol", "")).upper() not in ("HTTPS", "TLS"):
        return []
    policy = props.get("sslPolicy")
    if policy not in RECOMMENDED_SSL_POLICIES:
        return [f"listener uses SSL policy {policy!r}; use ELBSecurityPolicy-TLS13-1-2-2021-06"]
    return []
