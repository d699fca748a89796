"""A Mermaid diagram of a stack, drawn from the recorded program run.

Components become nested subgraphs; the resources inside a component are grouped by type
("Subnet x4"); the traffic edges come from the same analysis the policy rules use
(:func:`policy.reach.services_reached`): internet -> load balancer -> ECS service -> the
endpoint, NAT gateway or EFS mount target that carries each call to AWS.
The output is sorted, so the same stack always gives the same text (docs/cost.md embeds it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from policy import aws_types
from policy.reach import Reach
from tools.plan.derive import Recorded


def short_type(type_token: str) -> str:
    """``aws:ec2/subnet:Subnet`` -> ``Subnet``; ``django-tw:mail:SesMail`` -> ``SesMail``."""
    return type_token.rsplit(":", 1)[-1]


STACK_TYPE = "pulumi:pulumi:Stack"


def urn_path(urn: str) -> str:
    """What tells a resource apart in its stack, read from its URN: the short types of its
    parents and its own, then its name (``PersistentPostgres_GeneratedSecret__tw-prod-db-url``).
    A URN is ``urn:pulumi:<stack>::<project>::<parent types $-joined>$<type>::<name>``; the
    stack itself, every resource's root, is left out."""
    _, _, qualified_type, name = urn.split("::", 3)
    types = [short_type(t) for t in qualified_type.split("$") if t != STACK_TYPE]
    return "_".join(types) + "__" + name


def unique_ids(wanted: Mapping[Hashable, str]) -> dict[Hashable, str]:
    """A Mermaid id per key from its wanted text, each unique: Mermaid merges two subgraphs or
    nodes that share an id. Characters other than letters, digits and ``_`` become ``_``; when
    two texts end up alike (``tw-prod``, ``tw_prod``), the later in sorted order gets ``_2``."""
    ids: dict[Hashable, str] = {}
    taken: set[str] = set()
    for key, text in sorted(wanted.items(), key=lambda item: (item[1], str(item[0]))):
        base = re.sub(r"[^A-Za-z0-9_]", "_", text)
        node, suffix = base, 2
        while node in taken:
            node, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(node)
        ids[key] = node
    return ids


DECLARATION = re.compile(r"^\s*(?:subgraph\s+)?([A-Za-z0-9_]+)\s*[\[(]")


def declared_ids(source: str) -> list[str]:
    """The id of every node and subgraph the Mermaid ``source`` declares, in order (edges,
    which only refer to ids, are left out)."""
    return [
        match.group(1)
        for line in source.splitlines()
        if "--" not in line and (match := DECLARATION.match(line))
    ]


def _label(text: str) -> str:
    return text.replace('"', "'")


@dataclass(frozen=True)
class _Group:
    node: str
    parent: str | None  # URN of the enclosing component
    type: str
    count: int

    @property
    def label(self) -> str:
        name = short_type(self.type)
        return f"{name} x{self.count}" if self.count > 1 else name


GroupKey = tuple[str | None, str]  # (URN of the enclosing component or None, resource type)


def _group_counts(
    recorded: Sequence[Recorded], components: Mapping[str, Recorded]
) -> dict[GroupKey, int]:
    counts: dict[GroupKey, int] = defaultdict(int)
    for resource in recorded:
        if resource.custom or resource.remote:
            parent = resource.parent if resource.parent in components else None
            counts[(parent, resource.type)] += 1
    return dict(sorted(counts.items(), key=lambda item: (item[0][0] or "", item[0][1])))


def _node_ids(
    components: Mapping[str, Recorded], groups: Sequence[GroupKey]
) -> dict[Hashable, str]:
    """Every subgraph's (component URN) and group node's (GroupKey) id, from URNs, unique
    together: a component's from its own URN, a group's from its component's and its type."""
    wanted: dict[Hashable, str] = {urn: f"c_{urn_path(urn)}" for urn in components}
    for parent, type_ in groups:
        owner = urn_path(parent) if parent else "stack"
        wanted[(parent, type_)] = f"r_{owner}__{short_type(type_)}"
    return unique_ids(wanted)


def mermaid(recorded: Sequence[Recorded], reaches: Sequence[Reach]) -> str:
    """The diagram as Mermaid ``flowchart`` source (without the Markdown fence)."""
    components = {r.urn: r for r in recorded if not r.custom and not r.remote}
    counts = _group_counts(recorded, components)
    ids = _node_ids(components, list(counts))
    groups = [_Group(ids[key], key[0], key[1], count) for key, count in counts.items()]
    lines = ["flowchart TB"]

    def enclosing(component: Recorded) -> str | None:
        """The component this one is drawn inside (None: the top level)."""
        return component.parent if component.parent in components else None

    def emit(parent: str | None, depth: int) -> None:
        indent = "  " * depth
        for group in (g for g in groups if g.parent == parent):
            lines.append(f'{indent}{group.node}["{_label(group.label)}"]')
        children = sorted(
            (c for c in components.values() if enclosing(c) == parent),
            key=lambda c: (c.type, c.name),
        )
        for component in children:
            title = _label(f"{short_type(component.type)}: {component.name}")
            lines.append(f'{indent}subgraph {ids[component.urn]}["{title}"]')
            emit(component.urn, depth + 1)
            lines.append(f"{indent}end")

    emit(None, 1)
    lines.extend(_flow_edges(recorded, groups, reaches))
    return "\n".join(lines) + "\n"


def _first(groups: Sequence[_Group], *types: str) -> _Group | None:
    return next((g for g in groups if g.type in types), None)


def _flow_edges(
    recorded: Sequence[Recorded], groups: Sequence[_Group], reaches: Sequence[Reach]
) -> list[str]:
    edges = ['  internet(("Internet"))']
    load_balancer = _first(groups, *aws_types.LOAD_BALANCERS)
    service = _first(groups, aws_types.ECS_SERVICE)
    if load_balancer:
        https = any(
            r.type in aws_types.LISTENERS and str(r.inputs.get("protocol", "")).upper() == "HTTPS"
            for r in recorded
        )
        edges.append(
            f'  internet -->|"{"HTTPS 443" if https else "HTTP 80"}"| {load_balancer.node}'
        )
        if service:
            edges.append(f"  {load_balancer.node} --> {service.node}")
    if not service:
        return edges

    carriers: dict[str, list[str]] = defaultdict(list)
    for reach in reaches:
        if reach.served_by.startswith(("interface endpoint", "gateway endpoint")):
            target = _first(groups, aws_types.VPC_ENDPOINT)
        elif reach.served_by == "NAT gateway":
            target = _first(groups, aws_types.NAT_GATEWAY)
        elif reach.served_by.startswith("EFS mount targets"):
            target = _first(groups, aws_types.EFS_MOUNT_TARGET)
        else:
            target = None
        carriers[target.node if target else "unreachable"].append(reach.service)
    if any(node != "unreachable" for node in carriers):
        edges.append('  aws[("AWS services")]')
    for node, services in sorted(carriers.items()):
        names = ", ".join(sorted(services))
        if node == "unreachable":
            edges.append(f'  unreachable["NO ROUTE: {names}"]')
            edges.append(f"  {service.node} -.-> unreachable")
            continue
        edges.append(f'  {service.node} -->|"{_label(names)}"| {node}')
        file_system = _first(groups, aws_types.EFS_FILE_SYSTEM)
        if (
            node == getattr(_first(groups, aws_types.EFS_MOUNT_TARGET), "node", None)
            and file_system
        ):
            edges.append(f"  {node} --> {file_system.node}")
        else:
            edges.append(f"  {node} --> aws")
    return edges
