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

from local.topology import (
    PROCFILE,
    REPO_ROOT,
    LocalSetupError,
    LocalTopology,
    check_ports_free,
    prepare,
)


def main() -> int:
    try:
        topology = LocalTopology.from_environment()
        check_ports_free(topology.ports)
        created = prepare(topology)
        environment = topology.environment()
    except LocalSetupError as error:
        print(f"make local: {error}", file=sys.stderr)
        return 1
    honcho = shutil.which("honcho", path=environment["PATH"])
    if honcho is None:
        print("make local: honcho is not installed: run `make venv`", file=sys.stderr)
        return 1
    state = "new database initialised" if created else "existing data"
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
