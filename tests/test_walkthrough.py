"""README.md's "Deploy your own Django app", performed: the steps are read out of the section's
code blocks (so the text and this test cannot drift), done on a project `django-admin
startproject` makes in a temporary checkout, and then the result is run two ways: the stack under
mocks builds its image and task definition, and `make local APP=<it>` serves it through nginx
with its migrations applied. The section's closing count of files and lines is the blocks'.

Each block the team acts on follows a comment naming the action:
``<!-- walkthrough: run -->`` (shell commands, from the checkout),
``<!-- walkthrough: write PATH -->`` (a new file) and ``<!-- walkthrough: append PATH -->``
(added at the end of a file the commands made).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from stack.app import GENERIC_DOCKERFILE
from stack.paths import REPO_ROOT
from tools.local.app import LocalApp
from tools.local.client import SiteClient
from tools.local.manage import manage_command
from tools.local.measure_startup import make_local
from tools.local.ports import Ports
from tools.local.topology import LocalTopology, new_data_dir

README = REPO_ROOT / "README.md"
SECTION = "## Deploy your own Django app"
DIRECTIVE = re.compile(r"<!-- walkthrough: (run|write|append) ?(\S*) -->\n```\w*\n(.*?)```", re.S)
COUNT = re.compile(r"(\d+)\s+files\s+and\s+(\d+)\s+lines")
# What the program needs of a checkout to run: the rest (tools, tests, docs) it never reads.
PROGRAM = ("__main__.py", "Pulumi.yaml", "stack", "components")
MAX_FILES, MAX_LINES = 3, 60


@dataclass(frozen=True)
class Step:
    action: str  # run, write, append
    path: str  # the file written or appended to; empty for run
    text: str


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start : None if end < 0 else end]


def steps() -> list[Step]:
    return [Step(*found) for found in DIRECTIVE.findall(section())]


def touched(found: list[Step]) -> tuple[set[str], int]:
    """The files the team writes or changes, and their lines (every non-blank line counts,
    comments too)."""
    edits = [step for step in found if step.action != "run"]
    lines = sum(1 for step in edits for line in step.text.splitlines() if line.strip())
    return {step.path for step in edits}, lines


def stack_file(found: list[Step]) -> tuple[str, dict]:
    """(stack name, its config) of the one stack file the steps write."""
    (step,) = [s for s in found if re.fullmatch(r"Pulumi\.[a-z][a-z0-9-]*\.yaml", s.path)]
    return step.path.split(".")[1], yaml.safe_load(step.text)["config"]


def test_the_section_lists_every_step_and_its_count_is_the_blocks_count():
    found = steps()
    assert found[0].action == "run"
    assert "startproject" in found[0].text
    assert "startapp" in found[0].text
    files, lines = touched(found)
    stated = COUNT.findall(section())
    assert stated == [(str(len(files)), str(lines))], (files, lines)
    assert len(files) <= MAX_FILES
    assert lines <= MAX_LINES
    name, config = stack_file(found)
    # The closing commands name the same app and stack the blocks set up.
    assert f"make local APP={config['django-tw:app']['path']}" in section()
    assert f"pulumi stack init {name}" in section()


@pytest.fixture(scope="module")
def checkout() -> Iterator[Path]:
    """A clone's worth of the program, with the README's steps done in it."""
    root = new_data_dir("django-tw-walkthrough-")
    try:
        for name in PROGRAM:
            source = REPO_ROOT / name
            if source.is_dir():
                shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, root / name)
        (root / ".venv").symlink_to(REPO_ROOT / ".venv")
        for step in steps():
            perform(root, step)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def perform(root: Path, step: Step) -> None:
    target = root / step.path
    if step.action == "run":
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", step.text],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{step.text}\n{done.stdout}{done.stderr}"
    elif step.action == "append":
        assert target.is_file(), f"{step.path}: the steps before it do not make it"
        with target.open("a", encoding="utf-8") as file:
            file.write("\n" + step.text)
    else:
        assert not target.exists(), f"{step.path} exists already: the step says to write it"
        target.write_text(step.text, encoding="utf-8")


# Runs in the checkout, as `pulumi up --stack <name>` runs __main__.py there: the program's own
# modules are the checkout's (its stack.paths finds the project beside them); the mocks come
# from this repository.
UNDER_MOCKS = """
import json, runpy, sys
from stack.settings import read_stack_file
from tools.offline import run_program
stack = sys.argv[1]
recording = run_program(
    lambda: runpy.run_path("__main__.py", run_name="__main__"),
    config=read_stack_file(stack), stack=stack,
)
images = {i.name: i.inputs for i in recording.of_type("awsx:ecr:Image")}
definitions = [
    json.loads(t.inputs["containerDefinitions"])
    for t in recording.of_type("aws:ecs/taskDefinition:TaskDefinition")
    if "FargateService" in (t.parent or "")
]
groups = recording.of_type("aws:lb/targetGroup:TargetGroup")
paths = [g.inputs["healthCheck"]["path"] for g in groups]
print(json.dumps({"images": images, "containers": definitions, "health_paths": paths}))
"""


def test_the_stack_builds_the_new_project_s_image_and_task_definition(checkout):
    name, config = stack_file(steps())
    app = config["django-tw:app"]
    result = subprocess.run(
        [sys.executable, "-c", UNDER_MOCKS, name],
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(checkout), str(REPO_ROOT)])},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    run = json.loads(result.stdout.splitlines()[-1])
    (web,) = [inputs for image, inputs in run["images"].items() if image.endswith("-web-image")]
    assert web["context"] == app["path"]
    assert web["dockerfile"] == GENERIC_DOCKERFILE  # the project has no Dockerfile
    assert web["args"]["DJANGO_SETTINGS_MODULE"] == app["settingsModule"]
    assert app["wsgi"] in web["args"].values()
    ((containers),) = run["containers"]
    by_name = {c["name"]: c for c in containers}
    environment = {e["name"]: e["value"] for e in by_name["web"]["environment"]}
    assert environment["DJANGO_SETTINGS_MODULE"] == app["settingsModule"]
    assert environment["DJANGO_ALLOWED_HOSTS"] == config["django-tw:domain"]
    assert by_name["release"]["command"][-2:] == ["migrate_locked", "--noinput"]
    assert run["health_paths"] == ["/healthz"]


@pytest.mark.e2e
@pytest.mark.timeout(420)
def test_make_local_serves_the_new_project_through_nginx_with_its_migrations(checkout, tmp_path):
    _, config = stack_file(steps())
    project = checkout / config["django-tw:app"]["path"]
    data_dir, ports = new_data_dir("django-tw-walkthrough-local-"), Ports.free()
    try:
        with make_local(data_dir, ports, tmp_path / "make-local.log", app=project) as running:
            running.wait_healthy(timeout=240)
            site = SiteClient(running.url, https=False)
            login = site.get("/admin/login/")
            assert login.status_code == 200, (tmp_path / "make-local.log").read_text()[-3000:]
            assert "Django administration" in login.text
            topology = LocalTopology(data_dir=data_dir, ports=ports, app=LocalApp.at(project))
            password = "a-long-password-for-the-walkthrough"

            def manage(*arguments: str) -> str:
                command, environment = manage_command(topology, arguments)
                environment["DJANGO_SUPERUSER_PASSWORD"] = password
                done = subprocess.run(
                    command, cwd=project, env=environment, capture_output=True, text=True
                )
                assert done.returncode == 0, done.stderr
                return done.stdout

            # Every migration is applied ([X]) by the time web serves a page.
            plan = manage("showmigrations", "--plan").splitlines()
            assert plan, "no migrations at all"
            assert all(line.startswith("[X]") for line in plan), plan
            manage("createsuperuser", "--noinput", "--username", "me", "--email", "me@x.test")
            signed_in = site.post(
                "/admin/login/?next=/admin/", {"username": "me", "password": password}
            )
            assert signed_in.status_code == 302, signed_in.text[:2000]
            assert "Site administration" in site.get("/admin/").text
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
