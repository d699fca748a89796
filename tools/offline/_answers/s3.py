"""S3: buckets, with the domain names AWS derives from the bucket's name."""

from tools.offline._answers._common import Account, ResourceAnswer, physical_name


def _bucket(account: Account, name: str, inputs: dict, short: str) -> dict:
    bucket = physical_name(name, inputs, short, "bucket")
    return {
        "id": bucket,
        "bucket": bucket,
        "arn": f"arn:aws:s3:::{bucket}",
        "bucketDomainName": f"{bucket}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{bucket}.s3.{account.region}.amazonaws.com",
        "region": account.region,
    }


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
}
