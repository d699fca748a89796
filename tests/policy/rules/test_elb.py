"""Load balancing rules: HTTP redirects to HTTPS, strict ALBs across two AZs, modern TLS."""

from __future__ import annotations

import pytest

from policy.aws_types import LISTENERS, LOAD_BALANCERS
from policy.rules import elb

from ..builders import res
from .elb_fixtures import ALB, FIXTURES, HTTP_REDIRECT, HTTPS_LISTENER
from .expect import assert_fails, assert_passes, result_of, rule_ids_of


def test_every_elb_rule_has_a_passing_and_a_failing_fixture():
    assert sorted(FIXTURES) == rule_ids_of(elb)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_passing_fixture_passes(rule_id):
    assert_passes(rule_id, FIXTURES[rule_id][0])


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_failing_fixture_fails_with_a_message(rule_id):
    assert_fails(rule_id, FIXTURES[rule_id][1])


def test_the_alb_alias_tokens_are_checked_like_the_lb_ones():
    alias = res(LOAD_BALANCERS[1], "alb", **(ALB | {"enableDeletionProtection": False}))
    assert not result_of("ELB.6", [alias]).passed


def test_each_listener_rule_leaves_the_other_protocol_alone():
    plain_policy = HTTP_REDIRECT | {"sslPolicy": "ELBSecurityPolicy-2016-08"}
    assert result_of("ELB.17", [res(LISTENERS[0], "http", **plain_policy)]).passed
    assert result_of("ELB.1", [res(LISTENERS[0], "https", **HTTPS_LISTENER)]).passed
