"""Who may import whom, read from the source with `ast`: no module is imported to check it.

The rules are DESIGN.md's layering as data: a rule names the files it covers (a path prefix)
and either the only top-level modules they may import or the ones they must never import.
Every broken rule and every import cycle is reported as `file:line: the import statement`.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

# Directories that hold no source of the project (virtualenvs, caches, build and run output).
SKIPPED_DIRS = {"__pycache__", "artifacts", "build", "dist", "node_modules", "staticfiles"}
PULUMI_PROVIDERS = ("pulumi", "pulumi_aws", "pulumi_awsx", "pulumi_random")
# Packages whose modules must not import each other in a circle.
# Packages that are a folder of units, each with rules of its own: the program's modules, the
# development tools, and the demo's tests and benchmark beside its app (service.tests, .bench).
SPLIT_PACKAGES = ("stack", "tools", "service")
ACYCLIC_PACKAGES = ("tools/plan", "policy", "tools/local")
# The demo app's packages: checked with the rest, and held to cover something by the demo's own
# tests (service/tests/test_layers.py), so that a checkout without the demo keeps its rules.
DEMO_ACYCLIC_PACKAGES = ("service/bench",)


@dataclass(frozen=True)
class Import:
    """One import statement's target, resolved to an absolute dotted name."""

    path: str  # the importing file, relative to the repository root, with `/`
    line: int
    module: str  # "tools.local.harness"; for `from a import b` the module `a`
    names: tuple[str, ...] = ()  # for `from a import b, c`: ("b", "c")

    @property
    def root(self) -> str:
        """The unit the rules speak of: a top-level module, or one of the two packages whose
        modules are units of their own (``tools.local``, ``stack.contract``)."""
        parts = self.module.split(".")
        if parts[0] in SPLIT_PACKAGES and len(parts) > 1:
            return ".".join(parts[:2])
        if parts[0] in SPLIT_PACKAGES and len(self.names) == 1:
            return f"{parts[0]}.{self.names[0]}"  # from stack import contract
        return parts[0]

    def __str__(self) -> str:
        statement = (
            f"from {self.module} import {', '.join(self.names)}"
            if self.names
            else f"import {self.module}"
        )
        return f"{self.path}:{self.line}: {statement}"


@dataclass(frozen=True)
class Rule:
    """Files under `scope` import only `allowed` (when given) and never `forbidden` (patterns
    of units, fnmatch style: "pulumi*", "stack.*"), apart from the `exceptions`."""

    scope: str  # a path prefix: "components/", "components/testing.py"; "" is every file
    why: str
    allowed: tuple[str, ...] | None = None  # besides the standard library
    forbidden: tuple[str, ...] = ()
    outside: str | tuple[str, ...] | None = None  # files under these prefixes are exempt
    exceptions: tuple[str, ...] = ()  # units a forbidden pattern does not cover

    def covers(self, path: str) -> bool:
        exempt = self.outside is not None and path.startswith(self.outside)
        return path.startswith(self.scope) and not exempt

    def broken_by(self, imported: Import) -> bool:
        root = imported.root
        if root in self.exceptions:
            return False
        if any(fnmatch.fnmatchcase(root, pattern) for pattern in self.forbidden):
            return True
        if self.allowed is None:
            return False
        return root not in sys.stdlib_module_names and not any(
            fnmatch.fnmatchcase(root, pattern) for pattern in self.allowed
        )


RULES = (
    Rule(
        "components/",
        "the component library is installed into other projects: it may import only the "
        "standard library, the Pulumi providers and itself",
        allowed=(*PULUMI_PROVIDERS, "components"),
        outside=("components/images/db/", "components/images/django_fargate/"),
    ),
    Rule(
        "components/images/db/",
        "the db image's scripts run inside the Postgres image (barman-cloud, boto3 beside "
        "them): no Pulumi, no infrastructure code, no local topology",
        forbidden=("pulumi*", "components", "stack*", "tools*", "policy"),
    ),
    Rule(
        "tools/offline/",
        "the recording mocks run any Pulumi program offline (tests, `make plan`): Pulumi, its "
        "providers and the standard library only, never the program under test",
        allowed=(*PULUMI_PROVIDERS, "tools.offline"),
    ),
    Rule(
        "examples/noticeboard/",
        "the example app is any team's Django project: it runs in its own image and knows the "
        "platform only through its Django library",
        forbidden=("pulumi*", "components", "stack*", "tools*", "policy"),
    ),
    Rule(
        "components/images/django_fargate/",
        "the Django library is installed into any team's project: it may import only the "
        "standard library, Django, what its pyproject.toml depends on and itself",
        allowed=(
            "django",
            "environ",
            "storages",
            "botocore",
            "gunicorn",
            "psycopg",
            "django_fargate",
        ),
    ),
    Rule(
        "tools/local/",
        "the local topology runs the task's processes: it knows nothing of Pulumi, the "
        "components, the plan or the policy rules; of the program it reads only the plain "
        "modules the image shares (the container contract, the paths, the Postgres pin)",
        forbidden=("pulumi*", "components", "stack.*", "tools.plan", "tools.offline", "policy"),
        exceptions=(
            "stack.contract",
            "stack.contract_types",
            "stack.paths",
            "stack.postgres_version",
        ),
    ),
    Rule(
        "stack/contract",
        "the container contract is the plain data the local topology reads: the standard "
        "library and its own types only, so reading it brings in nothing of the cloud",
        allowed=("stack.contract", "stack.contract_types"),
    ),
    Rule(
        "tools/ops/",
        "operator tools run against a deployed stack, in CI before anything is installed: "
        "the standard library only",
        allowed=("tools.ops",),
    ),
    Rule(
        "",
        "tests import the code, never the other way round (the harness and the site client "
        "live in tools/local/)",
        forbidden=("tests", "service.tests"),
        outside=("tests/", "service/tests/"),
    ),
)


DEMO_RULES = (
    Rule(
        "service/",
        "the Django service runs in its own image: no Pulumi, no infrastructure code, no "
        "local topology",
        forbidden=("pulumi*", "components", "stack*", "tools*", "policy"),
        # The demo's own tests and benchmark run from the checkout, never in its image.
        outside=("service/tests/", "service/bench/"),
    ),
    Rule(
        "service/bench/",
        "the demo's benchmark drives the local topology the tests also drive, with the "
        "program's paths: no Pulumi, no components, no plan or policy",
        forbidden=("pulumi*", "components", "tools.plan", "tools.offline", "policy"),
    ),
)
# Every rule an import is checked against: the platform's and the demo's.
ALL_RULES = RULES + DEMO_RULES


# --- reading the source ------------------------------------------------------------------------


def module_name(path: str) -> str:
    """The dotted name of the file at `path` ("service/bench/run.py" -> "service.bench.run", a
    package's __init__.py -> the package)."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def _parse(path: str, source: str) -> ast.Module:
    """Each file is parsed once however many checks read it."""
    return ast.parse(source, filename=path)


@functools.cache
def imports_of(path: str, source: str) -> list[Import]:
    """Every import in the file, at any depth (functions, `if TYPE_CHECKING:` blocks too)."""
    name = module_name(path)
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    found = []
    for node in ast.walk(_parse(path, source)):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: level 1 is this package, 2 its parent...
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names = tuple(alias.name for alias in node.names)
            found.append(Import(path, node.lineno, module, names))
    return found


def source_files(root: Path) -> dict[str, str]:
    """The project's Python files under `root`: relative path -> source."""
    files = {}
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not name.startswith(".")
            and name not in SKIPPED_DIRS
            and not name.endswith(".egg-info")
        )
        for name in sorted(names):
            if name.endswith(".py"):
                path = Path(directory, name)
                files[path.relative_to(root).as_posix()] = path.read_text()
    return files


# --- the checks --------------------------------------------------------------------------------


def broken_rules(
    files: Mapping[str, str], rules: Iterable[Rule] = ALL_RULES
) -> list[tuple[Rule, Import]]:
    """Each import that breaks a rule, with the rule it breaks."""
    rules = tuple(rules)
    broken = []
    for path, source in files.items():
        for imported in imports_of(path, source):
            broken += [
                (rule, imported) for rule in rules if rule.covers(path) and rule.broken_by(imported)
            ]
    return broken


def import_cycles(
    files: Mapping[str, str], packages: Iterable[str] = ACYCLIC_PACKAGES + DEMO_ACYCLIC_PACKAGES
) -> list[list[Import]]:
    """For each package, each set of its modules that import each other in a circle: the
    imports that close the circle."""
    cycles = []
    for package in packages:
        modules = {module_name(path): path for path in files if path.startswith(f"{package}/")}
        edges: dict[str, list[tuple[str, Import]]] = {module: [] for module in modules}
        for module, path in modules.items():
            for imported in imports_of(path, files[path]):
                for target in _targets(imported, modules):
                    edges[module].append((target, imported))
        for component in _strongly_connected(edges):
            closing = [
                imported
                for module in component
                for target, imported in edges[module]
                if target in component
            ]
            if len(component) > 1 or closing:
                cycles.append(closing)
    return cycles


def _targets(imported: Import, modules: Mapping[str, str]) -> set[str]:
    """The package's modules an import loads: `from bench import load` loads service.bench.load."""
    targets = {f"{imported.module}.{name}" for name in imported.names} & modules.keys()
    if not targets and imported.module in modules:
        targets.add(imported.module)
    return targets


def _strongly_connected(edges: Mapping[str, list[tuple[str, Import]]]) -> list[set[str]]:
    """Tarjan's algorithm: the strongly connected components of the import graph."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target, _ in edges[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            components.append(component)

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return components


def repository_root_definitions(files: Mapping[str, str]) -> list[str]:
    """Every `file:line` that assigns REPO_ROOT: stack/paths.py alone should."""
    found = []
    for path, source in files.items():
        for node in ast.walk(_parse(path, source)):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            if any(isinstance(t, ast.Name) and t.id == "REPO_ROOT" for t in targets):
                found.append(f"{path}:{node.lineno}")
    return found
