"""`manage.py` against the running `make local`, as ECS Exec runs it in the task's web container.

    .venv/bin/python -m tools.local.manage createstaff --username me --email me@example.com \\
        --superuser --site localhost:8080

The command gets the web process's environment (tools/local/topology.py: the same settings module,
database, bucket and mail server), read from the data directory (LOCAL_DIR, default .local/) and
the LOCAL_*_PORT variables `make local` was started with. Mail it sends shows up where the
topology's mail goes: printed by the `mail` process and kept in .local/mail/new/.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

from tools.local.topology import LocalTopology


def manage_command(
    topology: LocalTopology, arguments: Sequence[str], base: Mapping[str, str] = os.environ
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that run `manage.py <arguments>` as the web process."""
    environment = topology.environment(base)
    return [sys.executable, str(topology.app.directory / "manage.py"), *arguments], environment


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        print(__doc__, file=sys.stderr)
        return 64
    topology = LocalTopology.from_environment()
    if not topology.secrets_file.exists():
        print(f"tools.local.manage: no topology in {topology.data_dir}: run `make local` first",
              file=sys.stderr)  # fmt: skip
        return 1
    command, environment = manage_command(topology, arguments)
    os.chdir(topology.app.directory)
    os.execve(command[0], command, environment)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
