"""The layering of DESIGN.md ("Who may import whom"), kept by reading every module's imports."""

from __future__ import annotations

import pytest

from stack.paths import REPO_ROOT
from tests.layers import (
    ACYCLIC_PACKAGES,
    ALL_RULES,
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
    assert repository_root_definitions(files) == ["stack/paths.py:11"]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.scope or "everything")
def test_every_rule_covers_some_files(files, rule):
    # A renamed package must not leave its rule checking nothing.
    assert any(rule.covers(path) for path in files), rule.scope


@pytest.mark.parametrize("package", ACYCLIC_PACKAGES)
def test_every_package_checked_for_cycles_exists(files, package):
    assert f"{package}/__init__.py" in files


# --- the checker on examples: each rule can fail ------------------------------------------------

BAD_IMPORTS = [
    ("components/network/vpc.py", "import tools.local.topology\n", "components/"),
    ("components/network/vpc.py", "from tools.offline import mocks\n", "components/"),
    ("components/network/vpc.py", "from stack.settings import load_settings\n", "components/"),
    ("components/network/vpc.py", "import requests\n", "components/"),
    ("tools/offline/_run.py", "from components import PrivateNetwork\n", "tools/offline/"),
    ("tools/offline/_run.py", "import stack.settings\n", "tools/offline/"),
    ("service/tweets/views.py", "import pulumi\n", "service/"),
    ("service/tweets/views.py", "from components import MediaBucket\n", "service/"),
    (
        "service/config/settings/base.py",
        "from tools.local.topology import LocalTopology\n",
        "service/",
    ),
    ("service/tweets/views.py", "from tools.offline.testing import run_program\n", "service/"),
    (
        "examples/noticeboard/notices/views.py",
        "from stack.app import APP\n",
        "examples/noticeboard/",
    ),
    (
        "components/images/django_fargate/src/django_fargate/apps.py",
        "import config.settings\n",
        "components/images/django_fargate/",
    ),
    (
        "components/images/django_fargate/src/django_fargate/health.py",
        "from core import sql\n",
        "components/images/django_fargate/",
    ),
    ("tools/local/run.py", "import pulumi_aws\n", "tools/local/"),
    ("tools/local/run.py", "from tools.plan.cost import estimate\n", "tools/local/"),
    ("tools/local/run.py", "from policy import rules\n", "tools/local/"),
    ("tools/local/run.py", "from components.network import Network\n", "tools/local/"),
    ("tools/local/run.py", "from stack.settings import load_settings\n", "tools/local/"),
    ("tools/local/run.py", "from stack import database\n", "tools/local/"),
    ("components/images/db/postgres_backup.py", "import pulumi\n", "components/images/db/"),
    ("components/images/db/db_signals.py", "from stack import paths\n", "components/images/db/"),
    ("tools/ops/smoke_check.py", "import requests\n", "tools/ops/"),
    ("tools/ops/manage.py", "from stack.settings import load_settings\n", "tools/ops/"),
    ("tools/ops/smoke_check.py", "from tools.local.client import SiteClient\n", "tools/ops/"),
    ("service/bench/run.py", "from service.tests.e2e.users import signed_in\n", ""),
    ("service/bench/run.py", "from tools.plan.cost import estimate\n", "service/bench/"),
    ("service/bench/run.py", "import pulumi\n", "service/bench/"),
    ("tools/plan/planner.py", "def f():\n    import tests.tools.plan.recorded\n", ""),
    ("stack/settings.py", "from tests import stack_runs\n", ""),
    ("stack/contract.py", "import pulumi\n", "stack/contract"),
    ("stack/contract_types.py", "from stack.paths import REPO_ROOT\n", "stack/contract"),
]


@pytest.mark.parametrize(("path", "source", "scope"), BAD_IMPORTS)
def test_an_import_that_breaks_a_rule_is_reported_with_its_file_and_line(path, source, scope):
    (rule, imported), *_ = broken_rules({path: source})
    assert rule.scope == scope
    assert str(imported).startswith(f"{path}:")
    assert source.strip().splitlines()[-1].strip() in str(imported)


def test_every_rule_has_a_bad_example():
    assert {scope for _, _, scope in BAD_IMPORTS} == {rule.scope for rule in ALL_RULES}


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("components/network/vpc.py", "import pulumi_aws as aws\nfrom components.tags import x\n"),
        ("components/network/vpc.py", "from __future__ import annotations\nimport json\n"),
        ("tools/offline/_run.py", "import pulumi\nfrom collections.abc import Mapping\n"),
        ("service/tweets/views.py", "from django.db import models\nfrom tweets import forms\n"),
        (
            "components/images/django_fargate/src/django_fargate/urls.py",
            "from django.urls import path\n",
        ),
        ("service/bench/run.py", "from tools.local.harness import RunningTopology\n"),
        ("tools/local/harness.py", "import requests\nfrom stack.paths import REPO_ROOT\n"),
        ("tools/local/prepare.py", "from stack import contract\nimport stack.postgres_version\n"),
        ("tools/local/topology.py", "from stack.contract_types import ContainerContract\n"),
        ("stack/contract.py", "from stack.contract_types import Variable\nimport dataclasses\n"),
        ("tests/e2e/test_browser.py", "from service.tests.e2e.users import signed_in\n"),
    ],
)
def test_an_allowed_import_is_not_reported(path, source):
    assert broken_rules({path: source}) == []


def test_two_modules_that_import_each_other_are_a_cycle_even_for_type_checking_only():
    files = {
        "service/bench/__init__.py": "",
        "service/bench/run.py": "from service.bench import load, report\n",
        "service/bench/load.py": "",
        "service/bench/report.py": "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from service.bench.run import Results\n",
    }
    (cycle,) = import_cycles(files)
    assert sorted(str(imported) for imported in cycle) == [
        "service/bench/report.py:3: from service.bench.run import Results",
        "service/bench/run.py:1: from service.bench import load, report",
    ]


def test_relative_imports_are_resolved_within_the_package():
    files = {
        "tools/plan/__init__.py": "",
        "tools/plan/a.py": "from . import b\n",
        "tools/plan/b.py": "from .c import x\n",
        "tools/plan/c.py": "from tools.plan.a import y\n",
    }
    (cycle,) = import_cycles(files)
    assert {imported.path for imported in cycle} == {
        "tools/plan/a.py",
        "tools/plan/b.py",
        "tools/plan/c.py",
    }


def test_a_module_that_imports_itself_is_a_cycle():
    (cycle,) = import_cycles(
        {"tools/local/__init__.py": "", "tools/local/run.py": "import tools.local.run\n"}
    )
    assert [str(imported) for imported in cycle] == ["tools/local/run.py:1: import tools.local.run"]


def test_imports_in_one_direction_are_no_cycle():
    files = {
        "service/bench/__init__.py": "",
        "service/bench/run.py": "from bench import report, results\n",
        "service/bench/report.py": "from service.bench.results import Results\n",
        "service/bench/results.py": "from service.bench.load import Measurement\n",
        "service/bench/load.py": "",
    }
    assert import_cycles(files) == []


def test_a_second_definition_of_the_repository_root_is_reported():
    files = {
        "stack/paths.py": "REPO_ROOT = 1\n",
        "tools/local/system.py": "import os\nREPO_ROOT: object = 2\n",
    }
    assert repository_root_definitions(files) == ["stack/paths.py:1", "tools/local/system.py:2"]
