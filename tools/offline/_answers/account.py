"""The account, region and partition the program runs in (``aws:index`` data sources)."""

from tools.offline._answers._common import Account, DataSourceAnswer


def _caller_identity(account: Account, args: dict) -> dict:
    return {
        "accountId": account.account_id,
        "arn": f"arn:aws:iam::{account.account_id}:user/deployer",
        "userId": "AIDAEXAMPLEUSERID",
        "id": account.account_id,
    }


def _region(account: Account, args: dict) -> dict:
    region = account.region
    return {
        "name": region,
        "region": region,
        "id": region,
        "endpoint": f"ec2.{region}.amazonaws.com",
        "description": region,
    }


def _partition(account: Account, args: dict) -> dict:
    return {
        "partition": "aws",
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
        "id": "aws",
    }


DATA_SOURCES: dict[str, DataSourceAnswer] = {
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getPartition:getPartition": _partition,
}
