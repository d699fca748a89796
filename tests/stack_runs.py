"""What the infrastructure tests share: running the stack or a component under recording mocks.

Every run goes through ``offline.run_program`` with ``preview=False``, so the
recordings hold plain values and each assertion below either runs or the test errors.
"""

from __future__ import annotations

import json
import runpy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest

from policy import aws_types
from stack.paths import ARTIFACTS_DIR, REPO_ROOT
from stack.settings import read_stack_file
from stack.settings.declaration import PROJECT
from tools.offline import RecordedResource, RecordingMocks, StackRecording, run_program

REGION = "ap-northeast-1"

TASK_DEFINITION = aws_types.TASK_DEFINITION
SERVICE = aws_types.ECS_SERVICE
SECURITY_GROUP = aws_types.SECURITY_GROUP
INGRESS_RULE = aws_types.INGRESS_RULE
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
VPC_ENDPOINT = aws_types.VPC_ENDPOINT
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
SECRET = aws_types.SECRET
SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
BUCKET = "aws:s3/bucket:Bucket"
BACKUP_BUCKET_COMPONENT = "django-tw:postgres:PostgresBackupBucket"
MEDIA_BUCKET_COMPONENT = "django-tw:storage:MediaBucket"


def run_main(config: dict[str, str], mocks: RecordingMocks | None = None) -> StackRecording:
    """Run __main__.py the way `pulumi up` does, with the given stack config."""
    return run_program(
        lambda: runpy.run_path(str(REPO_ROOT / "__main__.py"), run_name="__main__"),
        config=config,
        mocks=mocks,
    )


# The platform's tests deploy this Django project, whatever app a shipped stack file names
# (tests/stack/stand_in_app/README.md): a checkout without the demo runs them all the same.
STAND_IN_APP = "tests/stack/stand_in_app"


def with_stand_in_app(config: dict[str, str]) -> dict[str, str]:
    """The stack's config with the stand-in app's directory in its app slot; every other field
    of the stack's app is kept. No Dockerfile: the stand-in is built by the generic image."""
    app = json.loads(config.get("app") or "{}")
    app.pop("dockerfile", None)
    return {**config, "app": json.dumps({**app, "path": STAND_IN_APP})}


def stack_config(stack: str) -> dict[str, str]:
    """``Pulumi.<stack>.yaml``'s config, as the program receives it, with the stand-in app."""
    return with_stand_in_app(read_stack_file(stack))


def stand_in_stack_file(stack: str) -> Path:
    """``Pulumi.<stack>.yaml`` with the stand-in app, written for the command lines that read a
    stack file (``--config-file``): the file's text, only the app's ``path`` (and
    ``dockerfile``) changed, so that the CLI's own checks read what the shipped file says."""
    lines = (REPO_ROOT / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8").splitlines()
    out, in_app, placed = [], False, False
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if line.strip() == f"{PROJECT}:app:":
            in_app, app_indent = True, indent
            out.append(line)
            continue
        if in_app and line.strip() and not line.lstrip().startswith("#"):
            if indent <= app_indent:
                in_app = False
            elif line.lstrip().startswith("dockerfile:"):
                continue
            elif line.lstrip().startswith("path:"):
                out.append(" " * indent + f"path: {STAND_IN_APP}")
                placed = True
                continue
        out.append(line)
    if not placed:
        out += [f"  {PROJECT}:app:", f"    path: {STAND_IN_APP}"]
    path = ARTIFACTS_DIR / "stand-in-stacks" / f"Pulumi.{stack}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def prod_config(**overrides: object) -> dict[str, str]:
    return {**stack_config("prod"), **{key: str(value) for key, value in overrides.items()}}


def run_component(program: Callable[[], None], region: str = REGION) -> StackRecording:
    return run_program(program, config={"aws:region": region})


@pytest.fixture(scope="session")
def prod() -> StackRecording:
    """The prod stack, as Pulumi.prod.yaml describes it, with the stand-in app."""
    return run_main(prod_config())


def scale_config(**overrides: object) -> dict[str, str]:
    return {**stack_config("scale"), **{key: str(value) for key, value in overrides.items()}}


@pytest.fixture(scope="session")
def scale() -> StackRecording:
    """The scale stack (`database: rds`), as Pulumi.scale.yaml describes it, with the stand-in
    app."""
    return run_main(scale_config())


def note_aliases(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], list]:
    """(type, name) -> the aliases of every registration the engine receives from here on."""
    sent: dict[tuple[str, str], list] = {}
    set_mocks = pulumi.runtime.set_mocks

    def set_mocks_noting_aliases(mocks, *args, monitor, **kwargs):
        register = monitor.RegisterResource

        def register_noting_aliases(request):
            sent[(request.type, request.name)] = list(request.aliases)
            return register(request)

        monitor.RegisterResource = register_noting_aliases
        return set_mocks(mocks, *args, monitor=monitor, **kwargs)

    monkeypatch.setattr(pulumi.runtime, "set_mocks", set_mocks_noting_aliases)
    return sent


@pytest.fixture
def aliases_sent(monkeypatch) -> dict[tuple[str, str], list]:
    return note_aliases(monkeypatch)


def service_task_definition(recording: StackRecording) -> Any:
    """The service's task definition (the FargateService's), not a scheduled task's such as the
    restore drill's."""
    sidecar = "django-tw:fargate:FargateService"
    [found] = [r for r in recording.of_type(TASK_DEFINITION) if sidecar in (r.parent or "")]
    return found


def containers(recording: StackRecording) -> dict[str, dict[str, Any]]:
    """The task definition's containers by name (containerDefinitions is a JSON string)."""
    task_definition = service_task_definition(recording)
    return {c["name"]: c for c in json.loads(task_definition.inputs["containerDefinitions"])}


def environment(container: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container.get("environment", [])}


def secrets(container: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["valueFrom"] for item in container.get("secrets", [])}


def secret_value(recording: StackRecording, secret_arn: str) -> str:
    """What Secrets Manager holds for the secret with this ARN."""
    secret = next(s for s in recording.of_type(SECRET) if s.outputs["arn"] == secret_arn)
    version = next(
        v for v in recording.of_type(SECRET_VERSION) if v.inputs["secretId"] == secret.id
    )
    return version.inputs["secretString"]


def bucket_of(recording: StackRecording, component_type: str) -> RecordedResource:
    """The one S3 bucket whose parent is the one component of ``component_type``."""
    (component,) = [r for r in recording.resources if r.type == component_type]
    (bucket,) = [b for b in recording.of_type(BUCKET) if b.parent == component.urn]
    return bucket


def as_list(value: Any) -> list[Any]:
    """An IAM field that may be one value or a list, as a list."""
    return value if isinstance(value, list) else [value]


def group_by_id(recording: StackRecording) -> dict[str, RecordedResource]:
    return {group.id: group for group in recording.of_type(SECURITY_GROUP)}


def rules_of(recording: StackRecording, type_: str, group: RecordedResource) -> list[dict]:
    return [r.inputs for r in recording.of_type(type_) if r.inputs["securityGroupId"] == group.id]


def policy_statements(recording: StackRecording, name_part: str) -> list[dict[str, Any]]:
    """Statements of the inline role policy whose resource name contains ``name_part``."""
    found = [p for p in recording.of_type(ROLE_POLICY) if name_part in p.name]
    assert len(found) == 1, [p.name for p in recording.of_type(ROLE_POLICY)]
    return json.loads(found[0].inputs["policy"])["Statement"]


def describe(recording) -> list[dict]:
    """What the engine would be asked for, keyed and ordered by URN."""
    return sorted(
        (
            {
                "urn": resource.urn,
                "parent": resource.parent,
                "custom": resource.custom,
                "protect": resource.protect,
                "retain_on_delete": resource.retain_on_delete,
                "inputs": resource.inputs,
            }
            for resource in recording.resources
        ),
        key=lambda entry: entry["urn"],
    )


def as_text(entries: list[dict]) -> str:
    return json.dumps(entries, indent=1, sort_keys=True, default=str) + "\n"
