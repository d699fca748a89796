"""EC2 and VPC: availability zones, the VPC and its parts, security groups, endpoints."""

from tools.offline._answers._common import (
    Account,
    DataSourceAnswer,
    ResourceAnswer,
    ids,
    physical_name,
)

# (name, zone id) of each zone a new account sees, where the made-up answer needs to be exact.
# Names map to zone ids per account; ids are the physical zones (apne1-az3 is the one Fargate
# does not run in, which older accounts still see as a name).
# https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html
ZONES: dict[str, list[tuple[str, str]]] = {
    "ap-northeast-1": [
        ("ap-northeast-1a", "apne1-az4"),
        ("ap-northeast-1c", "apne1-az1"),
        ("ap-northeast-1d", "apne1-az2"),
    ],
}


def region_zones(region: str) -> list[tuple[str, str]]:
    """The (name, zone id) pairs a new account sees in ``region``: the table's, else three
    zones a to c with ids made from the region's initials (``eu-west-1`` -> ``euw1-az1``)."""
    if region in ZONES:
        return ZONES[region]
    area, direction, number = ([*region.split("-"), "", "", ""])[:3]
    prefix = f"{area}{direction[:1]}{number}"
    return [(f"{region}{suffix}", f"{prefix}-az{n}") for n, suffix in enumerate("abc", 1)]


def _availability_zones(account: Account, args: dict) -> dict:
    """The account's zones (``RecordingMocks.availability_zones`` when a test gives an older
    account's list), with ``excludeNames``/``excludeZoneIds`` applied as AWS applies them."""
    zones = getattr(account, "availability_zones", None) or region_zones(account.region)
    excluded_names = set(args.get("excludeNames") or ())
    excluded_ids = set(args.get("excludeZoneIds") or ())
    kept = [(n, i) for n, i in zones if n not in excluded_names and i not in excluded_ids]
    return {
        "names": [name for name, _ in kept],
        "zoneIds": [zone_id for _, zone_id in kept],
        "groupNames": [account.region] * len(kept),
        "id": account.region,
        "state": "available",
    }


def _vpc(account: Account, name: str, inputs: dict, short: str) -> dict:
    return {
        "id": f"vpc-{short}",
        "defaultSecurityGroupId": f"sg-default{short[:8]}",
        "mainRouteTableId": f"rtb-main{short[:8]}",
        "defaultRouteTableId": f"rtb-main{short[:8]}",
        "arn": f"arn:aws:ec2:{account.region}:{account.account_id}:vpc/vpc-{short}",
    }


def _security_group(account: Account, name: str, inputs: dict, short: str) -> dict:
    return {
        "id": f"sg-{short}",
        "name": physical_name(name, inputs, short),
        "arn": f"arn:aws:ec2:{account.region}:{account.account_id}:security-group/sg-{short}",
        "ownerId": account.account_id,
    }


def _vpc_endpoint(account: Account, name: str, inputs: dict, short: str) -> dict:
    return {
        "id": f"vpce-{short}",
        "arn": f"arn:aws:ec2:{account.region}:{account.account_id}:vpc-endpoint/vpce-{short}",
        "prefixListId": "pl-61a54008",
        "networkInterfaceIds": [
            f"eni-{short[:8]}{n}" for n in range(len(inputs.get("subnetIds") or []))
        ],
    }


DATA_SOURCES: dict[str, DataSourceAnswer] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
}

RESOURCES: dict[str, ResourceAnswer] = {
    "aws:ec2/vpc:Vpc": _vpc,
    "aws:ec2/subnet:Subnet": ids("subnet"),
    "aws:ec2/internetGateway:InternetGateway": ids("igw"),
    "aws:ec2/routeTable:RouteTable": ids("rtb"),
    "aws:ec2/natGateway:NatGateway": ids("nat"),
    "aws:ec2/eip:Eip": lambda a, n, i, s: {"id": f"eipalloc-{s}", "publicIp": "203.0.113.10"},
    "aws:ec2/securityGroup:SecurityGroup": _security_group,
    "aws:ec2/vpcEndpoint:VpcEndpoint": _vpc_endpoint,
}
