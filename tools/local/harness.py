"""Start, stop and break the local topology from a test session or a benchmark.

The processes are the entries of tools/local/Procfile (the ones `make local` runs under honcho),
each
started on its own here so a test can kill or restart one of them. Every copy gets free ports and
a fresh data directory, so the tests run beside a developer's `make local`. Each process's output
goes to <log_dir>/<name>.log; the tail of those logs is put into every failure message.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import requests

from stack.paths import REPO_ROOT
from tools.local.app import LocalApp
from tools.local.launch import procfile_commands, ready_to_start
from tools.local.ports import Ports
from tools.local.topology import LocalTopology, new_data_dir


class TopologyError(AssertionError):
    """The topology did not reach the expected state in time."""


def wait_until(
    condition: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.1
) -> float:
    """Poll `condition` until it holds; return the seconds it took, or fail naming `what`."""
    started = time.monotonic()
    while True:
        try:
            if condition():
                return time.monotonic() - started
        except (OSError, requests.RequestException):
            pass
        if time.monotonic() - started > timeout:
            raise TopologyError(f"{what}: not reached within {timeout:.0f} s")
        time.sleep(interval)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class RunningTopology:
    """One copy of the local topology, started process by process."""

    def __init__(
        self,
        log_dir: Path,
        data_dir: Path | None = None,
        settings: dict[str, str] | None = None,
        app: LocalApp | None = None,
    ) -> None:
        """``settings``: variables the topology reads from its environment (e.g. the backup
        settings), as a developer would export them before `make local`. ``app``: the Django
        project web runs (`make local APP=...`), the demo by default."""
        if data_dir is None:
            # Not under pytest's 0700 temporary directories: Postgres' account must reach it.
            data_dir = new_data_dir("django-tw-e2e-")
        self.topology = LocalTopology(
            data_dir=data_dir,
            ports=Ports.free(),
            behind_tls_proxy=True,
            app=LocalApp.demo() if app is None else app,
        )
        self.log_dir = log_dir
        self.log_dir.mkdir(parents=True, exist_ok=True)
        # WAL is archived as in production; the scheduled base backup at start is left to the
        # tests that ask for one, so it does not weigh on every other test's timings.
        base = {**os.environ, "BASE_BACKUP_TIME": "off", **(settings or {})}
        # Changed by whoever runs the topology (a benchmark's settings) before a (re)start.
        self.environment = ready_to_start(self.topology, base).environment
        self.commands = procfile_commands()
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    # --- addresses -------------------------------------------------------------------------
    @property
    def ports(self) -> Ports:
        return self.topology.ports

    @property
    def base_url(self) -> str:
        return self.topology.url

    @property
    def data_dir(self) -> Path:
        return self.topology.data_dir

    # --- process control -------------------------------------------------------------------
    def start(self, name: str) -> None:
        if self.is_running(name):
            raise TopologyError(f"{name} is already running")
        with (self.log_dir / f"{name}.log").open("ab") as log:
            log.write(f"--- starting {name} at {time.strftime('%H:%M:%S')} ---\n".encode())
            log.flush()
            # A Procfile entry is a shell command line: run it through the shell, as honcho does.
            self.processes[name] = subprocess.Popen(  # noqa: S602
                self.commands[name],
                shell=True,
                cwd=REPO_ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, as honcho does
            )

    def is_running(self, name: str) -> bool:
        process = self.processes.get(name)
        return process is not None and process.poll() is None

    def stop(self, name: str, *, timeout: float = 20) -> int | None:
        """SIGTERM the process group as honcho does, SIGKILL after `timeout`; return the status."""
        process = self.processes.get(name)
        if process is None:
            return None
        if process.poll() is None:
            self._signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(process, signal.SIGKILL)
                process.wait(10)
        # Children that outlived their shell (none expected) must not outlive the test run.
        self._signal_group(process, signal.SIGKILL)
        return process.returncode

    @staticmethod
    def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)

    def start_all(self, *, timeout: float = 180) -> float:
        """Start every Procfile entry and wait until the whole topology answers; return seconds."""
        started = time.monotonic()
        for name in self.commands:
            self.start(name)
        self.wait_ready(timeout=timeout)
        return time.monotonic() - started

    def stop_all(self) -> None:
        # nginx first and Postgres last: the order ECS stops the task's containers in. The AWS
        # stand-ins outlive the task, as AWS does: Postgres archives its last WAL at shutdown.
        for name in ("nginx", "web", "db", "mail", "s3"):
            if name in self.processes:
                self.stop(name)

    # --- state -----------------------------------------------------------------------------
    def healthz(self, *, timeout: float = 5) -> requests.Response:
        return requests.get(f"{self.base_url}/healthz", timeout=timeout)

    def wait_healthy(self, *, timeout: float = 120) -> float:
        return self._wait(
            lambda: self.healthz(timeout=2).status_code == 200,
            timeout=timeout,
            what=f"GET {self.base_url}/healthz answering 200",
        )

    def wait_ready(self, *, timeout: float = 180) -> float:
        started = time.monotonic()
        for name, port in (("s3", self.ports.s3), ("mail", self.ports.smtp)):
            self._wait(partial(port_open, port), timeout=timeout, what=f"{name} listening")
        self._wait(self._s3_bucket_ready, timeout=timeout, what="the media bucket created")
        self.wait_healthy(timeout=max(1.0, timeout - (time.monotonic() - started)))
        return time.monotonic() - started

    def _s3_bucket_ready(self) -> bool:
        bucket = self.environment["AWS_STORAGE_BUCKET_NAME"]
        response = requests.head(f"http://127.0.0.1:{self.ports.s3}/{bucket}", timeout=2)
        return response.status_code == 200

    def postmaster_pid(self) -> int:
        """The running Postgres server's pid, from its own postmaster.pid file."""
        pid_file = self.topology.pgdata / "postmaster.pid"
        return int(pid_file.read_text().splitlines()[0])

    def _wait(self, condition: Callable[[], bool], *, timeout: float, what: str) -> float:
        """Wait for `condition`; give up at once if a started process has died meanwhile."""

        def reached() -> bool:
            dead = [name for name in self.processes if not self.is_running(name)]
            if dead:
                raise TopologyError(f"{what}: {', '.join(dead)} exited")
            return condition()

        try:
            return wait_until(reached, timeout=timeout, what=what, interval=0.25)
        except TopologyError as error:
            raise TopologyError(f"{error}\n{self.diagnostics()}") from None

    def diagnostics(self, lines: int = 25) -> str:
        """The state of every process and the tail of its log, for failure messages."""
        report = []
        for name in self.commands:
            process = self.processes.get(name)
            state = (
                "not started"
                if process is None
                else "running"
                if process.poll() is None
                else f"exited {process.returncode}"
            )
            log = self.log_dir / f"{name}.log"
            tail = log.read_text(errors="replace").splitlines()[-lines:] if log.exists() else []
            report.append(f"== {name} ({state}); {log}\n" + "\n".join(tail))
        return "\n".join(report)
