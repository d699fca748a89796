"""Run the declared rules over a stack's resources: what ``make plan``, the tests and the policy
pack (``policy/__main__.py``) all call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import policy.rules  # noqa: F401  (declares every rule into REGISTRY)
from policy.model import REGISTRY, Finding, Resource, Rule, RuleResult

RULES: tuple[Rule, ...] = tuple(REGISTRY)
RULES_BY_ID: dict[str, Rule] = REGISTRY.by_id()


def check_resource(rule: Rule, resource_type: str, props: Mapping[str, Any]) -> list[str]:
    """Messages of a resource rule for one resource ([] when it passes or does not apply)."""
    if rule.check_resource is None or resource_type not in rule.resource_types:
        return []
    return rule.check_resource(resource_type, props)


def evaluate(resources: Sequence[Resource], rules: Sequence[Rule] = RULES) -> list[RuleResult]:
    """Run ``rules`` over a stack's resources; each result says how many resources it checked."""
    results = []
    for rule in rules:
        applicable = [r for r in resources if r.type in rule.resource_types]
        findings: list[Finding] = []
        if rule.check_stack is not None:
            for resource, message in rule.check_stack(resources):
                findings.append(Finding(rule, resource.name if resource else "", message))
        else:
            for resource in applicable:
                findings.extend(
                    Finding(rule, resource.name, message)
                    for message in check_resource(rule, resource.type, resource.props)
                )
        results.append(RuleResult(rule, len(applicable), tuple(findings)))
    return results
