"""Stack settings: each bad value fails with one message naming setting, value, allowed values."""

import dataclasses
import re
import typing
from pathlib import Path

import pytest

import stack.parsers.site as site
import stack.settings as stack_settings
from stack.settings import (
    DEFAULTS,
    SETTINGS,
    Setting,
    SettingDeclarationError,
    SettingsError,
    StackSettings,
    config_from_pulumi,
    declared_settings,
    load_settings,
    read_stack_file,
)
from tests.stack_runs import stack_config, with_stand_in_app


@pytest.fixture
def prod_config() -> dict[str, str]:
    return stack_config("prod")


# Still read for a deprecation period, never written by a new stack file.
DEPRECATED = {"natGateways"}


def test_prod_stack_file_writes_out_every_setting_but_the_deprecated_ones(prod_config):
    assert set(prod_config) == set(DEFAULTS) - DEPRECATED


def test_prod_stack_file_is_valid_and_production(prod_config):
    settings = load_settings(prod_config)
    assert isinstance(settings, StackSettings)
    assert settings.region == "ap-northeast-1"
    assert settings.is_production
    assert settings.az_count >= 2
    assert settings.egress == "endpoints"


def test_read_stack_file_strips_project_namespace_only(prod_config):
    assert "aws:region" in prod_config
    assert "domain" in prod_config
    assert not any(key.startswith("django-tw:") for key in prod_config)


def test_read_stack_file_fails_clearly_for_unknown_stack():
    with pytest.raises(FileNotFoundError, match=r"unknown stack 'nope'.*known stacks: .*prod"):
        read_stack_file("nope")


def test_read_stack_file_leaves_out_encrypted_values_of_other_namespaces(tmp_path: Path):
    (tmp_path / "Pulumi.dev.yaml").write_text(
        "config:\n  django-tw:azCount: 1\n  aws:secretKey:\n    secure: AAABBB\n"
    )
    assert read_stack_file("dev", root=tmp_path) == {"azCount": "1"}


def test_settings_are_frozen(prod_config):
    settings = load_settings(prod_config)
    with pytest.raises(AttributeError):
        settings.az_count = 1  # type: ignore[misc]


# (setting, bad value, what the message must say after "allowed: ")
BAD_VALUES = [
    ("egress", "vpn", r"endpoints \| nat"),
    ("vpcCidr", "10.0.0.0/33", r"a private IPv4 network from /16 to /24"),
    ("vpcCidr", "10.0.0.1/16", r"a private IPv4 network"),
    ("vpcCidr", "8.8.0.0/16", r"a private IPv4 network"),
    ("vpcCidr", "10.0.0.0/8", r"a private IPv4 network from /16 to /24"),
    ("azCount", "1", r"2 to 6 \(1 only with environment: development\)"),
    ("azCount", "two", r"2 to 6"),
    ("taskCpu", "300", r"256 \| 512 \| 1024 \| 2048 \| 4096 \| 8192 \| 16384$"),
    ("taskMemory", "512", r"with taskCpu 512: 1024, 2048, 3072, 4096$"),
    ("cpuArchitecture", "arm", r"X86_64 \| ARM64$"),
    ("logRetentionDays", "10", r"1, 3, 5, 7, 14, 30, 60"),
    ("domain", "tw.example.org", r"example.com or a name under it"),
    ("domain", "badexample.com", r"example.com or a name under it"),
    ("mailFrom", "noreply@example.org", r"an address at example.com"),
    ("environment", "staging", r"production \| development$"),
    ("aws:region", "tokyo", r"an AWS region name such as ap-northeast-1"),
    ("endpointAzCount", "3", r"0 \(every AZ\) or 1 to azCount \(2\)"),
    ("databaseUser", "Robert'); DROP", r"lower-case letters, digits, _"),
    ("databaseUser", "postgres", r"a role other than postgres \(the superuser\)"),
    ("backupRetentionDays", "0", r"1 to 3650 \(days\)$"),
    ("backupRetentionDays", "3651", r"1 to 3650 \(days\)$"),
    ("backupRetentionDays", "two weeks", r"1 to 3650 \(days\)$"),
    ("baseBackupTime", "24:00", r"HH:MM, 24-hour clock, UTC"),
    ("baseBackupTime", "5:00", r"HH:MM, 24-hour clock, UTC"),
    ("baseBackupTime", "17:60", r"HH:MM, 24-hour clock, UTC"),
    ("archiveTimeoutSeconds", "9", r"10 to 3600 \(seconds\)$"),
    ("archiveTimeoutSeconds", "3601", r"10 to 3600 \(seconds\)$"),
    ("archiveTimeoutSeconds", "1m", r"10 to 3600 \(seconds\)$"),
    ("efsThroughputMode", "provisioned", r"elastic \| bursting$"),
    ("hstsIncludeSubdomains", "yes please", r"true \| false$"),
    ("hstsPreload", "true", r"false unless hstsIncludeSubdomains is true"),
    ("waf", "maybe", r"off \| on$"),
    ("smtpKeyGeneration", "0", r"1 to 9999$"),
]


@pytest.mark.parametrize(("setting", "value", "allowed"), BAD_VALUES)
def test_bad_value_names_setting_value_and_allowed_values(prod_config, setting, value, allowed):
    with pytest.raises(SettingsError) as raised:
        load_settings({**prod_config, setting: value})
    message = str(raised.value)
    key = setting if ":" in setting else f"django-tw:{setting}"
    shown_value = repr(int(value)) if value.isdigit() else repr(value)
    assert message.startswith(f"setting `{key}` has the invalid value {shown_value}; allowed: ")
    assert re.search(allowed, message.partition("; allowed: ")[2]), message
    assert "\n" not in message


def test_prod_backs_up_to_s3_with_the_documented_defaults(prod_config):
    settings = load_settings(prod_config)
    assert prod_config["baseBackupTime"] == "17:00"  # quoted in YAML, not read as 1020
    assert (
        settings.backup_retention_days,
        settings.base_backup_time,
        settings.archive_timeout_seconds,
        settings.efs_throughput_mode,
    ) == (14, "17:00", 60, "elastic")


def test_an_unquoted_time_reaches_the_program_as_the_pulumi_cli_reads_it(tmp_path: Path):
    """go-yaml v3, which the CLI reads stack files with, has no base-60 numbers: an unquoted
    17:00 is the text 17:00 (YAML 1.1 readers such as PyYAML would make it 1020)."""
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  django-tw:baseBackupTime: 17:00\n")
    assert read_stack_file("dev", root=tmp_path) == {"baseBackupTime": "17:00"}


def test_a_time_the_program_reads_as_a_number_is_refused_with_a_hint_to_quote_it(prod_config):
    with pytest.raises(SettingsError, match=r"invalid value '1020'.*quote it"):
        load_settings({**prod_config, "baseBackupTime": "1020"})


@pytest.mark.parametrize(
    ("setting", "value", "field", "expected"),
    [
        ("backupRetentionDays", "1", "backup_retention_days", 1),
        ("backupRetentionDays", "3650", "backup_retention_days", 3650),
        ("baseBackupTime", "00:00", "base_backup_time", "00:00"),
        ("baseBackupTime", "23:59", "base_backup_time", "23:59"),
        ("archiveTimeoutSeconds", "10", "archive_timeout_seconds", 10),
        ("archiveTimeoutSeconds", "3600", "archive_timeout_seconds", 3600),
        ("efsThroughputMode", "bursting", "efs_throughput_mode", "bursting"),
    ],
)
def test_backup_and_efs_settings_accept_their_bounds(prod_config, setting, value, field, expected):
    settings = load_settings({**prod_config, setting: value})
    assert getattr(settings, field) == expected


def test_domain_without_hosted_zone_names_the_hosted_zone(prod_config):
    with pytest.raises(
        SettingsError, match=r"`django-tw:hostedZone`.*contains domain 'tw.example.com'"
    ):
        load_settings({**prod_config, "hostedZone": "", "mailFrom": ""})


def test_missing_region_is_required():
    with pytest.raises(
        SettingsError,
        match=r"`aws:region` has the invalid value None; allowed: a value is required",
    ):
        load_settings({})


def test_development_stack_may_use_one_az(prod_config):
    settings = load_settings({**prod_config, "environment": "development", "azCount": "1"})
    assert settings.az_count == 1
    assert not settings.is_production


# The app slot's own default is the app in service/ (tests/stack/test_app.py): these stacks
# leave every other setting out.
LEAVES_OUT = with_stand_in_app({"aws:region": "us-east-1"})


def test_defaults_fill_what_a_stack_leaves_out():
    settings = load_settings(LEAVES_OUT)
    assert settings.egress == "endpoints"
    assert settings.az_count == 2
    assert settings.is_production
    assert not settings.uses_tls
    assert not settings.sends_mail


def test_every_fargate_cpu_memory_pair_from_the_table_is_accepted(prod_config):
    from stack.settings import FARGATE_CPU_MEMORY

    for cpu, memories in FARGATE_CPU_MEMORY.items():
        for memory in (memories[0], memories[-1]):
            settings = load_settings(
                {**prod_config, "taskCpu": str(cpu), "taskMemory": str(memory)}
            )
            assert (settings.task_cpu, settings.task_memory) == (cpu, memory)


def test_project_file_runs_python_from_the_repository_virtualenv():
    import yaml

    project = yaml.safe_load(Path("Pulumi.yaml").read_text())
    assert project["name"] == "django-tw"
    assert project["runtime"]["name"] == "python"
    assert project["runtime"]["options"]["virtualenv"] == ".venv"


# Names that only look secret: a counter of which SMTP key is current, not the key.
NOT_SECRET = {"smtpKeyGeneration"}


def test_prod_stack_file_holds_no_secret():
    assert "secure:" not in Path("Pulumi.prod.yaml").read_text()
    for key in set(read_stack_file("prod")) - NOT_SECRET:
        assert not any(word in key.lower() for word in ("password", "secret", "key", "token"))
    assert read_stack_file("prod")["smtpKeyGeneration"].isdigit()


# --- the example names a real stack replaces --------------------------------------------------


def test_the_example_stack_names_every_example_setting_it_would_use(prod_config):
    assert stack_settings.example_settings(load_settings(prod_config)) == [
        ("domain", "tw.example.com"),
        ("hostedZone", "example.com"),
        ("mailFrom", "noreply@example.com"),
    ]


def test_a_stack_without_domain_or_mail_never_uses_its_hosted_zone(prod_config):
    settings = load_settings({**prod_config, "domain": "", "mailFrom": ""})
    assert stack_settings.example_settings(settings) == []


def test_the_example_message_is_one_line_naming_each_setting():
    message = stack_settings.example_settings_message([("domain", "tw.example.com")])
    assert message.startswith("`django-tw:domain` ('tw.example.com') still name")
    assert "\n" not in message


# --- each setting declared once, on its field ------------------------------------------------


def test_every_field_of_stack_settings_declares_the_setting_it_holds():
    fields = dataclasses.fields(StackSettings)
    undeclared = [f.name for f in fields if not isinstance(f.metadata.get("setting"), Setting)]
    assert undeclared == []
    declared = [(f.name, f.metadata["setting"].name) for f in fields]
    assert [(s.field, s.name) for s in SETTINGS] == declared


def test_a_field_that_declares_no_setting_is_refused():
    @dataclasses.dataclass(frozen=True)
    class Undeclared:
        vpc_cidr: str
        domain: str = stack_settings.setting("domain", "", site.domain, "host name")

    with pytest.raises(SettingDeclarationError, match=r"^Undeclared.vpc_cidr declares no setting"):
        declared_settings(Undeclared)


def test_a_setting_declared_on_two_fields_is_refused():
    @dataclasses.dataclass(frozen=True)
    class Twice:
        domain: str = stack_settings.setting("domain", "", site.domain, "host name")
        host: str = stack_settings.setting("domain", "", site.domain, "host name again")

    with pytest.raises(
        SettingDeclarationError, match=r"^setting `domain` is declared twice, on Twice.domain and "
    ):
        declared_settings(Twice)


def test_the_declared_settings_are_each_setting_once_in_field_order():
    @dataclasses.dataclass(frozen=True)
    class Two:
        zone: str = stack_settings.setting("hostedZone", "", site.hosted_zone, "zone")
        domain: str = stack_settings.setting("domain", "", site.domain, "host name")

    assert [(s.field, s.name) for s in declared_settings(Two)] == [
        ("zone", "hostedZone"),
        ("domain", "domain"),
    ]


def test_every_parsed_value_has_the_type_its_field_declares(prod_config):
    settings = load_settings(prod_config)
    types = typing.get_type_hints(StackSettings)
    for setting in SETTINGS:
        value = getattr(settings, setting.field)
        declared = typing.get_origin(types[setting.field]) or types[setting.field]
        assert type(value) is declared, (setting.name, value)


def test_setting_names_are_unique_and_only_the_region_is_required():
    names = [setting.name for setting in SETTINGS]
    assert len(set(names)) == len(names)
    assert [name for name, default in DEFAULTS.items() if default is None] == ["aws:region"]


def test_every_setting_is_documented_on_one_table_line():
    for setting in SETTINGS:
        assert setting.doc, setting.name
        assert not {"|", "\n"} & set(setting.doc), setting.name


def test_a_stack_file_that_leaves_settings_out_gets_the_table_s_defaults():
    written_out = {name: default for name, default in DEFAULTS.items() if default is not None}
    left_out = load_settings(LEAVES_OUT)
    assert left_out == load_settings({**written_out, **LEAVES_OUT})
    assert (left_out.task_cpu, left_out.base_backup_time, left_out.domain) == (512, "17:00", "")


def test_config_from_pulumi_reads_every_setting_through_pulumi_config():
    import contextvars

    import pulumi.runtime

    stack = {"aws:region": "eu-west-1", "django-tw:azCount": "3", "django-tw:egress": "nat"}

    def read_in_a_pulumi_run() -> dict[str, str]:
        pulumi.runtime.set_all_config({**stack, "other:azCount": "9"}, [])
        return config_from_pulumi()

    read = contextvars.copy_context().run(read_in_a_pulumi_run)  # leaves the config as it was
    assert read == {"aws:region": "eu-west-1", "azCount": "3", "egress": "nat"}


@pytest.mark.parametrize(
    ("egress", "nat_gateways", "nat"),
    [("endpoints", "per-az", "none"), ("nat", "single", "single"), ("nat", "per-az", "per-az")],
)
def test_the_network_gets_nat_only_when_egress_goes_through_nat(
    prod_config, egress, nat_gateways, nat
):
    settings = load_settings({**prod_config, "egress": egress, "natGateways": nat_gateways})
    assert settings.nat == nat


def test_hsts_stays_on_the_site_s_own_name_unless_the_stack_opts_in(prod_config):
    settings = load_settings(prod_config)
    assert (settings.hsts_include_subdomains, settings.hsts_preload) == (False, False)
    assert (DEFAULTS["hstsIncludeSubdomains"], DEFAULTS["hstsPreload"]) == ("false", "false")
    opted_in = {**prod_config, "hstsIncludeSubdomains": "true", "hstsPreload": "true"}
    settings = load_settings(opted_in)
    assert (settings.hsts_include_subdomains, settings.hsts_preload) == (True, True)


def test_hsts_for_subdomains_needs_https(prod_config):
    with pytest.raises(SettingsError, match="hstsIncludeSubdomains` has the invalid value 'true'"):
        load_settings({**prod_config, "domain": "", "hstsIncludeSubdomains": "true"})


@pytest.mark.parametrize(("text", "expected"), [("on", True), ("true", True), ("false", False)])
def test_waf_is_off_unless_turned_on_even_where_yaml_reads_on_as_a_boolean(
    prod_config, text, expected
):
    assert load_settings(prod_config).uses_waf is False
    assert load_settings({**prod_config, "waf": text}).uses_waf is expected


def test_the_smtp_key_starts_at_generation_one(prod_config):
    assert load_settings(prod_config).smtp_key_generation == 1
    assert load_settings({**prod_config, "smtpKeyGeneration": "2"}).smtp_key_generation == 2


def test_the_scale_stack_is_rds_and_scales_with_multi_az_by_default():
    settings = load_settings(stack_config("scale"))
    assert settings.database == "rds"
    assert settings.managed_database
    assert (settings.min_tasks, settings.max_tasks) == (2, 6)
    assert settings.autoscales
    assert settings.db_multi_az is True  # production's default
    assert settings.db_backup_retention_days == 7
    assert settings.db_apply_immediately is False  # production waits for the window


def test_prod_keeps_postgres_on_efs_in_one_task(prod_config):
    settings = load_settings(prod_config)
    assert settings.database == "efs"
    assert (settings.min_tasks, settings.max_tasks) == (1, 1)
    assert not settings.autoscales


def test_efs_with_several_tasks_is_refused_naming_the_setting(prod_config):
    with pytest.raises(SettingsError, match=r"`django-tw:maxTasks`.*one writer"):
        load_settings({**prod_config, "maxTasks": "3"})
