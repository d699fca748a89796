"""moto's S3 server standing in for the media and backup buckets, both already created.

moto keeps its state in memory. So that uploaded images survive a restart of `make local`, moto's
recorder (a documented moto feature) appends every request it serves to a file in the data
directory, and the next start replays that file before serving.
https://docs.getmoto.org/en/latest/docs/configuration/recorder/index.html
The replay is ours, not the recorder's: a multipart upload (barman's base backups) gets a new
upload id when it is created again, and the parts and the completion that follow must use it.

Usage (from tools/local/Procfile): python -m tools.local.s3_server
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

from tools.local.stop_signal import wait_for_stop_signal
from tools.local.topology import LocalTopology


def start(port: int, buckets: list[str], region: str, recording: Path):
    """moto's server on 127.0.0.1:port with the recording replayed and ``buckets`` created."""
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
        recorder.stop_recording()  # the replay itself is not recorded again
        try:
            replay(recording, endpoint)
        finally:
            recorder.start_recording()
        print(f"s3: replayed {recording}", flush=True)

    # moto accepts any credentials; these let the caller run without the topology's environment.
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="local-moto",
        aws_secret_access_key="local-moto",  # noqa: S106 (moto's, not a secret)
    )
    existing = {entry["Name"] for entry in client.list_buckets().get("Buckets", [])}
    for bucket in buckets:
        if bucket not in existing:
            client.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
            )
        print(f"s3: bucket {bucket} ({region}) at {endpoint}", flush=True)
    return server


def replay(recording: Path, endpoint: str) -> None:
    """Send every recorded request again, in order, mapping old multipart upload ids to new."""
    import requests

    new_upload_ids: dict[str, str] = {}  # recorded upload id -> the id of the replayed upload
    created: dict[str, str] = {}  # object path -> id of its most recently created upload
    with recording.open() as lines:
        for line in lines:
            entry = json.loads(line)
            url = urlparse(entry["url"])
            query = parse_qs(url.query, keep_blank_values=True)
            body = entry.get("body") or b""
            if entry.get("body_encoded"):
                body = base64.b64decode(body)
            headers = {
                name: value
                for name, value in entry["headers"].items()
                if name.lower() != "transfer-encoding"
            }
            if "uploadId" in query:
                recorded = query["uploadId"][0]
                new = new_upload_ids.setdefault(recorded, created.get(url.path, recorded))
                query["uploadId"] = [new]
            target = f"{endpoint}{url.path}"
            if query:
                target += "?" + urlencode(query, doseq=True)
            response = requests.request(
                entry["method"], target, headers=headers, data=body, timeout=60
            )
            if entry["method"] == "POST" and "uploads" in query and response.ok:
                upload_id = re.search(r"<UploadId>([^<]+)</UploadId>", response.text)
                if upload_id:
                    created[url.path] = upload_id.group(1)


def buckets_of(environ: Mapping[str, str]) -> list[str]:
    """The media bucket and the backup bucket (the host part of BACKUP_DESTINATION_URL)."""
    backup_bucket = urlparse(environ["BACKUP_DESTINATION_URL"]).netloc
    return [environ["AWS_STORAGE_BUCKET_NAME"], backup_bucket]


def wait_for_bucket(endpoint: str, bucket: str, timeout: float = 60) -> bool:
    """True once the stand-in at ``endpoint`` has ``bucket`` (within ``timeout`` seconds)."""
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.head(f"{endpoint}/{bucket}", timeout=2).status_code == 200:
                return True
        time.sleep(0.2)
    return False


def wait_for_postgres_to_stop(pid_file: Path, timeout: float) -> None:
    """AWS outlives the task: stay up while Postgres archives its last WAL at shutdown."""
    deadline = time.monotonic() + timeout
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    topology = LocalTopology.from_environment()
    arguments = argv if argv is not None else sys.argv[1:]
    if arguments[:1] == ["--wait-for-bucket"]:
        bucket = urlparse(arguments[1]).netloc
        if wait_for_bucket(os.environ["BACKUP_ENDPOINT_URL"], bucket):
            return 0
        print(
            f"s3: bucket {bucket} not there after 60 s: is the s3 process running?", file=sys.stderr
        )
        return 1
    server = start(
        port=topology.ports.s3,
        buckets=buckets_of(os.environ),
        region=os.environ["AWS_S3_REGION_NAME"],
        recording=topology.s3_recording,
    )
    wait_for_stop_signal()
    # Under honcho every process is told to stop at once, and killed 5 s later.
    wait_for_postgres_to_stop(topology.pgdata / "postmaster.pid", timeout=4)
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
