"""What every answer module shares: the account it answers for and stable made-up names."""

import hashlib
from collections.abc import Callable
from typing import Any, Protocol


class Account(Protocol):
    """The AWS account and region the answers are made up for."""

    region: str
    account_id: str


ResourceAnswer = Callable[[Account, str, dict[str, Any], str], dict[str, Any]]
"""(account, logical name, inputs, stable hash of type and name) -> what AWS computes."""
DataSourceAnswer = Callable[[Account, dict[str, Any]], dict[str, Any]]
"""(account, the data source's arguments) -> its result."""
RemoteComponentAnswer = Callable[[Account, str, dict[str, Any]], dict[str, Any]]
"""(account, logical name, inputs) -> the component's outputs."""


def short_hash(*parts: object, length: int = 17) -> str:
    text = "/".join(str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def physical_name(name: str, inputs: dict, short: str, key: str = "name") -> str:
    """The name the program set, else what Pulumi's auto-naming would make of the logical
    name (a random suffix, here a stable one derived from the URN)."""
    return inputs.get(key) or f"{name}-{short[:7]}"


def ids(prefix: str) -> ResourceAnswer:
    """An answer that only makes up an id of AWS's shape for that kind, e.g. ``subnet-...``."""
    return lambda account, name, inputs, short: {"id": f"{prefix}-{short}"}


def named_arn(service: str, kind: str, key: str = "name") -> ResourceAnswer:
    """An answer for a resource whose id is its name and whose ARN ends in ``kind`` + name."""

    def outputs(account: Account, name: str, inputs: dict, short: str) -> dict:
        value = physical_name(name, inputs, short, key)
        return {
            key: value,
            "arn": f"arn:aws:{service}:{account.region}:{account.account_id}:{kind}{value}",
            "id": value,
        }

    return outputs
