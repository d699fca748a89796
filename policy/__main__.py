"""The django-tw policy pack: every rule of :mod:`policy.rules`, wrapped for the Pulumi engine.

``pulumi preview --policy-pack policy`` runs this file; constructing ``PolicyPack`` starts a
gRPC server and blocks, so it happens only when the file runs as a program. Tests import
:func:`build_policies` and call the wrapped validations with engine-style arguments.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# The CLI runs this file from policy/; the rules are imported as `policy.*` either way.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyComplianceFramework,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from policy.evaluator import RULES, check_resource
from policy.model import PROJECT_PREFIX, Enforcement, Resource, Rule

PACK_NAME = "django-tw"

_LEVELS = {
    Enforcement.MANDATORY: EnforcementLevel.MANDATORY,
    Enforcement.ADVISORY: EnforcementLevel.ADVISORY,
}


def _framework(rule: Rule) -> PolicyComplianceFramework | None:
    if rule.id.startswith(PROJECT_PREFIX):
        return None
    return PolicyComplianceFramework(
        name="AWS Foundational Security Best Practices", reference=rule.id
    )


def _resource_validation(rule: Rule):
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message in check_resource(rule, args.resource_type, args.props):
            report_violation(f"[{rule.id}] {message}", None)

    return validate


def _stack_validation(rule: Rule):
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [
            Resource(
                type=r.resource_type,
                name=r.name,
                props=r.props,
                urn=r.urn,
                parent=r.parent.urn if r.parent is not None else None,
            )
            for r in args.resources
        ]
        assert rule.check_stack is not None
        for resource, message in rule.check_stack(resources):
            report_violation(f"[{rule.id}] {message}", resource.urn if resource else None)

    return validate


def build_policies(rules: tuple[Rule, ...] = RULES) -> list[Policy]:
    """One Pulumi policy per rule, named after its control ID (``ecs-2``, ``s3-1-s3-8``...)."""
    policies: list[Policy] = []
    for rule in rules:
        common: dict[str, Any] = {
            "name": rule.policy_name,
            "description": f"{rule.id}: {rule.title}",
            "enforcement_level": _LEVELS[rule.enforcement],
            "framework": _framework(rule),
            "url": rule.url,
        }
        if rule.check_stack is not None:
            policies.append(StackValidationPolicy(validate=_stack_validation(rule), **common))
        else:
            policies.append(ResourceValidationPolicy(validate=_resource_validation(rule), **common))
    return policies


if __name__ == "__main__":
    PolicyPack(name=PACK_NAME, policies=build_policies())
