"""Route 53 and ACM: hosted zones, records, DNS-validated certificates."""

from tools.offline._answers._common import Account, DataSourceAnswer, ResourceAnswer, short_hash


def _zone(account: Account, args: dict) -> dict:
    zone_name = str(args.get("name") or "example.com").rstrip(".")
    zone_id = "Z" + short_hash(zone_name, length=12).upper()
    return {
        "id": zone_id,
        "zoneId": zone_id,
        "name": zone_name,
        "arn": f"arn:aws:route53:::hostedzone/{zone_id}",
        "privateZone": False,
        "nameServers": [f"ns-1.awsdns-01.{tld}" for tld in ("org", "net")],
    }


def _record(account: Account, name: str, inputs: dict, short: str) -> dict:
    return {"fqdn": str(inputs.get("name", name)).rstrip(".")}


def _validation_option(domain_name: str) -> dict:
    # ACM validates a wildcard with the record of the name it stands on: *.example.com and
    # example.com share one record.
    base = domain_name.removeprefix("*.")
    return {
        "domainName": domain_name,
        "resourceRecordName": f"_{short_hash(base, length=12)}.{base}.",
        "resourceRecordType": "CNAME",
        "resourceRecordValue": f"_{short_hash(base, 'v', length=12)}.acm-validations.aws.",
    }


def _certificate(account: Account, name: str, inputs: dict, short: str) -> dict:
    domain = inputs.get("domainName", "example.com")
    names = [domain, *(inputs.get("subjectAlternativeNames") or [])]
    return {
        "id": f"arn:aws:acm:{account.region}:{account.account_id}:certificate/{short}",
        "arn": f"arn:aws:acm:{account.region}:{account.account_id}:certificate/{short}",
        "domainValidationOptions": [_validation_option(item) for item in names],
        "status": "ISSUED",
    }


DATA_SOURCES: dict[str, DataSourceAnswer] = {
    "aws:route53/getZone:getZone": _zone,
}

RESOURCES: dict[str, ResourceAnswer] = {
    "aws:route53/record:Record": _record,
    "aws:acm/certificate:Certificate": _certificate,
}
