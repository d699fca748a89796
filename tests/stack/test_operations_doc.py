"""docs/operations.md has a section for every alarm and event rule the stacks declare (prod,
with Postgres in the task, and scale, with RDS), under the name it has in AWS (the stack's name
written as <stack>)."""

import re

from stack.paths import REPO_ROOT

OPERATIONS = REPO_ROOT / "docs" / "operations.md"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
RULE = "aws:cloudwatch/eventRule:EventRule"


def documented_names() -> set[str]:
    text = OPERATIONS.read_text(encoding="utf-8")
    return set(re.findall(r"^### (tw-<stack>-\S+)$", text, flags=re.MULTILINE))


def as_documented(name: str) -> str:
    return name.replace("tw-prod-", "tw-<stack>-", 1)


def declared_names(*stacks) -> set[str]:
    return {
        as_documented(r.inputs["name"])
        for stack in stacks
        for r in [*stack.of_type(ALARM), *stack.of_type(RULE)]
    }


def test_every_alarm_and_rule_of_the_stack_has_its_section(prod):
    declared = declared_names(prod)
    assert declared
    assert declared - documented_names() == set()


def test_every_alarm_and_rule_of_the_rds_stack_has_its_section(scale):
    declared = declared_names(scale)
    assert "tw-<stack>-alarms-db-free-storage" in declared
    assert declared - documented_names() == set()


def test_the_burst_credit_alarm_a_bursting_stack_adds_is_documented_too():
    assert "tw-<stack>-alarms-efs-burst-credits" in documented_names()


def test_no_section_names_an_alarm_the_stacks_no_longer_have(prod, scale):
    declared = declared_names(prod, scale)
    stale = documented_names() - declared - {"tw-<stack>-alarms-efs-burst-credits"}
    assert stale == set()
