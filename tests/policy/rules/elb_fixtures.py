"""A passing and a failing stack for each load balancing rule (rule id -> (passing, failing))."""

from __future__ import annotations

from policy.aws_types import LISTENERS, LOAD_BALANCERS
from policy.model import Resource

from ..builders import res

ALB = {
    "loadBalancerType": "application",
    "internal": False,
    "dropInvalidHeaderFields": True,
    "enableDeletionProtection": True,
    "subnets": ["subnet-pa", "subnet-pb"],
    "accessLogs": {"bucket": "tw-prod-access-logs", "prefix": "alb", "enabled": True},
}
HTTP_REDIRECT = {
    "port": 80,
    "protocol": "HTTP",
    "defaultActions": [
        {
            "type": "redirect",
            "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"},
        }
    ],
}
HTTPS_LISTENER = {
    "port": 443,
    "protocol": "HTTPS",
    "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "certificateArn": "arn:aws:acm:ap-northeast-1:123456789012:certificate/1",
}

FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "ELB.1": (
        [res(LISTENERS[0], "http", **HTTP_REDIRECT)],
        [
            res(
                LISTENERS[0],
                "http",
                port=80,
                protocol="HTTP",
                defaultActions=[{"type": "forward", "targetGroupArn": "arn:tg"}],
            )
        ],
    ),
    "ELB.4": (
        [res(LOAD_BALANCERS[0], "alb", **ALB)],
        [res(LOAD_BALANCERS[0], "alb", **(ALB | {"dropInvalidHeaderFields": False}))],
    ),
    "ELB.5": (
        [res(LOAD_BALANCERS[0], "alb", **ALB)],
        [res(LOAD_BALANCERS[0], "alb", **(ALB | {"accessLogs": None}))],
    ),
    "ELB.6": (
        [res(LOAD_BALANCERS[0], "alb", **ALB)],
        [res(LOAD_BALANCERS[0], "alb", **(ALB | {"enableDeletionProtection": False}))],
    ),
    "ELB.13": (
        [res(LOAD_BALANCERS[0], "alb", **ALB)],
        [res(LOAD_BALANCERS[0], "alb", **(ALB | {"subnets": ["subnet-pa"]}))],
    ),
    "ELB.17": (
        [res(LISTENERS[0], "https", **HTTPS_LISTENER)],
        [
            res(
                LISTENERS[0],
                "https",
                **(HTTPS_LISTENER | {"sslPolicy": "ELBSecurityPolicy-2016-08"}),
            )
        ],
    ),
}
