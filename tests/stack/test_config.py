"""Every stack file is checked as the Pulumi CLI checks it before the program runs.

Each rule names the pulumi/pulumi function it mirrors (read from its source, sdk v3):

- reading YAML: go-yaml v3 ``resolve`` (resolve.go) into ``any``, then ``unmarshalObject`` and
  ``object.MarshalString`` (sdk/go/common/resource/config/object.go);
- keys: ``ParseKey`` (sdk/go/common/resource/config/key.go);
- a required key: ``mergeConfig`` (pkg/workspace/config.go);
- the type: ``validateStackConfigValue`` (pkg/workspace/config.go) and ``ValidateConfigValue``
  (sdk/go/common/workspace/project.go);
- what the program receives: ``Map.Decrypt`` / ``Plaintext.marshalText``
  (sdk/go/common/resource/config/map.go, plaintext.go).

Unknown keys and encrypted values are this project's own rules (the CLI lets both pass).
"""

from __future__ import annotations

import contextvars
from pathlib import Path

import pytest
import yaml

from stack.config import (
    ConfigType,
    ConfigValue,
    StackConfigError,
    check,
    config_value,
    read_config,
    validate_config_value,
)
from stack.go_encoding import load_yaml
from stack.paths import REPO_ROOT
from stack.settings import (
    PROJECT,
    SETTING_NAMES,
    config_from_pulumi,
    declared_config,
    load_settings,
    read_stack_file,
)
from tests.stack_runs import stack_config

STACKS = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in REPO_ROOT.glob("Pulumi.*.yaml"))


def as_the_cli_declares(entry: dict) -> ConfigType:
    """A `Pulumi.yaml` entry as `ProjectConfigType` (type, items) holds it."""
    items = entry.get("items")
    return ConfigType(entry["type"], None if items is None else as_the_cli_declares(items))


def pulumi_yaml_declarations() -> dict[str, ConfigType]:
    config = yaml.safe_load((REPO_ROOT / "Pulumi.yaml").read_text(encoding="utf-8"))["config"]
    return {key: as_the_cli_declares(entry) for key, entry in config.items()}


def refusal(body: str, declared: dict[str, ConfigType] | None = None) -> str:
    values = read_config(body, "Pulumi.bad.yaml")
    with pytest.raises(StackConfigError) as raised:
        check("bad", PROJECT, declared_config() if declared is None else declared, values)
    message = str(raised.value)
    assert "\n" not in message
    return message


# --- the stack files of this repository --------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_every_stack_file_passes_the_cli_against_pulumi_yaml_as_written(stack):
    """What `pulumi preview --stack <stack>` checks first: the file against Pulumi.yaml."""
    path = REPO_ROOT / f"Pulumi.{stack}.yaml"
    values = read_config(path.read_text(encoding="utf-8"), str(path))
    check(stack, PROJECT, pulumi_yaml_declarations(), values)


def test_the_declarations_checked_are_those_pulumi_yaml_holds():
    assert declared_config() == {
        key: ConfigType(kind.type, kind.items, required=False)
        for key, kind in pulumi_yaml_declarations().items()
    }


def test_the_prod_zone_list_reaches_the_program_as_json_text_and_as_zone_ids():
    """A list is an object value: the program receives its JSON (`Plaintext.marshalText`)."""
    body = "config:\n  django-tw:availabilityZoneIds: [apne1-az4, apne1-az1]\n"
    [value] = read_config(body, "Pulumi.x.yaml").values()
    assert value == ConfigValue('["apne1-az4","apne1-az1"]', object=True)
    prod = stack_config("prod")
    settings = load_settings({**prod, "availabilityZoneIds": value.text})
    assert settings.availability_zone_ids == ("apne1-az4", "apne1-az1")
    assert load_settings(prod).availability_zone_ids == ()  # prod's [] arrives as "[]"
    assert prod["availabilityZoneIds"] == "[]"


def test_under_a_real_engine_the_zone_list_is_read_through_pulumi_config():
    import pulumi.runtime

    zones = '["apne1-az4","apne1-az1"]'

    def read() -> dict[str, str]:
        pulumi.runtime.set_all_config({"django-tw:availabilityZoneIds": zones}, [])
        return config_from_pulumi()

    config = contextvars.copy_context().run(read)
    assert config == {"availabilityZoneIds": zones}
    prod = stack_config("prod")
    assert load_settings({**prod, **config}).availability_zone_ids == ("apne1-az4", "apne1-az1")


# --- what the CLI refuses (validateStackConfigValue -> ValidateConfigValue) --------------------


def test_a_yaml_list_for_a_string_key_is_refused_as_pulumi_refused_prod():
    """The prod stack's `availabilityZoneIds: []` against the old `type: string`."""
    declared = {**declared_config(), "django-tw:availabilityZoneIds": ConfigType("string")}
    message = refusal("config:\n  django-tw:availabilityZoneIds: []\n", declared)
    assert message.startswith(
        "Pulumi.bad.yaml: Stack 'bad' with configuration key 'django-tw:availabilityZoneIds' "
        "must be of type 'string'"
    )
    assert "it is a YAML list" in message


@pytest.mark.parametrize(
    ("body", "key", "type_name", "found"),
    [
        ("django-tw:domain: [tw.example.com]", "domain", "string", "a YAML list"),
        ("django-tw:domain:", "domain", "string", "empty (YAML reads a bare `key:` as null)"),
        ("django-tw:domain: {a: b}", "domain", "string", "a YAML mapping"),
        ("django-tw:azCount: two", "azCount", "integer", "the text 'two'"),
        ("django-tw:azCount: 2.5", "azCount", "integer", "the text '2.5'"),
        ("django-tw:azCount: ' 2'", "azCount", "integer", "the text ' 2'"),
        ("django-tw:hstsPreload: yes", "hstsPreload", "boolean", "the text 'yes'"),
        ("django-tw:hstsPreload: 1", "hstsPreload", "boolean", "the text '1'"),
        ("django-tw:availabilityZoneIds: apne1-az1,apne1-az4", "availabilityZoneIds",
         "array<string>", "the text 'apne1-az1,apne1-az4'"),
        ("django-tw:availabilityZoneIds: '[]'", "availabilityZoneIds", "array<string>",
         "the text '[]'"),
        ("django-tw:availabilityZoneIds: [1, 2]", "availabilityZoneIds", "array<string>",
         "a YAML list with an item that is not of type 'string'"),
        ("django-tw:availabilityZoneIds: {secure: AAAB}", "availabilityZoneIds",
         "array<string>", "an encrypted (secure:) value"),
    ],
)  # fmt: skip
def test_a_value_not_of_the_declared_type_is_refused_naming_key_type_and_what_to_write(
    body, key, type_name, found
):
    message = refusal(f"config:\n  {body}\n")
    assert f"with configuration key 'django-tw:{key}' must be of type '{type_name}'" in message
    assert f"it is {found}; write " in message


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("django-tw:azCount: 3", "3"),
        ("django-tw:azCount: '3'", "3"),  # Atoi reads the text
        ("django-tw:azCount: 3.0", "3"),  # json.Marshal of a whole float
        ("django-tw:azCount: +3", "3"),
        ("django-tw:hstsPreload: True", "true"),  # a YAML 1.2 boolean
        ("django-tw:hstsPreload: 'false'", "false"),
        ("django-tw:waf: off", "off"),  # not YAML 1.1's false
        ("django-tw:baseBackupTime: 17:00", "17:00"),  # no base-60
        ("django-tw:domain: ''", ""),
        ("django-tw:domain: true", "true"),  # a boolean's text is a string
        ("django-tw:availabilityZoneIds: []", "[]"),
    ],
)
def test_values_the_cli_takes_and_the_text_the_program_then_receives(body, text):
    values = read_config(f"config:\n  {body}\n", "Pulumi.ok.yaml")
    check("ok", PROJECT, declared_config(), values)
    assert [value.text for value in values.values()] == [text]


def test_a_required_key_left_out_is_refused_as_mergeconfig_does():
    declared = {"django-tw:needed": ConfigType("string", required=True)}
    message = refusal("config:\n  aws:region: ap-northeast-1\n", declared)
    assert "Stack 'bad' is missing configuration value 'django-tw:needed'" in message


def test_a_key_without_a_namespace_is_refused_as_parsekey_does():
    with pytest.raises(StackConfigError, match=r"could not parse azCount as a configuration key"):
        read_config("config:\n  azCount: 2\n", "Pulumi.bad.yaml")


def test_a_key_written_twice_is_refused_as_go_yaml_v3_refuses_it():
    """`decoder.mapping` with `uniqueKeys` (go-yaml v3 decode.go); YAML 1.1 keeps the last."""
    body = "config:\n  django-tw:azCount: 2\n  django-tw:azCount: 3\n"
    with pytest.raises(yaml.YAMLError, match=r'line 3: mapping key "django-tw:azCount" already'):
        read_config(body, "Pulumi.bad.yaml")


def test_a_number_json_cannot_hold_is_refused_naming_the_key():
    with pytest.raises(StackConfigError, match=r"Pulumi.bad.yaml: django-tw:azCount: json"):
        read_config("config:\n  django-tw:azCount: .nan\n", "Pulumi.bad.yaml")


def test_keys_of_other_namespaces_are_neither_typed_nor_refused():
    values = read_config(
        "config:\n  aws:region: ap-northeast-1\n  aws:profile: [x]\n"
        "  aws:secretKey:\n    secure: AAAB\n",
        "Pulumi.ok.yaml",
    )
    check("ok", PROJECT, declared_config(), values)
    assert values["aws:secretKey"] == ConfigValue("AAAB", secure=True)


# --- this project's rules: unknown keys, encrypted values ----------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"), [("azcount", "azCount"), ("vpcCIDR", "vpcCidr"), ("domian", "domain")]
)
def test_a_typo_key_is_refused_with_the_names_it_may_have_meant(typo, meant):
    message = refusal(f"config:\n  django-tw:{typo}: 2\n")
    assert message.startswith(f"Pulumi.bad.yaml: `django-tw:{typo}` is not a setting of django-tw")
    assert f"did you mean `django-tw:{meant}`" in message


def test_an_unknown_key_far_from_every_name_points_at_the_declarations():
    assert "the settings are the keys of Pulumi.yaml's config: block" in refusal(
        "config:\n  django-tw:qqqqqq: 1\n"
    )


def test_the_names_offered_are_every_setting_of_the_table():
    """Derived from SETTINGS: a setting added there is known here without an edit."""
    assert {key.partition(":")[2] for key in declared_config()} == {
        name for name in SETTING_NAMES if ":" not in name
    }


def test_an_encrypted_value_of_a_setting_is_refused_saying_to_write_it_in_plain_text():
    message = refusal("config:\n  django-tw:domain:\n    secure: AAAB\n")
    assert "`django-tw:domain` is encrypted (secure:)" in message
    assert "pulumi config set django-tw:domain VALUE" in message


# --- the offline runs see the same refusals -------------------------------------------------------


def test_read_stack_file_refuses_what_the_cli_refuses(tmp_path: Path):
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  django-tw:azCount: [1]\n")
    with pytest.raises(StackConfigError, match=r"'django-tw:azCount' must be of type 'integer'"):
        read_stack_file("dev", root=tmp_path)


def test_read_stack_file_refuses_a_typo(tmp_path: Path):
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  django-tw:azcount: 1\n")
    with pytest.raises(StackConfigError, match=r"did you mean `django-tw:azCount`"):
        read_stack_file("dev", root=tmp_path)


# --- reading YAML as go-yaml v3 does -----------------------------------------------------------


def test_quoted_scalars_stay_text_and_lists_and_maps_become_json_objects():
    document = load_yaml("a: '2'\nb: [x, 2, true]\nc: {z: 1, a: '<'}\nd: {secure: S}\n")
    assert config_value(document["a"]) == ConfigValue("2")
    assert config_value(document["b"]) == ConfigValue('["x",2,true]', object=True)
    assert config_value(document["c"]) == ConfigValue('{"a":"\\u003c","z":1}', object=True)
    assert config_value(document["d"]) == ConfigValue("S", secure=True)


@pytest.mark.parametrize(
    ("kind", "value", "valid"),
    [(ConfigType("integer"), 2, True), (ConfigType("integer"), 2.0, True),
     (ConfigType("integer"), True, False), (ConfigType("boolean"), "True", False),
     (ConfigType("array"), [], False),  # an array without items validates nothing
     (ConfigType("array", ConfigType("integer")), [1.0, "2"], True),
     (ConfigType("object"), {}, True), (ConfigType("string"), None, False)],
)  # fmt: skip
def test_validate_config_value_as_the_cli_defines_it(kind, value, valid):
    assert validate_config_value(kind, value) is valid
