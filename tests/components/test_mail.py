"""SesMail on its own."""

from __future__ import annotations

import json

import pulumi
import pytest

from components.mail import (
    SesMail,
    SesMailArgs,
    dkim_record_name,
    dkim_record_target,
    mail_from_records,
    send_only_statement,
)
from policy.aws_types import ROUTE53_RECORD
from tests.stack_runs import run_component

RECORD = ROUTE53_RECORD


def build(**kwargs):
    def program() -> None:
        mail = SesMail(
            "mail",
            SesMailArgs(
                from_address="noreply@example.com",
                hosted_zone="example.com",
                region="ap-northeast-1",
                **kwargs,
            ),
        )
        pulumi.export("smtp_host", mail.smtp_host)
        pulumi.export("smtp_port", mail.smtp_port)
        pulumi.export("required_endpoints", sorted(mail.required_endpoints))

    return run_component(program)


IDENTITY = "aws:sesv2/emailIdentity:EmailIdentity"
MAIL_FROM = "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes"


def test_the_v2_identity_is_verified_by_its_dkim_cnames_alone():
    recording = build()
    identity = recording.one(IDENTITY)
    assert identity.inputs["emailIdentity"] == "example.com"
    tokens = identity.outputs["dkimSigningAttributes"]["tokens"]
    assert len(tokens) == 3
    records = recording.of_type(RECORD)
    cnames = sorted(
        (r.inputs["name"], r.inputs["records"][0]) for r in records if r.inputs["type"] == "CNAME"
    )
    assert cnames == sorted(
        (f"{t}._domainkey.example.com", f"{t}.dkim.amazonses.com") for t in tokens
    )
    assert [r.inputs["type"] for r in records] == ["CNAME"] * 3


def test_by_default_no_record_a_real_zone_may_already_hold_is_created():
    recording = build()
    names = {r.inputs["name"] for r in recording.of_type(RECORD)}
    assert not names & {"_amazonses.example.com", "_dmarc.example.com", "mail.example.com"}
    assert not recording.of_type(MAIL_FROM)
    assert not [r for r in recording.resources if r.type.startswith("aws:ses/")]


def test_smtp_user_may_only_send_as_the_sender_from_the_identity():
    recording = build()
    identity = recording.one(IDENTITY)
    (statement,) = json.loads(recording.one("aws:iam/userPolicy:UserPolicy").inputs["policy"])[
        "Statement"
    ]
    assert statement["Action"] == ["ses:SendRawEmail"]
    assert statement["Resource"] == identity.outputs["arn"]
    assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": "noreply@example.com"}}


def test_smtp_password_comes_from_the_access_key_and_lives_in_secrets_manager():
    recording = build()
    key = recording.one("aws:iam/accessKey:AccessKey")
    stored = {
        v.inputs["secretString"]
        for v in recording.of_type("aws:secretsmanager/secretVersion:SecretVersion")
    }
    assert stored == {key.outputs["sesSmtpPasswordV4"], key.id}


def test_smtp_endpoint_port_and_endpoint_need():
    recording = build()
    assert recording.outputs["smtp_host"] == "email-smtp.ap-northeast-1.amazonaws.com"
    assert recording.outputs["smtp_port"] == 587
    assert recording.outputs["required_endpoints"] == ["email-smtp"]


@pytest.mark.parametrize(
    ("address", "message"),
    [("noreply", r"is not an e-mail address"), ("a@example.org", r"is not in hosted_zone")],
)
def test_bad_sender_says_what_to_change(address, message):
    with pytest.raises(ValueError, match=message):
        SesMailArgs(from_address=address, hosted_zone="example.com", region="ap-northeast-1")


def test_a_custom_mail_from_domain_with_its_mx_and_spf_when_a_label_is_given():
    recording = build(mail_from_subdomain="bounce")
    identity, mail_from = recording.one(IDENTITY), recording.one(MAIL_FROM).inputs
    assert mail_from["emailIdentity"] == identity.outputs["emailIdentity"]
    assert mail_from["mailFromDomain"] == "bounce.example.com"
    assert mail_from["behaviorOnMxFailure"] == "USE_DEFAULT_VALUE"
    records = {(r.inputs["name"], r.inputs["type"]): r.inputs for r in recording.of_type(RECORD)}
    assert records["bounce.example.com", "MX"]["records"] == [
        "10 feedback-smtp.ap-northeast-1.amazonses.com"
    ]
    assert records["bounce.example.com", "TXT"]["records"] == ["v=spf1 include:amazonses.com ~all"]
    assert "_dmarc.example.com" not in {name for name, _ in records}


@pytest.mark.parametrize("policy", ["none", "quarantine", "reject"])
def test_a_dmarc_record_only_with_the_policy_asked_for(policy):
    records = {r.inputs["name"]: r.inputs for r in build(dmarc_policy=policy).of_type(RECORD)}
    assert records["_dmarc.example.com"]["records"] == [f"v=DMARC1; p={policy}"]
    assert "mail.example.com" not in records


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dmarc_policy": "strict"}, "dmarc_policy 'strict' is not one of"),
        ({"mail_from_subdomain": "mail.out"}, "must be one lower-case DNS label"),
        ({"mail_from_subdomain": "Mail"}, "must be one lower-case DNS label"),
    ],
)
def test_bad_mail_settings_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SesMailArgs("noreply@example.com", "example.com", "ap-northeast-1", **kwargs)


def test_generation_2_s_key_has_a_new_name_and_the_web_secrets_hold_it():
    """Rotation: raising the generation declares a key under a new name (created before the
    old one is deleted) and new secrets holding it, which the web container reads."""
    recording = build(smtp_key_generation=2)
    (key,) = recording.of_type("aws:iam/accessKey:AccessKey")
    assert key.name == "mail-smtp-key-2"
    secrets = {
        s.name: s.inputs["secretString"]
        for s in recording.of_type("aws:secretsmanager/secretVersion:SecretVersion")
    }
    assert secrets["mail-smtp-username-2-version"] == key.id
    assert secrets["mail-smtp-password-2-version"] == key.outputs["sesSmtpPasswordV4"]
    assert "mail-smtp-username-version" not in secrets


def test_the_first_generation_keeps_the_names_a_stack_already_holds():
    (key,) = build().of_type("aws:iam/accessKey:AccessKey")
    assert key.name == "mail-smtp-key"
    with pytest.raises(ValueError, match="smtp_key_generation is 0; start at 1"):
        SesMailArgs("noreply@example.com", "example.com", "ap-northeast-1", smtp_key_generation=0)


# --- the pure values the records and the SMTP user are declared from ---------------------------


def test_a_dkim_token_s_cname_goes_under_domainkey_and_points_at_ses():
    assert dkim_record_name("abc123", "example.com") == "abc123._domainkey.example.com"
    assert dkim_record_target("abc123") == "abc123.dkim.amazonses.com"


def test_the_mail_from_domain_gets_the_feedback_mx_of_its_region_and_an_spf_allowing_ses():
    assert mail_from_records("eu-west-1") == (
        ("mail-from-mx", "MX", "10 feedback-smtp.eu-west-1.amazonses.com"),
        ("mail-from-spf", "TXT", "v=spf1 include:amazonses.com ~all"),
    )


def test_the_smtp_user_may_only_send_raw_mail_from_its_one_address():
    assert send_only_statement("arn:identity", "noreply@example.com") == {
        "Effect": "Allow",
        "Action": ["ses:SendRawEmail"],
        "Resource": "arn:identity",
        "Condition": {"StringEquals": {"ses:FromAddress": "noreply@example.com"}},
    }
