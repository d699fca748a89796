"""The rules on the prod stack as the program declares it (recorded offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy.evaluator import evaluate
from policy.model import Enforcement
from tests.stack_runs import stand_in_stack_file
from tools.plan.derive import rule_resources
from tools.plan.planner import read_settings, run_stack


@pytest.fixture(scope="module")
def results():
    config, _ = read_settings("prod", config_file=stand_in_stack_file("prod"))
    run = run_stack(config, "prod")
    return evaluate(rule_resources(run.recording.resources))


def failing(results, enforcement):
    return {r.rule.id for r in results if not r.passed and r.rule.enforcement is enforcement}


def test_prod_passes_every_mandatory_rule(results):
    assert failing(results, Enforcement.MANDATORY) == set()


def test_every_rule_finds_something_to_check_on_prod(results):
    # A rule that checked nothing on prod either targets the wrong type token or is dead. The
    # RDS rules check the scale stack instead (tests/policy/test_scale_stack.py).
    unchecked = [r.rule.id for r in results if r.checked == 0]
    assert [rule_id for rule_id in unchecked if not rule_id.startswith("RDS.")] == []


def test_each_advisory_finding_on_prod_is_explained_in_the_security_doc(results):
    security = Path("docs/security.md").read_text(encoding="utf-8")
    exceptions = security[security.index("## Advisory exceptions in prod") :]
    exceptions = exceptions[: exceptions.index("## Rule results on prod")]
    for rule_id in failing(results, Enforcement.ADVISORY):
        assert f"| {rule_id}," in exceptions, f"docs/security.md must explain {rule_id}"


def test_the_policy_pack_finds_on_prod_what_the_rules_find(results):
    from .test_pack import violations_of

    config, _ = read_settings("prod", config_file=stand_in_stack_file("prod"))
    resources = rule_resources(run_stack(config, "prod").recording.resources)
    for result in results:
        reported = violations_of(result.rule.id, resources)
        assert len(reported) == len(result.findings), result.rule.id
