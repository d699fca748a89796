"""The rule model: every declared rule is complete, and the registry holds exactly our rules."""

from __future__ import annotations

import re

import pytest

from policy.evaluator import RULES, RULES_BY_ID
from policy.model import (
    Enforcement,
    Rule,
    RuleRegistry,
    resource_rule,
    stack_rule,
)

# Every rule the pack enforces, in the order reports list them (FSBP controls by service, then
# this project's own). A rule added or dropped changes the pack: change this list with it.
RULE_IDS = [
    *("ECS.2", "ECS.4", "ECS.5", "ECS.8", "ECS.9", "ECS.12", "ECS.18", "ECS.20"),
    "DJTW.ECS-EXEC-LOGGING",
    *("EFS.1", "EFS.2", "EFS.3", "EFS.4", "EFS.6"),
    *("ELB.1", "ELB.4", "ELB.5", "ELB.6", "ELB.13", "ELB.17"),
    *("S3.1/S3.8", "S3.5", "S3.12"),
    *("EC2.2", "EC2.6", "EC2.15", "EC2.18", "EC2.19", "DJTW.ENDPOINT-POLICY"),
    *("IAM.1", "IAM.21"),
    *("ECR.1", "ECR.2", "ECR.3"),
    *("DJTW.LOG-RETENTION", "DJTW.ALARMS", "DJTW.SINGLE-WRITER", "DJTW.PRIVATE-REACH"),
]


def test_the_registry_holds_exactly_our_rules_in_report_order():
    assert [rule.id for rule in RULES] == RULE_IDS


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_declares_what_it_is(rule):
    assert rule.title
    assert isinstance(rule.enforcement, Enforcement)
    assert len(rule.resource_types) >= 1
    assert all(re.fullmatch(r"awsx?:[\w/]+:\w+", token) for token in rule.resource_types)
    assert (rule.check_resource is None) != (rule.check_stack is None)


def test_ids_are_unique_and_policy_names_valid():
    assert len(RULES_BY_ID) == len(RULES)
    names = [rule.policy_name for rule in RULES]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names), names


def test_fsbp_rules_link_to_their_control():
    assert RULES_BY_ID["ECS.8"].url.endswith("ecs-controls.html#ecs-8")
    assert RULES_BY_ID["S3.1/S3.8"].url.endswith("s3-controls.html#s3-1")
    assert RULES_BY_ID["DJTW.SINGLE-WRITER"].url is None


def test_advisory_rules_are_the_documented_trade_offs():
    # ECS.5: ECS Exec and the images' entrypoints need writable paths; ECS.12: Container
    # Insights is a paid extra; ECR.2: tasks pin images by digest, tags may move.
    advisory = {rule.id for rule in RULES if rule.enforcement is Enforcement.ADVISORY}
    assert advisory == {"ECS.5", "ECS.12", "ECR.2"}


# --- declaring a rule -------------------------------------------------------------------------


def no_findings(_type, _props):
    return []


def test_the_decorators_declare_a_rule_and_leave_the_check_a_plain_function():
    registry = RuleRegistry()
    declared = resource_rule("X.1", "a title", Enforcement.ADVISORY, ["aws:x/y:Y"], registry)(
        no_findings
    )
    stack_check = stack_rule("X.2", "another", Enforcement.MANDATORY, ["aws:x/y:Y"], registry)(
        lambda resources: []
    )
    assert declared is no_findings
    assert stack_check([]) == []
    first, second = registry
    assert (first.id, first.check_resource, first.resource_types) == (
        "X.1",
        no_findings,
        ("aws:x/y:Y",),
    )
    assert (second.id, second.check_stack) == ("X.2", stack_check)


def test_a_second_rule_with_the_same_id_is_refused():
    registry = RuleRegistry()
    resource_rule("X.1", "a title", Enforcement.MANDATORY, ["aws:x/y:Y"], registry)(no_findings)
    with pytest.raises(ValueError, match=r"X\.1 is declared twice"):
        resource_rule("X.1", "other", Enforcement.MANDATORY, ["aws:x/y:Y"], registry)(no_findings)


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"title": ""}, "give it an id and a title"),
        ({"resource_types": ()}, "at least one resource type"),
        ({"check_resource": None}, "exactly one check"),
        ({"check_stack": lambda resources: []}, "exactly one check"),
    ],
)
def test_an_incomplete_rule_is_refused_with_what_to_add(fields, complaint):
    complete = {
        "id": "X.1",
        "title": "a title",
        "enforcement": Enforcement.MANDATORY,
        "resource_types": ("aws:x/y:Y",),
        "check_resource": no_findings,
    }
    with pytest.raises(ValueError, match=complaint):
        Rule(**(complete | fields))
