"""Load balancing rules: HTTP redirects to HTTPS, strict ALBs across two AZs, modern TLS."""

from __future__ import annotations

from policy.aws_types import LISTENERS, LOAD_BALANCERS

from ..builders import res
from .elb_fixtures import ALB, HTTP_REDIRECT, HTTPS_LISTENER
from .expect import result_of


def test_the_alb_alias_tokens_are_checked_like_the_lb_ones():
    alias = res(LOAD_BALANCERS[1], "alb", **(ALB | {"enableDeletionProtection": False}))
    assert not result_of("ELB.6", [alias]).passed


def test_each_listener_rule_leaves_the_other_protocol_alone():
    plain_policy = HTTP_REDIRECT | {"sslPolicy": "ELBSecurityPolicy-2016-08"}
    assert result_of("ELB.17", [res(LISTENERS[0], "http", **plain_policy)]).passed
    assert result_of("ELB.1", [res(LISTENERS[0], "https", **HTTPS_LISTENER)]).passed
