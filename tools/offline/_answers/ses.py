"""SES v2: domain identities (with their Easy DKIM tokens) and their MAIL FROM domains."""

from tools.offline._answers._common import Account, ResourceAnswer, short_hash


def _email_identity(account: Account, name: str, inputs: dict, short: str) -> dict:
    domain = inputs.get("emailIdentity", "example.com")
    return {
        "id": domain,
        "arn": f"arn:aws:ses:{account.region}:{account.account_id}:identity/{domain}",
        "identityType": "DOMAIN",
        "dkimSigningAttributes": {
            "tokens": [short_hash(short, n, length=32) for n in range(3)],
            "signingAttributesOrigin": "AWS_SES",
            "nextSigningKeyLength": "RSA_2048_BIT",
            "status": "PENDING",
        },
    }


def _mail_from_attributes(account: Account, name: str, inputs: dict, short: str) -> dict:
    return {"id": inputs.get("emailIdentity", "example.com")}


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:sesv2/emailIdentity:EmailIdentity": _email_identity,
    "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes": (
        _mail_from_attributes
    ),
}
