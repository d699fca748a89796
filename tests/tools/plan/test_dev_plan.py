"""The dev stack (Pulumi.dev.yaml): the smallest private deployment, validated and planned.

It runs ``__main__.py`` under the recording mocks as ``make plan STACK=dev`` does: one AZ, no
domain, the cheaper of the two private egress modes, the smallest Fargate task, and the rule
levels of its policy pack config (``policy/config.dev.json``).
"""

from __future__ import annotations

import pytest

from policy.aws_types import SUBNET
from policy.evaluator import stack_rules
from policy.model import Enforcement
from stack.settings import FARGATE_CPU_MEMORY, load_settings
from tests.stack_runs import stack_config, stand_in_stack_file
from tools.plan.__main__ import main
from tools.plan.planner import build_plan
from tools.plan.report import mandatory_failures, text_report

EGRESS_CHOICES = (
    "interface endpoints in every AZ",
    "interface endpoints in one AZ",
    "one NAT gateway instead of endpoints",
)
# A development stack has no domain, so no HTTPS to redirect to (ELB.1), and its load balancer
# may be deleted (ELB.6): both by design, so its pack config makes them advisory.
ADVISORY_IN_DEVELOPMENT = ("ELB.1", "ELB.6")


@pytest.fixture(scope="module")
def settings():
    return load_settings(stack_config("dev"))


@pytest.fixture(scope="module")
def plan():
    return build_plan("dev", config_file=stand_in_stack_file("dev"))


def test_dev_is_a_development_stack_in_one_az_without_a_domain(settings):
    assert not settings.is_production
    assert settings.az_count == 1
    assert (settings.domain, settings.hosted_zone, settings.mail_from) == ("", "", "")


def test_dev_runs_the_smallest_task_fargate_offers(settings):
    smallest_cpu = min(FARGATE_CPU_MEMORY)
    assert (settings.task_cpu, settings.task_memory) == (
        smallest_cpu,
        min(FARGATE_CPU_MEMORY[smallest_cpu]),
    )
    assert settings.web_concurrency == 1


def test_dev_egress_is_the_cheapest_private_choice_make_plan_shows(plan):
    priced = {a.choice.label: a for a in plan.alternatives if a.choice.label in EGRESS_CHOICES}
    cheapest = min(priced.values(), key=lambda alternative: alternative.estimate.total)
    assert cheapest.current, {label: a.estimate.total for label, a in priced.items()}


def test_dev_tasks_stay_in_private_subnets_of_its_one_az(plan):
    subnets = [r for r in plan.run.resources if r.type == SUBNET]
    private = [s for s in subnets if s.props["tags"]["tier"] == "private"]
    assert len(private) == 1
    assert not private[0].props["mapPublicIpOnLaunch"]
    assert plan.run.shape.nat_gateways == 1
    assert next(r for r in plan.results if r.rule.id == "ECS.2").passed  # no public IP


def test_dev_fails_no_mandatory_rule_and_its_plan_exits_0(plan, capsys):
    assert mandatory_failures(plan.results) == []
    stand_in = str(stand_in_stack_file("dev"))
    assert main(["--stack", "dev", "--no-alternatives", "--config-file", stand_in]) == 0
    assert "0 mandatory rule(s) fail" in capsys.readouterr().out


def test_dev_reports_the_rules_a_development_stack_accepts_as_advisory_warnings(plan):
    results = {result.rule.id: result for result in plan.results}
    report = text_report(plan)
    assert plan.policy_config is not None
    assert plan.policy_config.name == "config.dev.json"
    for rule_id in ADVISORY_IN_DEVELOPMENT:
        assert results[rule_id].rule.enforcement is Enforcement.ADVISORY
        assert not results[rule_id].passed  # still found, and shown
        assert f"WARN  {rule_id} " in report


def test_prod_still_holds_those_rules_mandatory():
    prod = {rule.id: rule.enforcement for rule in stack_rules("prod")}
    assert [prod[rule_id] for rule_id in ADVISORY_IN_DEVELOPMENT] == [Enforcement.MANDATORY] * 2


def test_dev_costs_less_than_prod():
    dev = build_plan("dev", with_alternatives=False, config_file=stand_in_stack_file("dev"))
    prod = build_plan("prod", with_alternatives=False, config_file=stand_in_stack_file("prod"))
    assert dev.estimate.total < prod.estimate.total
