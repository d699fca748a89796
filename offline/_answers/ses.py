"""SES: domain identities and their DKIM tokens."""

from offline._answers._common import Account, ResourceAnswer, short_hash


def _domain_identity(account: Account, name: str, inputs: dict, short: str) -> dict:
    domain = inputs.get("domain", "example.com")
    return {
        "id": domain,
        "arn": f"arn:aws:ses:{account.region}:{account.account_id}:identity/{domain}",
        "verificationToken": f"mock-verification-{short}",
    }


def _domain_dkim(account: Account, name: str, inputs: dict, short: str) -> dict:
    return {"dkimTokens": [short_hash(short, n, length=32) for n in range(3)]}


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:ses/domainIdentity:DomainIdentity": _domain_identity,
    "aws:ses/domainDkim:DomainDkim": _domain_dkim,
}
