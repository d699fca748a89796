"""ECR: an existing repository looked up by name (``aws.ecr.get_repository``)."""

from tools.offline._answers._common import Account, DataSourceAnswer


def _repository(account: Account, args: dict) -> dict:
    name = str(args.get("name") or "repository")
    registry = str(args.get("registryId") or account.account_id)
    return {
        "id": name,
        "name": name,
        "registryId": registry,
        "arn": f"arn:aws:ecr:{account.region}:{registry}:repository/{name}",
        "repositoryUrl": f"{registry}.dkr.ecr.{account.region}.amazonaws.com/{name}",
        "imageTagMutability": "IMMUTABLE",
        "tags": {},
    }


DATA_SOURCES: dict[str, DataSourceAnswer] = {
    "aws:ecr/getRepository:getRepository": _repository,
}
