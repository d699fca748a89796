"""`make local`: prepare the data directory, then run local/Procfile in the foreground with honcho.

Ctrl-C stops every process (honcho sends each one SIGTERM, then SIGKILL after a few seconds);
the data directory (default .local/, or LOCAL_DIR) keeps the database, the uploaded media and the
generated secrets for the next run. Ports come from LOCAL_HTTP_PORT, LOCAL_WEB_PORT, LOCAL_DB_PORT,
LOCAL_S3_PORT and LOCAL_SMTP_PORT when set.
"""

from __future__ import annotations

import os
import shutil
import sys

from local.launch import PROCFILE, ready_to_start
from local.system import LocalSetupError
from local.topology import LocalTopology
from paths import REPO_ROOT


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
        print("make local: honcho is not installed: run `make venv`", file=sys.stderr)
        return 1
    state = "new database initialised" if launch.created else "existing data"
    print(
        f"django-tw: {topology.url}  ({state} in {topology.data_dir}; Ctrl-C stops everything)",
        flush=True,
    )
    os.chdir(REPO_ROOT)
    os.execve(
        honcho,
        [honcho, "--procfile", str(PROCFILE), "--app-root", str(REPO_ROOT), "start"],
        environment,
    )
    return 0  # not reached: execve replaces this process


if __name__ == "__main__":
    sys.exit(main())
