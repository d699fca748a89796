"""What a first `pulumi up` of the prod stack meets before any resource: the zones it picks in
the account it runs in, and the example names it must not send to AWS."""

from __future__ import annotations

import pulumi
import pytest

import stack.settings.this_run as this_run
from policy.aws_types import SUBNET
from tests.stack_runs import prod_config, run_main
from tools.offline import RecordingMocks, run_program

# An account old enough to list apne1-az3 (the Tokyo zone Fargate does not run in) second.
OLD_TOKYO_ACCOUNT = [
    ("ap-northeast-1a", "apne1-az4"),
    ("ap-northeast-1b", "apne1-az3"),
    ("ap-northeast-1c", "apne1-az1"),
    ("ap-northeast-1d", "apne1-az2"),
]
OWN_NAMES = {"domain": "tw.acme.test", "hostedZone": "acme.test", "mailFrom": "noreply@acme.test"}


def subnet_zones(recording) -> dict[str, set[str]]:
    zones: dict[str, set[str]] = {"public": set(), "private": set()}
    for subnet in recording.of_type(SUBNET):
        zones[subnet.inputs["tags"]["tier"]].add(subnet.inputs["availabilityZone"])
    return zones


def test_in_an_account_that_lists_apne1_az3_the_stack_skips_it():
    recording = run_main(prod_config(), RecordingMocks(availability_zones=OLD_TOKYO_ACCOUNT))
    assert subnet_zones(recording) == {
        "public": {"ap-northeast-1a", "ap-northeast-1c"},
        "private": {"ap-northeast-1a", "ap-northeast-1c"},
    }


def test_the_zones_can_be_named_by_id_in_the_stack_file():
    config = prod_config(availabilityZoneIds='["apne1-az2", "apne1-az1"]')
    recording = run_main(config, RecordingMocks(availability_zones=OLD_TOKYO_ACCOUNT))
    assert subnet_zones(recording)["private"] == {"ap-northeast-1d", "ap-northeast-1c"}


# --- example names: refused by a real run, kept by runs under mocks ---------------------------
@pytest.fixture
def real_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The program believes it runs under the real engine (the mocks still answer)."""
    monkeypatch.setattr(this_run, "running_under_mocks", lambda: False)


def test_a_real_run_of_the_example_stack_stops_before_any_resource(real_run):
    mocks = RecordingMocks()
    with pytest.raises(pulumi.RunError) as stopped:
        run_main(prod_config(), mocks)
    message = str(stopped.value)
    assert "\n" not in message
    for key in ("django-tw:domain", "django-tw:hostedZone", "django-tw:mailFrom"):
        assert f"`{key}`" in message
    assert mocks.resources == []
    assert mocks.calls == []  # not even the hosted zone was looked up


def test_a_real_run_names_only_the_settings_still_left_as_the_example(real_run):
    # No domain (plain HTTP), but mail still from the example zone.
    with pytest.raises(pulumi.RunError) as stopped:
        run_main(prod_config(domain="", hostedZone="example.org", mailFrom="noreply@example.org"))
    assert str(stopped.value).startswith(
        "`django-tw:hostedZone` ('example.org'), `django-tw:mailFrom` ('noreply@example.org') "
        "still name the documentation example"
    )


def test_a_real_run_with_the_site_s_own_names_goes_ahead(real_run):
    recording = run_main(prod_config(**OWN_NAMES))
    assert recording.outputs["url"] == "https://tw.acme.test/"


def test_a_real_run_without_domain_or_mail_goes_ahead(real_run):
    # The example hosted zone is never looked up without a domain or a sender.
    recording = run_main(prod_config(domain="", mailFrom=""))
    assert recording.outputs["url"].startswith("http://")


def test_runs_under_mocks_keep_the_example_names():
    def program() -> None:
        pulumi.export("under_mocks", this_run.running_under_mocks())

    assert run_program(program, config={}).outputs["under_mocks"] is True
    assert run_main(prod_config()).outputs["url"] == "https://tw.example.com/"
