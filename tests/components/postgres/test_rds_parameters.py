"""The pure parts of RdsPostgres: sizes it accepts, the URL the application reads, names."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from components.postgres.rds_parameters import (
    FREE_PERFORMANCE_INSIGHTS_DAYS,
    INSTANCE_CLASSES,
    RDS_CA_BUNDLE_PATH,
    check_backup_retention,
    check_instance_class,
    check_storage,
    default_max_connections,
    final_snapshot_identifier,
    instance_identifier,
    performance_insights_retention,
    verified_url,
)


def test_the_url_verifies_the_server_against_the_rds_bundle_and_encodes_the_password():
    url = verified_url(
        user="tw", password="p@ss/word:1", host="db.example", port=5432, database="tw_db"
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.hostname, parts.port, parts.path) == (
        "postgres",
        "db.example",
        5432,
        "/tw_db",
    )
    assert unquote(parts.password) == "p@ss/word:1"
    assert parse_qs(parts.query) == {
        "sslmode": ["verify-full"],
        "sslrootcert": [RDS_CA_BUNDLE_PATH],
    }


def test_django_environ_hands_the_tls_options_to_psycopg():
    import environ

    url = verified_url(user="tw", password="pw", host="db.example", port=5432, database="tw")
    config = environ.Env.db_url_config(url)
    assert config["OPTIONS"] == {"sslmode": "verify-full", "sslrootcert": RDS_CA_BUNDLE_PATH}
    assert (config["HOST"], config["USER"], config["NAME"]) == ("db.example", "tw", "tw")


@pytest.mark.parametrize("instance_class", INSTANCE_CLASSES)
def test_every_offered_class_is_accepted_and_keeps_free_performance_insights(instance_class):
    check_instance_class(instance_class)
    assert performance_insights_retention(instance_class) == FREE_PERFORMANCE_INSIGHTS_DAYS == 7


@pytest.mark.parametrize("instance_class", ["db.t3.micro", "db.r7g.16xlarge", "t4g.micro", ""])
def test_a_class_not_offered_is_refused_with_the_list(instance_class):
    with pytest.raises(ValueError, match=r"db\.t4g\.micro, db\.t4g\.small"):
        check_instance_class(instance_class)


def test_max_connections_follows_the_classs_memory_as_the_default_parameter_group_says():
    # LEAST({DBInstanceClassMemory/9531392}, 5000) with each class's nominal memory.
    assert [default_max_connections(c) for c in INSTANCE_CLASSES] == [112, 225, 450, 901]
    with pytest.raises(ValueError, match="is not offered here"):
        default_max_connections("db.r7g.16xlarge")


def test_storage_is_gp3_sized_and_autoscaling_grows_above_it():
    check_storage(20, 100)
    check_storage(20, 0)
    for allocated, ceiling in [(19, 100), (20, 20), (100, 50), (20, 70000)]:
        with pytest.raises(ValueError, match="GiB"):
            check_storage(allocated, ceiling)


def test_automated_backups_stay_on():
    check_backup_retention(1)
    check_backup_retention(35)
    for days in (0, 36):
        with pytest.raises(ValueError, match=r"1\.\.35"):
            check_backup_retention(days)


def test_the_final_snapshot_name_uses_only_what_rds_accepts():
    assert final_snapshot_identifier("tw-scale_db") == "tw-scale-db-final"


def test_each_suffix_names_another_instance_and_so_another_final_snapshot():
    first, second = (
        instance_identifier("tw-scale-rds", "0a1b"),
        instance_identifier("tw-scale-rds", "9f8e"),
    )
    assert first == "tw-scale-rds-0a1b"
    assert first != second
    assert final_snapshot_identifier(first) != final_snapshot_identifier(second)


def test_an_instance_identifier_is_lower_case_as_rds_stores_it():
    assert instance_identifier("tw-Scale-rds", "AB12") == "tw-scale-rds-ab12"


@pytest.mark.parametrize("name", ["1tw-rds", "tw--rds", "tw_rds", "t" * 60])
def test_an_identifier_rds_refuses_says_what_to_change(name):
    with pytest.raises(ValueError, match="letters, digits and single hyphens"):
        instance_identifier(name, "0a1b2c3d")
