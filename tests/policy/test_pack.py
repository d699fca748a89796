"""The policy pack wraps every rule without changing what it decides.

``PolicyPack(...)`` itself starts a gRPC server and blocks, so these tests build the policies
and drive their validations the way the engine does, with ``pulumi_policy``'s own argument types.
"""

from __future__ import annotations

import importlib
import json
import select
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from policy.evaluator import RULES, RULES_BY_ID
from policy.model import Enforcement

from .fixtures import FIXTURES

PACK = importlib.import_module("policy.__main__")
POLICIES = {policy.name: policy for policy in PACK.build_policies()}


def options() -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
    )


def violations_of(rule_id: str, resources) -> list[str]:
    rule = RULES_BY_ID[rule_id]
    policy = POLICIES[rule.policy_name]
    reported: list[str] = []

    def report(message, urn=None):
        reported.append(message)

    if isinstance(policy, StackValidationPolicy):
        stack = [
            PolicyResource(r.type, r.props, r.urn, r.name, options(), None, None, [], {})
            for r in resources
        ]
        policy.validate(StackValidationArgs(stack), report)
    else:
        assert isinstance(policy, ResourceValidationPolicy)
        for r in resources:
            args = ResourceValidationArgs(r.type, r.props, r.urn, r.name, options(), None)
            policy.validate(args, report)
    return reported


def test_one_policy_per_rule_with_its_enforcement_level():
    assert len(POLICIES) == len(RULES)
    for rule in RULES:
        policy = POLICIES[rule.policy_name]
        expected = (
            EnforcementLevel.MANDATORY
            if rule.enforcement is Enforcement.MANDATORY
            else EnforcementLevel.ADVISORY
        )
        assert policy.enforcement_level is expected
        assert policy.description.startswith(rule.id)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_the_pack_decides_like_the_rules(rule_id):
    passing, failing = FIXTURES[rule_id]
    assert violations_of(rule_id, passing) == []
    reported = violations_of(rule_id, failing)
    assert reported
    assert all(message.startswith(f"[{rule_id}]") for message in reported)


def test_policy_project_file_runs_this_pack_with_python():
    project = yaml.safe_load(Path("policy/PulumiPolicy.yaml").read_text())
    assert project["runtime"]["name"] == "python"
    assert (
        Path("policy", project["runtime"]["options"]["virtualenv"]).resolve()
        == Path(".venv").resolve()
    )


def test_the_pack_starts_as_the_cli_runs_it_and_announces_its_port(tmp_path):
    # The CLI runs the pack's entry point and reads the gRPC port from its first output line.
    pack = subprocess.Popen(
        [sys.executable, str(Path("policy/__main__.py").resolve())],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([pack.stdout], [], [], 60)
        assert ready, "the policy pack printed nothing within 60 s"
        port = pack.stdout.readline().strip()
        assert port.isdigit(), (port, pack.stderr.read() if pack.poll() is not None else "")
        assert 0 < int(port) < 65536
    finally:
        pack.terminate()
        pack.wait(timeout=30)


# --- the stacks' policy pack configs (`--policy-pack-config policy/config.<stack>.json`) --------

PACK_CONFIGS = sorted(Path("policy").glob("config.*.json"))


def test_the_dev_stack_has_a_pack_config():
    assert Path("policy/config.dev.json") in PACK_CONFIGS


@pytest.mark.parametrize("path", PACK_CONFIGS, ids=lambda path: path.name)
def test_a_pack_config_names_only_policies_of_the_pack_at_levels_pulumi_knows(path):
    config = json.loads(path.read_text(encoding="utf-8"))
    assert config, "an empty config changes nothing: delete the file"
    assert set(config) <= set(POLICIES) | {"all"}, sorted(set(config) - set(POLICIES))
    pulumi_levels = {level.value for level in EnforcementLevel}
    for name, value in config.items():
        level = value["enforcementLevel"] if isinstance(value, dict) else value
        assert level in pulumi_levels, (name, level)
