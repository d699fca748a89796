"""The plan of the scale stack (`database: rds`): RDS priced, no EFS, database: efs offered back.

Run like `make plan STACK=scale`: the real program under the recording mocks, priced.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from stack.paths import REPO_ROOT
from tests.stack_runs import stand_in_stack_file
from tools.plan import generated_docs
from tools.plan.cost_lines import total_line
from tools.plan.planner import build_plan
from tools.plan.prices import load_prices
from tools.plan.report import scale_cost_markdown


@pytest.fixture(scope="module")
def plan():
    return build_plan("scale", config_file=stand_in_stack_file("scale"))


def items(plan) -> dict[str, Decimal]:
    return {line.item: line.monthly_usd for line in plan.estimate.lines}


def test_the_plan_prices_a_multi_az_instance_and_two_tasks(plan):
    prices = load_prices("ap-northeast-1")
    lines = items(plan)
    hours = lines["RDS PostgreSQL db.t4g.small Multi-AZ instance hours"]
    assert hours == Decimal(str(round(2 * 730 * prices.rds_postgres_t4g_small_hour, 2)))
    assert lines["RDS PostgreSQL db.t4g.small Multi-AZ gp3 storage"] == Decimal("5.52")
    fargate = next(line for line in plan.estimate.lines if line.item.endswith("vCPU"))
    assert fargate.quantity.startswith("2 task")
    assert not any(item.startswith("EFS") for item in lines)
    assert not any("database backups" in item for item in lines)


def test_the_alternatives_offer_postgres_on_efs_with_its_trade_off(plan):
    by_label = {a.choice.label: a for a in plan.alternatives}
    efs = next(a for label, a in by_label.items() if "database: efs" in label)
    rds = next(a for label, a in by_label.items() if "database: rds" in label)
    assert rds.current
    assert efs.estimate.total < plan.estimate.total
    assert "stops the site" in efs.choice.trade_off


def test_spot_beyond_the_first_task_is_offered_cheaper_with_its_risk(plan):
    spot = next(a for a in plan.alternatives if "fargateSpot: mixed" in a.choice.label)
    assert not spot.current
    assert spot.estimate.total < plan.estimate.total
    assert any(line.item.endswith("vCPU on Spot") for line in spot.estimate.lines)
    assert "two minutes' notice" in spot.choice.trade_off


def test_the_cost_document_states_the_scale_stack_s_monthly_cost_beside_prod_s(plan):
    line = scale_cost_markdown(plan)
    assert total_line(plan.estimate) in line
    assert line.startswith("`scale` (`database: rds`, 2 to 6 tasks, db.t4g.small Multi-AZ): ")
    block, prod = generated_docs.SCALE_COST, generated_docs.COST
    assert block.path == prod.path
    text = block.read_document()
    assert generated_docs.read_block(text, block) == line, (
        f"{block.path.name}'s {block.name} is out of date: run `{generated_docs.COMMAND}`"
    )
    assert text.index(block.begin) < text.index(prod.begin)  # same section


def test_every_mandatory_rule_passes_on_scale(plan):
    failed = [r.rule.id for r in plan.results if r.rule.enforcement == "mandatory" and not r.passed]
    assert failed == []


def test_python_m_plan_stack_scale_succeeds():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.plan",
            "--stack",
            "scale",
            "--no-alternatives",
            "--config-file",
            str(stand_in_stack_file("scale")),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "RDS PostgreSQL db.t4g.small Multi-AZ instance hours" in result.stdout
    assert "aws:rds/instance:Instance" in result.stdout
