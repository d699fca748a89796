"""The documents' generated blocks: find them, compare them, rewrite them.

Each block lives in one document (the one whose topic it is) and sits between a BEGIN and an
END comment; the cost block has no END comment because it runs to the end of its section,
whose last line must be the estimate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tools.plan.planner import REPO_ROOT

DEPLOYING = REPO_ROOT / "docs" / "deploying.md"
SECURITY = REPO_ROOT / "docs" / "security.md"
COST_DOC = REPO_ROOT / "docs" / "cost.md"
COMMAND = "python -m tools.plan --stack prod --write-docs"


@dataclass(frozen=True)
class Block:
    name: str
    path: Path

    @property
    def begin(self) -> str:
        return f"<!-- BEGIN generated: {self.name} ({COMMAND}); do not edit by hand -->"

    @property
    def end(self) -> str | None:
        return f"<!-- END generated: {self.name} -->"

    def read_document(self) -> str:
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class SectionTailBlock(Block):
    """A block that runs from its BEGIN comment to the end of its document's section."""

    @property
    def begin(self) -> str:
        return (
            f"<!-- BEGIN generated: {self.name} ({COMMAND}); "
            "runs to the end of this section; do not edit by hand -->"
        )

    @property
    def end(self) -> str | None:
        return None


DIAGRAM = Block("prod stack diagram", COST_DOC)
POLICY = Block("prod policy results", SECURITY)
COST = SectionTailBlock("prod cost estimate", COST_DOC)
# The scale stack's monthly total, beside prod's (the same --write-docs run plans it too).
SCALE_STACK = "scale"
SCALE_COST = Block("scale stack cost", COST_DOC)
SETTINGS = Block("stack settings", DEPLOYING)
BLOCKS = (DIAGRAM, POLICY, COST, SCALE_COST, SETTINGS)


class MissingBlockError(LookupError):
    pass


def _span(text: str, block: Block) -> tuple[int, int]:
    document = block.path.name
    start = text.find(block.begin)
    if start < 0:
        raise MissingBlockError(f"{document} has no line {block.begin!r}")
    body = start + len(block.begin) + 1
    if block.end is not None:
        stop = text.find(block.end, body)
        if stop < 0:
            raise MissingBlockError(f"{document} has no line {block.end!r} after its BEGIN")
        return body, stop
    next_section = text.find("\n## ", body)
    return body, (len(text) if next_section < 0 else next_section + 1)


def read_block(text: str, block: Block) -> str:
    body, stop = _span(text, block)
    return text[body:stop].strip("\n") + "\n"


def replace_block(text: str, block: Block, content: str) -> str:
    body, stop = _span(text, block)
    tail = "\n" if block.end is None and stop < len(text) else ""
    return text[:body] + content.strip("\n") + "\n" + tail + text[stop:]


def write(blocks: dict[Block, str]) -> list[Path]:
    """Rewrite each block in its own document; returns the documents written."""
    by_document: dict[Path, list[tuple[Block, str]]] = defaultdict(list)
    for block, content in blocks.items():
        by_document[block.path].append((block, content))
    for path, contents in by_document.items():
        text = path.read_text(encoding="utf-8")
        for block, content in contents:
            text = replace_block(text, block, content)
        path.write_text(text, encoding="utf-8")
    return sorted(by_document)
