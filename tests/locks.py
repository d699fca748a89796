"""Reading the dependency pins: the human-edited inputs (``*.in``) and the lock files that
``make lock`` compiles from them (``*.txt``: one ``name==version \\`` entry per package, each
followed by its ``--hash=sha256:`` lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# name, optional [extras], ==version, optional ; marker, then the continuation backslash
_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")
_HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}\s*\\?$")


def normalized(name: str) -> str:
    """A distribution's name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class LockEntry:
    name: str
    version: str
    hashes: int


def lock_entries(lock: Path) -> dict[str, LockEntry]:
    """Each package a lock file pins, with how many hashes it gives for it."""
    entries: dict[str, LockEntry] = {}
    current: str | None = None
    for line in lock.read_text().splitlines():
        if entry := _ENTRY.match(line):
            current = normalized(entry[1])
            entries[current] = LockEntry(current, entry[3], 0)
        elif _HASH.match(line) and current is not None:
            previous = entries[current]
            entries[current] = LockEntry(previous.name, previous.version, previous.hashes + 1)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise AssertionError(f"{lock}: a line that is no pin, hash or comment: {line!r}")
    return entries


def lock_pins(lock: Path) -> dict[str, str]:
    """name -> version of every package the lock file pins."""
    return {name: entry.version for name, entry in lock_entries(lock).items()}


def input_lines(path: Path) -> list[tuple[Path, str]]:
    """(file, line) of each line of an input that is not a comment, following ``-r``."""
    lines: list[tuple[Path, str]] = []
    for raw in path.read_text().splitlines():
        line = raw.split("#")[0].strip()
        if line.startswith("-r "):
            # pip and uv read an included file relative to the file that includes it
            lines += input_lines(path.parent / line.removeprefix("-r ").strip())
        elif line:
            lines.append((path, line))
    return lines


def input_pins(path: Path) -> dict[str, str]:
    """name -> version the input (and what it includes) asks for."""
    pins: dict[str, str] = {}
    for _, line in input_lines(path):
        if not line.startswith("-"):
            entry = _ENTRY.match(line)
            assert entry, f"{path}: pin every requirement with ==, not {line!r}"
            pins[normalized(entry[1])] = entry[3]
    return pins


def constraint_files(path: Path) -> list[Path]:
    """The lock files an input (and what it includes) takes its versions from (``-c``)."""
    return [
        (source.parent / line.removeprefix("-c ").strip()).resolve()
        for source, line in input_lines(path)
        if line.startswith("-c ")
    ]
