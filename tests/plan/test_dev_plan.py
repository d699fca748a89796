"""The dev stack (Pulumi.dev.yaml): the smallest private deployment, validated and planned.

It runs ``__main__.py`` under the recording mocks as ``make plan STACK=dev`` does: one AZ, no
domain, the cheaper of the two private egress modes, the smallest Fargate task.
"""

from __future__ import annotations

import pytest

from plan.planner import build_plan
from plan.report import mandatory_failures
from policy.aws_types import SUBNET
from stack_settings import FARGATE_CPU_MEMORY, load_settings, read_stack_file

EGRESS_CHOICES = (
    "interface endpoints in every AZ",
    "interface endpoints in one AZ",
    "one NAT gateway instead of endpoints",
)
# A development stack has no domain, so no HTTPS to redirect to (ELB.1), and its load balancer
# may be deleted (ELB.6): both by design, and the only mandatory rules it fails.
ACCEPTED_IN_DEVELOPMENT = {"ELB.1", "ELB.6"}


@pytest.fixture(scope="module")
def settings():
    return load_settings(read_stack_file("dev"))


@pytest.fixture(scope="module")
def plan():
    return build_plan("dev")


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


def test_dev_fails_only_the_mandatory_rules_a_development_stack_accepts(plan):
    failing = {result.rule.id for result in mandatory_failures(plan.results)}
    assert failing == ACCEPTED_IN_DEVELOPMENT


def test_dev_costs_less_than_prod():
    dev = build_plan("dev", with_alternatives=False)
    prod = build_plan("prod", with_alternatives=False)
    assert dev.estimate.total < prod.estimate.total
