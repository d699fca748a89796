"""The README's generated blocks: find them, compare them, rewrite them.

Each block sits between a BEGIN and an END comment; the cost block has no END comment
because it runs to the end of its section, whose last line must be the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tools.plan.planner import REPO_ROOT

README = REPO_ROOT / "README.md"
COMMAND = "python -m tools.plan --stack prod --write-readme"


@dataclass(frozen=True)
class Block:
    name: str

    @property
    def begin(self) -> str:
        return f"<!-- BEGIN generated: {self.name} ({COMMAND}); do not edit by hand -->"

    @property
    def end(self) -> str | None:
        return f"<!-- END generated: {self.name} -->"


@dataclass(frozen=True)
class SectionTailBlock(Block):
    """A block that runs from its BEGIN comment to the end of the README section."""

    @property
    def begin(self) -> str:
        return (
            f"<!-- BEGIN generated: {self.name} ({COMMAND}); "
            "runs to the end of this section; do not edit by hand -->"
        )

    @property
    def end(self) -> str | None:
        return None


DIAGRAM = Block("prod stack diagram")
POLICY = Block("prod policy results")
COST = SectionTailBlock("prod cost estimate")
# The scale stack's monthly total, beside prod's (the same --write-readme run plans it too).
SCALE_STACK = "scale"
SCALE_COST = Block("scale stack cost")
SETTINGS = Block("stack settings")


class MissingBlockError(LookupError):
    pass


def _span(text: str, block: Block) -> tuple[int, int]:
    start = text.find(block.begin)
    if start < 0:
        raise MissingBlockError(f"README has no line {block.begin!r}")
    body = start + len(block.begin) + 1
    if block.end is not None:
        stop = text.find(block.end, body)
        if stop < 0:
            raise MissingBlockError(f"README has no line {block.end!r} after its BEGIN")
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


def write(blocks: dict[Block, str], path: Path = README) -> None:
    text = path.read_text(encoding="utf-8")
    for block, content in blocks.items():
        text = replace_block(text, block, content)
    path.write_text(text, encoding="utf-8")
