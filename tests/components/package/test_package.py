"""The component library as a package: public names, installability (its import rules are in
tests/test_layers.py, with every other layer's)."""

from __future__ import annotations

import ast
import importlib
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pulumi
import pytest

import components
from stack.paths import REPO_ROOT
from tests.locks import lock_pins

COPIED_FOLDERS = ("components", "tools", "examples")
COMPONENT_DIR = REPO_ROOT / "components"
# The platform's images (components/images/<image>/) are package data: files an image build
# copies, not modules of the package (the Django library's modules among them). What an
# editable install of the library leaves beside its source is no file of the repository.
IMAGES_DIR = COMPONENT_DIR / "images"
IMAGE_FILES = sorted(
    p
    for p in IMAGES_DIR.rglob("*")
    if p.is_file()
    and p.parent != IMAGES_DIR
    and "__pycache__" not in p.parts
    and not any(part.endswith(".egg-info") for part in p.parts)
)
COMPONENT_FILES = sorted(p for p in COMPONENT_DIR.rglob("*.py") if p not in IMAGE_FILES)


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


# Pulumi infers a component package's schema from its annotations, which the __future__ import
# turns into strings it cannot resolve. The other modules drop it too, then join this list.
WITHOUT_POSTPONED_ANNOTATIONS = sorted(
    path.relative_to(COMPONENT_DIR).as_posix() for path in COMPONENT_FILES
)


@pytest.mark.parametrize("name", WITHOUT_POSTPONED_ANNOTATIONS)
def test_component_modules_keep_their_annotations_evaluated(name):
    assert "__future__" not in imported_roots(REPO_ROOT / "components" / name), name


def test_components_never_read_pulumi_config():
    for path in COMPONENT_FILES:
        assert "pulumi.Config(" not in path.read_text(), path.name


def test_every_public_name_resolves():
    assert components.__all__
    for name in components.__all__:
        assert getattr(components, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = components.Nope


def test_every_component_class_is_public():
    exported = [getattr(components, name) for name in components.__all__]
    for path in COMPONENT_FILES:
        dotted = path.relative_to(REPO_ROOT).with_suffix("").as_posix().replace("/", ".")
        module = importlib.import_module(dotted.removesuffix(".__init__"))
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, pulumi.ComponentResource)
                and value.__module__ == module.__name__
            ):
                assert value in exported, f"add {value.__name__} to components/__init__.py"


def test_components_build_as_a_wheel_without_the_offline_runner(tmp_path):
    # The build runs on a copy: a stale build/ in the checkout could carry removed files in.
    # The copy holds the offline runner and the example too, so leaving them out is checked.
    source = tmp_path / "source"
    for name in COPIED_FOLDERS:
        shutil.copytree(
            REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    for name in ("pyproject.toml", "LICENSE"):
        shutil.copy(REPO_ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"components/{p.relative_to(COMPONENT_DIR).as_posix()}" for p in COMPONENT_FILES}
    assert shipped <= names
    # Every file of the platform's images, so an importer builds them and copies nothing.
    images = {f"components/{p.relative_to(COMPONENT_DIR).as_posix()}" for p in IMAGE_FILES}
    assert {
        "components/images/nginx/Dockerfile",
        "components/images/db/Dockerfile",
        "components/images/django_fargate/Dockerfile",
        "components/images/django_fargate/pyproject.toml",
        "components/images/django_fargate/src/django_fargate/settings.py",
    } <= images
    assert images <= names, sorted(images - names)
    assert "components/testing.py" not in names
    assert "components/py.typed" in names  # PEP 561: the annotations are for type checkers too
    (metadata,) = [name for name in names if name.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "License-Expression: MIT" in text.splitlines()
    # The description is the package's own readme, not the repository's.
    assert "Description-Content-Type: text/markdown" in text.splitlines()
    assert text.split("\n\n", 1)[1].strip() == (COMPONENT_DIR / "README.md").read_text().strip()
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert not any(
        name.startswith(("tools/offline/", "examples/", "service/", "tests/", "__main__"))
        for name in names
    )


def pinned_versions() -> dict[str, str]:
    return lock_pins(REPO_ROOT / "requirements.txt")


def test_each_dependency_s_lower_bound_is_the_version_the_tests_run():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    pins = pinned_versions()
    bounds = {}
    for requirement in project["dependencies"]:
        name, lower = re.fullmatch(r"([\w-]+)>=([\d.]+),<\d+", requirement).groups()
        bounds[name] = lower
    assert bounds == {name: pins[name] for name in bounds}
    imported = {root for path in COMPONENT_FILES for root in imported_roots(path)}
    providers = {root.replace("_", "-") for root in imported if root.startswith("pulumi")}
    assert providers == set(bounds)


def test_the_license_file_and_the_project_s_license_agree():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (REPO_ROOT / "LICENSE").read_text().startswith("MIT License\n")
    assert (REPO_ROOT / "components" / "py.typed").is_file()


@pytest.mark.parametrize(("former", "current"), sorted(components.FORMER_NAMES.items()))
def test_a_former_name_still_imports_with_a_warning_naming_its_successor(former, current):
    with pytest.warns(DeprecationWarning, match=f"components.{former} is now components.{current}"):
        found = getattr(components, former)
    assert found is getattr(components, current)
    assert former not in components.__all__
