"""awsx's ECR components.

awsx components are multi-language ("remote") components: under mocks they register as one
opaque resource, so their outputs are given here by hand.
"""

import hashlib
import json

from tools.offline._answers._common import Account, RemoteComponentAnswer


def _repository(account: Account, name: str, inputs: dict) -> dict:
    repository_name = inputs.get("name") or name
    return {
        "id": repository_name,
        "url": f"{account.account_id}.dkr.ecr.{account.region}.amazonaws.com/{repository_name}",
    }


def _image(account: Account, name: str, inputs: dict) -> dict:
    repository_url = inputs.get("repositoryUrl") or f"{account.account_id}.dkr.ecr/{name}"
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
    return {"id": name, "imageUri": f"{repository_url}@sha256:{digest}"}


REMOTE_COMPONENTS: dict[str, RemoteComponentAnswer] = {
    "awsx:ecr:Repository": _repository,
    "awsx:ecr:Image": _image,
}
