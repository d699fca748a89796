"""The layering of DESIGN.md ("Who may import whom"), kept by reading every module's imports."""

from __future__ import annotations

import pytest

from paths import REPO_ROOT
from tests.layers import (
    ACYCLIC_PACKAGES,
    RULES,
    broken_rules,
    import_cycles,
    repository_root_definitions,
    source_files,
)


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return source_files(REPO_ROOT)


def test_every_import_keeps_the_layering(files):
    broken = [f"{imported}: {rule.why}" for rule, imported in broken_rules(files)]
    assert not broken, "\n".join(broken)


def test_no_package_imports_its_own_modules_in_a_circle(files):
    cycles = [" -> ".join(str(imported) for imported in cycle) for cycle in import_cycles(files)]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_repository_root_is_defined_once_in_paths(files):
    assert repository_root_definitions(files) == ["paths.py:11"]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.scope or "everything")
def test_every_rule_covers_some_files(files, rule):
    # A renamed package must not leave its rule checking nothing.
    assert any(rule.covers(path) for path in files), rule.scope


@pytest.mark.parametrize("package", ACYCLIC_PACKAGES)
def test_every_package_checked_for_cycles_exists(files, package):
    assert f"{package}/__init__.py" in files


# --- the checker on examples: each rule can fail ------------------------------------------------

BAD_IMPORTS = [
    ("components/network.py", "import local.topology\n", "components/"),
    ("components/network.py", "from offline import mocks\n", "components/"),
    ("components/network.py", "from stack_settings import load_settings\n", "components/"),
    ("components/network.py", "import requests\n", "components/"),
    ("offline/_run.py", "from components import PrivateNetwork\n", "offline/"),
    ("offline/_run.py", "import stack_settings\n", "offline/"),
    ("service/tweets/views.py", "import pulumi\n", "service/"),
    ("service/tweets/views.py", "from components import MediaBucket\n", "service/"),
    ("service/config/settings/base.py", "from local.topology import LocalTopology\n", "service/"),
    ("service/tweets/views.py", "from offline.testing import run_program\n", "service/"),
    ("local/run.py", "import pulumi_aws\n", "local/"),
    ("local/run.py", "from plan.cost import estimate\n", "local/"),
    ("local/run.py", "from policy import rules\n", "local/"),
    ("local/run.py", "from components.network import Network\n", "local/"),
    ("ops/smoke_check.py", "import requests\n", "ops/"),
    ("ops/smoke_check.py", "from local.client import SiteClient\n", "ops/"),
    ("bench/run.py", "from tests.e2e.users import signed_in\n", ""),
    ("plan/planner.py", "def f():\n    import tests.plan.recorded\n", ""),
    ("stack_settings.py", "from tests.infra import conftest\n", ""),
]


@pytest.mark.parametrize(("path", "source", "scope"), BAD_IMPORTS)
def test_an_import_that_breaks_a_rule_is_reported_with_its_file_and_line(path, source, scope):
    (rule, imported), *_ = broken_rules({path: source})
    assert rule.scope == scope
    assert str(imported).startswith(f"{path}:")
    assert source.strip().splitlines()[-1].strip() in str(imported)


def test_every_rule_has_a_bad_example():
    assert {scope for _, _, scope in BAD_IMPORTS} == {rule.scope for rule in RULES}


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("components/network.py", "import pulumi_aws as aws\nfrom components.tags import x\n"),
        ("components/network.py", "from __future__ import annotations\nimport json\n"),
        ("offline/_run.py", "import pulumi\nfrom collections.abc import Mapping\n"),
        ("service/tweets/views.py", "from django.db import models\nfrom tweets import forms\n"),
        ("bench/run.py", "from local.harness import RunningTopology\n"),
        ("local/harness.py", "import requests\nfrom paths import REPO_ROOT\n"),
        ("tests/e2e/test_browser.py", "from tests.e2e.users import signed_in\n"),
    ],
)
def test_an_allowed_import_is_not_reported(path, source):
    assert broken_rules({path: source}) == []


def test_two_modules_that_import_each_other_are_a_cycle_even_for_type_checking_only():
    files = {
        "bench/__init__.py": "",
        "bench/run.py": "from bench import load, report\n",
        "bench/load.py": "",
        "bench/report.py": "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bench.run import Results\n",
    }
    (cycle,) = import_cycles(files)
    assert sorted(str(imported) for imported in cycle) == [
        "bench/report.py:3: from bench.run import Results",
        "bench/run.py:1: from bench import load, report",
    ]


def test_relative_imports_are_resolved_within_the_package():
    files = {
        "plan/__init__.py": "",
        "plan/a.py": "from . import b\n",
        "plan/b.py": "from .c import x\n",
        "plan/c.py": "from plan.a import y\n",
    }
    (cycle,) = import_cycles(files)
    assert {imported.path for imported in cycle} == {"plan/a.py", "plan/b.py", "plan/c.py"}


def test_a_module_that_imports_itself_is_a_cycle():
    (cycle,) = import_cycles({"local/__init__.py": "", "local/run.py": "import local.run\n"})
    assert [str(imported) for imported in cycle] == ["local/run.py:1: import local.run"]


def test_imports_in_one_direction_are_no_cycle():
    files = {
        "bench/__init__.py": "",
        "bench/run.py": "from bench import report, results\n",
        "bench/report.py": "from bench.results import Results\n",
        "bench/results.py": "from bench.load import Measurement\n",
        "bench/load.py": "",
    }
    assert import_cycles(files) == []


def test_a_second_definition_of_the_repository_root_is_reported():
    files = {
        "paths.py": "REPO_ROOT = 1\n",
        "local/system.py": "import os\nREPO_ROOT: object = 2\n",
    }
    assert repository_root_definitions(files) == ["paths.py:1", "local/system.py:2"]
