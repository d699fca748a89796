"""The evaluator runs every registered rule, each on the resources of its types."""

from __future__ import annotations

import re

import pytest

from policy.aws_types import SUBNET
from policy.evaluator import (
    RULES,
    RULES_BY_ID,
    check_resource,
    enforcement_levels,
    evaluate,
    stack_rules,
    with_levels,
)
from policy.model import Enforcement

from .builders import ALL_ENDPOINTS, STATEFUL_TASK, res, service
from .fixtures import FIXTURES


def test_every_rule_has_a_passing_and_a_failing_fixture():
    assert sorted(FIXTURES) == sorted(rule.id for rule in RULES)


def test_rules_ignore_resources_of_other_types():
    alien = res("aws:sns/topic:Topic", "alerts", privileged=True, mapPublicIpOnLaunch=True)
    for result in evaluate([alien]):
        assert result.passed, result.rule.id


def test_a_resource_rule_is_not_asked_about_a_type_it_does_not_name():
    subnet_rule = RULES_BY_ID["EC2.15"]
    assert check_resource(subnet_rule, SUBNET, {"mapPublicIpOnLaunch": True})
    assert check_resource(subnet_rule, "aws:sns/topic:Topic", {"mapPublicIpOnLaunch": True}) == []


def test_results_count_the_resources_checked_and_name_the_resource_of_each_finding():
    public = res(SUBNET, "public-a", mapPublicIpOnLaunch=True)
    private = res(SUBNET, "private-a", mapPublicIpOnLaunch=False)
    [result] = evaluate([public, private], [RULES_BY_ID["EC2.15"]])
    assert result.checked == 2
    assert [finding.resource for finding in result.findings] == ["public-a"]


def test_a_stack_wide_finding_names_no_resource():
    no_logs_endpoint = [e for e in ALL_ENDPOINTS if e.name != "endpoint-logs"]
    [result] = evaluate(
        [STATEFUL_TASK, service(), *no_logs_endpoint], [RULES_BY_ID["DJTW.PRIVATE-REACH"]]
    )
    assert {finding.resource for finding in result.findings} == {""}


# --- a stack's enforcement levels ----------------------------------------------------------------


def test_a_pack_config_sets_levels_by_policy_name_in_either_of_pulumis_forms():
    levels = enforcement_levels({"elb-1": {"enforcementLevel": "advisory"}, "ecr-2": "mandatory"})
    assert levels == {"elb-1": Enforcement.ADVISORY, "ecr-2": Enforcement.MANDATORY}


def test_a_policys_own_level_wins_over_all_which_wins_over_the_rules_own():
    rules = (RULES_BY_ID["ELB.1"], RULES_BY_ID["ECR.2"], RULES_BY_ID["EC2.15"])
    levels = enforcement_levels({"all": "advisory", "ecr-2": "mandatory"})
    assert [rule.enforcement for rule in with_levels(rules, levels)] == [
        Enforcement.ADVISORY,
        Enforcement.MANDATORY,
        Enforcement.ADVISORY,
    ]
    assert [r.enforcement for r in with_levels(rules, {})] == [r.enforcement for r in rules]


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ({"elb-99": "advisory"}, "'elb-99', which is no policy of the pack"),
        ({"ELB.1": "advisory"}, "which is no policy of the pack; use one of: "),
        ({"elb-1": "disabled"}, "'disabled' is not one of mandatory, advisory"),
        ({"elb-1": {"enforcementLevel": "advisory", "port": 80}}, "not port"),
    ],
)
def test_a_pack_config_the_pack_cannot_honour_is_refused_saying_what_to_change(config, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        enforcement_levels(config)


def test_a_stack_without_a_pack_config_runs_every_rule_at_its_own_level(tmp_path):
    assert stack_rules("prod", tmp_path) == RULES


def test_a_stack_pack_config_is_read_from_policy_config_stack_json(tmp_path):
    (tmp_path / "config.dev.json").write_text('{"elb-6": {"enforcementLevel": "advisory"}}')
    rules = {rule.id: rule for rule in stack_rules("dev", tmp_path)}
    assert rules["ELB.6"].enforcement is Enforcement.ADVISORY
    assert rules["ELB.1"].enforcement is Enforcement.MANDATORY
    (tmp_path / "config.dev.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"config\.dev\.json"):
        stack_rules("dev", tmp_path)
