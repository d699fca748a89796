"""Every relative link in the documents leads somewhere: to a file or folder of this
repository, and, when it names one, to a heading of that document (or of the same one).

Anchors are GitHub's: the heading's text in lower case, without punctuation, spaces as hyphens,
and `-1`, `-2`... for repeats.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from stack.paths import REPO_ROOT, SERVICE_DIR

DOCUMENTS = sorted(
    [
        REPO_ROOT / "README.md",
        *(REPO_ROOT / "docs").glob("*.md"),
        REPO_ROOT / "components" / "README.md",
        REPO_ROOT / "components" / "CHANGELOG.md",
        *(REPO_ROOT / "examples").glob("*/README.md"),
    ]
)
# The demo app's folder: its documents and the links into it are the demo's tests'
# (service/tests/test_docs.py), so a checkout without the demo checks the rest.
DEMO_DIR = SERVICE_DIR
# [text](target) and ![alt](target); a target has no space and no closing parenthesis.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(.+?) *#* *$")
FENCE = re.compile(r"^ *(```|~~~)")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, where links and headings mean what they say."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def slug(heading: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a linked heading keeps its text
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: Counter[str] = Counter()
    found = set()
    for line in prose_lines(path.read_text(encoding="utf-8")):
        heading = HEADING.match(line)
        if heading:
            name = slug(heading.group(1))
            found.add(name if not seen[name] else f"{name}-{seen[name]}")
            seen[name] += 1
    return found


def broken_links(path: Path, outside: Path | None = None) -> list[str]:
    """The links of ``path`` that lead nowhere, leaving out those into ``outside``."""
    broken = []
    for line in prose_lines(path.read_text(encoding="utf-8")):
        for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
                continue
            file, _, anchor = target.partition("#")
            linked = (path.parent / file).resolve() if file else path
            if outside is not None and linked.is_relative_to(outside):
                continue
            if not linked.exists():
                broken.append(f"{target}: no such file")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    return broken


def test_the_documents_are_all_found():
    names = {path.relative_to(REPO_ROOT).as_posix() for path in DOCUMENTS}
    assert {"README.md", "docs/deploying.md", "components/README.md"} <= names
    assert all(path.is_file() for path in DOCUMENTS)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_relative_link_resolves(path):
    assert broken_links(path, outside=DEMO_DIR) == []


def test_links_into_the_demo_are_left_to_the_demo(tmp_path):
    (tmp_path / "doc.md").write_text("[demo](demo/README.md) [gone](missing.md)\n")
    found = broken_links(tmp_path / "doc.md", outside=(tmp_path / "demo").resolve())
    assert found == ["missing.md: no such file"]


def test_a_broken_link_or_anchor_is_found(tmp_path):
    (tmp_path / "other.md").write_text(
        "# Other\n\n## A heading, with `code`\n\n## A heading, with `code`\n"
    )
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# Doc\n\n"
        "[fine](other.md#a-heading-with-code) [repeat](other.md#a-heading-with-code-1)\n"
        "[here](#doc)\n"
        "[gone](missing.md) [wrong](other.md#no-such) [not here](#other)\n"
        "`[code](missing-too.md)` [web](https://example.com/x.md)\n"
        "```\n[fenced](missing-three.md)\n```\n"
    )
    assert broken_links(doc) == [
        "missing.md: no such file",
        "other.md#no-such: no heading #no-such in other.md",
        "#other: no heading #other in doc.md",
    ]
