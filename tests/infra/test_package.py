"""The component library as a package: public names, installability (its import rules are in
tests/test_layers.py, with every other layer's)."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

import components
from paths import REPO_ROOT

COMPONENT_FILES = sorted((REPO_ROOT / "components").glob("*.py"))


def test_components_never_read_pulumi_config():
    for path in COMPONENT_FILES:
        assert "pulumi.Config(" not in path.read_text(), path.name


def test_every_public_name_resolves():
    assert components.__all__
    for name in components.__all__:
        assert getattr(components, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = components.Nope


def test_components_build_as_a_wheel(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), "."],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"components/{p.name}" for p in COMPONENT_FILES} <= names
    assert not any(name.startswith(("service/", "tests/", "__main__")) for name in names)


def test_the_readme_example_runs():
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme[readme.index("## Using the components from another project") :]
    example = section[section.index("```python\n") + len("```python\n") :]
    example = example[: example.index("```")]

    from components.testing import run_program

    recording = run_program(
        lambda: exec(compile(example, "README.md", "exec"), {}),  # noqa: S102
        config={"aws:region": "eu-west-1"},
        project="example",
        stack="dev",
    )
    recording.one("django-tw:compute:SidecarTask")
    services = {
        e.inputs["serviceName"] for e in recording.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    }
    assert services == {
        f"com.amazonaws.eu-west-1.{s}" for s in ("ecr.api", "ecr.dkr", "s3", "logs", "ssmmessages")
    }
    assert recording.outputs["cluster"]
