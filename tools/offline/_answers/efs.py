"""EFS: file systems, access points, mount targets."""

from tools.offline._answers._common import Account, ResourceAnswer, ids


def _file_system(account: Account, name: str, inputs: dict, short: str) -> dict:
    fs_id = f"fs-{short}"
    return {
        "id": fs_id,
        "arn": (
            f"arn:aws:elasticfilesystem:{account.region}:{account.account_id}:file-system/{fs_id}"
        ),
        "dnsName": f"{fs_id}.efs.{account.region}.amazonaws.com",
    }


def _access_point(account: Account, name: str, inputs: dict, short: str) -> dict:
    ap_id = f"fsap-{short}"
    return {
        "id": ap_id,
        "arn": (
            f"arn:aws:elasticfilesystem:{account.region}:{account.account_id}:access-point/{ap_id}"
        ),
    }


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:efs/fileSystem:FileSystem": _file_system,
    "aws:efs/accessPoint:AccessPoint": _access_point,
    "aws:efs/mountTarget:MountTarget": ids("fsmt"),
}
