"""The policy package is layered: each module imports only the layers below it, never Pulumi.

aws_types <- model <- readers <- reach <- rules <- evaluator <- the pack entry (__main__.py,
the only module that may import pulumi_policy). No cycles, and a rule never reaches up into
the evaluator.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

POLICY = Path(__file__).resolve().parents[2] / "policy"
LAYERS = ["aws_types", "model", "readers", "reach", "rules", "evaluator", "__main__"]


def layer_of(module: str) -> int:
    """``policy.rules.s3`` -> the index of ``rules``; ``policy`` itself is the package docstring."""
    return LAYERS.index(module.split(".")[1])


def policy_imports(path: Path) -> set[str]:
    """The ``policy.*`` modules a file imports (``from policy import x`` counts as policy.x)."""
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            if node.module == "policy":
                imported |= {f"policy.{alias.name}" for alias in node.names}
    return imported


def module_name(path: Path) -> str:
    parts = path.relative_to(POLICY.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(p for p in POLICY.rglob("*.py") if module_name(p) != "policy")


def test_every_module_of_the_package_has_a_layer():
    assert {module_name(p).split(".")[1] for p in MODULES} == set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_a_module_imports_only_lower_layers(path):
    own = layer_of(module_name(path))
    imported = policy_imports(path)
    # Only the rules package itself gathers modules of its own layer (the rule modules).
    gatherer = module_name(path) == "policy.rules"
    upward = sorted(
        m
        for m in imported
        if m.startswith("policy.") and not (layer_of(m) < own or (gatherer and layer_of(m) == own))
    )
    assert upward == [], f"{module_name(path)} must not import {upward}: move the shared code down"
    if own != LAYERS.index("__main__"):
        assert not {m for m in imported if m.split(".")[0] in ("pulumi", "pulumi_policy")}


def test_the_type_tokens_import_nothing():
    assert policy_imports(POLICY / "aws_types.py") == set()
