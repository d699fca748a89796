"""Secrets Manager secrets, and the passwords pulumi_random generates for them."""

from offline._answers._common import Account, ResourceAnswer, physical_name


def _secret(account: Account, name: str, inputs: dict, short: str) -> dict:
    secret_name = physical_name(name, inputs, short)
    # AWS appends six random characters to a secret's name in its ARN.
    arn_prefix = f"arn:aws:secretsmanager:{account.region}:{account.account_id}:secret"
    arn = f"{arn_prefix}:{secret_name}-AbCdEf"
    return {"id": arn, "arn": arn, "name": secret_name}


def _random_password(account: Account, name: str, inputs: dict, short: str) -> dict:
    length = int(inputs.get("length") or 32)
    value = (f"mockpw{short}" * 8)[:length]
    return {"id": "none", "result": value, "bcryptHash": f"$2a$10${short}"}


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:secretsmanager/secret:Secret": _secret,
    "random:index/randomPassword:RandomPassword": _random_password,
}
