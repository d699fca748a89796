"""`make local`: prepare the data directory, run tools/local/Procfile with honcho, say when it is
ready.

Ctrl-C stops every process (the terminal sends SIGINT to the whole foreground group: honcho sends
each process SIGTERM, then SIGKILL after a few seconds, and this runner waits for it). The data
directory (default .local/, or LOCAL_DIR) keeps the database, the uploaded media and the
generated secrets for the next run. Ports come from LOCAL_HTTP_PORT, LOCAL_WEB_PORT,
LOCAL_DB_PORT, LOCAL_S3_PORT and LOCAL_SMTP_PORT when set.

Once nginx answers `/healthz` with 200 (the ALB's readiness check: the database answers too),
one line says where to sign up and where password-reset mail shows up.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from stack.paths import REPO_ROOT
from tools.local.launch import PROCFILE, ready_to_start
from tools.local.system import LocalSetupError
from tools.local.topology import LocalTopology

READY_TIMEOUT_SECONDS = 600  # a first run migrates and collects static files before gunicorn
POLL_SECONDS = 0.5

Probe = Callable[[str], int | None]


def healthz_status(url: str) -> int | None:
    """The HTTP status of GET `url`, or None when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own http URL)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def ready_line(topology: LocalTopology) -> str:
    """What a newcomer needs once the site answers: where to sign up, where the mail goes."""
    if not topology.app.is_demo:
        return (
            f"{topology.app.directory.name} is ready on {topology.url} (its mail is printed "
            f"here by `mail` and kept in {topology.mail_dir}/new/; Ctrl-C stops everything)"
        )
    return (
        f"django-tw is ready: sign up at {topology.url}/accounts/signup/ "
        f"(password-reset mail is printed here by `mail` and kept in {topology.mail_dir}/new/; "
        "Ctrl-C stops everything)"
    )


def wait_until_ready(
    url: str,
    still_running: Callable[[], bool],
    probe: Probe = healthz_status,
    timeout: float = READY_TIMEOUT_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """True once `url` answers 200; False if the processes stop or `timeout` passes first."""
    deadline = clock() + timeout
    while still_running() and clock() < deadline:
        if probe(url) == 200:
            return True
        sleep(POLL_SECONDS)
    return False


def announce_when_ready(topology: LocalTopology, honcho: subprocess.Popen[bytes]) -> None:
    healthz = f"{topology.url}/healthz"
    if wait_until_ready(healthz, lambda: honcho.poll() is None):
        print(ready_line(topology), flush=True)
    elif honcho.poll() is None:
        print(
            f"make local: {healthz} has not answered 200 within {READY_TIMEOUT_SECONDS} s; "
            "the processes' output above says why",
            flush=True,
        )


def exit_status(returncode: int) -> int:
    """honcho's status as a shell reports it: killed by signal N is 128 + N."""
    return 128 - returncode if returncode < 0 else returncode


def main() -> int:
    try:
        topology = LocalTopology.from_environment()
        launch = ready_to_start(topology)
        environment = launch.environment
    except LocalSetupError as error:
        print(f"make local: {error}", file=sys.stderr)
        return 1
    honcho = shutil.which("honcho", path=environment["PATH"])
    if honcho is None:
        print("make local: honcho is not installed: run `make local-venv`", file=sys.stderr)
        return 1
    state = "new database initialised" if launch.created else "existing data"
    print(
        f"{'django-tw' if topology.app.is_demo else topology.app.directory.name}: "
        f"starting on {topology.url} ({state} in {topology.data_dir}); "
        "waiting for /healthz through nginx",
        flush=True,
    )
    process = subprocess.Popen(
        [honcho, "--procfile", str(PROCFILE), "--app-root", str(REPO_ROOT), "start"],
        cwd=REPO_ROOT,
        env=environment,
    )
    # A stop signal meant for make local reaches honcho, which stops every process cleanly.
    signal.signal(signal.SIGTERM, lambda signum, frame: process.send_signal(signum))
    threading.Thread(target=announce_when_ready, args=(topology, process), daemon=True).start()
    while True:
        try:
            return exit_status(process.wait())
        except KeyboardInterrupt:
            continue  # honcho got the same Ctrl-C (one foreground group): wait for its stop


if __name__ == "__main__":
    sys.exit(main())
