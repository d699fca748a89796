"""The offline runner as a package: what it exposes and what it may import."""

import ast
import sys
from pathlib import Path

import pytest

import offline

OFFLINE_FILES = sorted(Path(offline.__file__).parent.rglob("*.py"))


def test_exposes_the_runner_and_what_it_returns():
    assert sorted(offline.__all__) == [
        "RecordedResource",
        "RecordingMocks",
        "StackRecording",
        "run_program",
    ]


@pytest.mark.parametrize("path", OFFLINE_FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_imports_only_pulumi_the_standard_library_and_itself(path):
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    assert roots <= {"pulumi", "offline"} | set(sys.stdlib_module_names)
