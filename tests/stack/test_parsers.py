"""Setting parsers: text in, typed value out, or NotAllowed with the value and what is allowed."""

import pytest

from components.network import private_network
from stack.parsers import (
    NotAllowed,
    choices,
    iam,
    integer_between,
    network,
    one_of,
    postgres,
    site,
    tasks,
)
from stack.settings import SettingsError, load_settings
from tests.stack_runs import stack_config

NOTHING_EARLIER: dict[str, object] = {}
MINIMAL = stack_config("prod")


def refusal(parse, text: str, earlier=NOTHING_EARLIER) -> NotAllowed:
    with pytest.raises(NotAllowed) as raised:
        parse(text, earlier)
    return raised.value


def test_one_of_accepts_exactly_its_choices_and_lists_them():
    parse = one_of(choices.EGRESS_MODES)
    assert parse("nat-single", NOTHING_EARLIER) == "nat-single"
    refused = refusal(parse, "NAT")
    assert (refused.value, refused.allowed) == ("NAT", "endpoints | nat-single | nat-per-az")


@pytest.mark.parametrize(
    ("egress", "nat"),
    [("endpoints", "none"), ("nat-single", "single"), ("nat-per-az", "per-az")],
)
def test_each_egress_value_is_one_nat_choice_of_the_network(egress, nat):
    settings = load_settings({**MINIMAL, "egress": egress})
    assert (settings.egress, settings.nat) == (egress, nat)
    assert nat in private_network.NAT_MODES
    assert settings.uses_nat == (nat != "none")


@pytest.mark.parametrize(
    ("former", "now"),
    [
        ({"egress": "nat"}, "nat-single"),
        ({"egress": "nat", "natGateways": "single"}, "nat-single"),
        ({"egress": "nat", "natGateways": "per-az"}, "nat-per-az"),
        ({"egress": "endpoints", "natGateways": "single"}, "endpoints"),  # 0.1 ignored it too
    ],
)
def test_the_former_egress_pair_is_still_read_with_a_warning_naming_the_new_line(former, now):
    assert load_settings({**MINIMAL, **former}).egress == now
    warnings = network.egress_deprecations(former)
    assert warnings
    if former["egress"] == "nat":
        assert "write that instead" in warnings[0]
        assert f"`nat-{now[4:]}`" in warnings[0]
    if "natGateways" in former:
        assert "remove the line" in warnings[-1]


def test_the_new_egress_values_warn_of_nothing():
    assert network.egress_deprecations({"egress": "nat-per-az"}) == ()
    assert network.egress_deprecations({"egress": "endpoints"}) == ()


def test_a_nat_gateways_line_that_contradicts_egress_is_refused_naming_it():
    with pytest.raises(SettingsError, match=r"natGateways.*remove `natGateways`") as raised:
        load_settings({**MINIMAL, "egress": "nat-per-az", "natGateways": "single"})
    assert raised.value.setting == "django-tw:natGateways"


def test_integer_between_shows_a_number_as_a_number_and_other_text_as_text():
    parse = integer_between(1, 3650, "days")
    assert (parse("1", NOTHING_EARLIER), parse(" 3650 ", NOTHING_EARLIER)) == (1, 3650)
    assert (refusal(parse, "0").value, refusal(parse, "two weeks").value) == (0, "two weeks")
    assert refusal(parse, "3651").allowed == "1 to 3650 (days)"


def test_az_count_needs_two_azs_in_production_only():
    production = {"environment": "production", "vpcCidr": "10.0.0.0/16"}
    development = {"environment": "development", "vpcCidr": "10.0.0.0/16"}
    assert network.az_count("1", development) == 1
    refused = refusal(network.az_count, "1", production)
    assert refused.allowed == "2 to 6 (1 only with environment: development)"
    assert refusal(network.az_count, "7", development).value == 7


def test_az_count_is_refused_when_the_vpc_has_no_slot_for_that_many_zones():
    small = {"environment": "production", "vpcCidr": "10.0.0.0/24"}
    assert network.az_count("2", small) == 2
    refused = refusal(network.az_count, "3", small)
    assert (refused.value, refused.allowed) == (
        3,
        "at most 2 with vpcCidr 10.0.0.0/24 (subnets of /26 or more; a /23 or larger VPC holds 3)",
    )


def test_endpoint_az_count_names_the_az_count_even_for_a_value_that_is_no_number():
    assert network.endpoint_az_count("0", {"azCount": 3}) == 0
    assert network.endpoint_az_count("3", {"azCount": 3}) == 3
    for text in ("4", "-1", "all"):
        assert refusal(network.endpoint_az_count, text, {"azCount": 3}).allowed == (
            "0 (every AZ) or 1 to azCount (3)"
        )


def test_availability_zone_ids_take_a_list_or_text_one_per_public_subnet():
    parse, two = network.availability_zone_ids, {"azCount": 2}
    assert parse("[]", two) == () == parse("", two)
    assert parse('["apne1-az4", "apne1-az1"]', two) == ("apne1-az4", "apne1-az1")
    assert parse("apne1-az4, apne1-az1", two) == ("apne1-az4", "apne1-az1")
    # A development stack with one task AZ still has two public subnets.
    assert parse("apne1-az1,apne1-az2", {"azCount": 1}) == ("apne1-az1", "apne1-az2")


@pytest.mark.parametrize(
    "text",
    [
        '["apne1-az3", "apne1-az1"]',  # no Fargate in apne1-az3
        '["apne1-az1"]',  # one short
        '["apne1-az1", "apne1-az1"]',
        '["ap-northeast-1a", "ap-northeast-1c"]',  # names, not ids
        '{"a": 1}',
        "[apne1-az1",
    ],
)
def test_availability_zone_ids_refused_say_what_is_allowed(text):
    refused = refusal(network.availability_zone_ids, text, {"azCount": 2})
    assert refused.allowed.startswith("[] (automatic), or 2 distinct zone ids")
    assert "apne1-az3" in refused.allowed


@pytest.mark.parametrize(
    ("name", "example"),
    [
        ("example.com", True),
        ("tw.example.com", True),
        ("noreply@example.org", True),
        ("EXAMPLE.NET.", True),
        ("shop.example", True),
        ("", False),
        ("myexample.com", False),
        ("example.com.au", False),
        ("noreply@acme.test", False),
    ],
)
def test_documentation_example_names_are_recognised(name, example):
    assert site.is_example_name(name) is example


def test_task_memory_lists_the_sizes_fargate_offers_with_the_task_cpu():
    assert tasks.task_memory("2048", {"taskCpu": 256}) == 2048
    refused = refusal(tasks.task_memory, "4096", {"taskCpu": 256})
    assert (refused.value, refused.allowed) == (4096, "with taskCpu 256: 512, 1024, 2048")


def test_private_network_refuses_public_host_and_oversized_networks():
    assert network.private_network("192.168.0.0/24", NOTHING_EARLIER) == "192.168.0.0/24"
    for text in ("8.8.0.0/16", "10.0.0.1/16", "10.0.0.0/8", "10.0.0.0/25", "fd00::/64"):
        assert refusal(network.private_network, text).value == text


def test_dns_names_are_read_without_case_spaces_or_trailing_dot():
    assert site.hosted_zone(" Example.COM. ", NOTHING_EARLIER) == "example.com"
    assert site.domain("TW.example.com.", {"hostedZone": "example.com"}) == "tw.example.com"
    assert refusal(site.hosted_zone, "localhost").allowed.startswith("a DNS zone name")


def test_a_domain_without_a_hosted_zone_blames_the_hosted_zone():
    refused = refusal(site.domain, "tw.example.com", {"hostedZone": ""})
    assert (refused.setting, refused.value) == ("hostedZone", "")
    assert site.domain("", {"hostedZone": ""}) == ""


def test_mail_from_is_an_address_within_the_hosted_zone():
    zone = {"hostedZone": "example.com"}
    assert site.mail_from("noreply@mail.example.com", zone) == "noreply@mail.example.com"
    assert refusal(site.mail_from, "@example.com", zone).value == "@example.com"
    assert refusal(site.mail_from, "a@example.com", {"hostedZone": ""}).allowed.startswith(
        '"" (mail needs hostedZone'
    )


def test_the_application_role_is_a_postgres_name_other_than_the_superuser():
    assert postgres.application_role("django_tw", NOTHING_EARLIER) == "django_tw"
    assert "other than postgres" in refusal(postgres.application_role, "postgres").allowed
    assert "a Postgres name" in refusal(postgres.application_role, "Django").allowed


def test_time_of_day_is_hh_mm_on_a_24_hour_clock():
    assert postgres.time_of_day(" 00:00 ", NOTHING_EARLIER) == "00:00"
    for text in ("24:00", "5:00", "17:60", "1020"):
        assert refusal(postgres.time_of_day, text).value == text


def test_the_settings_offer_exactly_what_the_components_accept():
    from components.fargate import service
    from components.network import private_network
    from components.postgres import efs

    assert choices.CPU_ARCHITECTURES is service.CPU_ARCHITECTURES
    assert choices.EFS_THROUGHPUT_MODES is efs.EFS_THROUGHPUT_MODES
    assert set(choices.NAT_GATEWAY_MODES) == set(private_network.NAT_MODES) - {"none"}


def test_alarm_email_is_one_address_or_nothing():
    assert site.alarm_email(" ops@example.org ", {}) == "ops@example.org"
    assert site.alarm_email("", {}) == ""
    for bad in ("ops", "@example.org", "ops@", "o ps@example.org", "ops@exa mple.org"):
        assert refusal(site.alarm_email, bad, {}).value == bad


def test_permissions_boundary_is_a_policy_name_an_arn_or_nothing():
    arn = "arn:aws:iam::123456789012:policy/org/deploy-boundary"
    for good in ("", "tw-prod-permissions-boundary", arn):
        assert iam.permissions_boundary(good, {}) == good
    for bad in ("two words", "arn:aws:iam::123:policy/x", "x" * 129, "policy/x*"):
        assert refusal(iam.permissions_boundary, bad, {}).value == bad


def test_rds_needs_two_azs_and_blames_the_az_count():
    assert postgres.database("rds", {"azCount": 2}) == "rds"
    assert postgres.database("efs", {"azCount": 1}) == "efs"
    with pytest.raises(NotAllowed) as refused:
        postgres.database("rds", {"azCount": 1})
    assert refused.value.setting == "azCount"


def test_efs_keeps_exactly_one_task():
    efs = {"database": "efs"}
    assert tasks.min_tasks("1", efs) == 1
    assert tasks.max_tasks("1", {**efs, "minTasks": 1}) == 1
    for parse, earlier in [
        (tasks.min_tasks, efs),
        (tasks.max_tasks, {**efs, "minTasks": 1}),
    ]:
        with pytest.raises(NotAllowed, match="one writer"):
            parse("2", earlier)


def test_rds_scales_from_min_to_max_tasks():
    rds = {"database": "rds"}
    assert tasks.min_tasks("2", rds) == 2
    assert tasks.max_tasks("6", {**rds, "minTasks": 2}) == 6
    with pytest.raises(NotAllowed, match=r"minTasks \(3\) to 10"):
        tasks.max_tasks("2", {**rds, "minTasks": 3})
    with pytest.raises(NotAllowed):
        tasks.min_tasks("0", rds)
    with pytest.raises(NotAllowed):
        tasks.max_tasks("11", {**rds, "minTasks": 1})


def test_fargate_spot_is_off_or_mixed_and_mixed_only_without_a_database_in_the_task():
    rds, efs = {"database": "rds"}, {"database": "efs"}
    assert tasks.fargate_spot("mixed", rds) == "mixed"
    assert tasks.fargate_spot("off", efs) == "off"
    assert tasks.fargate_spot("false", efs) == "off"  # YAML 1.1 reads a bare off as false
    refused = refusal(tasks.fargate_spot, "mixed", efs)
    assert "off with database: efs" in refused.allowed
    assert "Spot may stop the one task that holds the database" in refused.allowed
    assert refusal(tasks.fargate_spot, "always", rds).allowed == "off | mixed"


def test_multi_az_follows_the_environment_unless_set():
    assert postgres.db_multi_az("", {"environment": "production"}) is True
    assert postgres.db_multi_az("", {"environment": "development"}) is False
    assert postgres.db_multi_az("false", {"environment": "production"}) is False
    with pytest.raises(NotAllowed, match=r"true \| false"):
        postgres.db_multi_az("yes", {"environment": "production"})


def test_rds_changes_wait_for_the_window_on_production_unless_set():
    assert postgres.db_apply_immediately("", {"environment": "production"}) is False
    assert postgres.db_apply_immediately("", {"environment": "development"}) is True
    assert postgres.db_apply_immediately("true", {"environment": "production"}) is True
    assert postgres.db_apply_immediately("False", {"environment": "development"}) is False
    with pytest.raises(NotAllowed, match=r"true \| false"):
        postgres.db_apply_immediately("now", {"environment": "production"})


def test_storage_autoscaling_grows_above_the_allocated_storage_or_is_off():
    earlier = {"dbAllocatedStorageGb": 50}
    assert postgres.db_max_allocated_storage("0", earlier) == 0
    assert postgres.db_max_allocated_storage("51", earlier) == 51
    with pytest.raises(NotAllowed, match=r"51 to 65536"):
        postgres.db_max_allocated_storage("50", earlier)


def test_the_instance_classes_offered_are_the_component_s():
    from components.postgres.rds_parameters import INSTANCE_CLASSES

    assert choices.DB_INSTANCE_CLASSES == INSTANCE_CLASSES
    with pytest.raises(NotAllowed):
        postgres.db_instance_class("db.r6g.large", {})


def test_rds_backups_keep_at_least_the_week_fsbp_asks_for():
    assert postgres.db_backup_retention_days("7", {}) == 7
    assert postgres.db_backup_retention_days("35", {}) == 35
    for text in ("6", "36"):
        with pytest.raises(NotAllowed, match=r"7 to 35"):
            postgres.db_backup_retention_days(text, {})


def test_mail_from_subdomain_is_one_label_and_only_with_a_sender():
    sender = {"mailFrom": "noreply@example.com"}
    assert site.mail_from_subdomain("", sender) == ""
    assert site.mail_from_subdomain("bounce", sender) == "bounce"
    for text in ("mail.out", "Mail", "-mail"):
        assert refusal(site.mail_from_subdomain, text, sender).allowed == (
            'one lower-case DNS label such as mail (mail.example.com), or ""'
        )
    no_mail = refusal(site.mail_from_subdomain, "mail", {"mailFrom": ""})
    assert no_mail.allowed == '"" (there is no mailFrom to send from)'


def test_dmarc_policy_is_empty_or_a_dmarc_p_value_and_only_with_a_sender():
    sender = {"mailFrom": "noreply@example.com"}
    assert site.dmarc_policy("", sender) == ""
    assert [site.dmarc_policy(p, sender) for p in ("none", "quarantine", "reject")] == [
        "none",
        "quarantine",
        "reject",
    ]
    assert refusal(site.dmarc_policy, "strict", sender).allowed == (
        'none | quarantine | reject, or "" (leave _dmarc alone)'
    )
    assert refusal(site.dmarc_policy, "none", {"mailFrom": ""}).allowed == (
        '"" (there is no mailFrom to send from)'
    )
