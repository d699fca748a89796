"""WebFirewall: an AWS WAF web ACL in front of a regional load balancer.

AWS managed rule groups against common exploits and known bad inputs, plus a rate-based rule
on the paths where every request costs the server a password hash (sign-in, sign-up, password
reset): a client past the limit is blocked at the load balancer before it reaches a worker.
What is declared comes from the pure functions below; each has its own unit test.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types

COMPONENT_TYPE = "django-tw:entrance:WebFirewall"
FORMER_COMPONENT_TYPES = ("django-tw:web_firewall:WebFirewall",)

# A web ACL for an ALB, API Gateway stage or App Runner service (CloudFront needs CLOUDFRONT).
SCOPE = "REGIONAL"
# AWS managed rule groups (no subscription fee): the core rule set (OWASP-style exploits) and
# known bad inputs (Log4j, Java deserialisation, localhost Host headers...).
# https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
MANAGED_RULE_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")
# The core rule set blocks request bodies over 8 KB (SizeRestrictions_BODY); photo uploads
# are larger, and nginx and Django already cap them, so that one rule only counts.
COUNT_ONLY_RULES = {"AWSManagedRulesCommonRuleSet": ("SizeRestrictions_BODY",)}
# Rate-based rules count per source IP over a window of 60, 120, 300 or 600 seconds.
# https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
EVALUATION_WINDOWS = (60, 120, 300, 600)
MIN_RATE_LIMIT = 100
RATE_RULE_NAME = "rate-limit-auth-paths"


@dataclass(frozen=True)
class WebFirewallArgs:
    """A regional web ACL associated with one load balancer."""

    load_balancer_arn: pulumi.Input[str]
    """The ALB the web ACL protects."""
    rate_limited_paths: Sequence[str] = ()
    """URL path prefixes whose requests are counted per client IP (e.g. ``/accounts/login/``);
    empty: no rate-based rule."""
    rate_limit: int = 100
    """Requests one IP may send to those paths per evaluation window before it is blocked
    (100 per 5 minutes: a person signing in never comes near it)."""
    evaluation_window_seconds: int = 300
    """The window the rate is counted over: 60, 120, 300 or 600."""

    def __post_init__(self) -> None:
        if self.evaluation_window_seconds not in EVALUATION_WINDOWS:
            raise ValueError(
                f"WebFirewallArgs.evaluation_window_seconds is {self.evaluation_window_seconds}; "
                f"AWS WAF accepts {', '.join(map(str, EVALUATION_WINDOWS))}"
            )
        if self.rate_limit < MIN_RATE_LIMIT:
            raise ValueError(
                f"WebFirewallArgs.rate_limit is {self.rate_limit}; use {MIN_RATE_LIMIT} or more"
            )
        bad = [p for p in self.rate_limited_paths if not p.startswith("/")]
        if bad:
            raise ValueError(
                f"WebFirewallArgs.rate_limited_paths {', '.join(map(repr, bad))} must start "
                "with '/'"
            )


def metric_name(acl: str, rule: str = "") -> str:
    """CloudWatch metric names of the ACL and its rules (letters, digits, - and _)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", f"{acl}-{rule}" if rule else acl)


def visibility(metric: str) -> aws.wafv2.WebAclRuleVisibilityConfigArgs:
    """CloudWatch metrics and sampled requests for a rule: what it blocked, and examples."""
    return aws.wafv2.WebAclRuleVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def managed_rule(acl: str, group: str, priority: int) -> aws.wafv2.WebAclRuleArgs:
    """One AWS managed rule group, blocking as AWS configures it (override: none), except the
    rules listed in COUNT_ONLY_RULES, which only count."""
    overrides = [
        aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs(
            name=rule,
            action_to_use=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs(
                count=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs()
            ),
        )
        for rule in COUNT_ONLY_RULES.get(group, ())
    ]
    return aws.wafv2.WebAclRuleArgs(
        name=group,
        priority=priority,
        override_action=aws.wafv2.WebAclRuleOverrideActionArgs(
            none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()
        ),
        statement=aws.wafv2.WebAclRuleStatementArgs(
            managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                vendor_name="AWS", name=group, rule_action_overrides=overrides or None
            )
        ),
        visibility_config=visibility(metric_name(acl, group)),
    )


def path_pattern(paths: Sequence[str]) -> str:
    """A regular expression matching a URI path that starts with any of ``paths``."""
    return "^(" + "|".join(re.escape(path) for path in paths) + ")"


def rate_rule(
    acl: str, paths: Sequence[str], limit: int, window: int, priority: int
) -> aws.wafv2.WebAclRuleArgs:
    """Block an IP that sends more than ``limit`` requests to ``paths`` in ``window`` seconds.
    The ALB hands WAF the client's own address, so the source IP is the client."""
    scope = aws.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementArgs(
        regex_match_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementRegexMatchStatementArgs(
            regex_string=path_pattern(paths),
            field_to_match=aws.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementRegexMatchStatementFieldToMatchArgs(
                uri_path=aws.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementRegexMatchStatementFieldToMatchUriPathArgs()
            ),
            text_transformations=[
                aws.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementRegexMatchStatementTextTransformationArgs(
                    priority=0, type="LOWERCASE"
                )
            ],
        )
    )
    return aws.wafv2.WebAclRuleArgs(
        name=RATE_RULE_NAME,
        priority=priority,
        action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
        statement=aws.wafv2.WebAclRuleStatementArgs(
            rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                aggregate_key_type="IP",
                limit=limit,
                evaluation_window_sec=window,
                scope_down_statement=scope,
            )
        ),
        visibility_config=visibility(metric_name(acl, RATE_RULE_NAME)),
    )


def web_acl_rules(acl: str, args: WebFirewallArgs) -> list[aws.wafv2.WebAclRuleArgs]:
    """The rules in evaluation order: the managed groups, then the rate rule (if any)."""
    rules = [managed_rule(acl, group, i) for i, group in enumerate(MANAGED_RULE_GROUPS)]
    if args.rate_limited_paths:
        rules.append(
            rate_rule(
                acl,
                args.rate_limited_paths,
                args.rate_limit,
                args.evaluation_window_seconds,
                len(rules),
            )
        )
    return rules


class WebFirewall(pulumi.ComponentResource):
    """A REGIONAL wafv2 web ACL (allow by default; the rules block) associated with the ALB."""

    web_acl_arn: pulumi.Output[str]
    rule_count: int
    """Rules of the web ACL (each managed group counts as one), what AWS WAF bills per month."""

    def __init__(
        self, name: str, args: WebFirewallArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        rules = web_acl_rules(name, args)
        acl = aws.wafv2.WebAcl(
            f"{name}-acl",
            scope=SCOPE,
            description="Managed protections and a rate limit on the sign-in paths",
            default_action=aws.wafv2.WebAclDefaultActionArgs(
                allow=aws.wafv2.WebAclDefaultActionAllowArgs()
            ),
            rules=rules,
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
                cloudwatch_metrics_enabled=True,
                metric_name=metric_name(name),
                sampled_requests_enabled=True,
            ),
            opts=child,
        )
        aws.wafv2.WebAclAssociation(
            f"{name}-association",
            resource_arn=args.load_balancer_arn,
            web_acl_arn=acl.arn,
            opts=child,
        )
        self.web_acl_arn = acl.arn
        self.rule_count = len(rules)
        self.register_outputs({"web_acl_arn": self.web_acl_arn})
