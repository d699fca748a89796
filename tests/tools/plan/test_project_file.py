"""Pulumi.yaml's `config:` block says what the settings declare, in Pulumi's own schema.

Whoever adds a setting (a field of `StackSettings`) regenerates the block with
`python -m tools.plan --write-project-config`; these tests fail until they do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stack.config import TYPES, ConfigType, typed_default, validate_config_value
from stack.go_encoding import go_json
from stack.paths import REPO_ROOT
from stack.settings import SETTINGS, Setting, config_key, load_settings
from tests.stack_runs import with_stand_in_app
from tools.plan import project_file
from tools.plan.project_file import COMMAND, declaration, in_project_namespace, project_config

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
    kind = setting.config_type
    assert {k: entry[k] for k in ("type", "items") if k in entry} == declaration(kind), REGENERATE
    assert entry["description"] == setting.doc, REGENERATE
    if setting.default is None:
        assert "default" not in entry, REGENERATE
    else:
        assert entry["default"] == typed_default(kind, setting.default), REGENERATE


def items_of(entry: dict) -> ConfigType | None:
    items = entry.get("items")
    return None if items is None else ConfigType(items["type"], items_of(items))


def test_entries_follow_pulumi_s_rules_for_project_config():
    """`Project.Validate` (sdk/go/common/workspace/project.go): only the project's own keys
    have a type or default, an array names its `items`, and `ValidateConfigValue` takes the
    default for its type; the type is one of the schema's (project.json, simpleConfigType)."""
    for key, entry in declared().items():
        namespace, _, name = key.partition(":")
        assert namespace == "django-tw", key
        assert name, key
        assert ":" not in name, key
        assert set(entry) <= {"type", "items", "description", "default"}, key
        assert entry["type"] in TYPES, key
        assert (entry["type"] == "array") == ("items" in entry), key
        if "default" in entry:
            kind = ConfigType(entry["type"], items_of(entry))
            assert validate_config_value(kind, entry["default"]), key


def test_a_list_setting_is_declared_an_array_of_strings():
    """A list in a stack file is an *object* value to the CLI, which only an `array` takes."""
    entry = declared()["django-tw:availabilityZoneIds"]
    assert (entry["type"], entry["items"], entry["default"]) == ("array", {"type": "string"}, [])


def test_a_stack_that_leaves_everything_out_gets_the_same_settings_from_pulumi_s_defaults():
    """Pulumi hands the program each default as text (`createConfigValue`, pkg/workspace/
    config.go: `fmt.Sprintf("%v")` for a string, number or boolean, JSON for a list): the
    settings it gives must be those load_settings' own defaults give."""

    def as_pulumi_passes(default: object) -> str:
        if isinstance(default, bool):
            return str(default).lower()
        return go_json(default) if isinstance(default, list) else str(default)

    defaults = {
        key.removeprefix("django-tw:"): as_pulumi_passes(entry["default"])
        for key, entry in declared().items()
        if "default" in entry
    }
    # The app slot's default names the app in service/; every other setting is left out.
    region = with_stand_in_app({"aws:region": "ap-northeast-1"})
    assert load_settings({**defaults, **region}) == load_settings(region)


@pytest.mark.parametrize(
    ("default", "items", "kind"),
    [("2", None, "integer"), ("0", None, "integer"), ("true", None, "boolean"),
     ("false", None, "boolean"), ("", None, "string"), ("17:00", None, "string"),
     ("10.0.0.0/16", None, "string"), (None, None, "string"), ("[]", "string", "array")],
)  # fmt: skip
def test_the_type_is_read_from_the_default_unless_the_setting_is_a_list(default, items, kind):
    setting = Setting("x", default, SETTINGS[0].parse, "x", items=items)
    assert setting.config_type.type == kind


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
    from tools.plan.__main__ import parse_args

    assert parse_args(COMMAND.split()[3:]).write_project_config
