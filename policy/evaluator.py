"""Run the declared rules over a stack's resources: what ``make plan``, the tests and the policy
pack (``policy/__main__.py``) all call.

A stack may lower or raise a rule's enforcement the way ``pulumi preview --policy-pack policy
--policy-pack-config policy/config.<stack>.json`` does: :func:`stack_rules` reads that file
and gives the rules with the levels it sets, so ``make plan`` decides as the engine would.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import policy.rules  # noqa: F401  (declares every rule into REGISTRY)
from policy.model import REGISTRY, Enforcement, Finding, Resource, Rule, RuleResult

RULES: tuple[Rule, ...] = tuple(REGISTRY)
RULES_BY_ID: dict[str, Rule] = REGISTRY.by_id()

PACK_DIR = Path(__file__).resolve().parent
ALL_POLICIES = "all"
"""The key of a policy pack config that sets the level of every policy (Pulumi's reserved name);
a policy's own key overrides it."""


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


# --- a stack's enforcement levels: the policy pack config file ---------------------------------


def pack_config_file(stack: str, pack_dir: Path = PACK_DIR) -> Path:
    """Where a stack's policy pack config lives: ``policy/config.<stack>.json``."""
    return pack_dir / f"config.{stack}.json"


def enforcement_levels(
    config: Mapping[str, Any], rules: Sequence[Rule] = RULES
) -> dict[str, Enforcement]:
    """The levels a policy pack config sets, by policy name (``elb-1``), in Pulumi's format:
    ``{"elb-1": {"enforcementLevel": "advisory"}}`` or ``{"elb-1": "advisory"}``, ``all`` for
    every policy (https://www.pulumi.com/docs/iac/packages-and-automation/crossguard/configuration/).
    Only the levels this pack's rules have are accepted, and only the names of its policies."""
    names = {rule.policy_name for rule in rules}
    levels: dict[str, Enforcement] = {}
    for name, value in config.items():
        if name != ALL_POLICIES and name not in names:
            raise ValueError(
                f"policy pack config names {name!r}, which is no policy of the pack; "
                f"use one of: {', '.join(sorted(names))} (or {ALL_POLICIES!r})"
            )
        entry = value if isinstance(value, Mapping) else {"enforcementLevel": value}
        if set(entry) != {"enforcementLevel"}:
            raise ValueError(
                f"policy pack config for {name!r}: only `enforcementLevel` is configurable, "
                f"not {', '.join(sorted(set(entry) - {'enforcementLevel'}))}"
            )
        level = entry["enforcementLevel"]
        allowed = [str(e) for e in Enforcement]
        if level not in allowed:
            raise ValueError(
                f"policy pack config for {name!r}: {level!r} is not one of {', '.join(allowed)}"
            )
        levels[name] = Enforcement(level)
    return levels


def with_levels(rules: Sequence[Rule], levels: Mapping[str, Enforcement]) -> tuple[Rule, ...]:
    """``rules`` at the levels a config sets: a policy's own entry first, then ``all``."""
    default = levels.get(ALL_POLICIES)
    return tuple(
        replace(rule, enforcement=levels.get(rule.policy_name, default or rule.enforcement))
        for rule in rules
    )


def stack_rules(stack: str, pack_dir: Path = PACK_DIR) -> tuple[Rule, ...]:
    """Every rule at the level ``stack`` runs it: its pack config's, else the rule's own."""
    path = pack_config_file(stack, pack_dir)
    if not path.is_file():
        return RULES
    try:
        return with_levels(RULES, enforcement_levels(json.loads(path.read_text("utf-8"))))
    except ValueError as error:  # json.JSONDecodeError is one
        raise ValueError(f"{path}: {error}") from None
