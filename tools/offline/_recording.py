"""What one offline run of a program declared: plain data, every Output resolved."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RecordedResource:
    """One resource the program registered, as the engine would have received it."""

    type: str
    """Type token, e.g. ``aws:ecs/taskDefinition:TaskDefinition``."""
    name: str
    """Logical name."""
    inputs: dict[str, Any]
    """Inputs with camelCase keys, as ``MockResourceArgs.inputs`` carries them, with secret
    values unwrapped to plain values (so tests can look for them where they must not be)."""
    outputs: dict[str, Any]
    """State the mock answered with (inputs plus computed fields)."""
    parent: str | None
    """URN of the parent resource, or None for a resource directly under the stack."""
    urn: str
    custom: bool = True
    """False for component resources (ours and awsx's remote components)."""
    remote: bool = False
    """True for multi-language components (awsx), which register as one opaque resource."""
    protect: bool = False
    retain_on_delete: bool = False
    dependencies: tuple[str, ...] = ()
    delete_before_replace: bool = False
    """The resource option: a replacement deletes the old one first (default: creates first)."""

    @property
    def id(self) -> str:
        return str(self.outputs.get("id", ""))


@dataclass
class StackRecording:
    """Everything one run of a program declared, with every output resolved."""

    resources: list[RecordedResource]
    outputs: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    def of_type(self, type_: str) -> list[RecordedResource]:
        return [resource for resource in self.resources if resource.type == type_]

    def one(self, type_: str, name: str | None = None) -> RecordedResource:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.of_type(type_)]
            raise LookupError(
                f"expected exactly one {type_}{f' named {name!r}' if name else ''}, "
                f"found {len(found)}; resources of that type: {names}"
            )
        return found[0]

    def children_of(self, parent: RecordedResource) -> list[RecordedResource]:
        return [resource for resource in self.resources if resource.parent == parent.urn]
