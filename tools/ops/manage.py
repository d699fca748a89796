"""A one-off management command in a deployed stack, from an operator's machine:
``make manage STACK=prod ARGS="createsuperuser"`` (``python -m tools.ops.manage``).

Where it runs depends on where Postgres is (the stack's ``database`` setting):

- ``efs``: Postgres listens on 127.0.0.1 inside the service's one task, so the command runs
  there, in the web container, through ECS Exec (``aws ecs execute-command``, the Session
  Manager plugin installed). Interactive commands (``createsuperuser``) prompt as usual. ECS
  Exec does not hand back the remote command's exit status (the CLI's own status is the
  session's), so the command is wrapped to print it on a marker line, which is read here and
  not shown: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
- ``rds``: a task of its own, started from the service's task definition and network
  configuration (``aws ecs run-task``) with the web container's command overridden; it is
  waited for (``aws ecs wait tasks-stopped``), its web log is printed from CloudWatch Logs
  (stream ``<prefix>/<container>/<task id>``,
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html) and its exit
  code is this script's. ``--exec`` runs it in a serving task instead (interactive commands).

Only the standard library and the ``aws`` and ``pulumi`` CLIs are used (the stack's outputs
name the cluster, service and log groups, and say which database it has: an RDS stack exports
``database_identifier``; its config names the region), so it works wherever they reach the AWS
APIs, VPC endpoints included.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence

CONTAINER = "web"
MARKER = "django-tw-manage-exit="
_MARKER = re.compile(rf"{MARKER}(\d+)\r?\n?")


class ManageError(RuntimeError):
    """The command could not be started or followed; the message says why."""


Runner = Callable[[Sequence[str]], str]


def run_cli(arguments: Sequence[str]) -> str:
    """One CLI call, its standard output; a failure raises with its standard error."""
    result = subprocess.run(list(arguments), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ManageError(f"{' '.join(arguments[:3])} failed: {result.stderr.strip()}")
    return result.stdout


def aws(run: Runner, region: str, *arguments: str) -> dict:
    return json.loads(run(["aws", *arguments, "--region", region, "--output", "json"]) or "{}")


def stack_outputs(run: Runner, stack: str) -> dict:
    return json.loads(run(["pulumi", "stack", "output", "--json", "--stack", stack]))


def stack_region(run: Runner, stack: str) -> str:
    """``aws:region`` of the stack (required in every stack file)."""
    return run(["pulumi", "config", "get", "aws:region", "--stack", stack]).strip()


def managed_database(outputs: dict) -> bool:
    """``database: rds``: the stack exports the instance (stack/database.py)."""
    return "database_identifier" in outputs


def remote_command(arguments: Sequence[str]) -> str:
    """The shell line ECS Exec runs: manage.py, then its exit status on a marker line."""
    manage = shlex.join(["python", "manage.py", *arguments])
    return f"sh -c {shlex.quote(f'{manage}; echo {MARKER}$?')}"


def exec_status(output: bytes) -> tuple[bytes, int | None]:
    """The session's output without the marker line, and the status the marker gave."""
    text = output.decode(errors="replace")
    found = _MARKER.search(text)
    if found is None:
        return output, None
    shown = text[: found.start()] + text[found.end() :]
    return shown.encode(), int(found.group(1))


def run_by_exec(run: Runner, region: str, outputs: dict, arguments: Sequence[str]) -> int:
    tasks = aws(
        run,
        region,
        "ecs", "list-tasks",
        "--cluster", outputs["cluster_name"],
        "--service-name", outputs["service_name"],
        "--desired-status", "RUNNING",
    )["taskArns"]  # fmt: skip
    if not tasks:
        raise ManageError(f"no running task in {outputs['service_name']}: is the service up?")
    command = [
        "aws", "ecs", "execute-command", "--region", region,
        "--cluster", outputs["cluster_name"], "--task", tasks[0],
        "--container", CONTAINER, "--interactive", "--command", remote_command(arguments),
    ]  # fmt: skip
    # The terminal stays the operator's (prompts, passwords); only the output is read, in
    # chunks as they come, so a prompt without a newline shows at once.
    session = subprocess.Popen(command, stdout=subprocess.PIPE)  # noqa: S603
    assert session.stdout is not None
    seen = b""
    while chunk := os.read(session.stdout.fileno(), 4096):
        seen += chunk
        if MARKER.encode() not in seen:
            shown, seen = seen[: -len(MARKER)], seen[-len(MARKER) :]
            sys.stdout.buffer.write(shown)
            sys.stdout.flush()
    session.wait()
    shown, status = exec_status(seen)
    sys.stdout.buffer.write(shown)
    sys.stdout.flush()
    if status is None:
        raise ManageError(
            f"the ECS Exec session ended (status {session.returncode}) before the command "
            "reported its exit status; see the output above"
        )
    return status


def run_as_task(run: Runner, region: str, outputs: dict, arguments: Sequence[str]) -> int:
    cluster = outputs["cluster_name"]
    (service,) = aws(
        run, region, "ecs", "describe-services", "--cluster", cluster,
        "--services", outputs["service_name"],
    )["services"]  # fmt: skip
    network = service["networkConfiguration"]
    overrides = {
        "containerOverrides": [{"name": CONTAINER, "command": ["python", "manage.py", *arguments]}]
    }
    started = aws(
        run, region, "ecs", "run-task", "--cluster", cluster,
        "--task-definition", service["taskDefinition"], "--launch-type", "FARGATE",
        "--network-configuration", json.dumps(network),
        "--overrides", json.dumps(overrides), "--started-by", "tools.ops.manage",
    )  # fmt: skip
    if started.get("failures") or not started.get("tasks"):
        raise ManageError(f"run-task started nothing: {started.get('failures')}")
    task_arn = started["tasks"][0]["taskArn"]
    print(f"manage: started {task_arn}, waiting for it to stop", file=sys.stderr)
    run(["aws", "ecs", "wait", "tasks-stopped", "--cluster", cluster, "--tasks", task_arn,
         "--region", region])  # fmt: skip
    (task,) = aws(run, region, "ecs", "describe-tasks", "--cluster", cluster, "--tasks", task_arn)[
        "tasks"
    ]
    print_log(run, region, outputs["log_group_names"][CONTAINER], task_arn)
    by_name = {c["name"]: c for c in task["containers"]}
    web = by_name[CONTAINER]
    if web.get("exitCode") is None:
        failed = [n for n, c in by_name.items() if c.get("exitCode") not in (None, 0)]
        raise ManageError(
            f"the command never ran: {task.get('stoppedReason', 'the task stopped')}"
            + (f" (exited non-zero first: {', '.join(failed)})" if failed else "")
        )
    return int(web["exitCode"])


def print_log(run: Runner, region: str, group: str, task_arn: str) -> None:
    """The web container's log of the task, every event from the first."""
    stream = f"{CONTAINER}/{CONTAINER}/{task_arn.rsplit('/', 1)[-1]}"
    token = None
    while True:
        page = aws(
            run, region, "logs", "get-log-events", "--log-group-name", group,
            "--log-stream-name", stream, "--start-from-head",
            *(["--next-token", token] if token else []),
        )  # fmt: skip
        for event in page.get("events", []):
            print(event["message"])
        if not page.get("events") or page.get("nextForwardToken") in (None, token):
            return
        token = page["nextForwardToken"]


def main(argv: Sequence[str] | None = None, run: Runner = run_cli) -> int:
    parser = argparse.ArgumentParser(prog="make manage", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", default="prod", help="the Pulumi stack (Pulumi.<stack>.yaml)")
    parser.add_argument(
        "--exec", action="store_true", help="with rds too: in a serving task, via ECS Exec"
    )
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="manage.py's arguments")
    options = parser.parse_args(argv)
    arguments = [a for a in options.arguments if a != "--"]
    if not arguments:
        parser.error('give manage.py\'s arguments: make manage STACK=prod ARGS="migrate --plan"')
    try:
        outputs = stack_outputs(run, options.stack)
        region = stack_region(run, options.stack)
        if managed_database(outputs) and not options.exec:
            return run_as_task(run, region, outputs, arguments)
        return run_by_exec(run, region, outputs, arguments)
    except ManageError as error:
        print(f"manage: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
