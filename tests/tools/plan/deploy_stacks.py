"""The shipped stacks' deploy-role policies, as the scoped-resource tests read them."""

from __future__ import annotations

from stack.settings import load_settings
from tests.stack_runs import stack_config, stand_in_stack_file
from tests.tools.plan.policy_eval import listed
from tools.plan.deploy_policies import Declared, deploy_policies
from tools.plan.deploy_role import declared_by_stack, target_of

ACCOUNT = "123456789012"  # the offline mocks' account
STACKS = ("prod", "scale", "dev")
SUFFIX = "1a2b3c4"  # Pulumi's auto-name: logical name, "-", 7 random characters


def stack_policies() -> dict[str, tuple[Declared, list[dict], str]]:
    """Each stack's declarations, its policies' statements and its region."""
    out = {}
    for stack in STACKS:
        declared = declared_by_stack(stack, config_file=stand_in_stack_file(stack))
        policies = deploy_policies(
            declared, target_of(stack, ACCOUNT, config_file=stand_in_stack_file(stack))
        )
        statements = [s for document in policies.values() for s in document["Statement"]]
        out[stack] = (declared, statements, load_settings(stack_config(stack)).region)
    return out


def granted(statements: list[dict], service: str) -> set[str]:
    """The actions of `service` that some Allow statement names."""
    return {
        a
        for s in statements
        if s["Effect"] == "Allow"
        for a in listed(s["Action"])
        if a.startswith(f"{service}:")
    }
