"""The demo's documents lead somewhere, and so do the platform's links into the demo's folder
(the platform's own test leaves those out: tests/test_docs.py)."""

import pytest

from stack.paths import REPO_ROOT, SERVICE_DIR
from tests.test_docs import DOCUMENTS, broken_links

DEMO_DOCUMENTS = sorted(SERVICE_DIR.glob("**/README.md"))


def test_the_demo_has_its_readme():
    assert SERVICE_DIR / "README.md" in DEMO_DOCUMENTS


@pytest.mark.parametrize("path", DEMO_DOCUMENTS, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_relative_link_of_the_demo_resolves(path):
    assert broken_links(path) == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_link_of_the_platforms_documents_into_the_demo_resolves(path):
    assert broken_links(path) == []
