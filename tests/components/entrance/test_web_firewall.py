"""WebFirewall: the web ACL, its rules and its association with the load balancer."""

import re

import pytest

from components.entrance.web_firewall import (
    COMPONENT_TYPE,
    MANAGED_RULE_GROUPS,
    RATE_RULE_NAME,
    WebFirewall,
    WebFirewallArgs,
    managed_rule,
    metric_name,
    path_pattern,
    rate_rule,
    web_acl_rules,
)
from tests.stack_runs import run_component

ALB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/1"
AUTH = ("/accounts/login/", "/accounts/signup/", "/accounts/password_reset/")


def build(**kwargs):
    def program() -> None:
        WebFirewall("waf", WebFirewallArgs(ALB_ARN, **kwargs))

    return run_component(program)


def test_a_regional_web_acl_allows_by_default_and_is_associated_with_the_load_balancer():
    recording = build(rate_limited_paths=AUTH)
    component = recording.one(COMPONENT_TYPE)
    acl = recording.one("aws:wafv2/webAcl:WebAcl")
    assert acl.parent == component.urn
    assert acl.inputs["scope"] == "REGIONAL"
    assert "allow" in acl.inputs["defaultAction"]
    assert acl.inputs["visibilityConfig"]["cloudwatchMetricsEnabled"] is True
    association = recording.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    assert association == {"resourceArn": ALB_ARN, "webAclArn": acl.outputs["arn"]}
    names = [rule["name"] for rule in acl.inputs["rules"]]
    assert names == [*MANAGED_RULE_GROUPS, RATE_RULE_NAME]
    assert [rule["priority"] for rule in acl.inputs["rules"]] == [0, 1, 2]
    for rule in acl.inputs["rules"]:
        assert rule["visibilityConfig"]["sampledRequestsEnabled"] is True


def test_the_managed_groups_are_aws_s_common_and_known_bad_inputs_rule_sets():
    assert MANAGED_RULE_GROUPS == (
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    )
    rule = managed_rule("waf", "AWSManagedRulesKnownBadInputsRuleSet", 1)
    statement = rule.statement.managed_rule_group_statement
    assert (statement.vendor_name, statement.name) == ("AWS", rule.name)
    assert rule.override_action.none is not None


def test_photo_uploads_are_not_blocked_by_the_core_rule_set_s_8_kb_body_limit():
    rule = managed_rule("waf", "AWSManagedRulesCommonRuleSet", 0)
    (override,) = rule.statement.managed_rule_group_statement.rule_action_overrides
    assert override.name == "SizeRestrictions_BODY"
    assert override.action_to_use.count is not None


def test_the_rate_rule_blocks_one_ip_past_the_limit_on_the_sign_in_paths_only():
    rule = rate_rule("waf", AUTH, 100, 300, 2)
    assert rule.action.block is not None
    rate = rule.statement.rate_based_statement
    assert (rate.aggregate_key_type, rate.limit, rate.evaluation_window_sec) == ("IP", 100, 300)
    match = rate.scope_down_statement.regex_match_statement
    assert match.field_to_match.uri_path is not None
    pattern = re.compile(match.regex_string)
    assert pattern.match("/accounts/password_reset/done/")
    assert pattern.match("/accounts/login/?next=/")
    assert not pattern.match("/explore/")
    assert not pattern.match("/u/accounts/login/")


def test_path_patterns_escape_what_regular_expressions_would_read():
    assert path_pattern(["/a.b/"]) == r"^(/a\.b/)"


def test_without_rate_limited_paths_only_the_managed_groups():
    rules = web_acl_rules("waf", WebFirewallArgs(ALB_ARN))
    assert [r.name for r in rules] == list(MANAGED_RULE_GROUPS)


def test_metric_names_keep_to_what_cloudwatch_accepts():
    assert metric_name("tw-prod-waf", "rate limit") == "tw-prod-waf-rate-limit"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"evaluation_window_seconds": 30}, "accepts 60, 120, 300, 600"),
        ({"rate_limit": 5}, "rate_limit is 5; use 100 or more"),
        ({"rate_limited_paths": ["accounts/login/"]}, "must start with '/'"),
    ],
)
def test_bad_args_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        WebFirewallArgs(ALB_ARN, **kwargs)
