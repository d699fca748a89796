"""AWS Backup: vaults, plans, selections."""

from tools.offline._answers._common import Account, ResourceAnswer, physical_name


def _named(kind: str, key: str = "name") -> ResourceAnswer:
    def outputs(account: Account, name: str, inputs: dict, short: str) -> dict:
        value = physical_name(name, inputs, short, key)
        return {
            "id": value if kind == "backup-vault" else short,
            "name": value,
            "arn": f"arn:aws:backup:{account.region}:{account.account_id}:{kind}:{value}",
        }

    return outputs


RESOURCES: dict[str, ResourceAnswer] = {
    "aws:backup/vault:Vault": _named("backup-vault"),
    "aws:backup/plan:Plan": _named("backup-plan"),
    "aws:backup/selection:Selection": lambda a, n, i, s: {"id": s},
}
