"""``__main__.py`` is composition only (docs/DESIGN.md): short, and wired from the stack's own
modules and the component library, never from AWS or another library directly."""

from __future__ import annotations

import ast

import pytest

from stack.paths import REPO_ROOT

PROGRAM = REPO_ROOT / "__main__.py"
MAX_LINES = 150
ALLOWED_IMPORTS = frozenset(
    {
        "components",  # the reusable library: every resource comes from a component
        "stack",  # the program's own modules: settings, database choice, containers, operations
        "pulumi",  # get_stack, export, ResourceOptions
        "dataclasses",  # replace() on a component's Args
    }
)


def imported_modules(source: str) -> set[str]:
    """The top-level names of every module ``source`` imports (``components.x`` -> components)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." if node.level else (node.module or "").split(".")[0])
    return names


def test_the_program_stays_within_its_line_budget():
    lines = len(PROGRAM.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (
        f"__main__.py has {lines} lines (at most {MAX_LINES}): move logic into a component, "
        "stack/containers.py or stack/operations.py"
    )


def test_the_program_imports_only_the_stack_modules_and_the_components():
    unexpected = imported_modules(PROGRAM.read_text(encoding="utf-8")) - ALLOWED_IMPORTS
    assert not unexpected, f"__main__.py imports {sorted(unexpected)}: wire it in a component"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import pulumi_aws as aws\n", {"pulumi_aws"}),
        ("from components.fargate.service import FargateServiceArgs\n", {"components"}),
        ("import json, pulumi\n", {"json", "pulumi"}),
        ("def f():\n    from local import topology\n", {"local"}),
        ("from . import x\n", {"."}),
    ],
)
def test_every_import_counts_by_its_top_level_name_wherever_it_is(source, found):
    assert imported_modules(source) == found


def test_an_import_outside_the_allowed_modules_is_caught():
    assert imported_modules("import pulumi_aws\nimport components\n") - ALLOWED_IMPORTS == {
        "pulumi_aws"
    }
