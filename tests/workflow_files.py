"""Reading the GitHub Actions workflows as GitHub runs them: jobs, steps, matrices, commands.

Only what tests/test_workflows.py needs: a matrix is expanded from its `include:` list,
`${{ matrix.x }}` is filled in, and a step's `$VARIABLE`s come from its own `env:`.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

import yaml

from stack.paths import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as True.
    document["on"] = document.pop(True, document.get("on"))
    return document


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def action(workflow: dict, job: str, prefix: str) -> dict:
    (found,) = [s for s in steps(workflow, job) if s.get("uses", "").startswith(prefix)]
    return found


MATRIX_VALUE = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")
SHELL_VARIABLE = re.compile(r"\$\{?(\w+)\}?")


def workflows() -> dict[str, dict]:
    return {path.name: load(path.name) for path in sorted(WORKFLOWS.glob("*.yml"))}


@dataclass(frozen=True)
class ImageBuild:
    """One `docker buildx build` a job runs, its matrix and environment filled in."""

    where: str
    runner: str
    argv: tuple[str, ...]

    def option(self, *names: str) -> str | None:
        for i, word in enumerate(self.argv):
            for name in names:
                if word == name:
                    return self.argv[i + 1]
                if word.startswith(name + "="):
                    return word[len(name) + 1 :]
        return None

    @property
    def key(self) -> tuple[str | None, str | None, str]:
        """(Dockerfile, platform, context), as ServiceImagesArgs names them."""
        return self.option("--file", "-f"), self.option("--platform"), self.argv[-1]


def matrix_entries(job: dict) -> list[dict]:
    matrix = job.get("strategy", {}).get("matrix", {})
    assert set(matrix) <= {"include"}, "these tests expand `include:` matrices only"
    return matrix.get("include") or [{}]


def filled(text: str, entry: dict) -> str:
    return MATRIX_VALUE.sub(lambda m: str(entry[m[1]]), text)


def expanded(word: str, env: dict[str, str]) -> str:
    """A shell word with the step's variables in it replaced (a missing one raises KeyError)."""
    return SHELL_VARIABLE.sub(lambda m: env[m[1]], word)


def image_builds() -> list[ImageBuild]:
    """Every image build of the workflows that pull requests run."""
    builds = []
    for name, workflow in workflows().items():
        if "pull_request" not in workflow["on"]:
            continue
        for job_name, job in workflow["jobs"].items():
            for entry in matrix_entries(job):
                for step in job.get("steps", []):
                    run = step.get("run", "")
                    if not re.search(r"\bdocker (buildx )?build\b", run):
                        continue
                    env = {k: filled(str(v), entry) for k, v in step.get("env", {}).items()}
                    words = shlex.split(filled(run, entry))
                    argv = [expanded(word, env) for word in words]
                    runner = filled(str(job["runs-on"]), entry)
                    builds.append(ImageBuild(f"{name}:{job_name}", runner, tuple(argv)))
    return builds


def uses(job: dict, prefix: str) -> bool:
    return any(step.get("uses", "").startswith(prefix) for step in job.get("steps", []))
