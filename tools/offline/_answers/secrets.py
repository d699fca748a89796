"""Secrets Manager secrets, and the passwords and ids pulumi_random generates for them."""

import base64

from tools.offline._answers._common import Account, ResourceAnswer, physical_name


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


def _random_id(account: Account, name: str, inputs: dict, short: str) -> dict:
    # Its bytes in hex (two digits each), and the same bytes in the other encodings.
    hex_ = short.ljust(64, "0")[: 2 * int(inputs.get("byteLength") or 8)]
    raw = bytes.fromhex(hex_)
    b64_url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return {
        "id": b64_url,
        "hex": hex_,
        "b64Url": b64_url,
        "b64Std": base64.b64encode(raw).decode(),
        "dec": str(int(hex_, 16)),
    }


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:secretsmanager/secret:Secret": _secret,
    "random:index/randomPassword:RandomPassword": _random_password,
    "random:index/randomId:RandomId": _random_id,
}
