"""GeneratedSecret on its own."""

from __future__ import annotations

import pulumi
import pytest

from components.storage.generated_secret import GeneratedSecret, GeneratedSecretArgs
from tests.stack_runs import run_component

VERSION = "aws:secretsmanager/secretVersion:SecretVersion"


def build(args: GeneratedSecretArgs):
    def program() -> None:
        secret = GeneratedSecret("s", args)
        pulumi.export("arn", secret.arn)
        pulumi.export("is_secret", pulumi.Output.is_secret(secret.value))

    return run_component(program)


def test_generated_value_is_random_and_stored():
    recording = build(GeneratedSecretArgs(description="key", length=64))
    password = recording.one("random:index/randomPassword:RandomPassword")
    assert password.inputs["length"] == 64
    assert password.inputs["special"] is False
    assert recording.one(VERSION).inputs["secretString"] == password.outputs["result"]
    assert recording.outputs["arn"].startswith("arn:aws:secretsmanager:ap-northeast-1:")
    assert recording.outputs["is_secret"] is True


def test_given_value_is_stored_without_generating():
    recording = build(GeneratedSecretArgs(description="url", value="postgres://u:p@localhost/db"))
    assert not recording.of_type("random:index/randomPassword:RandomPassword")
    assert recording.one(VERSION).inputs["secretString"] == "postgres://u:p@localhost/db"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"length": 16}, r"use 32 or more"), ({"recovery_window_days": 3}, r"0 or 7..30")],
)
def test_bad_args_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GeneratedSecretArgs(description="x", **kwargs)
