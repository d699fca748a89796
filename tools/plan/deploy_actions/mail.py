"""SES: the sending identity, its DKIM and MAIL FROM (v1 and v2 APIs).

Every actions tuple is written out (no ``Describe*``): the policy grants exactly these.
"""

from __future__ import annotations

from tools.plan.deploy_actions.needs import Needs, _crud, _tagged

NEEDS: dict[str, Needs] = {
    "aws:ses/domainIdentity:DomainIdentity": Needs(
        _tagged("ses", "VerifyDomainIdentity", "GetIdentityVerificationAttributes",
                "DeleteIdentity"),
        source=_crud("ses/domain_identity.go", "DomainIdentity"),
    ),
    "aws:ses/domainIdentityVerification:DomainIdentityVerification": Needs(
        ("ses:GetIdentityVerificationAttributes",),
        source=_crud("ses/domain_identity_verification.go", "DomainIdentityVerification"),
    ),
    "aws:ses/domainDkim:DomainDkim": Needs(
        _tagged("ses", "VerifyDomainDkim", "GetIdentityDkimAttributes"),
        source=_crud("ses/domain_dkim.go", "DomainDKIM"),
    ),
    "aws:ses/mailFrom:MailFrom": Needs(
        _tagged("ses", "SetIdentityMailFromDomain", "GetIdentityMailFromDomainAttributes"),
        source=_crud("ses/domain_mail_from.go", "DomainMailFrom"),
    ),
    # --- SES v2 -----------------------------------------------------------------------------
    "aws:sesv2/emailIdentity:EmailIdentity": Needs(
        _tagged("ses", "CreateEmailIdentity", "GetEmailIdentity", "DeleteEmailIdentity",
                "PutEmailIdentityConfigurationSetAttributes",
                "PutEmailIdentityDkimSigningAttributes", "TagResource", "UntagResource",
                "ListTagsForResource"),
        source=_crud("sesv2/email_identity.go", "EmailIdentity", "findEmailIdentity",
                     commit="0214c421e369ae7c10520b63eab82e4a8dc9585d"),
    ),
    "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes": Needs(
        # Delete puts empty attributes back.
        _tagged("ses", "PutEmailIdentityMailFromAttributes", "GetEmailIdentity"),
        source=_crud("sesv2/email_identity_mail_from_attributes.go",
                     "EmailIdentityMailFromAttributes", "findEmailIdentityByID",
                     commit="01606926a0c0ab9174aec440f976a48b0baee722"),
    ),
}  # fmt: skip
