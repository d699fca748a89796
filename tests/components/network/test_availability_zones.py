"""availability_zones.py: the zones a network spans, chosen by zone id."""

import pytest

from components.network.availability_zones import (
    FARGATE_UNSUPPORTED_ZONE_IDS,
    Zone,
    choose_zones,
    zones_of,
)

# An account old enough to see apne1-az3, the Tokyo zone Fargate does not run in, as "1b".
OLD_TOKYO_ACCOUNT = zones_of(
    ["ap-northeast-1a", "ap-northeast-1b", "ap-northeast-1c", "ap-northeast-1d"],
    ["apne1-az4", "apne1-az3", "apne1-az1", "apne1-az2"],
)


def test_fargate_runs_in_every_tokyo_zone_but_apne1_az3():
    assert "apne1-az3" in FARGATE_UNSUPPORTED_ZONE_IDS
    assert not {"apne1-az1", "apne1-az2", "apne1-az4"} & FARGATE_UNSUPPORTED_ZONE_IDS


def test_by_default_the_first_zones_that_run_fargate_in_the_listed_order():
    chosen = choose_zones(OLD_TOKYO_ACCOUNT, 2)
    assert chosen == [Zone("ap-northeast-1a", "apne1-az4"), Zone("ap-northeast-1c", "apne1-az1")]
    assert [z.name for z in choose_zones(OLD_TOKYO_ACCOUNT, 3)] == [
        "ap-northeast-1a",
        "ap-northeast-1c",
        "ap-northeast-1d",
    ]


def test_a_new_account_keeps_the_zones_it_would_have_had():
    # Every zone supported: the same as the first names, so no subnet moves.
    new_account = [z for z in OLD_TOKYO_ACCOUNT if z.zone_id != "apne1-az3"]
    assert choose_zones(new_account, 2) == new_account[:2]


def test_named_zone_ids_are_taken_exactly_in_their_order():
    chosen = choose_zones(OLD_TOKYO_ACCOUNT, 2, wanted_zone_ids=["apne1-az2", "apne1-az4"])
    assert [z.name for z in chosen] == ["ap-northeast-1d", "ap-northeast-1a"]


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        (["apne1-az3", "apne1-az1"], r"\['apne1-az3'\] cannot run the stack's tasks"),
        (["apne1-az9", "apne1-az1"], r"\['apne1-az9'\] are not available here"),
        (["apne1-az1", "apne1-az1"], r"repeat a zone"),
        (["apne1-az1"], r"1 availability zone ids given for 2 zones"),
    ],
)
def test_named_zone_ids_that_cannot_work_are_refused_by_name(wanted, message):
    with pytest.raises(ValueError, match=message):
        choose_zones(OLD_TOKYO_ACCOUNT, 2, wanted_zone_ids=wanted)


def test_too_few_usable_zones_names_the_ones_left_out():
    with pytest.raises(ValueError, match=r"only 3 can run .* left out: apne1-az3\); lower"):
        choose_zones(OLD_TOKYO_ACCOUNT, 4)


def test_names_and_ids_must_pair_up():
    with pytest.raises(ValueError, match="2 zone names but 1 zone ids"):
        zones_of(["a", "b"], ["x"])
