"""ECS rules: no public IPs, unprivileged non-root containers, logs, no secrets in env."""

from __future__ import annotations

import pytest

from ..builders import container, task_definition
from .expect import result_of


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AWS_SECRET_ACCESS_KEY", "anything"),
        ("EMAIL_HOST_PASSWORD", "plain"),
        ("SOME_URL", "postgres://u:p@db:5432/x"),
        ("KEY_ID", "AKIAABCDEFGHIJKLMNOP"),
    ],
)
def test_ecs_8_catches_secret_names_and_values(name, value):
    task = task_definition(container(environment=[{"name": name, "value": value}]))
    assert not result_of("ECS.8", [task]).passed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_HOST", "localhost"),
        ("EMAIL_HOST_USER", "AKIA-not-a-key"),
        ("AWS_STORAGE_BUCKET_NAME", "media"),
        ("SECRET_ARN", "arn:aws:secretsmanager:ap-northeast-1:1:secret:x"),
        ("NGINX_UPSTREAM", "localhost:8000"),
    ],
)
def test_ecs_8_leaves_plain_settings_alone(name, value):
    task = task_definition(container(environment=[{"name": name, "value": value}]))
    assert result_of("ECS.8", [task]).passed


@pytest.mark.parametrize("user", ["root", "0", "0:0", "root:root"])
def test_ecs_20_refuses_every_spelling_of_root(user):
    assert not result_of("ECS.20", [task_definition(container(user=user))]).passed


def test_ecs_20_does_not_apply_to_windows_tasks():
    task = task_definition(
        container(user=None), runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}
    )
    assert result_of("ECS.20", [task]).passed
