"""The settings table of docs/deploying.md: one row per setting, in order, kept up to date."""

from stack.settings import SETTINGS
from tools.plan import generated_docs
from tools.plan.settings_table import default_in_yaml, settings_table


def test_the_documented_settings_table_is_up_to_date():
    block = generated_docs.SETTINGS
    assert generated_docs.read_block(block.read_document(), block) == settings_table(), (
        f"{block.path.name}'s settings table is out of date: run `{generated_docs.COMMAND}`"
    )


def test_settings_table_has_a_row_per_setting_with_its_default_as_yaml_reads_it():
    rows = settings_table().splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [f"| `{s.name}`" for s in SETTINGS]
    defaults = {row.split(" | ")[0][3:-1]: row.split(" | ")[1] for row in rows}
    assert defaults["aws:region"] == "(required)"
    assert defaults["vpcCidr"] == "`10.0.0.0/16`"
    assert defaults["domain"] == '`""`'  # bare, YAML reads nothing as null
    assert defaults["baseBackupTime"] == '`"17:00"`'  # bare, YAML 1.1 reads 17:00 as 1020


def test_a_default_yaml_reads_otherwise_is_quoted():
    assert default_in_yaml("30") == "`30`"
    assert default_in_yaml("false") == "`false`"
    assert default_in_yaml("[]") == "`[]`"
    assert default_in_yaml("") == '`""`'  # bare: null
    assert default_in_yaml("17:00") == '`"17:00"`'  # bare: 1020, a YAML 1.1 sexagesimal
    assert default_in_yaml(None) == "(required)"
