"""The stack name is checked before any resource, with one line saying the rule.

Its length limit is derived from the load balancer's 32-character name (CreateLoadBalancer,
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html)
and checked here against the names the program really makes; its characters from the RDS
identifier ``tw-<stack>-rds`` (terraform-provider-aws ``validIdentifier``,
internal/service/rds/validate.go: lower case, a letter first, no ``--``, no trailing ``-``).
"""

from __future__ import annotations

import re
import runpy
import subprocess
import sys

import pytest

from stack.names import (
    AUTONAME_SUFFIX,
    ELB_NAME_LIMIT,
    MAX_LENGTH,
    RULE,
    StackNameError,
    check_stack_name,
)
from stack.paths import REPO_ROOT
from stack.settings import read_stack_file
from tests.stack_runs import scale_config
from tools.offline import RecordingMocks, run_program

LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
RDS_INSTANCE = "aws:rds/instance:Instance"
# terraform-provider-aws internal/service/rds/validate.go, validIdentifier
RDS_IDENTIFIER = re.compile(r"^[a-z][0-9a-z-]*$")

REFUSED = ["a" * (MAX_LENGTH + 1), "Prod", "my_stack", "my.stack", "1prod", "dev-", "a--b", ""]
ACCEPTED = ["prod", "dev", "a", "a" * MAX_LENGTH, "tw-2"]


def run_as(stack: str, mocks: RecordingMocks | None = None):
    return run_program(
        lambda: runpy.run_path(str(REPO_ROOT / "__main__.py"), run_name="__main__"),
        config=scale_config(),
        stack=stack,
        mocks=mocks,
    )


@pytest.mark.parametrize("stack", REFUSED)
def test_a_stack_name_that_cannot_name_the_resources_is_refused_with_the_rule(stack):
    with pytest.raises(StackNameError) as raised:
        check_stack_name(stack)
    message = str(raised.value)
    assert "\n" not in message
    assert f"stack name {stack!r}" in message
    assert RULE in message
    assert f"1 to {MAX_LENGTH} lower-case letters" in message


@pytest.mark.parametrize("stack", ACCEPTED)
def test_a_short_lower_case_stack_name_is_taken(stack):
    assert check_stack_name(stack) == stack


@pytest.fixture(scope="module")
def longest() -> object:
    """The rds stack (load balancer, target group, RDS) under the longest name allowed."""
    return run_as("a" * MAX_LENGTH)


def test_the_longest_name_allowed_makes_load_balancer_names_of_exactly_the_limit(longest):
    """Pulumi auto-names them: the logical name, a hyphen and 7 random characters. The limit
    is tight: one character more would break the load balancer's name."""
    elb = [r for r in longest.resources if r.type in (LOAD_BALANCER, TARGET_GROUP)]
    assert len(elb) == 2
    assert not any("name" in r.inputs or "namePrefix" in r.inputs for r in elb)
    lengths = {r.name: len(r.name) + AUTONAME_SUFFIX for r in elb}
    assert max(lengths.values()) == ELB_NAME_LIMIT, lengths


def test_the_longest_name_allowed_makes_a_valid_rds_identifier(longest):
    [instance] = longest.of_type(RDS_INSTANCE)
    identifier = instance.inputs["identifier"]
    assert RDS_IDENTIFIER.match(identifier), identifier
    assert "--" not in identifier
    assert not identifier.endswith("-")


@pytest.mark.parametrize("stack", ["a" * (MAX_LENGTH + 1), "Scale", "my_stack"])
def test_the_program_refuses_the_name_before_any_resource(stack):
    mocks = RecordingMocks(region="ap-northeast-1")
    with pytest.raises(StackNameError, match=re.escape(f"stack name {stack!r}")):
        run_as(stack, mocks)
    assert mocks.resources == []


@pytest.mark.parametrize("stack", ["a" * (MAX_LENGTH + 1), "Prod", "my_stack"])
def test_reading_a_stack_file_refuses_the_name(stack, tmp_path):
    (tmp_path / f"Pulumi.{stack}.yaml").write_text("config:\n  aws:region: ap-northeast-1\n")
    with pytest.raises(StackNameError, match=re.escape(RULE)):
        read_stack_file(stack, root=tmp_path)


@pytest.mark.parametrize("stack", ["a" * (MAX_LENGTH + 1), "Prod", "my_stack"])
def test_make_plan_refuses_the_name_with_one_line(stack, tmp_path):
    (tmp_path / f"Pulumi.{stack}.yaml").write_text("config:\n  aws:region: ap-northeast-1\n")
    result = subprocess.run(
        [sys.executable, "-m", "tools.plan", "--no-alternatives", "--root", str(tmp_path),
         "--stack", stack],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"plan: stack {stack!r}: stack name {stack!r}")
    assert RULE in line


@pytest.mark.parametrize("stack", ["a" * (MAX_LENGTH + 1), "Prod"])
def test_the_deploy_role_generator_refuses_the_name_with_one_line(stack, capsys):
    from tools.plan.deploy_role import main

    assert main(["--stack", stack]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"python -m tools.plan.deploy_role: stack name {stack!r}")
    assert RULE in line
