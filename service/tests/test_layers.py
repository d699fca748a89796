"""The demo's layering rules still check something: each covers files of the demo, and the
package checked for cycles exists (the platform's test checks every import against them,
tests/test_layers.py; a checkout without the demo has nothing for them to cover)."""

import pytest

from stack.paths import REPO_ROOT
from tests.layers import DEMO_ACYCLIC_PACKAGES, DEMO_RULES, source_files


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return source_files(REPO_ROOT)


@pytest.mark.parametrize("rule", DEMO_RULES, ids=lambda rule: rule.scope)
def test_every_demo_rule_covers_some_files(files, rule):
    assert any(rule.covers(path) for path in files), rule.scope


@pytest.mark.parametrize("package", DEMO_ACYCLIC_PACKAGES)
def test_every_demo_package_checked_for_cycles_exists(files, package):
    assert f"{package}/__init__.py" in files
