"""The plan of the prod stack: the real program, recorded offline, priced and drawn.

These tests run ``__main__.py`` under the recording mocks (as ``make plan`` does), so they
check the whole chain: settings -> program -> recorded resources -> counts -> dollars.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal

import pytest

from policy.evaluator import RULES
from tests.stack_runs import stand_in_stack_file
from tools.plan import generated_docs
from tools.plan.cost_lines import total_line
from tools.plan.planner import CHOICES, build_plan
from tools.plan.prices import load_prices
from tools.plan.report import (
    cost_markdown,
    diagram_block,
    mandatory_failures,
    policy_markdown,
    text_report,
)

ESTIMATE_LINE = re.compile(r"^Estimated monthly cost: \$\d+\.\d\d$")


@pytest.fixture(scope="module")
def plan():
    return build_plan("prod", config_file=stand_in_stack_file("prod"))


@pytest.fixture(scope="module")
def cost_text():
    return generated_docs.COST_DOC.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    start = text.index(f"# {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : len(text) if end < 0 else end]


# --- the documents stay what the program produces ------------------------------------------


@pytest.mark.parametrize(
    ("block", "render"),
    [
        (generated_docs.DIAGRAM, diagram_block),
        (generated_docs.COST, cost_markdown),
        (generated_docs.POLICY, policy_markdown),
    ],
    ids=["diagram", "cost", "policy"],
)
def test_generated_blocks_are_up_to_date(plan, block, render):
    assert generated_docs.read_block(block.read_document(), block) == render(plan), (
        f"{block.path.name}'s {block.name} is out of date: run `{generated_docs.COMMAND}`"
    )


def test_the_cost_document_ends_with_the_estimate(plan, cost_text):
    last = section(cost_text, "Cost").strip().splitlines()[-1]
    assert ESTIMATE_LINE.match(last)
    assert last == total_line(plan.estimate)


def test_the_diagram_is_mermaid_with_the_stack_s_components(plan):
    block = diagram_block(plan)
    assert block.startswith("```mermaid\nflowchart TB\n")
    for component in (r for r in plan.run.recording.resources if not r.custom and not r.remote):
        assert f': {component.name}"]' in block, component.name


# --- the report -------------------------------------------------------------------------------


def test_report_cost_part_ends_with_the_estimate_line(plan):
    lines = text_report(plan).splitlines()
    alternatives = lines.index("3. Alternatives the settings allow (same usage, same prices)")
    assert ESTIMATE_LINE.match(lines[alternatives - 2])
    assert lines[alternatives - 1] == ""


def test_report_lists_resources_services_costs_alternatives_and_rules(plan):
    report = text_report(plan)
    for heading in ("1. Resources", "AWS services the task reaches", "2. Estimated monthly cost",
                    "3. Alternatives", "4. Policy rules"):  # fmt: skip
        assert heading in report
    for result in plan.results:
        assert result.rule.id in report


# --- the figures follow the settings -----------------------------------------------------------


def test_interface_endpoints_sit_in_every_az_of_the_stack(plan):
    assert plan.settings.egress == "endpoints"
    expected_azs = plan.settings.endpoint_az_count or plan.settings.az_count
    assert plan.run.shape.interface_endpoints
    assert {e.az_count for e in plan.run.shape.interface_endpoints} == {expected_azs}


def test_one_az_endpoints_save_exactly_the_second_az(plan):
    alternatives = {a.choice.label: a for a in plan.alternatives}
    every = alternatives["interface endpoints in every AZ"].estimate.total
    one = alternatives["interface endpoints in one AZ"].estimate.total
    endpoints = len(plan.run.shape.interface_endpoints)
    price = Decimal(str(load_prices(plan.settings.region).interface_endpoint_az_hour))
    saved_azs = plan.settings.az_count - 1
    assert every - one == (endpoints * saved_azs * 730 * price).quantize(Decimal("0.01"))


def test_every_alternative_is_priced_and_the_current_ones_are_marked(plan):
    assert [a.choice for a in plan.alternatives] == list(CHOICES)
    assert all(a.estimate is not None for a in plan.alternatives)
    current = {a.choice.label for a in plan.alternatives if a.current}
    assert current == {
        "interface endpoints in every AZ",
        "ARM tasks (ARM64, Graviton)",
        "EFS elastic throughput",
        "no AWS WAF",
        "Postgres in the task on EFS (database: efs, one task)",
    }
    for alternative in plan.alternatives:
        if alternative.current:
            assert alternative.estimate.total == plan.estimate.total


def test_nat_alternatives_price_nat_gateways_instead_of_interface_endpoints(plan):
    alternatives = {a.choice.label: a for a in plan.alternatives}
    expected = {
        "one NAT gateway instead of endpoints": 1,
        "a NAT gateway per AZ instead of endpoints": plan.settings.az_count,
    }
    for label, gateways in expected.items():
        lines = {line.item: line for line in alternatives[label].estimate.lines}
        assert lines["NAT gateways"].quantity.startswith(f"{gateways} x ")
        assert not any(item.startswith("Interface VPC endpoints") for item in lines)


def test_elastic_efs_costs_exactly_its_stated_transfer_more_than_bursting(plan):
    alternatives = {a.choice.label: a for a in plan.alternatives}
    elastic = alternatives["EFS elastic throughput"].estimate
    bursting = alternatives["EFS bursting throughput"].estimate
    transfer = [line for line in elastic.lines if line.item.startswith("EFS Elastic throughput")]
    assert len(transfer) == 2
    assert alarms_usd(bursting) - alarms_usd(elastic) == Decimal(
        str(plan.prices.cloudwatch_alarm_month)
    )  # its credits
    assert (elastic.total - alarms_usd(elastic)) - (bursting.total - alarms_usd(bursting)) == sum(
        line.monthly_usd for line in transfer
    )
    assert not any(line.item.startswith("EFS Elastic") for line in bursting.lines)


def alarms_usd(estimate) -> Decimal:
    return sum(
        (line.monthly_usd for line in estimate.lines if line.item.startswith("CloudWatch alarms")),
        Decimal(0),
    )


def test_the_backup_bucket_is_priced_at_its_stated_size(plan):
    assert plan.run.shape.backup_buckets == 1
    line = next(line for line in plan.estimate.lines if "database backups" in line.item)
    assert line.quantity == f"{plan.usage.backup_gb:g} GB x ${plan.prices.s3_standard_gb_month:g}"


def test_x86_costs_more_than_arm_for_the_same_task(plan):
    alternatives = {a.choice.label: a for a in plan.alternatives}
    x86 = alternatives["x86 tasks (X86_64)"].estimate
    assert x86.total > plan.estimate.total
    assert any(line.item.startswith("Fargate X86_64") for line in x86.lines)


def test_every_service_the_task_uses_is_reachable(plan):
    assert plan.reaches
    assert [r.service for r in plan.reaches if not r.reachable] == []


def test_prod_has_no_pack_config_so_every_rule_keeps_its_own_level(plan):
    # Only a development stack relaxes rules (policy/config.dev.json); prod runs them as written.
    assert plan.policy_config is None
    assert all(result.rule in RULES for result in plan.results)


# --- the command -----------------------------------------------------------------------------


def test_python_m_plan_prints_the_documented_figure_and_exits_by_the_mandatory_rules(plan):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.plan",
            "--stack",
            "prod",
            "--config-file",
            str(stand_in_stack_file("prod")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert total_line(plan.estimate) in result.stdout.splitlines()
    assert result.returncode == (1 if mandatory_failures(plan.results) else 0)


def test_the_restore_drill_is_priced_for_its_daily_runs(plan):
    lines = {line.item: line for line in plan.estimate.lines}
    vcpu = lines["Fargate ARM64 tw-prod-restore-drill-target, scheduled vCPU"]
    runs = plan.prices.hours_per_month / 24  # cron(30 3 * * ? *): once a day
    hours = round(runs * plan.usage.scheduled_task_minutes / 60, 2)
    assert vcpu.quantity == f"1 vCPU x {hours:g} h x ${plan.prices.fargate_arm_vcpu_hour:g}"
    assert "Fargate ARM64 tw-prod-restore-drill-target, scheduled memory" in lines
