"""`python -m tools.plan` on bad input: one clear line on stderr, a non-zero exit, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stack.paths import REPO_ROOT
from tests.stack_runs import STAND_IN_APP


def run_plan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.plan", "--no-alternatives", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def stack_file(root: Path, stack: str, body: str) -> Path:
    (root / f"Pulumi.{stack}.yaml").write_text(body)
    return root


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("plan: ")
    for fragment in fragments:
        assert fragment in line


def test_unknown_stack_names_the_known_ones(tmp_path):
    stack_file(tmp_path, "prod", "config:\n  aws:region: ap-northeast-1\n")
    result = run_plan("--root", str(tmp_path), "--stack", "staging")
    assert_one_clear_line(result, "unknown stack 'staging'", "known stacks: prod")


def test_bad_setting_names_setting_value_and_allowed_values(tmp_path):
    stack_file(
        tmp_path,
        "bad",
        "config:\n  aws:region: ap-northeast-1\n  django-tw:egress: satellite\n",
    )
    result = run_plan("--root", str(tmp_path), "--stack", "bad")
    assert_one_clear_line(result, "django-tw:egress", "'satellite'", "endpoints | nat")


def test_region_without_prices_says_how_to_add_it(tmp_path):
    app = f"  django-tw:app:\n    path: {STAND_IN_APP}\n"
    stack_file(tmp_path, "paris", "config:\n  aws:region: eu-west-3\n" + app)
    result = run_plan("--root", str(tmp_path), "--stack", "paris")
    assert_one_clear_line(result, "no prices for region 'eu-west-3'", "[regions.eu-west-3]")


@pytest.mark.parametrize("body", ["config: [1, 2]\n", "config:\n  aws:region: [unclosed\n"])
def test_a_stack_file_that_is_not_a_config_mapping(tmp_path, body):
    stack_file(tmp_path, "broken", body)
    result = run_plan("--root", str(tmp_path), "--stack", "broken")
    assert_one_clear_line(result, "broken")


@pytest.mark.parametrize("flag", ["--write-docs", "--write-readme"])  # the former name still works
def test_write_docs_is_only_for_this_repository_s_prod_stack(tmp_path, flag):
    stack_file(tmp_path, "dev", "config:\n  aws:region: ap-northeast-1\n")
    result = run_plan("--root", str(tmp_path), "--stack", "dev", flag)
    assert_one_clear_line(result, "--write-docs", "--stack prod")


@pytest.mark.parametrize(
    ("line", "fragments"),
    [
        ("django-tw:availabilityZoneIds: apne1-az1", ("'django-tw:availabilityZoneIds' must be "
         "of type 'array<string>'", "write a YAML list")),
        ("django-tw:azCount: [2]", ("'django-tw:azCount' must be of type 'integer'",)),
        ("django-tw:azcount: 1", ("`django-tw:azcount` is not a setting",
         "did you mean `django-tw:azCount`")),
        ("django-tw:domain: {secure: AAAB}", ("`django-tw:domain` is encrypted",)),
    ],
)  # fmt: skip
def test_a_stack_file_the_pulumi_cli_would_refuse_stops_the_plan_with_one_line(
    tmp_path, line, fragments
):
    stack_file(tmp_path, "bad", f"config:\n  aws:region: ap-northeast-1\n  {line}\n")
    result = run_plan("--root", str(tmp_path), "--stack", "bad")
    assert_one_clear_line(result, "Pulumi.bad.yaml", *fragments)
