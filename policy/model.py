"""What a rule is, what it finds, and the registry each rule joins where it is written.

A resource is what the Pulumi engine hands a policy pack (and what the recording mocks
capture): a type token of :mod:`policy.aws_types` and its properties with camelCase keys.
Nothing here imports Pulumi, so the unit tests and ``python -m tools.plan`` run the rules directly,
while ``policy/__main__.py`` wraps the same rules in a ``PolicyPack``.

Rule IDs are the AWS Foundational Security Best Practices (FSBP) control IDs where one exists
(https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html); ``DJTW.*`` rules
are this project's own.

Two kinds of rule, each declared by a decorator on its check function (the function itself is
returned unchanged, so it stays a plain function to call):

- :func:`resource_rule`: looks at one resource at a time, ``check(type, props) -> messages``;
- :func:`stack_rule`: needs several resources together, e.g. a bucket and its public access
  block, ``check(resources) -> [(resource or None, message)]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

FSBP_DOCS = "https://docs.aws.amazon.com/securityhub/latest/userguide/"
PROJECT_PREFIX = "DJTW"


class Enforcement(StrEnum):
    """MANDATORY fails ``make plan`` and ``pulumi preview``; ADVISORY only reports."""

    MANDATORY = "mandatory"
    ADVISORY = "advisory"


@dataclass(frozen=True)
class Resource:
    """One resource of a stack as the rules see it (engine-style: type token + camelCase props)."""

    type: str
    name: str
    props: Mapping[str, Any]
    urn: str = ""
    parent: str | None = None


ResourceCheck = Callable[[str, Mapping[str, Any]], list[str]]
StackCheck = Callable[[Sequence[Resource]], list[tuple[Resource | None, str]]]


@dataclass(frozen=True)
class Rule:
    """One rule: an ID (FSBP control or DJTW.*), what it demands, and its check."""

    id: str
    title: str
    enforcement: Enforcement
    resource_types: tuple[str, ...]
    """Types a resource rule applies to; for a stack rule, the types it reads (for reports)."""
    check_resource: ResourceCheck | None = None
    check_stack: StackCheck | None = None
    remediation: str = ""

    def __post_init__(self) -> None:
        if not self.id or not self.title:
            raise ValueError(f"rule {self.id!r}: give it an id and a title saying what it demands")
        if not self.resource_types:
            raise ValueError(f"rule {self.id}: name at least one resource type it checks")
        if (self.check_resource is None) == (self.check_stack is None):
            raise ValueError(
                f"rule {self.id}: give exactly one check, check_resource or check_stack"
            )

    @property
    def policy_name(self) -> str:
        """The name in the policy pack: lower-case, dots to dashes (``ecs-2``)."""
        return self.id.lower().replace(".", "-").replace("/", "-")

    @property
    def url(self) -> str | None:
        """The FSBP control's documentation (``S3.1/S3.8`` links to S3.1); None for DJTW.*."""
        if self.id.startswith(PROJECT_PREFIX):
            return None
        service = self.id.split(".")[0].split("/")[0].lower()
        number = self.id.split(".")[1].split("/")[0]
        return f"{FSBP_DOCS}{service}-controls.html#{service}-{number}"


@dataclass(frozen=True)
class Finding:
    rule: Rule
    resource: str  # resource name, or "" for the stack as a whole
    message: str


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    checked: int  # resources the rule looked at
    findings: tuple[Finding, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return not self.findings


class RuleRegistry:
    """The rules in the order they were declared (the order reports list them in)."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def add(self, rule: Rule) -> Rule:
        if rule.id in self._rules:
            raise ValueError(f"rule id {rule.id} is declared twice; give one of them another id")
        self._rules[rule.id] = rule
        return rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def by_id(self) -> dict[str, Rule]:
        return dict(self._rules)


REGISTRY = RuleRegistry()
"""Every rule of :mod:`policy.rules`; importing that package fills it."""


def resource_rule(
    rule_id: str,
    title: str,
    enforcement: Enforcement,
    resource_types: Sequence[str],
    registry: RuleRegistry = REGISTRY,
) -> Callable[[ResourceCheck], ResourceCheck]:
    """Declare the decorated ``check(type, props) -> messages`` as rule ``rule_id``."""

    def declare(check: ResourceCheck) -> ResourceCheck:
        registry.add(Rule(rule_id, title, enforcement, tuple(resource_types), check_resource=check))
        return check

    return declare


def stack_rule(
    rule_id: str,
    title: str,
    enforcement: Enforcement,
    reads: Sequence[str],
    registry: RuleRegistry = REGISTRY,
) -> Callable[[StackCheck], StackCheck]:
    """Declare the decorated ``check(resources) -> [(resource, message)]`` as ``rule_id``;
    ``reads`` names the resource types it looks at."""

    def declare(check: StackCheck) -> StackCheck:
        registry.add(Rule(rule_id, title, enforcement, tuple(reads), check_stack=check))
        return check

    return declare
