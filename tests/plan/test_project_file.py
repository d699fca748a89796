"""Pulumi.yaml's `config:` block says what the settings table says, in Pulumi's own schema.

Whoever adds a setting to `SETTINGS` regenerates the block with
`python -m plan --write-project-config`; these tests fail until they do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from paths import REPO_ROOT
from plan import project_file
from plan.project_file import (
    COMMAND,
    PROJECT_CONFIG_TYPES,
    accepts,
    config_type,
    in_project_namespace,
    project_config,
    typed_value,
)
from stack_settings import SETTINGS, Setting, config_key, load_settings, read_stack_file

REGENERATE = f"Pulumi.yaml's config: block is out of date: run `.venv/bin/{COMMAND}`"
STACK_FILES = sorted(path.name for path in REPO_ROOT.glob("Pulumi.*.yaml"))


def declared() -> dict[str, dict]:
    return yaml.safe_load(project_file.PROJECT_FILE.read_text(encoding="utf-8"))["config"]


def test_the_generated_block_is_up_to_date():
    _, tail = project_file.split(project_file.PROJECT_FILE.read_text(encoding="utf-8"))
    assert tail == project_file.render(), REGENERATE


def test_every_project_setting_has_an_entry_and_nothing_else_has():
    expected = [config_key(s.name) for s in SETTINGS if in_project_namespace(s)]
    assert list(declared()) == expected, REGENERATE


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_each_entry_has_the_table_s_type_description_and_default(setting):
    if not in_project_namespace(setting):
        assert config_key(setting.name) not in declared()
        return
    entry = declared()[config_key(setting.name)]
    assert entry["type"] == config_type(setting), REGENERATE
    assert entry["description"] == setting.doc, REGENERATE
    if setting.default is None:
        assert "default" not in entry, REGENERATE
    else:
        assert entry["default"] == typed_value(entry["type"], setting.default), REGENERATE


def test_entries_follow_pulumi_s_rules_for_project_config():
    """sdk/go/common/workspace/project.go (Validate): only the project's own keys have a type
    or default, the type is one Pulumi knows, and a default must be of its type."""
    for key, entry in declared().items():
        namespace, _, name = key.partition(":")
        assert namespace == "django-tw", key
        assert name, key
        assert ":" not in name, key
        assert set(entry) <= {"type", "description", "default"}, key
        assert entry["type"] in PROJECT_CONFIG_TYPES, key
        if "default" in entry:
            python_type = {"string": str, "integer": int, "boolean": bool}[entry["type"]]
            assert type(entry["default"]) is python_type, key


@pytest.mark.parametrize("stack_file", STACK_FILES)
def test_every_stack_file_value_has_the_type_pulumi_will_check(stack_file):
    """Pulumi refuses a stack whose value does not match the declared type before the program
    runs ("Stack ... with configuration key ... must be of type ...")."""
    stack = stack_file.removeprefix("Pulumi.").removesuffix(".yaml")
    types = {key: entry["type"] for key, entry in declared().items()}
    for name, text in read_stack_file(stack).items():
        kind = types.get(config_key(name))
        if kind is not None:
            assert accepts(kind, text), f"{stack_file}: {name}: {text!r} is not a Pulumi {kind}"


def test_a_stack_that_leaves_everything_out_gets_the_same_settings_from_pulumi_s_defaults():
    """Pulumi hands the program each default as text (`fmt.Sprintf("%v")`: 2 -> "2", true ->
    "true"): the settings it gives must be those load_settings' own defaults give."""
    as_pulumi_passes = {
        key.removeprefix("django-tw:"): str(entry["default"]).lower()
        if isinstance(entry["default"], bool)
        else str(entry["default"])
        for key, entry in declared().items()
        if "default" in entry
    }
    region = {"aws:region": "ap-northeast-1"}
    assert load_settings({**as_pulumi_passes, **region}) == load_settings(region)


@pytest.mark.parametrize(
    ("default", "kind"),
    [("2", "integer"), ("0", "integer"), ("true", "boolean"), ("false", "boolean"),
     ("", "string"), ("17:00", "string"), ("10.0.0.0/16", "string"), (None, "string")],
)  # fmt: skip
def test_the_type_is_read_from_the_default(default, kind):
    setting = Setting("x", "x", default, SETTINGS[0].parse, "x")
    assert config_type(setting) == kind


def test_writing_keeps_the_hand_written_head_and_replaces_the_block(tmp_path: Path):
    head = "name: django-tw\nruntime: python\n"
    target = tmp_path / "Pulumi.yaml"
    target.write_text(head + project_file.MARKER + "\nconfig:\n  django-tw:old: {type: string}\n")
    project_file.write(target)
    project_file.write(target)  # twice: the same file
    text = target.read_text()
    assert text == head + project_file.render()
    assert yaml.safe_load(text)["config"] == project_config()


def test_the_command_is_what_the_cli_offers():
    from plan.__main__ import parse_args

    assert parse_args(COMMAND.split()[3:]).write_project_config
