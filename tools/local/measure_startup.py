"""How long `make local` takes to answer its first healthy response, cold and warm.

    .venv/bin/python -m tools.local.measure_startup [--runs N]

Each run starts `make local` in a new, empty data directory (cold: the database cluster is
created, migrations applied, static files collected) and then again on the data it left (warm),
on free ports so it can run beside a developer's `make local`. The clock runs from launching
`make` to the first 200 from http://localhost:<port>/healthz through nginx. Between runs the
topology is stopped with SIGINT, as Ctrl-C does. The Debian packages and the virtualenv must
already be installed (their download time says nothing about the topology).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from stack.paths import REPO_ROOT
from tools.local.ports import Ports
from tools.local.topology import new_data_dir


@dataclass
class MakeLocal:
    """A `make local` running in the background, in its own process group."""

    process: subprocess.Popen[bytes]
    ports: Ports
    data_dir: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://localhost:{self.ports.http}"

    def healthz_status(self) -> int | None:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def wait_healthy(self, timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"make local exited {self.process.returncode}; see {self.log}")
            if self.healthz_status() == 200:
                return time.monotonic() - started
            time.sleep(0.05)
        raise RuntimeError(
            f"make local: no healthy response within {timeout:.0f} s; see {self.log}"
        )

    def interrupt(self, timeout: float = 30) -> int:
        """Ctrl-C: SIGINT to the whole foreground group, as a terminal sends it."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
                raise RuntimeError(f"make local ignored Ctrl-C for {timeout:.0f} s") from None
        return self.process.returncode


@contextmanager
def make_local(
    data_dir: Path, ports: Ports, log: Path, app: Path | None = None
) -> Iterator[MakeLocal]:
    """`make local` (``app``: `make local APP=<app>`) in the background."""
    environment = {**os.environ, "LOCAL_DIR": str(data_dir), **ports.as_environment()}
    given = [] if app is None else [f"APP={app}"]
    with log.open("ab") as output:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "local", *given],
            cwd=REPO_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    running = MakeLocal(process=process, ports=ports, data_dir=data_dir, log=log)
    try:
        yield running
    finally:
        running.interrupt()


def measure(runs: int, timeout: float) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"cold": [], "warm": []}
    for _ in range(runs):
        data_dir = new_data_dir("django-tw-startup-")
        log = data_dir.with_suffix(".log")
        ports = Ports.free()
        try:
            for kind in ("cold", "warm"):
                started = time.monotonic()
                with make_local(data_dir, ports, log) as running:
                    running.wait_healthy(timeout)
                    figures[kind].append(time.monotonic() - started)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
            log.unlink(missing_ok=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold+warm pairs (default 3)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds per start")
    arguments = parser.parse_args()
    figures = measure(arguments.runs, arguments.timeout)
    print(f"make local -> first 200 from /healthz through nginx ({os.cpu_count()} CPUs)")
    for kind, values in figures.items():
        listed = ", ".join(f"{value:.2f}" for value in values)
        print(
            f"  {kind}: median {statistics.median(values):.2f} s, "
            f"min {min(values):.2f} s, max {max(values):.2f} s  (runs: {listed})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
