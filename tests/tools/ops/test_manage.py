"""tools/ops/manage.py, `make manage`: a one-off management command in a deployed stack, against
fake `aws` and `pulumi` CLIs on PATH that answer as the real ones do and note every call.

efs: ECS Exec into the serving task, the exit status read off the marker.
rds (the stack exports `database_identifier`): run-task with web's command overridden, wait,
print its log, exit with its status."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tools.ops import manage

OUTPUTS = {
    "cluster_name": "tw-prod-cluster-1a2b",
    "service_name": "tw-prod-service-3c4d",
    "log_group_names": {"web": "/ecs/tw-prod/web"},
}
TASK = "arn:aws:ecs:ap-northeast-1:123456789012:task/tw-prod-cluster-1a2b/0f1e2d3c"
TASK_DEFINITION = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/tw-prod:42"
NETWORK = {
    "awsvpcConfiguration": {
        "subnets": ["subnet-a", "subnet-b"],
        "securityGroups": ["sg-task", "sg-db-client"],
        "assignPublicIp": "DISABLED",
    }
}

FAKE = r"""#!{python}
import json, sys
from pathlib import Path
calls = Path({calls!r})
with calls.open("a") as log:
    log.write(json.dumps([Path(sys.argv[0]).name, *sys.argv[1:]]) + "\n")
answers = json.loads(Path({answers!r}).read_text())
args = sys.argv[1:]
if Path(sys.argv[0]).name == "pulumi":
    print("ap-northeast-1" if args[:2] == ["config", "get"] else json.dumps(answers["outputs"]))
elif args[:2] == ["ecs", "execute-command"]:
    print("Starting session with SessionId: ecs-execute-command-0abc")
    sys.stdout.write(answers["exec_output"])
    print("Exiting session with sessionId: ecs-execute-command-0abc.")
else:
    key = " ".join(args[:2])
    answer = answers.get(key)
    if isinstance(answer, list):  # one answer per call: pages
        lines = calls.read_text().splitlines()
        seen = sum(1 for line in lines if key in " ".join(json.loads(line)))
        answer = answer[min(seen, len(answer)) - 1]
    if answer is not None:
        print(json.dumps(answer))
"""


@pytest.fixture
def fake_cli(tmp_path, monkeypatch):
    """Install fake `aws` and `pulumi`; returns (answers to fill, the calls they received)."""
    bin_dir, calls, answers_file = tmp_path / "bin", tmp_path / "calls.jsonl", tmp_path / "a.json"
    bin_dir.mkdir()
    calls.touch()
    for name in ("aws", "pulumi"):
        script = bin_dir / name
        script.write_text(
            FAKE.format(python=sys.executable, calls=str(calls), answers=str(answers_file))
        )
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    answers: dict = {"outputs": OUTPUTS}

    def received() -> list[list[str]]:
        return [json.loads(line) for line in calls.read_text().splitlines()]

    def write() -> None:
        answers_file.write_text(json.dumps(answers))

    return answers, write, received


def call(received, *prefix: str) -> list[str]:
    (found,) = [c for c in received() if c[: len(prefix)] == list(prefix)]
    return found


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_efs_runs_the_command_in_the_serving_task_and_exits_with_its_status(fake_cli, capfd):
    answers, write, received = fake_cli
    answers["ecs list-tasks"] = {"taskArns": [TASK]}
    answers["exec_output"] = f"Superuser created successfully.\n{manage.MARKER}3\n"
    write()
    status = manage.main(["--stack", "prod", "--", "createsuperuser", "--username", "ops"])
    assert status == 3
    out = capfd.readouterr().out
    assert "Superuser created successfully." in out
    assert manage.MARKER not in out
    assert call(received, "pulumi", "config", "get", "aws:region")[-1] == "prod"
    listed = call(received, "aws", "ecs", "list-tasks")
    assert option(listed, "--service-name") == OUTPUTS["service_name"]
    assert option(listed, "--region") == "ap-northeast-1"
    executed = call(received, "aws", "ecs", "execute-command")
    assert option(executed, "--task") == TASK
    assert option(executed, "--container") == "web"
    assert "--interactive" in executed
    assert option(executed, "--command") == (
        "sh -c 'python manage.py createsuperuser --username ops; echo django-tw-manage-exit=$?'"
    )
    assert not [c for c in received() if "run-task" in c]


def test_efs_without_a_status_line_fails_rather_than_guess(fake_cli, capfd):
    answers, write, _ = fake_cli
    answers["ecs list-tasks"] = {"taskArns": [TASK]}
    answers["exec_output"] = "An error occurred (TargetNotConnectedException)\n"
    write()
    assert manage.main(["--stack", "prod", "check"]) == 1
    assert "before the command reported its exit status" in capfd.readouterr().err


def test_efs_with_no_running_task_says_so(fake_cli, capfd):
    answers, write, _ = fake_cli
    answers["ecs list-tasks"] = {"taskArns": []}
    write()
    assert manage.main(["--stack", "prod", "check"]) == 1
    assert "no running task in tw-prod-service-3c4d" in capfd.readouterr().err


def rds_answers(answers: dict, exit_code: int | None, stopped: str = "Essential container") -> None:
    answers["outputs"] = {**OUTPUTS, "database_identifier": "tw-prod-db"}
    answers["ecs describe-services"] = {
        "services": [{"taskDefinition": TASK_DEFINITION, "networkConfiguration": NETWORK}]
    }
    answers["ecs run-task"] = {"tasks": [{"taskArn": TASK}], "failures": []}
    web = {"name": "web", **({"exitCode": exit_code} if exit_code is not None else {})}
    answers["ecs describe-tasks"] = {
        "tasks": [
            {"stoppedReason": stopped, "containers": [web, {"name": "release", "exitCode": 1}]}
        ]
    }
    answers["logs get-log-events"] = [
        {"events": [{"message": "Deleted 12 sessions."}], "nextForwardToken": "f/1"},
        {"events": [{"message": "done"}], "nextForwardToken": "f/2"},
        {"events": [], "nextForwardToken": "f/2"},
    ]


def test_rds_runs_a_task_of_its_own_waits_prints_its_log_and_exits_with_its_code(fake_cli, capfd):
    answers, write, received = fake_cli
    rds_answers(answers, exit_code=0)
    write()
    assert manage.main(["--stack", "scale", "clearsessions"]) == 0
    assert capfd.readouterr().out.splitlines()[-2:] == ["Deleted 12 sessions.", "done"]
    started = call(received, "aws", "ecs", "run-task")
    assert option(started, "--task-definition") == TASK_DEFINITION
    assert json.loads(option(started, "--network-configuration")) == NETWORK
    assert json.loads(option(started, "--overrides")) == {
        "containerOverrides": [{"name": "web", "command": ["python", "manage.py", "clearsessions"]}]
    }
    waited = call(received, "aws", "ecs", "wait", "tasks-stopped")
    assert option(waited, "--tasks") == TASK
    pages = [c for c in received() if c[1:3] == ["logs", "get-log-events"]]
    assert {option(p, "--log-stream-name") for p in pages} == {"web/web/0f1e2d3c"}
    assert option(pages[0], "--log-group-name") == "/ecs/tw-prod/web"
    assert not [c for c in received() if "execute-command" in c]


def test_rds_exits_with_the_command_s_failure(fake_cli):
    answers, write, _ = fake_cli
    rds_answers(answers, exit_code=2)
    write()
    assert manage.main(["--stack", "scale", "migrate", "--check"]) == 2


def test_rds_says_when_the_command_never_ran(fake_cli, capfd):
    answers, write, _ = fake_cli
    rds_answers(answers, exit_code=None, stopped="Task failed to start")
    write()
    assert manage.main(["--stack", "scale", "migrate"]) == 1
    err = capfd.readouterr().err
    assert "the command never ran: Task failed to start (exited non-zero first: release)" in err


def test_rds_with_exec_runs_in_a_serving_task(fake_cli):
    answers, write, received = fake_cli
    rds_answers(answers, exit_code=0)
    answers["ecs list-tasks"] = {"taskArns": [TASK]}
    answers["exec_output"] = f"{manage.MARKER}0\n"
    write()
    assert manage.main(["--stack", "scale", "--exec", "createsuperuser"]) == 0
    assert call(received, "aws", "ecs", "execute-command")


def test_the_marker_is_taken_out_of_what_is_shown():
    shown, status = manage.exec_status(b"a\r\ndjango-tw-manage-exit=0\r\nbye\n")
    assert (shown, status) == (b"a\r\nbye\n", 0)
    assert manage.exec_status(b"no marker") == (b"no marker", None)


def test_the_make_target_passes_the_stack_and_the_arguments():
    makefile = (Path(manage.__file__).parents[2] / "Makefile").read_text()
    assert "manage: ## " in makefile
    assert "-m tools.ops.manage --stack $(STACK) -- $(ARGS)" in makefile
