"""EC2 and VPC: availability zones, the VPC and its parts, security groups, endpoints."""

from offline._answers._common import (
    Account,
    DataSourceAnswer,
    ResourceAnswer,
    ids,
    physical_name,
)


def _availability_zones(account: Account, args: dict) -> dict:
    region = account.region
    suffixes = ("a", "c", "d") if region == "ap-northeast-1" else ("a", "b", "c")
    names = [f"{region}{suffix}" for suffix in suffixes]
    return {
        "names": names,
        "zoneIds": [f"apne1-az{n}" for n in (4, 1, 2)][: len(names)],
        "groupNames": [region] * len(names),
        "id": region,
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
