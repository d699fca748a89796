"""The rules on the scale stack (`database: rds`, several tasks), recorded offline."""

from __future__ import annotations

import pytest

from policy.evaluator import evaluate
from policy.model import Enforcement
from tests.stack_runs import stand_in_stack_file
from tools.plan.derive import rule_resources
from tools.plan.planner import read_settings, run_stack


@pytest.fixture(scope="module")
def results():
    config, _ = read_settings("scale", config_file=stand_in_stack_file("scale"))
    run = run_stack(config, "scale")
    return {r.rule.id: r for r in evaluate(rule_resources(run.recording.resources))}


def test_scale_passes_every_mandatory_rule(results):
    failed = [
        rule_id
        for rule_id, r in results.items()
        if not r.passed and r.rule.enforcement is Enforcement.MANDATORY
    ]
    assert failed == []


def test_several_tasks_pass_single_writer_because_none_writes_to_efs(results):
    single_writer = results["DJTW.SINGLE-WRITER"]
    assert single_writer.passed


def test_every_rds_rule_checks_the_instance(results):
    assert [rule_id for rule_id, r in results.items() if rule_id.startswith("RDS.")] != []
    for rule_id, result in results.items():
        if rule_id.startswith("RDS."):
            assert result.checked >= 1, rule_id


def test_the_only_rds_finding_is_the_default_port(results):
    findings = {
        rule_id for rule_id, r in results.items() if rule_id.startswith("RDS.") and not r.passed
    }
    assert findings == {"RDS.23"}
