"""The offline runner as a package: what it exposes and what it may import."""

import ast
import sys
from pathlib import Path

import pytest

import tools.offline as offline

OFFLINE_FILES = sorted(Path(offline.__file__).parent.rglob("*.py"))


def test_exposes_the_runner_and_what_it_returns():
    assert sorted(offline.__all__) == [
        "RecordedResource",
        "RecordingMocks",
        "StackRecording",
        "run_program",
    ]


def unit(module: str) -> str:
    """``tools.offline._run`` -> ``tools.offline``; ``pulumi.runtime`` -> ``pulumi``."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "tools" else parts[0]


@pytest.mark.parametrize("path", OFFLINE_FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_imports_only_pulumi_the_standard_library_and_itself(path):
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {unit(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(unit(node.module))
    assert roots <= {"pulumi", "tools.offline"} | set(sys.stdlib_module_names)
