"""SesMail on its own."""

from __future__ import annotations

import json

import pulumi
import pytest

from components.ses_mail import SesMail, SesMailArgs
from policy.aws_types import ROUTE53_RECORD
from tests.infra.conftest import run_component

RECORD = ROUTE53_RECORD


def build():
    def program() -> None:
        mail = SesMail(
            "mail",
            SesMailArgs(
                from_address="noreply@example.com",
                hosted_zone="example.com",
                region="ap-northeast-1",
            ),
        )
        pulumi.export("smtp_host", mail.smtp_host)
        pulumi.export("smtp_port", mail.smtp_port)
        pulumi.export("required_endpoints", sorted(mail.required_endpoints))

    return run_component(program)


def test_domain_identity_is_verified_and_dkim_signed_in_route53():
    recording = build()
    identity = recording.one("aws:ses/domainIdentity:DomainIdentity")
    assert identity.inputs["domain"] == "example.com"
    records = recording.of_type(RECORD)
    txt = next(r for r in records if r.inputs["type"] == "TXT")
    assert txt.inputs["name"] == "_amazonses.example.com"
    assert txt.inputs["records"] == [identity.outputs["verificationToken"]]
    tokens = recording.one("aws:ses/domainDkim:DomainDkim").outputs["dkimTokens"]
    cnames = sorted(
        (r.inputs["name"], r.inputs["records"][0]) for r in records if r.inputs["type"] == "CNAME"
    )
    assert cnames == sorted(
        (f"{t}._domainkey.example.com", f"{t}.dkim.amazonses.com") for t in tokens
    )


def test_smtp_user_may_only_send_as_the_sender_from_the_identity():
    recording = build()
    identity = recording.one("aws:ses/domainIdentity:DomainIdentity")
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
