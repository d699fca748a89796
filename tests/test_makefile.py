"""`make local` installs only what it runs, read from the Makefile's text (running make here
would install into the shared virtualenv): its targets, prerequisites and requirements. `make
restore` is run for real, with its install skipped (`-o local-venv`) and a stand-in Python."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stack.paths import REPO_ROOT
from tests.layers import imports_of

MAKEFILE = REPO_ROOT / "Makefile"
# Tools `make local` never runs: the tests' browser and tools, the IaC scanner.
NOT_FOR_LOCAL = ("checkov", "playwright", "pytest", "ruff", "hadolint", "pulumi")


def makefile_rules(text: str) -> dict[str, tuple[list[str], list[str]]]:
    """target -> (prerequisites, recipe lines), with `NAME := value` variables expanded."""
    variables: dict[str, str] = {}

    def expand(value: str) -> str:
        for _ in range(5):  # variables that name variables
            value = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m[1], m[0]), value)
        return value

    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("\t") and current is not None:
            current.append(expand(line.strip()))
            continue
        if assignment := re.match(r"^(\w+)\s*[:?]?=\s*(.*)$", line):
            variables[assignment[1]] = expand(assignment[2])
            current = None
        elif rule := re.match(r"^([^\s#:][^:=]*):(?!=)(.*)$", line):
            prerequisites = expand(rule[2].split("##")[0]).split()
            current = []
            for target in expand(rule[1]).split():
                rules[target] = (prerequisites, current)
        else:
            current = None
    return rules


def prerequisites_of(rules, target: str) -> set[str]:
    seen: set[str] = set()
    todo = [target]
    while todo:
        for prerequisite in rules.get(todo.pop(), ([], []))[0]:
            if prerequisite not in seen:
                seen.add(prerequisite)
                todo.append(prerequisite)
    return seen


def requirement_lines(path: Path) -> list[str]:
    """The requirement lines of `path` and of the files it includes with `-r`."""
    lines = []
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            # pip reads an included file relative to the file that includes it
            lines += requirement_lines(path.parent / line.removeprefix("-r ").strip())
        elif line:
            lines.append(line)
    return lines


def distribution(requirement: str) -> str:
    return re.split(r"[\[=<>~!; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


@pytest.fixture(scope="module")
def rules():
    return makefile_rules(MAKEFILE.read_text())


def test_make_local_installs_the_system_packages_then_only_its_own_virtualenv(rules):
    _, recipe = rules["local"]
    assert recipe[0] == "bash tools/local/install-system-packages.sh"  # python3-venv makes .venv
    assert recipe[1].endswith("$(MAKE) --no-print-directory local-venv")
    assert recipe[-1].endswith("-m tools.local.run")
    assert not any(re.search(r"(?<![\w-])venv\s*$", line) for line in recipe)  # the full one


def test_local_venv_pulls_in_no_test_tools_no_checkov_and_no_browser(rules):
    needed = prerequisites_of(rules, "local-venv")
    assert ".venv/.local-installed" in needed
    assert ".venv/.installed" not in needed
    assert not any("checkov" in target for target in needed)


def test_the_local_install_shows_pip_s_progress_and_reads_requirements_local(rules):
    _, recipe = rules[".venv/.local-installed"]
    installs = [line for line in recipe if "pip install" in line]
    assert installs[0].endswith("-r requirements/local.txt")
    # then only the platform's Django library, which a hashed file cannot name by its path
    assert all("components/images/django_fargate" in line for line in installs[1:])
    assert not re.search(r"(--quiet|\s-q)\b", installs[0])
    assert any(line.startswith("@echo") for line in recipe)  # says what it is doing first


def test_the_full_virtualenv_builds_on_the_local_one(rules):
    assert ".venv/.local-installed" in rules[".venv/.installed"][0]
    assert "-r local.in" in (REPO_ROOT / "requirements" / "dev.in").read_text()


def test_requirements_local_names_no_tool_make_local_does_not_run():
    names = [
        distribution(line) for line in requirement_lines(REPO_ROOT / "requirements" / "local.txt")
    ]
    assert names
    assert [name for name in names if name.startswith(NOT_FOR_LOCAL)] == []


def runtime_modules() -> set[str]:
    """The modules `make local` imports: tools.local.run and the Procfile's `python -m` entries,
    followed through the project's own imports."""
    procfile = (REPO_ROOT / "tools" / "local" / "Procfile").read_text()
    todo = ["tools.local.run", *re.findall(r"python -m ([\w.]+)", procfile)]
    seen: set[str] = set()
    third_party: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = REPO_ROOT / (module.replace(".", "/") + ".py")
        if not path.is_file():
            path = REPO_ROOT / module.replace(".", "/") / "__init__.py"
        relative = path.relative_to(REPO_ROOT).as_posix()
        for imported in imports_of(relative, path.read_text()):
            root = imported.root
            if root in (
                "tools.local",
                "stack.paths",
                "stack.postgres_version",
                "stack.contract",
                "stack.contract_types",
            ):
                todo.append(imported.module)
            elif root not in sys.stdlib_module_names and root != "__future__":
                third_party.add(root)
    return third_party


def test_every_package_make_local_imports_is_in_requirements_local():
    listed = {
        distribution(line) for line in requirement_lines(REPO_ROOT / "requirements" / "local.txt")
    }
    providers = importlib.metadata.packages_distributions()
    imported = runtime_modules()
    assert {"honcho", "moto", "aiosmtpd"} <= imported
    missing = {
        module
        for module in imported
        if not {name.lower() for name in providers.get(module, [module])} & listed
    }
    assert missing == set(), "add them to requirements/local.txt"


INJECTION = '2026-12-01 10:00:00+00" ; touch {marker} ; echo "'


@pytest.mark.parametrize("how", ["command line", "environment"])
def test_make_restore_hands_target_time_over_as_one_argument_never_as_shell_text(tmp_path, how):
    """A quote in TARGET_TIME ends nothing: the program gets the whole text as one argument
    and no command inside it runs. `-o local-venv` skips the install; a stand-in for the
    virtualenv's Python records what it was given."""
    marker = tmp_path / "injected"
    recorded = tmp_path / "arguments"
    stand_in = tmp_path / "python"
    stand_in.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {recorded}\n")
    stand_in.chmod(0o755)
    value = INJECTION.format(marker=marker)
    command = ["make", "--no-print-directory", "-o", "local-venv", "restore", f"PY={stand_in}"]
    environment = {k: v for k, v in os.environ.items() if k != "TARGET_TIME"}
    if how == "command line":
        command.append(f"TARGET_TIME={value}")
    else:
        environment["TARGET_TIME"] = value
    subprocess.run(command, cwd=REPO_ROOT, env=environment, check=True, capture_output=True)
    assert not marker.exists()
    assert recorded.read_text().splitlines() == [
        "-m", "tools.local.backup", "restore", "--target-time", value,
    ]  # fmt: skip


def test_make_restore_without_target_time_restores_the_latest(tmp_path):
    recorded = tmp_path / "arguments"
    stand_in = tmp_path / "python"
    stand_in.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {recorded}\n")
    stand_in.chmod(0o755)
    environment = {k: v for k, v in os.environ.items() if k != "TARGET_TIME"}
    command = ["make", "--no-print-directory", "-o", "local-venv", "restore", f"PY={stand_in}"]
    subprocess.run(command, cwd=REPO_ROOT, env=environment, check=True, capture_output=True)
    assert recorded.read_text().splitlines() == ["-m", "tools.local.backup", "restore"]


def test_make_test_installs_the_browser_checks_npm_packages_from_their_lock_file(rules):
    # The browser sweep injects axe-core from tests/browser/node_modules
    # (tests/e2e/accessibility.py).
    assert "browser-deps" in rules["test"][0]
    assert "browser-deps" in rules["screens"][0]
    lock_stamp = "tests/browser/node_modules/.package-lock.json"
    assert lock_stamp in rules["browser-deps"][0]
    prerequisites, recipe = rules[lock_stamp]
    assert set(prerequisites) == {"tests/browser/package.json", "tests/browser/package-lock.json"}
    # `npm ci` installs exactly the lock file's versions and fails if it disagrees with
    # package.json; `npm install` would rewrite it.
    assert any(line.startswith("npm ci --prefix tests/browser") for line in recipe), recipe
    assert (REPO_ROOT / "tests" / "browser" / "package-lock.json").exists()


def test_ci_installs_npm_when_the_machine_lacks_it():
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "command -v npm >/dev/null || needed+=(nodejs npm)" in ci
    assert ci.index("needed+=(nodejs npm)") < ci.index("\nmake test")


def test_ci_runs_the_platforms_suite_again_in_a_clone_without_the_demo():
    """A team that deletes service/ keeps a green `make test`: CI runs it so, after the full
    run, reusing its installs rather than remaking them in the fresh clone."""
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in ci.splitlines() if line.strip() and line[0] != "#"]
    full = lines.index("make test")
    clone = lines.index('git clone -q "$PWD" "$without_demo"')
    removed = lines.index('rm -rf "$without_demo/service"')
    again = lines.index('make -C "$without_demo" -o venv -o browser-deps test')
    assert full < clone < removed < again


def test_a_checkout_without_the_demo_installs_and_tests_without_it(tmp_path):
    """`make -n test` in a copy of the Makefile's world without service/: no rule asks for the
    demo's lock (make would stop: "No rule to make target 'service/requirements.txt'")."""
    (tmp_path / "Makefile").write_text(MAKEFILE.read_text())
    for target in prerequisites_of(makefile_rules(MAKEFILE.read_text()), "test"):
        a_file = "/" in target or "." in target
        # what make builds itself, and the demo this checkout lacks
        skipped = target.startswith((".venv", "service/")) or "node_modules" in target
        if a_file and not skipped:
            (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / target).touch()
    result = subprocess.run(
        ["make", "-n", "test"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "-m pytest" in result.stdout
    shown = subprocess.run(
        ["make", "-n", "bench"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert "test -d service" in shown.stdout  # checked first, with a message naming the demo
