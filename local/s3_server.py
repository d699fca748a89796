"""moto's S3 server standing in for the media bucket, with the bucket already created.

moto keeps its state in memory. So that uploaded images survive a restart of `make local`, moto's
recorder (a documented moto feature) appends every request it serves to a file in the data
directory, and the next start replays that file before serving.
https://docs.getmoto.org/en/latest/docs/configuration/recorder/index.html

Usage (from local/Procfile): python -m local.s3_server
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from local.stop_signal import wait_for_stop_signal
from local.topology import LocalTopology


def serve(port: int, bucket: str, region: str, recording: Path) -> None:
    # The recorder reads its settings when moto is imported: set them first.
    os.environ["MOTO_ENABLE_RECORDING"] = "true"
    os.environ["MOTO_RECORDER_FILEPATH"] = str(recording)

    import boto3
    from moto.moto_api import recorder
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    if recording.exists() and recording.stat().st_size:
        recorder.replay_recording(target_host=endpoint)
        print(f"s3: replayed {recording}", flush=True)

    client = boto3.client("s3", endpoint_url=endpoint, region_name=region)
    existing = {entry["Name"] for entry in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
        )
    print(f"s3: bucket {bucket} ({region}) at {endpoint}", flush=True)

    wait_for_stop_signal()
    server.stop()


def main() -> int:
    topology = LocalTopology.from_environment()
    serve(
        port=topology.ports.s3,
        bucket=os.environ["AWS_STORAGE_BUCKET_NAME"],
        region=os.environ["AWS_S3_REGION_NAME"],
        recording=topology.s3_dir / "requests.jsonl",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
