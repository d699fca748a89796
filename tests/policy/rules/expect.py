"""What the rule tests assert about one rule: it passes, it fails and says why, its result."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from policy.evaluator import RULES, RULES_BY_ID, evaluate
from policy.model import Resource, RuleResult


def result_of(rule_id: str, resources: Sequence[Resource]) -> RuleResult:
    [result] = evaluate(resources, [RULES_BY_ID[rule_id]])
    return result


def rule_ids_of(module: ModuleType) -> list[str]:
    """The ids of the rules declared in ``module`` (one of :mod:`policy.rules`), sorted."""
    return sorted(
        rule.id
        for rule in RULES
        if (rule.check_resource or rule.check_stack).__module__ == module.__name__
    )


def assert_passes(rule_id: str, resources: Sequence[Resource]) -> None:
    result = result_of(rule_id, resources)
    assert result.findings == ()
    assert result.checked >= 1, "a pass on zero resources proves nothing"


def assert_fails(rule_id: str, resources: Sequence[Resource]) -> None:
    result = result_of(rule_id, resources)
    assert not result.passed
    assert all(finding.message for finding in result.findings)
    assert all(finding.rule.id == rule_id for finding in result.findings)
