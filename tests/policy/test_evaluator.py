"""The evaluator runs every registered rule, each on the resources of its types."""

from __future__ import annotations

from policy.aws_types import SUBNET
from policy.evaluator import RULES, RULES_BY_ID, check_resource, evaluate

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
